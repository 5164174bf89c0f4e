"""What the type checker infers through `{{ cookiecutter.__call_fn }}`, checked by pyright.

`assert_type` does nothing at run time; the type checker fails if an inferred
type differs. Wrong generic arguments in a component (contract trap 11), or
`setup_call` without its overloads (trap 12), would change these types.
"""

import asyncio
from collections.abc import Awaitable, Iterable

from mirascope.core import prompt_template
from pydantic import BaseModel
from typing_extensions import assert_type

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}CallResponse,
    {{ cookiecutter.__prefix }}CallResponseChunk,
    {{ cookiecutter.__prefix }}Stream,
    {{ cookiecutter.__prefix }}Tool,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._neutral import Usage
from {{ cookiecutter.__pkg }}._types import AssistantMessageParam, MessageParam

from .fake_exchange import ToolCallReply
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"


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


@{{ cookiecutter.__call_fn }}(MODEL, response_model=Book)
@prompt_template("Extract the book: {text}")
def extract_book(text: str): ...


@{{ cookiecutter.__call_fn }}(MODEL, response_model=Book, stream=True)
@prompt_template("Extract the book: {text}")
def stream_extract_book(text: str): ...


def test_inferred_types(fake_api: FakeAPI) -> None:
    """Calls, streams and structured output have the types users expect."""
    for _ in range(3):
        fake_api.reply("Dune.")
    for _ in range(2):
        fake_api.reply(
            tool_calls=[ToolCallReply("Book", {"title": "D", "author": "H"})]
        )

    response = assert_type(recommend_book("sf"), {{ cookiecutter.__prefix }}CallResponse)
    assert_type(response.messages, list[MessageParam])
    assert_type(response.message_param, AssistantMessageParam)
    assert_type(response.usage, Usage | None)
    assert_type(response.tools, list[{{ cookiecutter.__prefix }}Tool] | None)
    assert_type(response.cost, float | None)
    pending = assert_type(recommend_book_async("sf"), Awaitable[{{ cookiecutter.__prefix }}CallResponse])
    assert isinstance(asyncio.run(_await(pending)), {{ cookiecutter.__prefix }}CallResponse)
    stream = assert_type(stream_book("sf"), {{ cookiecutter.__prefix }}Stream)
    for chunk, tool in stream:
        assert_type(chunk, {{ cookiecutter.__prefix }}CallResponseChunk)
        assert_type(tool, {{ cookiecutter.__prefix }}Tool | None)
    assert_type(extract_book("Dune"), Book)
    books = assert_type(stream_extract_book("Dune"), Iterable[Book])
    assert list(books)[-1] == Book(title="D", author="H")


async def _await(pending: Awaitable[{{ cookiecutter.__prefix }}CallResponse]) -> {{ cookiecutter.__prefix }}CallResponse:
    return await pending
