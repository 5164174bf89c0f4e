"""The shared stream, fed the package's neutral values, whatever the wire format.

The wire adapter's reader turns the API's events into chunks, and may refuse
pieces that do not fit before they reach the shared modules; here
`handle_stream` (and its async version) is fed `ToolCallPiece`s directly, and a stream is counted as
an adapter that reports usage as increments would have it.
"""

import asyncio
from collections.abc import AsyncGenerator, Generator

import pytest
from mirascope.core import prompt_template
from pydantic import ValidationError

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}CallResponseChunk,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}Tool,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._neutral import Chunk, ToolCall, ToolCallPiece
from {{ cookiecutter.__pkg }}._utils._handle_stream import handle_stream, handle_stream_async
from {{ cookiecutter.__pkg }}._wire import WIRE

from .conftest import Runner
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
BOOK = prompt_template("Recommend a {genre} book")


def recommend_book(genre: str) -> None:
    """The prompt function of the stream test."""


class Lookup({{ cookiecutter.__prefix }}Tool):
    """Looks a word up."""

    word: str

    def call(self) -> str:
        """Returns the word."""
        return self.word


def chunks(*pieces: ToolCallPiece) -> Generator[Chunk, None, None]:
    """One chunk per piece."""
    for piece in pieces:
        yield Chunk(tool_calls=[piece])


def test_a_whole_call_is_a_tool_at_once() -> None:
    """A call in one piece rides on its own chunk, complete."""
    whole = ToolCallPiece(0, "whole", "c1", "Lookup", '{"word": "ink"}')
    [(chunk, tool)] = list(handle_stream(chunks(whole), [Lookup], partial_tools=True))
    assert chunk.chunk.tool_calls == [whole]
    assert isinstance(tool, Lookup)
    assert tool.word == "ink"
    assert tool.tool_call == ToolCall(
        name="Lookup", arguments='{"word": "ink"}', id="c1"
    )


@pytest.mark.parametrize(
    ("arguments", "error"),
    [('{"word": ', "json_invalid"), ('["ink"]', "json_invalid"), ("", "missing")],
    ids=["cut off", "not an object", "empty"],
)
def test_a_whole_calls_arguments_that_are_not_an_object(
    arguments: str, error: str
) -> None:
    """Arguments cut off or not an object raise pydantic's error for the tool.

    Empty arguments are `{}`, which lacks the tool's field. (Whatever the
    format: its reader may refuse such arguments before they get here.)
    """
    whole = ToolCallPiece(0, "whole", None, "Lookup", arguments)
    with pytest.raises(ValidationError, match="Lookup") as raised:
        list(handle_stream(chunks(whole), [Lookup]))
    assert raised.value.errors()[0]["type"] == error


def test_an_end_for_no_open_call_is_ignored() -> None:
    """The end of a key with no open call (a text block, say) yields no tool."""
    pieces = (
        ToolCallPiece(5, "end"),
        ToolCallPiece(0, "start", "c1", "Lookup", '{"word": '),
        ToolCallPiece(0, "arguments", arguments='"ink"}'),
        ToolCallPiece(0, "end"),
    )
    pairs = list(handle_stream(chunks(*pieces), [Lookup]))
    assert [chunk.chunk.tool_calls for chunk, _ in pairs] == [[p] for p in pieces]
    assert [getattr(tool, "word", None) for _, tool in pairs] == [None] * 3 + ["ink"]


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        (
            (ToolCallPiece(0, "start", "c1", "Lookup"), ToolCallPiece(0, "whole")),
            r"piece \(whole, 0\), where call 'c1' is open there",
        ),
        (
            (ToolCallPiece("k", "arguments", arguments="{}"),),
            r"piece \(arguments, 'k'\), where no call is open there",
        ),
        (
            (ToolCallPiece(2, "start", "c1", None, "{}"), ToolCallPiece(2, "end")),
            r"a tool call without a name \(index 2\)",
        ),
    ],
    ids=["start-over-open", "arguments-for-none", "nameless"],
)
def test_pieces_that_fit_no_call_raise(
    pieces: tuple[ToolCallPiece, ...], message: str
) -> None:
    """A piece that would lose or overwrite a call is an error, quoting it."""
    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match=message) as raised:
        list(handle_stream(chunks(*pieces), [Lookup]))
    assert str(raised.value).startswith("The API sent")


def described(chunk: {{ cookiecutter.__prefix }}CallResponseChunk, tool: {{ cookiecutter.__prefix }}Tool | None) -> object:
    """A pair, comparable across streams: the chunk, and the tool's kind and call."""
    if tool is None:
        return chunk.chunk, None
    return chunk.chunk, type(tool).__name__, tool.tool_call, tool.delta


async def _collect_async(
    pieces: tuple[ToolCallPiece, ...], partial_tools: bool
) -> list[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None]]:
    async def achunks() -> AsyncGenerator[Chunk, None]:
        for chunk in chunks(*pieces):
            yield chunk

    stream = handle_stream_async(achunks(), [Lookup], partial_tools)
    return [pair async for pair in stream]


@pytest.mark.parametrize("partial_tools", [False, True], ids=["whole", "partial"])
def test_the_async_version_yields_the_same_pairs(partial_tools: bool) -> None:
    """`handle_stream_async` yields what `handle_stream` does, calls left open too.

    The calls still open at the end come on empty chunks, one each.
    """
    pieces = (
        ToolCallPiece(0, "start", "c1", "Lookup", '{"word": '),
        ToolCallPiece(0, "arguments", arguments='"ink"}'),
        ToolCallPiece(0, "end"),
        ToolCallPiece(1, "start", "c2", "Lookup"),
        ToolCallPiece(1, "arguments", arguments='{"word": "quill"}'),
        ToolCallPiece(2, "whole", "c3", "Lookup", '{"word": "paper"}'),
        ToolCallPiece(3, "start", "c4", "Lookup", '{"word": "pen"}'),
    )

    sync_pairs = list(handle_stream(chunks(*pieces), [Lookup], partial_tools))
    async_pairs = asyncio.run(_collect_async(pieces, partial_tools))

    assert [described(*pair) for pair in async_pairs] == [
        described(*pair) for pair in sync_pairs
    ]
    complete = [t for _, t in sync_pairs if t is not None and t.delta is None]
    assert [(getattr(t, "word", None), t.tool_call.id) for t in complete] == [
        ("ink", "c1"),
        ("paper", "c3"),
        ("quill", "c2"),
        ("pen", "c4"),
    ]
    assert [c.chunk for c, _ in sync_pairs[-2:]] == [Chunk(), Chunk()]


def test_usage_reported_as_increments_is_summed(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A format whose chunks report what they add: the stream sums each count."""
    monkeypatch.setattr(WIRE, "usage_in_stream", "increments")
    fake_api.reply(
        "Dune, by Frank Herbert.",
        input_tokens=10,
        output_tokens=3,
        cached_tokens=2,
        cost=0.5,
        usage_every_chunk=True,
    )

    stream, pairs = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    reported = [chunk.usage for chunk, _ in pairs if chunk.usage is not None]
    assert len(reported) > 2
    assert stream.input_tokens == sum(u.input_tokens or 0 for u in reported)
    assert stream.cached_tokens == sum(u.cached_tokens or 0 for u in reported)
    assert stream.output_tokens == sum(u.output_tokens or 0 for u in reported)
    assert stream.cost_metadata.cost == sum(u.cost or 0 for u in reported)
    assert stream.input_tokens > 10
