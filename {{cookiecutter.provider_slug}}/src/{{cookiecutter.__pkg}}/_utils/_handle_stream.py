"""Turns the chunks of a stream into `(chunk, tool)` pairs for `{{ cookiecutter.__prefix }}Stream`."""

from collections.abc import AsyncGenerator, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._mirascope_private import tool_name
from .._neutral import Chunk, PartialToolCall, ToolCall, ToolCallPiece
from .._redaction import quote_answer
from ..call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from ..errors import {{ cookiecutter.__prefix }}ResponseError
from ..tool import {{ cookiecutter.__prefix }}Tool


@dataclass
class _OpenCall:
    """A tool call whose pieces are still arriving."""

    key: int | str
    id: str | None
    name: str
    arguments: str
    extra: dict[str, Any] | None

    def tool_call(self, cls: type[ToolCall] = ToolCall) -> ToolCall:
        return cls(
            name=self.name, arguments=self.arguments, id=self.id, extra=self.extra
        )


class _ToolCallAssembler:
    """Builds tools from the tool-call pieces spread over the chunks.

    A call starts, gets its arguments piece by piece and ends (see
    `ToolCallPiece`); calls still open at the end of the stream end then. A
    call to a tool that was not offered is left out. Pieces that fit no call
    raise `{{ cookiecutter.__prefix }}ResponseError` rather than lose one: a start where a call is
    open, arguments where none is, and a call without a name.
    """

    def __init__(
        self, tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None, partial_tools: bool
    ) -> None:
        self._tool_types = {tool_name(t): t for t in tool_types or []}
        self._partial_tools = partial_tools
        self._open: dict[int | str, _OpenCall] = {}

    def feed(self, pieces: Sequence[ToolCallPiece]) -> list[{{ cookiecutter.__prefix }}Tool]:
        """Returns the tools to yield with a chunk: complete ones, and partials."""
        if not self._tool_types:
            return []
        tools: list[{{ cookiecutter.__prefix }}Tool] = []
        for piece in pieces:
            call = self._open.get(piece.key)
            if piece.kind in ("start", "whole"):
                if call is not None:
                    raise _misfit(piece, f"call {call.id or call.name!r} is open there")
                call = self._open[piece.key] = _OpenCall(
                    piece.key, piece.id, piece.name or "", piece.arguments, piece.extra
                )
                if piece.kind == "whole":
                    tools += self._end(call)
                elif piece.arguments:
                    tools += self._partial(call, piece.arguments)
            elif piece.kind == "end":
                if call is not None:
                    tools += self._end(call)
            elif call is None:
                raise _misfit(piece, "no call is open there")
            else:
                call.id = piece.id or call.id
                call.name = piece.name or call.name
                call.arguments += piece.arguments
                if piece.arguments:
                    tools += self._partial(call, piece.arguments)
        return tools

    def finish(self) -> list[{{ cookiecutter.__prefix }}Tool]:
        """Returns every call still open as a complete tool."""
        return [tool for call in list(self._open.values()) for tool in self._end(call)]

    def _partial(self, call: _OpenCall, delta: str) -> list[{{ cookiecutter.__prefix }}Tool]:
        tool_type = self._tool_types.get(call.name)
        if not (self._partial_tools and tool_type):
            return []
        partial = tool_type.from_tool_call(
            call.tool_call(PartialToolCall), allow_partial=True
        )
        partial.delta = delta
        return [partial]

    def _end(self, call: _OpenCall) -> list[{{ cookiecutter.__prefix }}Tool]:
        del self._open[call.key]
        if not call.name:
            raise {{ cookiecutter.__prefix }}ResponseError(
                f"The API sent a tool call without a name (index {call.key!r}):"
                f" {quote_answer(call.arguments)}"
            )
        tool_type = self._tool_types.get(call.name)
        return [tool_type.from_tool_call(call.tool_call())] if tool_type else []


def _misfit(piece: ToolCallPiece, why: str) -> {{ cookiecutter.__prefix }}ResponseError:
    """The error for a tool-call piece that fits no call."""
    sent = quote_answer(repr(piece))
    return {{ cookiecutter.__prefix }}ResponseError(
        f"The API sent a tool-call piece ({piece.kind}, {piece.key!r}), where {why}:"
        f" {sent}"
    )


_validate_chunk = {{ cookiecutter.__prefix }}CallResponseChunk.__pydantic_validator__.validate_python


def _wrap(chunk: Chunk) -> {{ cookiecutter.__prefix }}CallResponseChunk:
    """Wraps a chunk for the stream.

    Through the model's validator, as its constructor does, without the
    constructor's Python layer: pydantic only checks that `chunk` is a `Chunk`
    here, and this runs for every chunk of every stream (`model_construct` is
    slower still).
    """
    wrapped: {{ cookiecutter.__prefix }}CallResponseChunk = _validate_chunk({"chunk": chunk})
    return wrapped


def _pairs(
    chunk: Chunk | None, tools: list[{{ cookiecutter.__prefix }}Tool]
) -> Iterator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None]]:
    """Yields the chunk with the first tool, then each other tool on an empty chunk.

    Every chunk is yielded exactly once (the stream counts usage over them); a
    chunk of `None` stands for the end of the stream and is not yielded itself.
    """
    if chunk is not None:
        yield _wrap(chunk), tools[0] if tools else None
        tools = tools[1:]
    for tool in tools:
        yield _wrap(Chunk()), tool


def handle_stream(
    stream: Generator[Chunk, None, None],
    tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    partial_tools: bool = False,
) -> Generator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None, None]:
    """Yields `(chunk, tool)` pairs; `tool` is set when a tool call completes.

    Args:
        stream: The chunks of the API's stream, read.
        tool_types: The tools offered to the model, if any.
        partial_tools: Also yield a partial tool for every piece of arguments.
    """
    assembler = _ToolCallAssembler(tool_types, partial_tools)
    try:
        for chunk in stream:
            if chunk.tool_calls and (tools := assembler.feed(chunk.tool_calls)):
                yield from _pairs(chunk, tools)
            else:
                yield _wrap(chunk), None
        yield from _pairs(None, assembler.finish())
    finally:
        stream.close()  # at once, when a tool's error ends the stream early


async def handle_stream_async(
    stream: AsyncGenerator[Chunk, None],
    tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    partial_tools: bool = False,
) -> AsyncGenerator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None]:
    """Async version of `handle_stream`."""
    assembler = _ToolCallAssembler(tool_types, partial_tools)
    try:
        async for chunk in stream:
            if chunk.tool_calls and (tools := assembler.feed(chunk.tool_calls)):
                for pair in _pairs(chunk, tools):
                    yield pair
            else:
                yield _wrap(chunk), None
        for pair in _pairs(None, assembler.finish()):
            yield pair
    except Exception:
        # A tool's error ends the stream early: release the connection at once,
        # on this loop. Not on GeneratorExit: when a loop shuts down, it closes
        # each open async generator itself, the stream's too, and one closed
        # twice at once fails ("already running").
        await stream.aclose()
        raise
