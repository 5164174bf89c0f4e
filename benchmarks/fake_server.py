"""A loopback fake of the LLM APIs the benchmarks call, run in its own process.

It answers the two wire formats the template generates providers for, chosen by
the request's path:

- `POST /v1/chat/completions`: OpenAI chat completions (a JSON completion, or
  with `"stream": true` server-sent `data: {chunk}` events ending with
  `data: [DONE]`, the last chunk carrying the usage);
- `POST /v1/messages`: Anthropic messages (a JSON message, or with
  `"stream": true` the events `message_start`, `content_block_start`, `ping`,
  `content_block_delta` (text deltas), `content_block_stop`, `message_delta`
  and `message_stop`).

The bodies follow the APIs' public documentation: ids, model, usage, finish
or stop reason, and the response headers that carry a request id. The model
name selects the length of the answer: `bench-N` answers `N` pieces of text
(see `answer_pieces`), which a stream sends as `N` text deltas; any other model
answers 8 pieces.

Every response, status line and headers included, is serialized once per
(format, stream, model) and then sent with a single write: the server does as
little as it can per request, and its CPU time is not the client's, since it
runs in another process. Connections are kept alive (HTTP/1.1); streams use
chunked transfer encoding, one HTTP chunk per event, as the real APIs do.

`GET /stats` counts the connections and requests served, so that the
benchmark can tell whether a client reuses its connections.

Run it alone to try it: `python benchmarks/fake_server.py --port 8000`. It
prints its base URL on the first line of its output, and stops when its
standard input closes (with `--stop-on-eof`, as the benchmark starts it), on
Ctrl-C, or after `--max-seconds`.
"""

from __future__ import annotations

import argparse
import functools
import ipaddress
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

OPENAI_PATH = "/v1/chat/completions"
ANTHROPIC_PATH = "/v1/messages"
MODEL_PREFIX = "bench-"
DEFAULT_PIECES = 8
MAX_PIECES = 100_000
CREATED = 1_730_000_000
INPUT_TOKENS = 14
REQUEST_ID = "req_0123456789abcdefghijklmn"
ANSWER = (
    "The Name of the Wind by Patrick Rothfuss follows Kvothe, a gifted young "
    "arcanist who grows from a travelling performer into a legend, told in his "
    "own words over three days at a quiet roadside inn."
)
"""What the fake model says, cut into words; `bench-N` answers its first N."""
WORDS = ANSWER.split()


def pieces_for(model: str) -> int:
    """The number of text pieces a model answers: `N` for `bench-N`, else 8."""
    count = model.removeprefix(MODEL_PREFIX)
    if model.startswith(MODEL_PREFIX) and count.isdigit():
        return min(int(count), MAX_PIECES)
    return DEFAULT_PIECES


def answer_pieces(count: int) -> list[str]:
    """The pieces of text the fake model answers: words, one token-sized piece each."""
    return [("" if i == 0 else " ") + WORDS[i % len(WORDS)] for i in range(count)]


def answer_text(model: str) -> str:
    """The whole answer to a request for `model`."""
    return "".join(answer_pieces(pieces_for(model)))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _openai_usage(output_tokens: int) -> dict[str, Any]:
    return {
        "prompt_tokens": INPUT_TOKENS,
        "completion_tokens": output_tokens,
        "total_tokens": INPUT_TOKENS + output_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def openai_completion(model: str) -> bytes:
    """The body of a chat completion (pretty-printed, as the API sends it)."""
    pieces = answer_pieces(pieces_for(model))
    completion: dict[str, Any] = {
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "".join(pieces),
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _openai_usage(len(pieces)),
        "service_tier": "default",
        "system_fingerprint": "fp_50cad350e4",
    }
    return json.dumps(completion, indent=2).encode()


def openai_events(model: str) -> list[str]:
    """The events of a streamed chat completion, with the usage chunk at the end."""
    pieces = answer_pieces(pieces_for(model))

    def chunk(
        delta: dict[str, Any], finish: str | None, usage: Any = None
    ) -> dict[str, Any]:
        choices = [
            {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        ]
        return {
            "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "service_tier": "default",
            "system_fingerprint": "fp_50cad350e4",
            "choices": choices if usage is None else [],
            "usage": usage,
        }

    chunks = [chunk({"role": "assistant", "content": "", "refusal": None}, None)]
    chunks += [chunk({"content": piece}, None) for piece in pieces]
    chunks.append(chunk({}, "stop"))
    chunks.append(chunk({}, None, _openai_usage(len(pieces))))
    return [f"data: {_json(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"]


def _anthropic_usage(output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": INPUT_TOKENS,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


def anthropic_message(model: str) -> bytes:
    """The body of a message."""
    pieces = answer_pieces(pieces_for(model))
    message = {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": "".join(pieces)}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": _anthropic_usage(len(pieces)),
    }
    return _json(message).encode()


def anthropic_events(model: str) -> list[str]:
    """The events of a streamed message, as the Messages API sends them."""
    pieces = answer_pieces(pieces_for(model))
    start: dict[str, Any] = {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": _anthropic_usage(1),
    }
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    events += [
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": piece},
            },
        )
        for piece in pieces
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": len(pieces)},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return [f"event: {name}\ndata: {_json(data)}\n\n" for name, data in events]


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _whole(body: bytes, content_type: str, status: str = "200 OK") -> bytes:
    headers = {
        "Content-Type": content_type,
        "Content-Length": str(len(body)),
        "x-request-id": REQUEST_ID,
        "request-id": REQUEST_ID,
    }
    return _head(status, headers) + body


def _chunked(events: list[str]) -> bytes:
    headers = {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Transfer-Encoding": "chunked",
        "Cache-Control": "no-cache",
        "x-request-id": REQUEST_ID,
        "request-id": REQUEST_ID,
    }
    frames: list[bytes] = []
    for event in events:
        data = event.encode()
        frames.append(b"%x\r\n%s\r\n" % (len(data), data))
    return _head("200 OK", headers) + b"".join(frames) + b"0\r\n\r\n"


def not_found(path: str) -> bytes:
    """A 404 with an error body in the OpenAI shape."""
    error = {"error": {"message": f"No route {path}", "type": "invalid_request"}}
    return _whole(_json(error).encode(), "application/json", "404 Not Found")


@functools.cache
def response(path: str, stream: bool, model: str) -> bytes:
    """The whole HTTP response (status line, headers, body) to a request."""
    if path == OPENAI_PATH:
        if stream:
            return _chunked(openai_events(model))
        return _whole(openai_completion(model), "application/json")
    if path == ANTHROPIC_PATH:
        if stream:
            return _chunked(anthropic_events(model))
        return _whole(anthropic_message(model), "application/json")
    return not_found(path)


class Server(ThreadingHTTPServer):
    """A threading HTTP server that counts the connections and requests it serves."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """Reads a request's JSON body and writes the canned response in one write.

    `GET /stats` answers the connections and requests served so far (its own
    connection included), so that a client can tell whether others were reused.
    """

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def counts(self) -> Server:
        """The server, which counts."""
        return cast(Server, self.server)

    def do_GET(self) -> None:
        if self.path != "/stats":
            self.wfile.write(not_found(self.path))
            return
        with self.counts.lock:
            stats = {
                "connections": self.counts.connections,
                "requests": self.counts.requests,
            }
        self.wfile.write(_whole(_json(stats).encode(), "application/json"))

    def do_POST(self) -> None:
        with self.counts.lock:
            self.counts.requests += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            parsed: Any = json.loads(body or b"{}")
        except ValueError:
            parsed = None
        request = cast(dict[str, Any], parsed) if isinstance(parsed, dict) else {}
        model = str(request.get("model") or "")
        self.wfile.write(response(self.path, bool(request.get("stream")), model))

    def log_message(self, format: str, *args: Any) -> None:
        """Logs nothing: the benchmark sends thousands of requests."""


def serve(host: str, port: int, max_seconds: float, stop_on_eof: bool) -> None:
    """Serves until stdin closes (if asked), Ctrl-C, or `max_seconds` pass."""
    server = Server((host, port))
    stop = threading.Event()
    if stop_on_eof:

        def wait_for_eof() -> None:
            sys.stdin.buffer.read()
            stop.set()

        threading.Thread(target=wait_for_eof, daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    print(f"http://{bound_host!s}:{bound_port}", flush=True)
    try:
        stop.wait(timeout=max_seconds)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    """The command line: `python benchmarks/fake_server.py [--port N]`."""
    parser = argparse.ArgumentParser(
        description="A loopback fake of the LLM APIs the benchmarks call."
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=1800.0,
        help="stop after this long whatever happens (default: 1800)",
    )
    parser.add_argument(
        "--stop-on-eof",
        action="store_true",
        help="stop when standard input closes (when the parent process ends)",
    )
    args = parser.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error(f"--host must be a loopback address, not {args.host}")
    serve(args.host, args.port, args.max_seconds, args.stop_on_eof)


if __name__ == "__main__":
    main()
