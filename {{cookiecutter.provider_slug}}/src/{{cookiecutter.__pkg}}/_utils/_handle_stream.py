"""Turns the API's stream of chunks into `(chunk, tool)` pairs for `{{ cookiecutter.__prefix }}Stream`."""

import json
from collections.abc import AsyncGenerator, Generator, Iterable, Iterator
from dataclasses import dataclass

from .._mirascope_private import tool_name
from .._types import ChatCompletionChunk, FunctionCall, PartialToolCall, ToolCall
from ..call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from ..tool import {{ cookiecutter.__prefix }}Tool


@dataclass
class _PendingCall:
    """A tool call whose pieces are still arriving."""

    index: int
    id: str = ""
    name: str = ""
    arguments: str = ""

    def tool_call(self, cls: type[ToolCall] = ToolCall) -> ToolCall:
        return cls(
            id=self.id or f"call_{self.index}",
            function=FunctionCall(name=self.name, arguments=self.arguments),
        )

    def has_complete_arguments(self) -> bool:
        """Whether the arguments are a whole JSON value, which no piece can extend."""
        try:
            json.loads(self.arguments)
        except ValueError:
            return False
        return True


class _ToolCallAssembler:
    """Builds tools from the tool-call pieces spread over the chunks.

    Pieces are grouped by `index`; some servers repeat the `id` on every piece,
    others send it once, and a new `id` on a known index starts a new call. A
    call is complete at the first chunk without tool-call pieces, at the end of
    the stream, or, once its arguments are whole JSON, when another call starts.
    A call to a tool that was not offered is left out.
    """

    def __init__(
        self, tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None, partial_tools: bool
    ) -> None:
        self._tool_types = {tool_name(t): t for t in tool_types or []}
        self._partial_tools = partial_tools
        self._pending: dict[int, _PendingCall] = {}

    def feed(self, chunk: ChatCompletionChunk) -> list[{{ cookiecutter.__prefix }}Tool]:
        """Returns the tools to yield with this chunk: complete ones, then partials."""
        # API-SPECIFIC: where a chunk carries tool-call pieces.
        if not self._tool_types or not chunk.choices:
            return []
        pieces = chunk.choices[0].delta.tool_calls
        if not pieces:
            return self.finish()
        tools: list[{{ cookiecutter.__prefix }}Tool] = []
        for piece in pieces:
            call = self._pending.get(piece.index)
            if call and piece.id and call.id and piece.id != call.id:
                tools += self._complete([call])
                call = None
            if call is None:
                tools += self._complete(
                    [c for c in self._pending.values() if c.has_complete_arguments()]
                )
                call = self._pending[piece.index] = _PendingCall(piece.index)
            call.id = piece.id or call.id
            if piece.function is None:
                continue
            call.name = piece.function.name or call.name
            if piece.function.arguments:
                call.arguments += piece.function.arguments
                if self._partial_tools and (
                    tool_type := self._tool_types.get(call.name)
                ):
                    partial = tool_type.from_tool_call(
                        call.tool_call(PartialToolCall), allow_partial=True
                    )
                    partial.delta = piece.function.arguments
                    tools.append(partial)
        return tools

    def finish(self) -> list[{{ cookiecutter.__prefix }}Tool]:
        """Returns every call still pending as a complete tool."""
        return self._complete(list(self._pending.values()))

    def _complete(self, calls: Iterable[_PendingCall]) -> list[{{ cookiecutter.__prefix }}Tool]:
        tools: list[{{ cookiecutter.__prefix }}Tool] = []
        for call in calls:
            del self._pending[call.index]
            if tool_type := self._tool_types.get(call.name):
                tools.append(tool_type.from_tool_call(call.tool_call()))
        return tools


def _pairs(
    chunk: ChatCompletionChunk | None, tools: list[{{ cookiecutter.__prefix }}Tool]
) -> Iterator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None]]:
    """Yields the chunk with the first tool, then each other tool on an empty chunk.

    Every chunk is yielded exactly once (the stream sums usage over them); a
    chunk of `None` stands for the end of the stream and is not yielded itself.
    """
    if chunk is not None:
        yield {{ cookiecutter.__prefix }}CallResponseChunk(chunk=chunk), tools[0] if tools else None
        tools = tools[1:]
    for tool in tools:
        yield {{ cookiecutter.__prefix }}CallResponseChunk(chunk=ChatCompletionChunk(choices=[])), tool


def handle_stream(
    stream: Generator[ChatCompletionChunk, None, None],
    tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    partial_tools: bool = False,
) -> Generator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None, None]:
    """Yields `(chunk, tool)` pairs; `tool` is set when a tool call completes.

    Args:
        stream: The parsed chunks of the API's stream.
        tool_types: The tools offered to the model, if any.
        partial_tools: Also yield a partial tool for every piece of arguments.
    """
    assembler = _ToolCallAssembler(tool_types, partial_tools)
    for chunk in stream:
        yield from _pairs(chunk, assembler.feed(chunk))
    yield from _pairs(None, assembler.finish())


async def handle_stream_async(
    stream: AsyncGenerator[ChatCompletionChunk, None],
    tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    partial_tools: bool = False,
) -> AsyncGenerator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None]:
    """Async version of `handle_stream`."""
    assembler = _ToolCallAssembler(tool_types, partial_tools)
    async for chunk in stream:
        for pair in _pairs(chunk, assembler.feed(chunk)):
            yield pair
    for pair in _pairs(None, assembler.finish()):
        yield pair
