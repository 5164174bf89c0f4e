"""Dynamic config: what a prompt function may return to shape its call."""

from typing import Any, cast

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import BaseMessageParam, ImageURLPart, TextPart

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._wire import WIRE

from ..conftest import API, Runner
from ..fake_exchange import SentImage, SentMessage, SentText
from ..fake_server import FakeAPI
from ..test_fake_api import holds
from . import native

MODEL = "{{ cookiecutter.default_model }}"


@pytest.mark.live
def test_computed_fields(api: API, run: Runner) -> None:
    """Computed fields fill the template."""

    def recommend(genre: str) -> dict[str, object]:
        return {"computed_fields": {"shout": genre.upper()}}

    api.reply("Dune.")
    run(recommend, prompt_template("Recommend a {shout} book"), {{ cookiecutter.__call_fn }}(MODEL))("sf")
    assert api.last.sent.messages == (
        SentMessage("user", (SentText("Recommend a SF book"),)),
    )


@pytest.mark.live
def test_call_params_merge_over_the_decorators(api: API, run: Runner) -> None:
    """Dynamic call params are merged over the decorator's, and reach the wire."""

    def recommend() -> dict[str, object]:
        return {"call_params": {"max_tokens": 32, "temperature": 0.0}}

    api.reply("Dune.")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, call_params={"temperature": 1.0, "top_p": 0.5})
    run(recommend, prompt_template("Hi"), decorator)()

    # As the format writes Mirascope's common params in a body: what a body
    # with them holds that one without them does not.
    common = {"max_tokens": 32, "temperature": 0.0, "top_p": 0.5}
    base = {"model": MODEL, "messages": [native("user", "Hi")]}
    with_params = WIRE.body({**base, **WIRE.common_params(common)}, stream=False)
    added = _added(with_params, WIRE.body(base, stream=False))
    assert added
    assert holds(api.last.json, added)


def _added(value: Any, base: Any) -> Any:
    """What `value` holds that `base` does not, key by key in objects."""
    if isinstance(value, dict) and isinstance(base, dict):
        value, base = cast(dict[str, Any], value), cast(dict[str, Any], base)
        return {
            key: _added(item, base.get(key))
            for key, item in value.items()
            if item != base.get(key)
        }
    return value


@pytest.mark.live
def test_metadata(api: API, run: Runner) -> None:
    """Metadata returned by the function is on the response."""

    def recommend() -> dict[str, object]:
        return {"metadata": {"tags": {"library"}}}

    api.reply("Dune.")
    response = run(recommend, prompt_template("Hi"), {{ cookiecutter.__call_fn }}(MODEL))()
    assert response.metadata == {"tags": {"library"}}


def test_messages_replace_the_template(fake_api: FakeAPI, run: Runner) -> None:
    """Messages returned by the function (Mirascope's and native) are what is sent."""

    def describe() -> dict[str, object]:
        return {
            "messages": [
                native("system", "Be brief."),
                BaseMessageParam(
                    role="user",
                    content=[
                        TextPart(type="text", text="What is this?"),
                        ImageURLPart(
                            type="image_url", url="https://x.test/a.png", detail=None
                        ),
                    ],
                ),
            ]
        }

    fake_api.reply("A cat.")
    run(describe, prompt_template("ignored"), {{ cookiecutter.__call_fn }}(MODEL))()

    assert fake_api.last.sent.messages == (
        SentMessage("system", (SentText("Be brief."),)),
        SentMessage(
            "user", (SentText("What is this?"), SentImage(url="https://x.test/a.png"))
        ),
    )


def test_dynamic_client_is_used_and_does_not_stick(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A client from the dynamic config serves its call only; it is never closed.

    Mirascope itself would keep it for every later call of the function.
    """
    marked: list[bool] = [True, False, True]
    client = run.client(base_url=fake_api.url, headers={"X-Via": "dynamic"})

    def hi() -> dict[str, object]:
        return {"client": client} if marked.pop(0) else {}

    call = run(hi, prompt_template("Hi"), {{ cookiecutter.__call_fn }}(MODEL))
    for _ in range(3):
        fake_api.reply("Hello.")
        call()

    vias = [request.headers.get("x-via") for request in fake_api.requests]
    assert vias == ["dynamic", None, "dynamic"]
    assert not client.is_closed


def test_decorator_client_comes_back_after_a_dynamic_one(
    fake_api: FakeAPI, run: Runner
) -> None:
    """After a call on a dynamic client, the next call uses the decorator's again."""
    decorator_client = run.client(base_url=fake_api.url, headers={"X-Via": "decorator"})
    dynamic_client = run.client(base_url=fake_api.url, headers={"X-Via": "dynamic"})
    marked = [True, False]

    def hi() -> dict[str, object]:
        return {"client": dynamic_client} if marked.pop(0) else {}

    call = run(hi, prompt_template("Hi"), {{ cookiecutter.__call_fn }}(MODEL, client=decorator_client))
    for _ in range(2):
        fake_api.reply("Hello.")
        call()

    vias = [request.headers.get("x-via") for request in fake_api.requests]
    assert vias == ["dynamic", "decorator"]
