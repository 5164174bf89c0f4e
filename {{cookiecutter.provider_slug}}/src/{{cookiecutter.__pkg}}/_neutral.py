"""The package's own view of a call, whatever the wire format, and the adapter's interface.

The wire adapter (`_wire.py`) reads the API's answers into these values and
writes requests from them; every other module reads only these. `WireFormat`
lists what an adapter gives: the one place that says what a format decides.

None of these types is Mirascope's: a later Mirascope face could reuse the
adapter as it is. (Messages are the exception: the adapter converts
Mirascope's provider-agnostic `BaseMessageParam`, which is neutral already.)
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, NamedTuple, TypeVar, cast

from mirascope.core.base import BaseMessageParam
from mirascope.core.base.types import FinishReason
from pydantic import BaseModel, ConfigDict, ValidationError

from ._redaction import excerpt
from ._sse import ServerSentEvent
from .errors import {{ cookiecutter.__prefix }}ResponseError

TOOL_MESSAGE_CONTENT = (
    "A 'tool' message needs its content as ToolResultParts: each carries the id"
    " of the tool call it answers."
)
"""Why a `tool` message of another content cannot be sent."""


def error_event(event: ServerSentEvent, said: str | None) -> {{ cookiecutter.__prefix }}ResponseError:
    """The error a stream's event reports.

    Args:
        event: The event: one named `error`, or one whose data said `said`.
        said: The error message the adapter read from its data, if any.
    """
    return {{ cookiecutter.__prefix }}ResponseError(
        f"The API reported an error mid-stream: {excerpt(said or event.data)}"
    )


_ModelT = TypeVar("_ModelT", bound=BaseModel)


def read_event(
    event: ServerSentEvent,
    model: type[_ModelT],
    *,
    what: str,
    error_message: Callable[[str], str | None],
) -> _ModelT:
    """A stream event's data as `model`, the API's type of event.

    An event named `error`, or one whose data `error_message` reads an error
    message from, is the API's error. Only data that holds `"error"` (as a key
    or a value) is offered to `error_message`: most events are content, and
    this runs for every one. An API whose errors say neither is read by its
    adapter before this.

    Args:
        event: The event.
        model: The API's type of event (a pydantic model).
        what: The event's kind, as an error message names it ("a chunk").
        error_message: The adapter's `WireFormat.error_message`.

    Raises:
        {{ cookiecutter.__prefix }}ResponseError: for an error event, or data that is not `what`.
    """
    if '"error"' in event.data or event.event == "error":
        said = error_message(event.data)
        if said is not None or event.event == "error":
            raise error_event(event, said)
    try:
        return model.model_validate_json(event.data)
    except ValidationError:
        raise {{ cookiecutter.__prefix }}ResponseError(
            f"The API sent an event that is not {what}: {excerpt(event.data)}"
        ) from None


def json_body(content: bytes | str) -> dict[str, Any]:
    """A body parsed as a JSON object; `{}` if it is not JSON or not an object."""
    try:
        parsed = json.loads(content)
    except ValueError:
        return {}
    return cast(dict[str, Any], parsed) if isinstance(parsed, dict) else {}


def text_of(value: object, key: str) -> str | None:
    """An error's words: `value[key]`, or `value` as text.

    An object without `key` reads as its JSON; `None` stays `None`.
    """
    if isinstance(value, dict):
        found = cast(dict[str, Any], value).get(key)
        return str(found or json.dumps(value))
    return None if value is None else str(value)


class ModelPrice(NamedTuple):
    """A model's prices in US dollars per million tokens."""

    input: float
    output: float
    cached_input: float | None = None
    """Input read from a prompt cache; by default, the input price."""


class Usage(BaseModel):
    """Token counts of a call, in Mirascope's terms; `None` where not reported.

    `input_tokens` counts all of the input, the part read from a prompt cache
    included (`cached_tokens`); `reasoning_tokens` is the part of
    `output_tokens` spent thinking; `cost` is a cost the API reported, in US
    dollars.
    """

    model_config = ConfigDict(frozen=True)

    input_tokens: int | None = None
    cached_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    cost: float | None = None


class ToolCall(BaseModel):
    """A call of a tool the model made: its name and its arguments as JSON text.

    `id` is the API's id of the call, or `None` for an API without ids (the
    result then goes back by name, see `WireFormat.tool_results`). `extra`
    holds what the adapter must send back with the call in the history and
    is no part of the call itself (e.g. a thought signature).
    """

    model_config = ConfigDict(frozen=True)

    name: str
    arguments: str = "{}"
    id: str | None = None
    extra: dict[str, Any] | None = None


class PartialToolCall(ToolCall):
    """A tool call whose arguments are still streaming in (`partial_tools`).

    The stream marks the states it yields before a call is complete, so that
    the history keeps only complete calls.
    """


class Completion(BaseModel):
    """An answer, read: what a response holds, or what a stream amounted to.

    `text` and `tool_calls` are those of the first choice, `finish_reasons`
    (the API's own words) those of every choice. `raw` is the answer as the
    adapter parsed it (`None` for one a stream amounted to).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str = ""
    tool_calls: list[ToolCall] = []
    finish_reasons: list[str] = []
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None
    raw: Any = None


@dataclass(frozen=True, slots=True)
class ToolCallPiece:
    """A piece of a streamed tool call; the pieces of one call share a `key`.

    `start` opens a call (with its id and name, perhaps some arguments),
    `arguments` adds to the open call's arguments (and may name it late),
    `end` completes it, `whole` is a call in one piece. Calls still open when
    the stream is complete are completed then.
    """

    key: int | str
    kind: Literal["start", "arguments", "end", "whole"]
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    extra: dict[str, Any] | None = None


@dataclass(slots=True)
class Chunk:
    """What one event of a stream adds: text, tool-call pieces, and the rest.

    `finish_reasons` is `None` unless the event reports them; `usage` counts
    as the adapter says (`WireFormat.usage_in_stream`); `raw` is the event as
    the adapter parsed it.
    """

    text: str = ""
    tool_calls: Sequence[ToolCallPiece] = ()
    finish_reasons: list[str] | None = None
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None
    raw: Any = None


@dataclass(slots=True)
class Request:
    """What a call asks for, before the adapter writes it in the API's terms.

    Attributes:
        messages: The prompt, already in the API's shape (`to_wire`).
        params: The API's call params, with `tools` (the tool schemas) if any.
        json_mode: Whether the answer must be JSON.
        json_schema: The JSON schema of the response model, if there is one
            (the last user message asks for that JSON already, in Mirascope's
            words, as Mirascope's own providers do).
        forced_tool: The tool the model must call (extraction), if any.
    """

    messages: list[Any]
    params: dict[str, Any]
    json_mode: bool = False
    json_schema: dict[str, Any] | None = None
    forced_tool: str | None = None


class StreamReader(ABC):
    """Reads one stream's events; one reader per stream, so it may keep state."""

    complete: bool = False
    """Whether the API said the stream is complete (set after an event)."""

    @abstractmethod
    def read(self, event: ServerSentEvent) -> list[Chunk]:
        """The chunks an event adds (none for a keep-alive or the end mark).

        Raises:
            ResponseError: for an error event, or one that is not the API's.
        """

    def finish(self) -> list[Chunk]:
        """The chunks the end of the body adds (none unless overridden)."""
        return []


class WireFormat(ABC):
    """What a wire format decides: the one interface an adapter fills in.

    Shared code reads the adapter through `_wire.WIRE`, an instance of a
    subclass. The methods with a body are defaults a format may override.
    """

    name: ClassVar[str]
    """The format, as the README and error messages name it."""

    # -- The request --------------------------------------------------------

    headers: ClassVar[Mapping[str, str]] = {}
    """Headers every request carries (e.g. an API version), besides auth."""

    @abstractmethod
    def path(self, model: str, *, stream: bool) -> str:
        """The endpoint relative to the base URL, with a query if any."""

    @abstractmethod
    def auth_headers(self, api_key: str) -> dict[str, str]:
        """The headers that authenticate a request."""

    def secret_headers(self) -> tuple[str, ...]:
        """Headers that carry secrets (lower case); by default, the auth headers.

        Errors redact their values, recordings leave them out, and no redirect
        takes them to another origin.
        """
        return tuple(name.lower() for name in self.auth_headers("-"))

    common_param_names: ClassVar[Mapping[str, str]] = {}
    """The API's name for each of Mirascope's common call params it takes."""

    def common_params(self, common: Mapping[str, Any]) -> dict[str, Any]:
        """Mirascope's common call params as the API's (`None` values left out).

        By default each param the API takes is renamed (`common_param_names`),
        its value kept: a format whose API wants a value in another form (e.g.
        a list of stop sequences) overrides this.
        """
        names = self.common_param_names
        return {
            names[key]: value
            for key, value in common.items()
            if key in names and value is not None
        }

    @abstractmethod
    def prepare(self, request: Request) -> tuple[list[Any], dict[str, Any]]:
        """The messages to send (as the history keeps them) and the call kwargs.

        The kwargs are the API's params as the request body will carry them:
        here JSON mode, a forced tool, a system prompt the API takes apart, or a
        default the API requires are written in.
        """

    @abstractmethod
    def body(self, kwargs: Mapping[str, Any], *, stream: bool) -> dict[str, Any]:
        """The JSON body for the call kwargs (model, messages, tools, params).

        The kwargs hold no `extra_headers` or `extra_body`: they are sent as
        headers and merged into this body.
        """

    # -- Messages and tools -------------------------------------------------

    def to_wire(self, messages: Sequence[BaseMessageParam | Any]) -> list[Any]:
        """Mirascope's messages in the API's shape; native ones copied as they are.

        Copies never share a dict with the caller's messages, so the caller's
        history stays as it was.

        Raises:
            ValueError: for a part the API cannot carry, naming it, or a `tool`
                message whose content is not `ToolResultPart`s.
        """
        converted: list[Any] = []
        for message in messages:
            if not isinstance(message, BaseMessageParam):
                converted.append(dict(message))
            elif message.role == "tool" and isinstance(message.content, str):
                raise ValueError(TOOL_MESSAGE_CONTENT)
            else:
                self.add_message(converted, message)
        return converted

    @abstractmethod
    def add_message(self, converted: list[Any], message: BaseMessageParam) -> None:
        """Appends one of Mirascope's messages, in the API's shape, to `converted`.

        `converted` holds the messages before it, converted already: a format
        whose API joins messages (e.g. tool results in one message) may change
        its last one, as a copy.

        Raises:
            ValueError: for a part the API cannot carry, naming it and the role.
        """

    @abstractmethod
    def from_wire(self, messages: Sequence[Any]) -> list[BaseMessageParam]:
        """The API's messages as Mirascope's provider-agnostic ones."""

    @abstractmethod
    def tool_schema(self, name: str, description: str, schema: dict[str, Any]) -> Any:
        """A tool's definition, in the request's tools (`schema` is pydantic's)."""

    @abstractmethod
    def tool_results(self, results: Sequence[tuple[ToolCall, str]]) -> list[Any]:
        """The messages that give the model each tool call's output."""

    @abstractmethod
    def assistant_message(self, completion: Completion) -> Any:
        """The assistant's message of an answer, to send back in the history."""

    # -- The answer ---------------------------------------------------------

    @abstractmethod
    def completion(self, content: bytes) -> Completion:
        """The body of an answer that is not streamed, read.

        Raises:
            ResponseError: if it is not an answer, or one with nothing to read.
        """

    framing: ClassVar[Literal["sse", "ndjson"]] = "sse"
    """How a streamed body is cut into events: server-sent events, or one
    JSON value per line (each line then reads as an event's data)."""

    ends_with_connection: ClassVar[bool] = False
    """Whether a stream is read to the end of the body, having no end mark:
    it is complete only if its reader says so then."""

    end_of_stream: ClassVar[str]
    """How the API says a stream is complete, as error messages name it."""

    usage_in_stream: ClassVar[Literal["totals", "increments"]] = "totals"
    """Whether a chunk's usage is the running total so far, or what it adds."""

    @abstractmethod
    def stream_reader(self) -> StreamReader:
        """A reader for one stream."""

    # -- Errors and tables --------------------------------------------------

    @abstractmethod
    def error_message(self, content: bytes | str) -> str | None:
        """The message an error body reports, if it reports one."""

    def error_status(self, status: int, content: bytes) -> int:
        """The status an error answer means: by default, the one it has.

        An API that answers a bad key with 400 says 401 here.
        """
        return status

    finish_reasons: ClassVar[Mapping[str, FinishReason]] = {}
    """The API's finish reasons that Mirascope has a common name for."""

    prices: ClassVar[Mapping[str, ModelPrice]] = {}
    """Each model's prices: a model missing here costs `None` (`_costs.py`)."""
