"""The fake API's exchanges in neutral terms, whatever the wire format.

`Reply` is what a test scripts the fake model to answer; `SentRequest` is what a
request asked of the model, and `Route` where it went, as the fake API's wire
side reads them (`fake_wire.read_request`, `fake_wire.route`). Against the
real API (`pytest --live`), a scripted reply becomes a `LooseReply`: what a test
may expect of the real model's answer. `improvise` is the stand-in model of a
fake API serving on its own (`python -m tests.fake_server`).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from dirty_equals import IsInstance, IsInt, IsStr


class Route(NamedTuple):
    """Where a request went, as a wire side reads it from its path and body."""

    model: str
    stream: bool


def body_route(body: Mapping[str, Any], model: str, stream: str) -> Route:
    """The route of a request to an API whose one endpoint serves calls and streams.

    Args:
        body: The request's JSON body.
        model: The key under which the body names the model.
        stream: The key under which the body asks for a stream.
    """
    named = body.get(model)
    return Route(named if isinstance(named, str) else "", bool(body.get(stream)))


@dataclass
class ToolCallReply:
    """A tool call the fake model makes; its id defaults to `call_<position>`.

    Arguments given as text are sent as they are (e.g. cut off mid-JSON).
    """

    name: str
    arguments: dict[str, Any] | str
    id: str | None = None

    @property
    def arguments_json(self) -> str:
        """The arguments as the JSON text the API sends."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)


@dataclass
class Reply:
    """What the fake model answers to the next request."""

    text: str = ""
    tool_calls: Sequence[ToolCallReply] = ()
    finish_reason: str | None = None
    """Mirascope's common finish reason (`fake_wire.FINISH_REASONS` names it on
    the wire); by default `tool_calls` after tool calls, else `stop`."""
    input_tokens: int = 12
    output_tokens: int = 34
    cached_tokens: int = 0
    cost: float | None = None
    """A cost in the usage, as some gateways report it."""
    usage: bool = True
    """Whether the answer reports usage at all (some servers never do)."""
    model: str | None = None
    """The model the answer names; by default the one asked for (`""`: none)."""
    piece_size: int = 4
    """Characters of text or arguments per streamed chunk."""
    closing_chunks: bool = True
    """Whether a stream ends with the finish-reason and usage chunks; without
    them, it ends right after the last piece of content."""

    # Faults, injected by the fake API.
    status: int = 200
    """An error status to answer with instead (the body is the API's error), or
    another status (e.g. a redirect, with its `location` in `headers`)."""
    headers: dict[str, str] = field(default_factory=dict[str, str])
    """Extra response headers, e.g. `Retry-After` or `x-request-id`."""
    body: str | None = None
    """A raw body to send instead of the answer (e.g. malformed JSON)."""
    hang: bool = False
    """Never answer (until the test ends): for timeouts."""
    body_fault: Literal["drop", "stall"] | None = None
    """What breaks a JSON answer after its headers and half its body: the
    connection drops, or the server stalls."""
    stream_fault: (
        Literal["drop", "truncate", "malformed", "error_event", "stall", "not_utf8"]
        | None
    ) = None
    """What breaks a stream after `fault_after` events: the connection drops,
    the body ends without the end-of-stream mark, an event is not JSON, the API
    sends an error event (`error_event` if given), the server stalls, or an
    event holds bytes that are not UTF-8 (and the stream goes on)."""
    fault_after: int = 2
    error_event: str | None = None
    """The raw error event of an `error_event` fault, if not the API's own."""
    after_done: str | bytes | None = None
    """A raw event a stream sends after its end-of-stream mark."""
    hold_open: bool = False
    """Whether a stream keeps its body open after its end-of-stream mark."""
    line_end: str = "\n"
    """How a stream's lines end: LF, CR LF or CR, all three allowed by the
    server-sent events spec."""
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
    """The one tool the model must call, if the request names one."""
    must_call_a_tool: bool = False
    """Whether the model must call a tool (the forced one, or any)."""
    json_output: bool = False
    """Whether the API itself was asked for JSON output."""
    stream: bool = False
    tool_schemas: Mapping[str, Any] = field(
        default_factory=dict[str, Any], compare=False
    )
    """Each tool's JSON schema of arguments, by tool name."""

    @property
    def asks_for_json(self) -> bool:
        """Whether the request asks for JSON (JSON mode, or in its last message)."""
        return self.json_output or "json" in self.messages[-1].text.lower()


@dataclass
class LooseToolCall:
    """A tool call expected of the real model.

    The scripted name, any id, and arguments of the scripted types.
    """

    name: str
    arguments: Any
    id: Any


@dataclass
class LooseReply:
    """What a test may expect of the real model, for the reply it scripted.

    The attributes are those of `Reply`, each a value that equals any answer of
    the same kind: text where text was scripted, a call of the same tool with
    arguments of the same types, and positive token counts.
    """

    text: Any
    tool_calls: list[LooseToolCall]
    input_tokens: Any
    output_tokens: Any
    cached_tokens: Any

    @classmethod
    def of(cls, reply: Reply) -> "LooseReply":
        """The loose expectation for a scripted reply."""
        return cls(
            text=IsStr(min_length=1) if reply.text else IsStr(),
            tool_calls=[
                LooseToolCall(call.name, loose(call.arguments), IsStr(min_length=1))
                for call in reply.tool_calls
            ],
            input_tokens=IsInt(gt=0),
            output_tokens=IsInt(gt=0),
            cached_tokens=IsInt(ge=0),
        )


def loose(value: object) -> Any:
    """A value that equals any value of the same type (a dict: with the same keys)."""
    if isinstance(value, dict):
        return {key: loose(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(loose(item) for item in value)
    return IsInstance(type(value))


def improvise(sent: SentRequest) -> Reply:
    """The stand-in model's answer to a request no test scripted.

    It calls the tool it must call with example arguments drawn from the tool's
    schema, answers JSON when asked for JSON (an example of the schema in the
    last message, if there is one), and otherwise says what it was asked.
    """
    last = sent.messages[-1]
    tool = sent.forced_tool or (sent.tools[0] if sent.must_call_a_tool else None)
    if tool is not None and last.role != "tool":
        arguments = example_of(sent.tool_schemas.get(tool, {}))
        return Reply(tool_calls=[ToolCallReply(tool, arguments)])
    if sent.json_output or "json" in last.text.lower():
        return Reply(json.dumps(example_of(_schema_in(last.text))))
    asked = " ".join(last.text.split())[:80] or last.role
    return Reply(f"The stand-in model was asked: {asked}")


def _schema_in(text: str) -> dict[str, Any]:
    """The first JSON schema (an object with `properties`) in the text, or `{}`."""
    decoder = json.JSONDecoder()
    for start, char in enumerate(text):
        if char != "{":
            continue
        try:
            value, _ = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(value, dict) and "properties" in value:
            return value
    return {}


def example_of(
    schema: Mapping[str, Any],
    definitions: Mapping[str, Any] | None = None,
    name: str = "value",
) -> Any:
    """An example value of a JSON schema (the subset pydantic writes)."""
    if definitions is None:
        definitions = schema.get("$defs", {})
    resolved = _resolved(schema, definitions or {})
    for candidate in (schema, resolved):
        for key in ("const", "default"):
            if key in candidate:
                return candidate[key]
    schema = resolved
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "array":
        return [example_of(schema.get("items", {}), definitions, name)]
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties", {})
        return {
            key: example_of(value, definitions, key)
            for key, value in properties.items()
        }
    scalars = {
        "string": f"Example {name}",
        "integer": 1,
        "number": 1.5,
        "boolean": True,
    }
    return scalars.get(kind)


def _resolved(
    schema: Mapping[str, Any], definitions: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The schema itself: `$ref` followed, and the first non-null of `anyOf`s."""
    if "$ref" in schema:
        target = definitions[schema["$ref"].rsplit("/", 1)[-1]]
        return _resolved(target, definitions)
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key, []) if o.get("type") != "null"]
        if options:
            return _resolved(options[0], definitions)
    return schema
