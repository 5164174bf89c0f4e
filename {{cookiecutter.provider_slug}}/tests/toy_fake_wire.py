"""The fake API's side of the made-up toy format (`toy_wire.py`), for the tests only.

A `fake_server.WireSide`: `FakeAPI(key, side=toy_fake_wire)` speaks the toy
format. A stream is newline-delimited JSON whose last line has no end (allowed,
and read at the end of the body). Its usage comes in two increments, on lines
of their own: the input tokens first, the output tokens last, after the `stop`,
so only a client that reads to the end of the body counts them.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from .fake_exchange import (
    Reply,
    Route,
    SentMessage,
    SentPart,
    SentRequest,
    SentText,
    SentToolCall,
    SentToolResult,
    ToolCallReply,
)

BASE_PATH: str = "/toy/v1"
STREAM_CONTENT_TYPE: str = "application/x-ndjson"
MALFORMED_EVENT: str = "{not json\n"
NOT_UTF8_EVENT: bytes = b'{"text": "caf\xe9"}\n'

STOPS = {"stop": "done", "length": "cut", "tool_calls": "tools"}
"""Mirascope's common finish reason -> the toy's `stop`."""

_PATH = re.compile(
    r"(^|/)models/(?P<model>[^/:?]+):(?:(?P<generate>generate)|stream\?format=ndjson)$"
)


def route(path: str, body: dict[str, Any]) -> Route | None:
    """The model and the stream are in the path (a stream only as NDJSON)."""
    match = _PATH.search(path)
    return Route(match["model"], match["generate"] is None) if match else None


def api_key_of(headers: dict[str, str]) -> str | None:
    """The key in `x-toy-key`."""
    return headers.get("x-toy-key")


def refuse_key() -> tuple[int, dict[str, Any]]:
    """A bad key is a 400, which only its code tells from another."""
    return 400, {"problem": "API key not valid.", "code": "BAD_KEY"}


def error(status: int, message: str) -> dict[str, Any]:
    """An error body."""
    return {"problem": message, "code": "INVALID" if status < 500 else "INTERNAL"}


def error_event(message: str) -> str:
    """An error line in the middle of a stream."""
    return json.dumps(error(500, message)) + "\n"


def validate(body: dict[str, Any]) -> str | None:
    """No model in the body; known roles; results answer the calls just made, by name."""
    if "model" in body:
        return "Unknown field 'model': the model is in the path."
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty list."
    calls: list[str] = []
    for i, message in enumerate(messages):
        if message.get("role") not in ("user", "model", "system"):
            return f"messages[{i}]: unknown role {message.get('role')!r}."
        results = [result["name"] for result in message.get("results", [])]
        if sorted(results) != sorted(calls):
            return f"messages[{i}]: results {results} do not answer the calls {calls}."
        calls = [call["name"] for call in message.get("calls", [])]
    return None


def read_request(body: dict[str, Any], path: str) -> SentRequest:
    """In neutral terms; a call's or a result's name stands for its id."""
    model, stream = route(path, body) or Route("", stream=False)
    messages: list[SentMessage] = []
    for message in body["messages"]:
        if "results" in message:
            results = [
                SentToolResult(r["name"], r["output"]) for r in message["results"]
            ]
            messages += [SentMessage("tool", (result,)) for result in results]
            continue
        text = message.get("text")
        parts: list[SentPart] = [SentText(text)] if text else []
        parts += [
            SentToolCall(c["name"], c["name"], c["args"])
            for c in message.get("calls", [])
        ]
        role = "assistant" if message["role"] == "model" else message["role"]
        messages.append(SentMessage(role, tuple(parts)))
    tools = body.get("tools", [])
    return SentRequest(
        model,
        tuple(messages),
        tools=tuple(tool["name"] for tool in tools),
        stream=stream,
        tool_schemas={tool["name"]: tool["params"] for tool in tools},
    )


def _stop(reply: Reply) -> str:
    return STOPS[reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")]


def _call(call: ToolCallReply) -> dict[str, Any]:
    return {"name": call.name, "args": call.arguments}


def completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The answer: one turn."""
    turn = {"text": reply.text, "calls": [_call(call) for call in reply.tool_calls]}
    answer: dict[str, Any] = {"turns": [turn], "stop": _stop(reply)}
    if reply.usage:
        answer["usage"] = {
            "in": reply.input_tokens,
            "out": reply.output_tokens,
            "cached": reply.cached_tokens,
        }
    return answer


def events(request: dict[str, Any], reply: Reply) -> Iterator[str]:
    """The lines of a stream; the last without its end."""
    lines: list[dict[str, Any]] = []
    if reply.usage:
        lines.append({"usage": {"in": reply.input_tokens, "out": 0}})
    lines += [{"text": piece} for piece in reply.pieces(reply.text)]
    lines += [{"call": _call(call)} for call in reply.tool_calls]
    if reply.closing_chunks:
        lines.append({"stop": _stop(reply)})
        if reply.usage:
            lines.append({"usage": {"in": 0, "out": reply.output_tokens}})
    for number, line in enumerate(lines, 1):
        yield json.dumps(line) + ("\n" if number < len(lines) else "")
