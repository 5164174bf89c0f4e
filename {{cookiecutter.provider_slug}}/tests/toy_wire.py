"""A made-up wire format, for the tests only: no API speaks it.

It exists to drive the shared branches that no built-in format takes, and it
is no example to copy (`_wire.py` is the worked example of an adapter): the
model and a query in the path, a body without the model, a secret header that
is not among `_redaction.SENSITIVE_HEADERS`, tool calls without ids (results go
back by name), whole tool calls in a stream, newline-delimited JSON read to the
end of the connection, usage counted in increments, and an error status that
means another (a bad key answered with 400). Its fake API side is
`toy_fake_wire.py`.

The API it makes up:

- `POST {base}/models/{model}:generate`, or `models/{model}:stream?format=ndjson`
  for a stream; the key in `x-toy-key`; the body `{"messages", "tools", ...}`.
- Messages `{"role": "user"|"model"|"system", "text"}`; the model's tool calls
  `{"role": "model", "calls": [{"name", "args"}]}`; tool results `{"role":
  "user", "results": [{"name", "output"}]}`.
- An answer `{"turns": [{"text", "calls"}], "stop": "done"|"cut"|"tools",
  "usage": {"in", "out", "cached"}}`.
- A stream: one JSON object a line, `{"text"}`, `{"call": {"name", "args"}}` or
  `{"stop"}`, any with `"usage": {"in", "out"}`, what that line adds; complete
  once a `stop` came, and read to the end of the body all the same.
- Errors `{"problem", "code"}`; a bad key is a 400 with the code `BAD_KEY`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from mirascope.core.base import BaseMessageParam, TextPart, ToolCallPart, ToolResultPart
from mirascope.core.base.types import FinishReason
from pydantic import BaseModel, Field, ValidationError

from {{ cookiecutter.__pkg }}._neutral import (
    Chunk,
    Completion,
    Request,
    StreamReader,
    ToolCall,
    ToolCallPiece,
    Usage,
    WireFormat,
)
from {{ cookiecutter.__pkg }}._redaction import excerpt
from {{ cookiecutter.__pkg }}._sse import ServerSentEvent
from {{ cookiecutter.__pkg }}.errors import {{ cookiecutter.__prefix }}ResponseError

ROLES = {"system": "system", "user": "user", "assistant": "model", "tool": "user"}
"""Mirascope's roles -> the toy's."""
STOPS: dict[str, FinishReason] = {
    "done": "stop",
    "cut": "length",
    "tools": "tool_calls",
}
"""The toy's `stop` -> Mirascope's common finish reason."""


class _Call(BaseModel):
    name: str
    args: dict[str, Any] = {}


class _Usage(Usage):
    """The neutral usage, read from the toy's names."""

    input_tokens: int | None = Field(None, alias="in")
    output_tokens: int | None = Field(None, alias="out")
    cached_tokens: int | None = Field(None, alias="cached")


class _Turn(BaseModel):
    text: str = ""
    calls: list[_Call] = []


class _Answer(BaseModel):
    turns: list[_Turn] = Field(min_length=1)
    stop: str
    usage: _Usage | None = None


class _Line(BaseModel):
    text: str = ""
    call: _Call | None = None
    stop: str | None = None
    usage: _Usage | None = None
    problem: str | None = None


class ToyWire(WireFormat):
    """The toy format (see the module's docstring)."""

    name = "toy"
    framing = "ndjson"
    ends_with_connection = True
    end_of_stream = "`stop` line"
    usage_in_stream = "increments"
    finish_reasons = STOPS
    common_param_names: ClassVar[Mapping[str, str]] = {"temperature": "temperature"}
    """It takes `temperature` only."""

    def path(self, model: str, *, stream: bool) -> str:
        """The model is in the path, and a stream's framing in its query."""
        if stream:
            return f"models/{model}:stream?format=ndjson"
        return f"models/{model}:generate"

    def auth_headers(self, api_key: str) -> dict[str, str]:
        """A header of its own, not one of `SENSITIVE_HEADERS`."""
        return {"x-toy-key": api_key}

    def prepare(self, request: Request) -> tuple[list[Any], dict[str, Any]]:
        """As they are: no JSON mode, no forced tool."""
        return list(request.messages), dict(request.params)

    def body(self, kwargs: Mapping[str, Any], *, stream: bool) -> dict[str, Any]:
        """Without the model, which is in the path."""
        return {k: v for k, v in kwargs.items() if k != "model"}

    def add_message(self, converted: list[Any], message: BaseMessageParam) -> None:
        """See `_message`."""
        converted.append(_message(message))

    def from_wire(self, messages: Sequence[Any]) -> list[BaseMessageParam]:
        """Results become a `tool` message; calls and results have no ids."""
        converted: list[BaseMessageParam] = []
        for message in messages:
            if "results" in message:
                results = [
                    ToolResultPart(
                        type="tool_result", name=r["name"], content=r["output"]
                    )
                    for r in message["results"]
                ]
                converted.append(BaseMessageParam(role="tool", content=results))
                continue
            text = message.get("text")
            parts: list[Any] = [TextPart(type="text", text=text)] if text else []
            parts += [
                ToolCallPart(type="tool_call", name=c["name"], args=c["args"])
                for c in message.get("calls", [])
            ]
            role = "assistant" if message["role"] == "model" else message["role"]
            converted.append(BaseMessageParam(role=role, content=parts))
        return converted

    def tool_schema(self, name: str, description: str, schema: dict[str, Any]) -> Any:
        """`{"name", "description", "params"}`."""
        return {"name": name, "description": description, "params": schema}

    def tool_results(self, results: Sequence[tuple[ToolCall, str]]) -> list[Any]:
        """One user message; each result names the tool it answers."""
        answers = [{"name": call.name, "output": output} for call, output in results]
        return [{"role": "user", "results": answers}]

    def assistant_message(self, completion: Completion) -> Any:
        """The text, and the calls without ids."""
        message: dict[str, Any] = {"role": "model", "text": completion.text}
        if completion.tool_calls:
            message["calls"] = [
                {"name": call.name, "args": json.loads(call.arguments)}
                for call in completion.tool_calls
            ]
        return message

    def completion(self, content: bytes) -> Completion:
        """The first turn; raises `{{ cookiecutter.__prefix }}ResponseError` for a body without one."""
        try:
            answer = _Answer.model_validate_json(content)
        except ValidationError:
            raise {{ cookiecutter.__prefix }}ResponseError(
                f"The API's answer is not the toy's: {excerpt(content)}"
            ) from None
        turn = answer.turns[0]
        return Completion(
            text=turn.text,
            tool_calls=[
                ToolCall(name=c.name, arguments=json.dumps(c.args)) for c in turn.calls
            ],
            finish_reasons=[answer.stop],
            usage=answer.usage,
            raw=answer,
        )

    def stream_reader(self) -> StreamReader:
        """See `_LineReader`."""
        return _LineReader()

    def error_message(self, content: bytes | str) -> str | None:
        """The `problem` of an error body."""
        problem = _error(content).get("problem")
        return None if problem is None else str(problem)

    def error_status(self, status: int, content: bytes) -> int:
        """A 400 with the code `BAD_KEY` means 401."""
        if status == 400 and _error(content).get("code") == "BAD_KEY":
            return 401
        return status


class _LineReader(StreamReader):
    """Reads lines; each call is whole, and keyed by its position."""

    def __init__(self) -> None:
        self._calls = 0

    def read(self, event: ServerSentEvent) -> list[Chunk]:
        try:
            line = _Line.model_validate_json(event.data)
        except ValidationError:
            raise {{ cookiecutter.__prefix }}ResponseError(
                f"The API sent a line that is not the toy's: {excerpt(event.data)}"
            ) from None
        if line.problem is not None:
            said = excerpt(line.problem)
            raise {{ cookiecutter.__prefix }}ResponseError(f"The API reported an error mid-stream: {said}")
        pieces: list[ToolCallPiece] = []
        if line.call is not None:
            arguments = json.dumps(line.call.args)
            pieces.append(
                ToolCallPiece(self._calls, "whole", None, line.call.name, arguments)
            )
            self._calls += 1
        if line.stop is not None:
            self.complete = True
        return [
            Chunk(
                text=line.text,
                tool_calls=pieces,
                finish_reasons=None if line.stop is None else [line.stop],
                usage=line.usage,
                raw=line,
            )
        ]


def _message(message: BaseMessageParam) -> dict[str, Any]:
    """One of Mirascope's messages in the toy's shape."""
    content = message.content
    parts = (
        [TextPart(type="text", text=content)] if isinstance(content, str) else content
    )
    wire: dict[str, Any] = {"role": ROLES[message.role]}
    for part in parts:
        if isinstance(part, TextPart):
            wire["text"] = wire.get("text", "") + part.text
        elif isinstance(part, ToolCallPart):
            call = {"name": part.name, "args": part.args or {}}
            wire.setdefault("calls", []).append(call)
        elif isinstance(part, ToolResultPart):
            result = {"name": part.name, "output": part.content}
            wire.setdefault("results", []).append(result)
        else:
            raise ValueError(f"The toy API takes no {part.type!r} part.")
    return wire


def _error(content: bytes | str) -> dict[str, Any]:
    """The error body as a dict; empty if it is not a JSON object."""
    try:
        payload = json.loads(content)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
