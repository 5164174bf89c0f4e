"""The server-sent events decoder, against the WHATWG spec's examples."""

import pytest

from {{ cookiecutter.__pkg }}._http import ServerSentEvent, aiter_sse, iter_sse


def events(text: str) -> list[ServerSentEvent]:
    """Decodes a whole stream given as text."""
    return list(iter_sse(text.split("\n")))


def test_one_event_per_blank_line() -> None:
    """Each blank line ends an event; `data:` lines of one event join with newlines."""
    assert events("data: a\ndata: b\n\ndata: c\n\n") == [
        ServerSentEvent("message", "a\nb", None),
        ServerSentEvent("message", "c", None),
    ]


def test_event_names_ids_and_comments() -> None:
    """`event:` names an event, `id:` persists, comments, other fields skipped."""
    text = ": keep-alive\nevent: ping\nid: 7\nretry: 10\ndata: {}\n\ndata:x\n\n"
    assert events(text) == [
        ServerSentEvent("ping", "{}", "7"),
        ServerSentEvent("message", "x", "7"),
    ]


def test_an_event_without_data_is_not_dispatched() -> None:
    """A blank line after only an `event:` field dispatches nothing and resets it."""
    assert events("event: ping\n\ndata: x\n\n") == [
        ServerSentEvent("message", "x", None)
    ]


def test_an_unterminated_last_event_is_dropped() -> None:
    """Data with no blank line after it, at the end of the stream, is not an event."""
    assert events("data: a\n\ndata: cut off") == [ServerSentEvent("message", "a", None)]


@pytest.mark.anyio
async def test_async_decoding_matches() -> None:
    """The async decoder gives the same events."""

    async def lines():
        for line in ["event: x", "data: 1", "", "data: 2", ""]:
            yield line

    assert [event async for event in aiter_sse(lines())] == [
        ServerSentEvent("x", "1", None),
        ServerSentEvent("message", "2", None),
    ]
