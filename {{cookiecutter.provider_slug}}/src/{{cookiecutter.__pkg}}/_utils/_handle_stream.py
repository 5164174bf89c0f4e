"""Turns the API's stream of chunks into `(chunk, tool)` pairs for `{{ cookiecutter.__prefix }}Stream`."""

from collections.abc import AsyncGenerator, Generator, Iterator

from .._mirascope_private import tool_name
from .._types import ChatCompletionChunk, FunctionCall, ToolCall
from ..call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from ..tool import {{ cookiecutter.__prefix }}Tool


class _ToolCallAssembler:
    """Builds tools from the tool-call pieces spread over the chunks.

    Pieces of one call share an `index`; some servers repeat the `id` on every
    piece, others send it once, and a new `id` always starts a new call. A call
    is complete when a piece of another call
    arrives, when a chunk without tool-call pieces arrives, or when the stream
    ends. A call to a tool that was not offered is left out.
    """

    def __init__(
        self, tool_types: list[type[{{ cookiecutter.__prefix }}Tool]] | None, partial_tools: bool
    ) -> None:
        self._tool_types = {tool_name(t): t for t in tool_types or []}
        self._partial_tools = partial_tools
        self._index: int | None = None
        self._id = ""
        self._name = ""
        self._arguments = ""

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
            if piece.index != self._index or (piece.id and piece.id != self._id):
                tools += self.finish()
                self._index, self._id, self._name, self._arguments = (
                    piece.index,
                    "",
                    "",
                    "",
                )
            self._id = piece.id or self._id
            if piece.function is None:
                continue
            self._name = piece.function.name or self._name
            if piece.function.arguments:
                self._arguments += piece.function.arguments
                if self._partial_tools and (partial := self._build(allow_partial=True)):
                    partial.delta = piece.function.arguments
                    tools.append(partial)
        return tools

    def finish(self) -> list[{{ cookiecutter.__prefix }}Tool]:
        """Returns the call in progress as a complete tool, if there is one."""
        if self._index is None:
            return []
        tool = self._build(allow_partial=False)
        self._index = None
        return [tool] if tool else []

    def _build(self, *, allow_partial: bool) -> {{ cookiecutter.__prefix }}Tool | None:
        tool_type = self._tool_types.get(self._name)
        if tool_type is None:
            return None
        tool_call = ToolCall(
            id=self._id or f"call_{self._index}",
            function=FunctionCall(name=self._name, arguments=self._arguments),
        )
        return tool_type.from_tool_call(tool_call, allow_partial=allow_partial)


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
        yield {{ cookiecutter.__prefix }}CallResponseChunk(chunk=ChatCompletionChunk()), tool


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
