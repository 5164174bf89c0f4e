"""The fake API's exchanges in neutral terms, whatever the wire format.

`Reply` is what a test scripts the fake model to answer; `SentRequest` is what a
request asked of the model, as `fake_wire.read_request` reads it.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class ToolCallReply:
    """A tool call the fake model makes; its id defaults to `call_<position>`."""

    name: str
    arguments: dict[str, Any]
    id: str | None = None

    @property
    def arguments_json(self) -> str:
        """The arguments as the JSON text the API sends."""
        return json.dumps(self.arguments)


@dataclass
class Reply:
    """What the fake model answers to the next request."""

    text: str = ""
    tool_calls: Sequence[ToolCallReply] = ()
    finish_reason: str | None = None
    input_tokens: int = 12
    output_tokens: int = 34
    cached_tokens: int = 0
    cost: float | None = None
    """A cost in the usage, as some gateways report it."""
    usage: bool = True
    """Whether the answer reports usage at all (some servers never do)."""
    model: str | None = None
    piece_size: int = 4
    """Characters of text or arguments per streamed chunk."""
    closing_chunks: bool = True
    """Whether a stream ends with the finish-reason and usage chunks; without
    them, it ends right after the last piece of content."""

    # Faults, injected by the fake API.
    status: int = 200
    """An error status to answer with instead (the body is the API's error)."""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    """Extra response headers, e.g. `Retry-After` or `x-request-id`."""
    body: str | None = None
    """A raw body to send instead of the answer (e.g. malformed JSON)."""
    hang: bool = False
    """Never answer (until the test ends): for timeouts."""
    stream_fault: (
        Literal["drop", "truncate", "malformed", "error_event", "stall"] | None
    ) = None
    """What breaks a stream after `fault_after` events: the connection drops,
    the body ends without the end-of-stream mark, an event is not JSON, the API
    sends an error event (`error_event` if given), or the server stalls."""
    fault_after: int = 2
    error_event: str | None = None
    """The raw error event of an `error_event` fault, if not the API's own."""
    after_done: str | None = None
    """A raw event a stream sends after its end-of-stream mark."""
    hold_open: bool = False
    """Whether a stream keeps its body open after its end-of-stream mark."""
    usage_every_chunk: bool = False
    """Whether every chunk carries the running usage (vLLM's continuous usage)."""

    def __post_init__(self) -> None:
        self.tool_calls = [
            ToolCallReply(call.name, call.arguments, call.id or f"call_{position}")
            for position, call in enumerate(self.tool_calls, 1)
        ]

    def pieces(self, text: str) -> list[str]:
        """Splits `text` into the pieces a stream sends."""
        size = self.piece_size
        return [text[i : i + size] for i in range(0, len(text), size)]


@dataclass(frozen=True)
class SentText:
    """Text sent to the model."""

    text: str


@dataclass(frozen=True)
class SentImage:
    """An image sent to the model: by URL, or as data with its media type."""

    url: str | None = None
    media_type: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class SentMedia:
    """Audio or a document sent to the model: by URL, or as data."""

    kind: str
    """`"audio"` or `"document"`."""
    url: str | None = None
    media_type: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class SentToolCall:
    """A tool call of the assistant, sent back in the history."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class SentToolResult:
    """The result of a tool call, sent to the model."""

    id: str
    content: str


SentPart = SentText | SentImage | SentMedia | SentToolCall | SentToolResult


@dataclass(frozen=True)
class SentMessage:
    """A message of the request, whatever the wire format.

    The system prompt is a `system` message, and each tool result a `tool`
    message of its own, even where the format puts them elsewhere.
    """

    role: str
    parts: tuple[SentPart, ...]

    @property
    def text(self) -> str:
        """The message's text parts, joined."""
        return "".join(p.text for p in self.parts if isinstance(p, SentText))


@dataclass(frozen=True)
class SentRequest:
    """What a request asked of the model, read from its wire format."""

    model: str
    messages: tuple[SentMessage, ...]
    tools: tuple[str, ...] = ()
    forced_tool: str | None = None
    json_output: bool = False
    """Whether the API itself was asked for JSON output."""
    stream: bool = False
