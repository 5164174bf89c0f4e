"""The kinds of rows of a wire format's case table (`wire_cases.py`).

Each row says, in the API's own JSON, what the adapter must send for a neutral
input, or what it must read from an answer: `test_wire.py` runs every row of
the table through the package. Adapting the package to another API means
rewriting the rows, not the tests.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from mirascope.core.base import BaseMessageParam, BaseTool
from pydantic import BaseModel

from {{ cookiecutter.__pkg }}._neutral import Usage

Json = dict[str, Any]
"""A JSON object, as the API sends or takes it."""
MODEL = "{{ cookiecutter.default_model }}"
"""The model a request row calls, unless it names another."""


@dataclass(frozen=True)
class RequestCase:
    """A call, and the exact request that must reach the API.

    The call goes through `{{ cookiecutter.__call_fn }}` to the fake API, sync and async.
    `messages` are the prompt (Mirascope's or the API's own); by default one
    user message (`wire_inputs.PROMPT`). The fake model answers what the call needs (a text, the tool
    of a response model, or JSON). Every row also checks that the call leaves
    `messages` as they were, and that a stream reads back the usage the fake
    model reported.
    """

    id: str
    body: Json
    """The exact JSON body."""
    path: str | None = None
    """The path after the base URL, query included, if the row checks it."""
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    """Headers the request must carry (others may be there too)."""
    messages: Sequence[BaseMessageParam | Json] | None = None
    call_params: Json = field(default_factory=dict[str, Any])
    tools: Sequence[type[BaseTool] | Callable[..., Any]] = ()
    response_model: type[BaseModel] | None = None
    json_mode: bool = False
    stream: bool = False
    model: str = MODEL


@dataclass(frozen=True)
class MessageCase:
    """Mirascope's messages and the API's: converted one way, or both.

    With `error`, converting `mirascope` raises `ValueError` matching it.
    Every row also checks that a conversion returns none of the messages it
    was given (native ones are copied).
    """

    id: str
    mirascope: Sequence[BaseMessageParam | Json]
    wire: Sequence[Json] = ()
    way: Literal["both", "to_wire", "from_wire"] = "both"
    """Which conversion the row checks: `to_wire` (Mirascope's to the API's),
    `from_wire` (the API's to Mirascope's), or both."""
    error: str | None = None


@dataclass(frozen=True)
class ReadCall:
    """A tool call read from an answer: its name, parsed arguments and id.

    Read from a stream with `partial_tools`, a partial tool is its arguments
    so far and the `delta` it adds; a complete one has no `delta`.
    """

    name: str
    arguments: Json
    id: str | None = None
    delta: str | None = None


@dataclass(frozen=True)
class AnswerCase:
    """An answer that is not streamed, and what the package reads from it.

    With `error`, reading it raises `{{ cookiecutter.__prefix }}ResponseError` matching it.
    """

    id: str
    payload: Json | str
    """The answer's JSON body (text: sent as is, e.g. malformed JSON)."""
    text: str = ""
    tool_calls: Sequence[ReadCall] = ()
    finish_reasons: Sequence[str] = ()
    common_finish_reasons: Sequence[str] | None = None
    """Mirascope's common finish reasons, if the row checks them."""
    usage: Usage | None = None
    model: str | None = None
    id_: str | None = None
    """The answer's id."""
    error: str | None = None


@dataclass(frozen=True)
class StreamCase:
    """A stream's events, and what the package reads from the stream.

    Each event is its JSON data, or `(event name, data)` for a named
    server-sent event; data given as text is sent as is. The one tool
    offered is `Lookup(word: str)`: a call to another is left out. With
    `error`, reading raises `{{ cookiecutter.__prefix }}ResponseError` matching it.

    Every row also checks that each chunk read is yielded once, in order, and
    that the only chunks the package adds are empty ones carrying a tool.
    """

    id: str
    events: Sequence[Json | str | tuple[str, Json | str]]
    text: str = ""
    tool_calls: Sequence[ReadCall] = ()
    """Every tool the stream yields, in order (partial ones too, with
    `partial_tools`)."""
    partial_tools: bool = False
    carried_by: Sequence[int | None] | None = None
    """If the row checks it: for each tool of `tool_calls`, the position in
    `events` of the event whose chunk carries it (None: an empty chunk the
    package adds for it)."""
    finish_reasons: Sequence[str] | None = None
    usage: Usage | None = None
    """The stream's usage at its end (input, cached, output tokens and cost)."""
    complete: bool = True
    """Whether the events say the stream is complete (for a stream read to
    the end of its body, the end of the events)."""
    error: str | None = None


@dataclass(frozen=True)
class ErrorCase:
    """An error answer: the message the package quotes and the error it raises."""

    id: str
    body: Json | str
    message: str | None
    """What `error_message` reads (None: no message in the body)."""
    status: int = 400
    error: str | None = None
    """The name of the package's error class for this status and body."""


@dataclass(frozen=True)
class FakeCase:
    """A raw request to the fake API, and its answer: it refuses what the API does.

    The conformance suite relies on the refusals: a request the package sends
    wrongly fails there as it would against the API. The request carries the
    fake's key in the format's auth headers, unless `headers` are given.
    """

    id: str
    path: str
    """The path after the base URL, query included."""
    body: Json
    status: int = 400
    message: str | None = None
    """A fragment of the error message the answer holds (`error_message`)."""
    answer: Json | None = None
    """Keys the answer's JSON must hold, with these values (nested: the same)."""
    headers: Mapping[str, str] | None = None
    reply: bool = False
    """Whether a reply is queued: a valid request is answered."""
