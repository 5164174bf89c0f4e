"""Assembling tools from streamed tool-call pieces, chunk by chunk."""

from typing import Any

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}Tool
from {{ cookiecutter.__pkg }}._types import ChatCompletionChunk
from {{ cookiecutter.__pkg }}._utils._handle_stream import handle_stream


class Lookup({{ cookiecutter.__prefix }}Tool):
    """Looks a word up."""

    word: str

    def call(self) -> str:
        """Returns the word."""
        return self.word


LOOKUP = Lookup


def piece(index: int, arguments: str, call_id: str | None = None) -> dict[str, Any]:
    """One tool-call piece of a delta; the first piece of a call names it."""
    function: dict[str, str] = {"arguments": arguments}
    if call_id:
        function["name"] = "Lookup"
    return {"index": index, "id": call_id, "function": function}


def chunk(
    *pieces: dict[str, Any], finish_reason: str | None = None
) -> ChatCompletionChunk:
    """A chunk whose first choice carries these tool-call pieces."""
    delta = {"tool_calls": list(pieces)} if pieces else {}
    return ChatCompletionChunk.model_validate(
        {"choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
    )


def words(chunks: list[ChatCompletionChunk], **kwargs: bool) -> list[Any]:
    """The `word` of every tool the stream yields, in order."""
    pairs = list(handle_stream((c for c in chunks), [LOOKUP], **kwargs))
    return [getattr(tool, "word", None) for _, tool in pairs if tool is not None]


def test_interleaved_calls_are_grouped_by_index() -> None:
    """Pieces of two calls that alternate are still assembled per call."""
    chunks = [
        chunk(piece(0, '{"word": ', "call_a")),
        chunk(piece(1, '{"word": ', "call_b")),
        chunk(piece(0, '"ink"}')),
        chunk(piece(1, '"quill"}')),
        chunk(finish_reason="tool_calls"),
    ]
    assert words(chunks) == ["ink", "quill"]


def test_a_complete_call_is_yielded_when_the_next_starts() -> None:
    """Once a call's arguments are whole JSON, the next call's start completes it."""
    first = chunk(piece(0, '{"word": "ink"}', "call_a"))
    second = chunk(piece(1, '{"word": "quill"}', "call_b"))
    pairs = list(handle_stream((c for c in (first, second)), [LOOKUP]))
    assert [(p.chunk, getattr(t, "word", None)) for p, t in pairs] == [
        (first, None),
        (second, "ink"),
        (ChatCompletionChunk(choices=[]), "quill"),
    ]


def test_a_new_id_on_the_same_index_starts_a_new_call() -> None:
    """Servers that give every call index 0 still get one tool per call."""
    chunks = [
        chunk(piece(0, '{"word": "ink"}', "call_a")),
        chunk(piece(0, '{"word": "quill"}', "call_b")),
    ]
    assert words(chunks) == ["ink", "quill"]


def test_a_repeated_id_does_not_split_a_call() -> None:
    """Servers that repeat the id on every piece still get one tool."""
    chunks = [
        chunk(piece(0, '{"word": ', "call_a")),
        chunk({"index": 0, "id": "call_a", "function": {"arguments": '"ink"}'}}),
    ]
    assert words(chunks) == ["ink"]


def test_every_chunk_is_yielded_once() -> None:
    """Several tools completed by one chunk ride on empty chunks after it."""
    chunks = [
        chunk(piece(0, '{"word": ', "call_a"), piece(1, '{"word": ', "call_b")),
        chunk(piece(0, '"ink"}'), piece(1, '"quill"}')),
        chunk(finish_reason="tool_calls"),
    ]
    pairs = list(handle_stream((c for c in chunks), [LOOKUP]))
    assert [p.chunk for p, _ in pairs] == [*chunks, ChatCompletionChunk(choices=[])]
    assert [getattr(t, "word", None) for _, t in pairs] == [None, None, "ink", "quill"]


def test_a_call_to_a_tool_not_offered_is_left_out() -> None:
    """A made-up tool name yields no tool, and the stream goes on."""
    chunks = [
        chunk({"index": 0, "id": "c", "function": {"name": "Nope", "arguments": "{}"}}),
        chunk(piece(1, '{"word": "ink"}', "call_b")),
    ]
    assert words(chunks) == ["ink"]


def test_partial_tools_carry_each_delta() -> None:
    """With partial tools, each piece of arguments yields a partial tool."""
    chunks = [
        chunk(piece(0, '{"word": "in', "call_a")),
        chunk(piece(0, 'k"}')),
    ]
    pairs = list(handle_stream((c for c in chunks), [LOOKUP], partial_tools=True))
    tools = [t for _, t in pairs if t is not None]
    assert [(getattr(t, "word", None), t.delta) for t in tools] == [
        ("in", '{"word": "in'),
        ("ink", 'k"}'),
        ("ink", None),
    ]


def test_usage_chunk_without_choices_passes_through() -> None:
    """The final usage chunk (`choices: []`) is yielded and does not end a call."""
    usage = ChatCompletionChunk.model_validate(
        {"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 2}}
    )
    chunks = [chunk(piece(0, '{"word": "ink"}', "call_a")), usage]
    pairs = list(handle_stream((c for c in chunks), [LOOKUP]))
    assert [p.chunk for p, _ in pairs] == [*chunks, ChatCompletionChunk(choices=[])]
    assert getattr(pairs[-1][1], "word", None) == "ink"


def test_a_piece_without_a_function_is_kept_waiting() -> None:
    """A piece with only an id (name and arguments come later) starts the call."""
    chunks = [
        chunk({"index": 0, "id": "call_a", "type": "function"}),
        chunk(piece(0, '{"word": "ink"}', "call_a")),
    ]
    assert words(chunks) == ["ink"]
