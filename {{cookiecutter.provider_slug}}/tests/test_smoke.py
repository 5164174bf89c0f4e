"""Smoke test: `{{ cookiecutter.__call_fn }}` end to end, against the fake API or the real one.

The post-generation hook runs this file on the fresh package. It uses the
decorator the way Mirascope's guide does, in each main mode. Every test here is
marked `live`: `pytest --live` runs it against the real API, where the scripted
replies become expectations of the same kind (see `LooseReply`).
"""

import json

import pytest
from mirascope.core import prompt_template
from pydantic import BaseModel

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallResponse, {{ cookiecutter.__prefix }}Stream, {{ cookiecutter.__prefix }}Tool, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._wire import WIRE

from .capabilities import FORCE_TOOL_USE
from .conftest import API
from .fake_exchange import ToolCallReply

MODEL = "{{ cookiecutter.default_model }}"

pytestmark = pytest.mark.live


def expected_cost(input_tokens: float | None, output_tokens: float | None) -> float:
    """The cost the price list gives for these token counts."""
    assert input_tokens is not None
    assert output_tokens is not None
    price = WIRE.prices[MODEL]
    return (input_tokens * price.input + output_tokens * price.output) / 1_000_000


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


class Book(BaseModel):
    """A book."""

    title: str
    author: str


@{{ cookiecutter.__call_fn }}(MODEL)
@prompt_template("Recommend a {genre} book")
def recommend_book(genre: str): ...


@{{ cookiecutter.__call_fn }}(MODEL)
@prompt_template("Recommend a {genre} book")
async def recommend_book_async(genre: str): ...


@{{ cookiecutter.__call_fn }}(MODEL, stream=True)
@prompt_template("Recommend a {genre} book")
def stream_book(genre: str): ...


@{{ cookiecutter.__call_fn }}(MODEL, tools=[format_book], call_params=FORCE_TOOL_USE)
@prompt_template("Recommend a {genre} book")
def recommend_book_with_tool(genre: str): ...


@{{ cookiecutter.__call_fn }}(MODEL, response_model=Book)
@prompt_template("Extract the book: {text}")
def extract_book(text: str): ...


def test_call(api: API) -> None:
    """A sync call returns content, usage and cost, and sends the prompt."""
    expected = api.reply("Try *The Name of the Wind*.", input_tokens=9, output_tokens=7)

    response = recommend_book("fantasy")

    assert isinstance(response, {{ cookiecutter.__prefix }}CallResponse)
    assert response.content == expected.text
    tokens = (response.input_tokens, response.output_tokens)
    assert tokens == (expected.input_tokens, expected.output_tokens)
    assert response.cost == pytest.approx(expected_cost(*tokens))
    dumped = response.model_dump()
    assert dumped["content"] == response.content
    assert dumped["cost"] == response.cost
    json.loads(response.model_dump_json())
    assert api.last.sent.model == MODEL
    assert "Recommend a fantasy book" in api.last.body.decode()


@pytest.mark.anyio
async def test_async_call(api: API) -> None:
    """An async call returns content, usage and cost."""
    expected = api.reply("Try *Piranesi*.", input_tokens=5, output_tokens=3)

    response = await recommend_book_async("fantasy")

    assert response.content == expected.text
    tokens = (response.input_tokens, response.output_tokens)
    assert tokens == (expected.input_tokens, expected.output_tokens)
    assert response.cost == pytest.approx(expected_cost(*tokens))
    assert api.last.sent.model == MODEL


def test_stream(api: API) -> None:
    """A stream yields the content in pieces, then knows its usage and cost."""
    expected = api.reply(
        "Try *Mistborn* by Brandon Sanderson.", input_tokens=4, output_tokens=11
    )

    stream = stream_book("fantasy")
    pieces = [chunk.content for chunk, _ in stream]

    assert isinstance(stream, {{ cookiecutter.__prefix }}Stream)
    assert len([p for p in pieces if p]) > 1
    assert "".join(pieces) == stream.content == expected.text
    tokens = (stream.input_tokens, stream.output_tokens)
    assert tokens == (expected.input_tokens, expected.output_tokens)
    assert stream.cost == pytest.approx(expected_cost(*tokens))
    response = stream.construct_call_response()
    assert response.content == stream.content
    assert response.model_dump()["cost"] == stream.cost
    assert api.last.sent.stream


def test_tool_call(api: API) -> None:
    """The model's tool call comes back as a tool that can be called."""
    arguments = {"title": "The Hobbit", "author": "J.R.R. Tolkien"}
    expected = api.reply(tool_calls=[ToolCallReply("format_book", arguments)])

    response = recommend_book_with_tool("fantasy")

    tool = response.tool
    assert isinstance(tool, {{ cookiecutter.__prefix }}Tool)
    assert tool.args == expected.tool_calls[0].arguments
    assert tool.call() == f"{tool.args['title']} by {tool.args['author']}"
    assert response.tool_message_params([(tool, tool.call())])
    assert "format_book" in api.last.body.decode()


def test_response_model(api: API) -> None:
    """`response_model` returns the model filled from the forced tool call."""
    arguments = {"title": "Dune", "author": "Frank Herbert"}
    api.reply(tool_calls=[ToolCallReply("Book", arguments)])

    book = extract_book("Dune, by Frank Herbert")

    assert book == api.expect(Book(title="Dune", author="Frank Herbert"))
    assert "Book" in api.last.body.decode()
