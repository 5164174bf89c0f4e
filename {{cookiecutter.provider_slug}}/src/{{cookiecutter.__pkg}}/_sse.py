"""Framing of a streamed body: lines, then server-sent events or JSON lines.

Bytes to lines (`LineSplitter`), lines to events (`SSEDecoder`, or
`JSONLinesDecoder` for a format whose stream is one JSON value per line). What an
event means is the wire format's (`_wire.py`); reading the body and retrying
is `_api.py`'s.
"""

import codecs
from typing import NamedTuple

from .errors import {{ cookiecutter.__prefix }}ResponseError


class LineSplitter:
    """Turns the bytes of a streamed body into lines of text, strictly UTF-8.

    Hand-written because httpx's `iter_lines` does two things a stream must
    not: it replaces bytes that are not UTF-8 with U+FFFD (the answer would
    change silently, where a call's answer raises), and it also ends lines at
    the other Unicode line breaks (U+2028, U+0085 ...), which JSON text may
    hold unescaped. Server-sent events are UTF-8, and their lines end at CR LF,
    LF or CR only.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._split = False
        """Whether the last piece ended inside a character (held by `_decoder`)."""
        self._rest: list[str] = []
        self._held_cr = False

    def feed(self, data: bytes) -> list[str]:
        """Feeds bytes; returns the lines they complete, without their ends.

        Raises:
            {{ cookiecutter.__prefix }}ResponseError: if the bytes are not UTF-8.
        """
        try:
            if not self._split:
                try:  # most pieces end where a character does: one fast call
                    text = data.decode()
                except UnicodeDecodeError:
                    text = self._decode(data)  # raises if not UTF-8
            else:
                text = self._decode(data)
        except UnicodeDecodeError as error:
            start = max(0, error.start - 60)
            sent = error.object[start : error.end + 20]
            raise {{ cookiecutter.__prefix }}ResponseError(
                f"The API sent a stream that is not UTF-8 text: {sent!r}"
            ) from None
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if "\n" not in text and "\r" not in text:
            self._rest.append(text)
            return []
        if text.endswith("\r"):  # the first half of a CR LF, perhaps
            self._held_cr = True
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if self._rest:
            lines[0] = "".join(self._rest) + lines[0]
            self._rest = []
        if last := lines.pop():
            self._rest.append(last)
        return lines

    def _decode(self, data: bytes) -> str:
        """Decodes a piece that ends inside a character, or follows one that did."""
        text = self._decoder.decode(data)
        self._split = bool(self._decoder.getstate()[0])
        return text

    def flush(self, *, unended: bool = False) -> list[str]:
        """Returns the last line, if the body ended with the CR that ends it.

        With `unended`, a last line without its end is returned too: one JSON
        value per line may leave out the last line's end; an event may not.
        """
        if self._held_cr or (unended and self._rest):
            return ["".join(self._rest)]
        return []


class ServerSentEvent(NamedTuple):
    """One server-sent event."""

    event: str
    data: str
    id: str | None


class SSEDecoder:
    """Turns lines into events, following the WHATWG server-sent events spec.

    Hand-written rather than taken from `httpx-sse` so that the package (and
    the post-generation smoke test) needs nothing beyond Mirascope and httpx.
    """

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None

    def decode(self, lines: list[str]) -> list[ServerSentEvent]:
        """Feeds lines; returns the events their blank lines complete.

        One call per piece of the body rather than per line: this runs for
        every event of every stream.
        """
        events: list[ServerSentEvent] = []
        for line in lines:
            if line.startswith("data:"):  # the most common line first
                self._data.append(line[6:] if line.startswith("data: ") else line[5:])
            elif not line:
                if self._data:
                    data = "\n".join(self._data)
                    events.append(
                        ServerSentEvent(self._event or "message", data, self._id)
                    )
                    self._data = []
                self._event = ""
            elif not line.startswith(":"):
                self._field(line)
        return events

    def _field(self, line: str) -> None:
        """Reads a line of another field than `data: ...`."""
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._id = value


class JSONLinesDecoder:
    """Turns lines of newline-delimited JSON into events, one per non-blank line.

    Each line becomes an event's `data`, so that a wire format reads JSON lines
    as it reads server-sent events (e.g. Ollama's native API streams so).
    """

    def decode(self, lines: list[str]) -> list[ServerSentEvent]:
        """Feeds lines; returns an event for each one that is not blank."""
        return [
            ServerSentEvent("message", line, None) for line in lines if line.strip()
        ]
