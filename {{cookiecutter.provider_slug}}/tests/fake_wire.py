"""The fake API's wire format: OpenAI-compatible chat completions.

Follows the public documentation of the format. Answers: the `chat.completion`
object, and the `chat.completion.chunk` stream of server-sent events ending in
`data: [DONE]`, with a final usage chunk (`choices: []`) when the request asks
for `stream_options.include_usage`. Requests: what the API refuses (`validate`),
and what a request asks of the model in neutral terms (`read_request`).
"""

# API-SPECIFIC: this whole module is the fake API's wire format.

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .fake_exchange import (
    SentImage,
    SentMessage,
    SentPart,
    SentRequest,
    SentText,
    SentToolCall,
    SentToolResult,
)

if TYPE_CHECKING:
    from .fake_exchange import Reply

PATH = "chat/completions"
"""The endpoint, relative to the base URL."""

COMPLETION_ID = "chatcmpl-fake-1"
CREATED = 1_700_000_000


def api_key_of(headers: dict[str, str]) -> str | None:
    """The API key the (lower-cased) request headers carry, if any."""
    scheme, _, key = headers.get("authorization", "").partition(" ")
    return key if scheme == "Bearer" and key else None


def error(status: int, message: str) -> dict[str, Any]:
    """An error body, as the API sends with a 4xx or 5xx status."""
    kind = "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


ROLES = {"system", "developer", "user", "assistant", "tool"}
TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def validate(body: dict[str, Any]) -> str | None:  # noqa: PLR0911, PLR0912
    """Returns why the API would refuse this request body, or `None`.

    The checks follow the API reference: a model and messages, known roles,
    tool results that answer the assistant's tool calls, well-formed tools and
    tool choice, and the word "json" in the messages for `json_object` output.
    """
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "'model' is required."
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array."
    open_calls: set[str] = set()
    for i, message in enumerate(messages):
        role = message.get("role")
        if role not in ROLES:
            return f"messages[{i}].role must be one of {sorted(ROLES)}, not {role!r}."
        if role == "tool":
            if message.get("tool_call_id") not in open_calls:
                return (
                    f"messages[{i}]: messages with role 'tool' must be a response to a"
                    " preceding message with 'tool_calls'."
                )
            open_calls.discard(message["tool_call_id"])
            continue
        if open_calls:
            return (
                "An assistant message with 'tool_calls' must be followed by tool"
                f" messages responding to each 'tool_call_id': {sorted(open_calls)}."
            )
        if role == "assistant" and message.get("tool_calls"):
            open_calls = {call["id"] for call in message["tool_calls"]}
        elif message.get("content") is None:
            return f"messages[{i}].content is required for role {role!r}."
    tools = body.get("tools") or []
    names = {tool["function"]["name"] for tool in tools}
    for tool in tools:
        if tool.get("type") != "function" or not TOOL_NAME.match(
            tool["function"]["name"]
        ):
            return f"Invalid tool: {json.dumps(tool)[:200]}."
    choice = body.get("tool_choice")
    if choice is not None:
        if not tools:
            return "'tool_choice' is only allowed when 'tools' are specified."
        if isinstance(choice, dict) and choice["function"]["name"] not in names:
            return f"tool_choice names an undefined tool: {choice['function']['name']}."
    response_format = (body.get("response_format") or {}).get("type")
    if response_format == "json_object" and "json" not in json.dumps(messages).lower():
        return (
            "'messages' must contain the word 'json' in some form, to use"
            " 'response_format' of type 'json_object'."
        )
    if body.get("stream_options") is not None and not body.get("stream"):
        return "The 'stream_options' parameter is only allowed when 'stream' is true."
    return None


def read_request(body: dict[str, Any]) -> SentRequest:
    """What the request body asks of the model, in the fake's neutral terms."""
    choice = body.get("tool_choice")
    functions = [tool["function"] for tool in body.get("tools") or []]
    return SentRequest(
        model=body["model"],
        messages=tuple(_read_message(message) for message in body["messages"]),
        tools=tuple(function["name"] for function in functions),
        forced_tool=choice["function"]["name"] if isinstance(choice, dict) else None,
        must_call_a_tool=isinstance(choice, dict) or choice == "required",
        json_output=(body.get("response_format") or {}).get("type") == "json_object",
        stream=bool(body.get("stream")),
        tool_schemas={f["name"]: f.get("parameters", {}) for f in functions},
    )


def _read_message(message: dict[str, Any]) -> SentMessage:
    if message["role"] == "tool":
        result = SentToolResult(message["tool_call_id"], message["content"])
        return SentMessage("tool", (result,))
    content = message.get("content") or []
    items: list[dict[str, Any]] = (
        [{"type": "text", "text": content}] if isinstance(content, str) else content
    )
    parts: list[SentPart] = []
    for part in items:
        if part["type"] == "text":
            parts.append(SentText(part["text"]))
            continue
        url = part["image_url"]["url"]
        header, _, data = url.partition(";base64,")
        if header.startswith("data:"):
            media_type = header.removeprefix("data:")
            parts.append(SentImage(media_type=media_type, data=base64.b64decode(data)))
        else:
            parts.append(SentImage(url=url))
    for call in message.get("tool_calls") or []:
        arguments = json.loads(call["function"]["arguments"] or "{}")
        parts.append(SentToolCall(call["id"], call["function"]["name"], arguments))
    return SentMessage(message["role"], tuple(parts))


def _finish_reason(reply: Reply) -> str:
    return reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")


def _usage(reply: Reply) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": reply.input_tokens,
        "completion_tokens": reply.output_tokens,
        "total_tokens": reply.input_tokens + reply.output_tokens,
        "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
    }
    if reply.cost is not None:
        usage["cost"] = reply.cost
    return usage


def _head(request: dict[str, Any], reply: Reply, object_: str) -> dict[str, Any]:
    return {
        "id": COMPLETION_ID,
        "object": object_,
        "created": CREATED,
        "model": reply.model or request["model"],
    }


def completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The JSON body of a non-streamed answer."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments_json},
            }
            for call in reply.tool_calls
        ]
    body = {
        **_head(request, reply, "chat.completion"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": _finish_reason(reply),
            }
        ],
    }
    if reply.usage:
        body["usage"] = _usage(reply)
    return body


def _chunks(request: dict[str, Any], reply: Reply) -> Iterator[dict[str, Any]]:
    head = _head(request, reply, "chat.completion.chunk")

    sent = 0

    def chunk(
        delta: dict[str, Any], finish_reason: str | None = None
    ) -> dict[str, Any]:
        nonlocal sent
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
        body = {**head, "choices": [choice]}
        if reply.usage_every_chunk:
            sent += 1
            output = min(sent, reply.output_tokens)
            body["usage"] = _usage(reply) | {
                "completion_tokens": output,
                "total_tokens": reply.input_tokens + output,
            }
        return body

    yield chunk({"role": "assistant", "content": ""})
    for piece in reply.pieces(reply.text):
        yield chunk({"content": piece})
    for index, call in enumerate(reply.tool_calls):
        first = {"name": call.name, "arguments": ""}
        yield chunk(
            {
                "tool_calls": [
                    {
                        "index": index,
                        "id": call.id,
                        "type": "function",
                        "function": first,
                    }
                ]
            }
        )
        for piece in reply.pieces(call.arguments_json):
            yield chunk(
                {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}
            )
    if not reply.closing_chunks:
        return
    yield chunk({}, _finish_reason(reply))
    stream_options: dict[str, Any] = request.get("stream_options") or {}
    if reply.usage and stream_options.get("include_usage"):
        yield {**head, "choices": [], "usage": _usage(reply)}


def error_event(message: str) -> str:
    """An error event, as the API sends when a stream fails midway."""
    return f"data: {json.dumps(error(500, message))}\n\n"


MALFORMED_EVENT = "data: {not json\n\n"
"""An event whose data is not JSON."""


def events(request: dict[str, Any], reply: Reply) -> Iterator[str]:
    """The server-sent events of a streamed answer, one string per event."""
    for chunk in _chunks(request, reply):
        yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"
