"""How the fake API puts a scripted reply on the wire: OpenAI chat completions.

Follows the public documentation of the format: the `chat.completion` object,
and the `chat.completion.chunk` stream of server-sent events ending in
`data: [DONE]`, with a final usage chunk (`choices: []`) when the request asks
for `stream_options.include_usage`.
"""

# API-SPECIFIC: this whole module is the fake API's wire format.

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake_server import Reply

PATH = "chat/completions"
"""The endpoint, relative to the base URL."""

COMPLETION_ID = "chatcmpl-fake-1"
CREATED = 1_700_000_000


def authenticated(headers: dict[str, str], api_key: str) -> bool:
    """Whether the (lower-cased) headers carry the right bearer token."""
    return headers.get("authorization") == f"Bearer {api_key}"


def error(status: int, message: str) -> dict[str, Any]:
    """An error body, as the API sends with a 4xx or 5xx status."""
    return {"error": {"message": message, "type": "fake_error", "code": status}}


def _finish_reason(reply: Reply) -> str:
    return reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")


def _usage(reply: Reply) -> dict[str, Any]:
    return {
        "prompt_tokens": reply.input_tokens,
        "completion_tokens": reply.output_tokens,
        "total_tokens": reply.input_tokens + reply.output_tokens,
        "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
    }


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
    return {
        **_head(request, reply, "chat.completion"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": _finish_reason(reply),
            }
        ],
        "usage": _usage(reply),
    }


def _chunks(request: dict[str, Any], reply: Reply) -> Iterator[dict[str, Any]]:
    head = _head(request, reply, "chat.completion.chunk")

    def chunk(
        delta: dict[str, Any], finish_reason: str | None = None
    ) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
        return {**head, "choices": [choice]}

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
    yield chunk({}, _finish_reason(reply))
    stream_options: dict[str, Any] = request.get("stream_options") or {}
    if stream_options.get("include_usage"):
        yield {**head, "choices": [], "usage": _usage(reply)}


def events(request: dict[str, Any], reply: Reply) -> Iterator[str]:
    """The server-sent events of a streamed answer, one string per event."""
    for chunk in _chunks(request, reply):
        yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"
