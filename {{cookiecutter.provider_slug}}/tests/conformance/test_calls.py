"""Calls: what a response holds and how it serialises."""

import json

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import BaseMessageParam, TextPart, Usage
from pydantic import BaseModel

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallResponse, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._wire import WIRE

from .. import fake_wire
from ..conftest import API, Runner
from ..fake_server import FakeAPI
from . import native

MODEL = "{{ cookiecutter.default_model }}"
BOOK = prompt_template("Recommend a {genre} book")


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


def test_response_fields(fake_api: FakeAPI, run: Runner) -> None:
    """Content, model, id, usage, token counts and finish reasons come from the API."""
    fake_api.reply("Dune.", input_tokens=21, output_tokens=4, cached_tokens=5)

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert isinstance(response, {{ cookiecutter.__prefix }}CallResponse)
    assert response.content == str(response) == "Dune."
    assert response.model == MODEL
    assert response.id == fake_wire.COMPLETION_ID
    assert response.provider == "{{ cookiecutter.provider_slug }}"
    tokens = (response.input_tokens, response.cached_tokens, response.output_tokens)
    assert tokens == (21, 5, 4)
    assert response.common_usage == Usage(
        input_tokens=21, cached_tokens=5, output_tokens=4, total_tokens=25
    )
    assert response.finish_reasons == [fake_wire.FINISH_REASONS["stop"]]
    assert response.common_finish_reasons == ["stop"]


@pytest.mark.parametrize("common", ["stop", "length", "content_filter"])
def test_finish_reasons(fake_api: FakeAPI, run: Runner, common: str) -> None:
    """Each finish reason of the API maps onto Mirascope's common one."""
    fake_api.reply("Du", finish_reason=common)
    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")
    assert response.finish_reasons == [fake_wire.FINISH_REASONS[common]]
    assert response.common_finish_reasons == [common]


@pytest.mark.live
def test_message_params(api: API, run: Runner) -> None:
    """The assistant and user messages, provider-native and provider-agnostic."""
    expected = api.reply("Dune.")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert response.content == expected.text
    content = response.content
    assert response.message_param == fake_wire.assistant_message(content)
    assert response.common_message_param == BaseMessageParam(
        role="assistant", content=content
    )
    assert response.user_message_param == native("user", "Recommend a fantasy book")
    assert response.common_user_message_param == BaseMessageParam(
        role="user", content="Recommend a fantasy book"
    )
    assert response.common_messages == [
        BaseMessageParam(role="user", content="Recommend a fantasy book")
    ]


def test_an_answer_naming_no_model(fake_api: FakeAPI, run: Runner) -> None:
    """An answer that names no model (some gateways) reports the one asked for."""
    fake_api.reply("Dune.", model="")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert response.model == MODEL


def test_model_dump(fake_api: FakeAPI, run: Runner) -> None:
    """`model_dump()` and `model_dump_json()` hold the computed fields and cost."""
    fake_api.reply("Dune.", input_tokens=1000, output_tokens=100)

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    price = WIRE.prices[MODEL]
    cost = (1000 * price.input + 100 * price.output) / 1_000_000
    assert response.cost == pytest.approx(cost)
    dumped = response.model_dump()
    assert dumped["content"] == "Dune."
    assert dumped["cost"] == pytest.approx(cost)
    assert dumped["message_param"] == fake_wire.assistant_message("Dune.")
    assert json.loads(response.model_dump_json())["cost"] == pytest.approx(cost)


def test_cached_tokens_are_priced_as_cached(fake_api: FakeAPI, run: Runner) -> None:
    """Cached input tokens cost the cached price."""
    fake_api.reply("Dune.", input_tokens=1000, cached_tokens=400, output_tokens=0)

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    price = WIRE.prices[MODEL]
    assert price.cached_input is not None
    expected = (600 * price.input + 400 * price.cached_input) / 1_000_000
    assert response.cost == pytest.approx(expected)


def test_unpriced_model_costs_none(fake_api: FakeAPI, run: Runner) -> None:
    """A model the price list does not know has a cost of `None`, and still dumps."""
    fake_api.reply("Dune.")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}("some-unlisted-model"))("fantasy")

    assert response.model == "some-unlisted-model"
    assert response.cost is None
    assert response.model_dump()["cost"] is None


def test_a_cost_reported_by_the_api_wins(fake_api: FakeAPI, run: Runner) -> None:
    """A gateway that reports the price of the call (`usage.cost`) is believed."""
    fake_api.reply("Dune.", cost=0.0042)

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}("some-unlisted-model"))("fantasy")

    assert response.cost == pytest.approx(0.0042)


def test_text_parts_in_messages(fake_api: FakeAPI, run: Runner) -> None:
    """A user message given as parts comes back as parts."""

    def describe() -> list[BaseMessageParam]:
        return [
            BaseMessageParam(
                role="user",
                content=[
                    TextPart(type="text", text="A"),
                    TextPart(type="text", text="B"),
                ],
            )
        ]

    fake_api.reply("AB.")
    response = run(describe, {{ cookiecutter.__call_fn }}(MODEL))()

    assert response.common_user_message_param == BaseMessageParam(
        role="user",
        content=[TextPart(type="text", text="A"), TextPart(type="text", text="B")],
    )


def test_a_response_without_usage(fake_api: FakeAPI, run: Runner) -> None:
    """A server that reports no usage gives `None` tokens and cost, and dumps."""
    fake_api.reply("Dune.", usage=False)

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert response.usage is None
    tokens = (response.input_tokens, response.cached_tokens, response.output_tokens)
    assert tokens == (None, None, None)
    assert response.cost is None
    assert response.model_dump()["cost"] is None


def test_the_model_requested_when_the_api_omits_it(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A server that sends no model name still gets the call priced."""
    fake_api.reply("Dune.", model="")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert response.model == MODEL
    assert response.cost is not None


def test_no_user_message(fake_api: FakeAPI, run: Runner) -> None:
    """A prompt without a user message has no user message param."""

    def instruct() -> None:
        """Prompt function."""

    fake_api.reply("Hello.")
    system_only = prompt_template("SYSTEM: Greet the user. ASSISTANT: Hello")
    response = run(instruct, system_only, {{ cookiecutter.__call_fn }}(MODEL))()

    assert response.user_message_param is None
    assert response.common_user_message_param is None


class Reader(BaseModel):
    """A reader."""

    name: str


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


def test_model_dump_json_with_what_json_cannot_hold(
    fake_api: FakeAPI, run: Runner
) -> None:
    """Bytes and models in the arguments, a client and tools in the dynamic config.

    `model_dump_json()` still works: bytes as base64, models as objects,
    anything else as its repr.
    """
    client = run.client(base_url=fake_api.url)
    png = b"\x89PNG\r\n\x1a\n"

    def describe(image: bytes, reader: Reader) -> dict[str, object]:
        return {"client": client, "tools": [format_book]}

    fake_api.reply("A tiny image.")
    template = prompt_template("Describe {image:image} for {reader.name}")
    response = run(describe, template, {{ cookiecutter.__call_fn }}(MODEL))(png, Reader(name="Ann"))
    dumped = json.loads(response.model_dump_json())

    assert dumped["fn_args"] == {"image": "iVBORw0KGgo=", "reader": {"name": "Ann"}}
    assert dumped["dynamic_config"]["client"].startswith("<httpx.")
    assert dumped["dynamic_config"]["tools"][0].startswith("<function format_book")
