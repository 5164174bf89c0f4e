"""A fake {{ cookiecutter.__name_doc }} API: a real HTTP server on 127.0.0.1, scripted by the tests.

A test queues what the model answers next (`FakeAPI.reply`), makes a call, and
then asserts on the answer and on the request that reached the server
(`FakeAPI.requests`: the exact JSON body, or `.sent`, what it asked of the
model in neutral terms). The wire format itself is up to the server's wire
side (`WireSide`; by default `fake_wire.py`, which follows the API's public
documentation): where a request goes, how a reply is sent (a JSON body, or a
stream of server-sent events or JSON lines), and which requests the API
refuses. The server itself is the same for every format: HTTP, the queue of
replies, and the faults it injects.

Written on the standard library's `http.server` rather than pytest-httpserver
(werkzeug) so the post-generation smoke test needs nothing beyond Mirascope,
httpx and pytest, and so a stream is written event by event, each flushed to
the socket on its own.

Run on its own, it is a stand-in for the real API, answering every request
with a plausible improvised reply (see `fake_exchange.improvise`), for trying
live mode or your own code without an account:

    python -m tests.fake_server --port 8765 --api-key anything
"""

import argparse
import dataclasses
import json
import socket
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, cast

from . import fake_wire
from .fake_exchange import Reply, Route, SentRequest, improvise

HANG_LIMIT = 10.0
"""Seconds a hung or stalled answer waits at most for the test to release it."""
POLL_INTERVAL = 0.02
"""Seconds between the server's checks for `stop`: `stop` waits for the next
one (the standard library's 0.5 s would add that much to every test run)."""


class WireSide(Protocol):
    """What the fake API asks of a wire format: `fake_wire` is the default one.

    A module with these names is one (the request body is the parsed JSON, the
    headers lower-cased); its constants need their type annotated (`BASE_PATH:
    str = ...`), or the type checker holds them to their literal value. Streams
    are written as the side frames them: each string of `events` is sent as it
    is, flushed on its own.
    """

    BASE_PATH: str
    """The path the API lives under (the fake API's default base path)."""
    STREAM_CONTENT_TYPE: str
    """The content type of a streamed answer."""
    MALFORMED_EVENT: str
    """A frame whose data is not JSON (the `malformed` fault)."""
    NOT_UTF8_EVENT: bytes
    """A frame holding bytes that are not UTF-8 (the `not_utf8` fault)."""

    def route(self, path: str, body: dict[str, Any], /) -> Route | None:
        """Where a request goes (path below the base path, with its query); `None`: 404."""
        ...

    def api_key_of(self, headers: dict[str, str], /) -> str | None:
        """The API key the request headers carry, if any."""
        ...

    def refuse_key(self) -> tuple[int, dict[str, Any]]:
        """The status and error body for a request without the right key."""
        ...

    def validate(self, body: dict[str, Any], /) -> str | None:
        """Why the API would refuse the body (sent with a 400), or `None`."""
        ...

    def read_request(self, body: dict[str, Any], path: str, /) -> SentRequest:
        """What the request (body, and path as sent) asks of the model."""
        ...

    def error(self, status: int, message: str, /) -> dict[str, Any]:
        """The error body the API sends with a 4xx or 5xx status."""
        ...

    def error_event(self, message: str, /) -> str:
        """The frame of an error in the middle of a stream."""
        ...

    def completion(self, request: dict[str, Any], reply: Reply, /) -> dict[str, Any]:
        """The JSON body of an answer that is not streamed."""
        ...

    def events(self, request: dict[str, Any], reply: Reply, /) -> Iterator[str]:
        """The frames of a streamed answer, each already framed (end of line included)."""
        ...


@dataclass
class RecordedRequest:
    """A request as the fake API received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    connection: int = 0
    """Which of the server's connections carried it (1 for the first; 0 where
    unknown, in live mode)."""
    side: WireSide = field(default=fake_wire, repr=False, compare=False)
    """The wire format it was sent in."""

    @property
    def json(self) -> Any:
        """The request body, parsed."""
        return json.loads(self.body)

    @property
    def sent(self) -> SentRequest:
        """What the request asked of the model, whatever the wire format."""
        return self.side.read_request(self.json, self.path)


class FakeAPI:
    """The fake API server; `url` is the base URL to give the client."""

    def __init__(
        self,
        api_key: str,
        *,
        port: int = 0,
        improvised: bool = False,
        base_path: str | None = None,
        side: WireSide = fake_wire,
    ) -> None:
        self.api_key = api_key
        self.side = side
        """The wire format it speaks."""
        self.base_path = side.BASE_PATH if base_path is None else base_path
        """The path it serves under (a gateway's `/openai/v1`, say); by default
        the side's."""
        self.improvised = improvised
        """Whether a request without a queued reply gets an improvised one
        (a stand-in for the real API) instead of an error (a test's mistake)."""
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        """How many connections clients opened so far."""
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()
        self.release = threading.Event()
        """Set to let requests of a `hang` reply finish."""
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.fake_api = self
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}{self.base_path}"

    def start(self) -> None:
        """Starts serving in a background thread."""
        self._thread.start()

    def serve_forever(self) -> None:
        """Serves in this thread, until `stop` is called from another one."""
        self._server.serve_forever(poll_interval=POLL_INTERVAL)

    def stop(self) -> None:
        """Stops serving and closes the listening socket."""
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        """Forgets recorded requests and unused replies; releases hung requests."""
        self.requests.clear()
        self._replies.clear()
        self.release.set()
        self.release = threading.Event()

    def reply(self, text: str = "", **fields: Any) -> Reply:
        """Queues the fake model's next answer; see `Reply` for the fields."""
        reply = Reply(text=text, **fields)
        self._replies.append(reply)
        return reply

    def expect(self, value: object) -> object:
        """The value itself: the fake API gives exactly what a test scripts.

        (The real API's stand-in, `LiveAPI`, says what to expect of a real model.)
        """
        return value

    @property
    def unused_replies(self) -> int:
        """How many queued replies no request has taken."""
        return len(self._replies)

    @property
    def last(self) -> RecordedRequest:
        """The most recent request."""
        return self.requests[-1]

    def new_connection(self) -> int:
        """Counts a new connection; returns its number."""
        with self._lock:
            self.connections += 1
            return self.connections

    def take_reply(self) -> Reply | None:
        """Returns the next queued reply, if any, and removes it from the queue."""
        return self._replies.popleft() if self._replies else None

    def route(self, path: str, body: dict[str, Any]) -> Route | None:
        """Where a request to `path` (as sent) goes, if it is the API's at all."""
        prefix = f"{self.base_path}/"
        if not path.startswith(prefix):
            return None
        return self.side.route(path.removeprefix(prefix), body)


_DROP = "<drop the connection>"
"""Stands, among the frames of a stream, for a connection that breaks."""


_STALL = "<stall until released>"
"""Stands, among the frames of a stream, for a server that stops sending."""


def _faulty(
    frames: Iterable[str], reply: Reply, side: WireSide
) -> Iterator[str | bytes]:
    """The frames of a stream, broken after `fault_after` as the reply says."""
    frames = list(frames)
    if reply.stream_fault is None:
        yield from frames
        if reply.after_done is not None:
            yield reply.after_done
        if reply.hold_open:
            yield _STALL
        return
    yield from frames[: reply.fault_after]
    if reply.stream_fault == "drop":
        yield _DROP
    elif reply.stream_fault == "malformed":
        yield side.MALFORMED_EVENT
    elif reply.stream_fault == "error_event":
        yield reply.error_event or side.error_event("The model crashed.")
    elif reply.stream_fault == "stall":
        yield _STALL
    elif reply.stream_fault == "not_utf8":
        yield side.NOT_UTF8_EVENT
        yield from frames[reply.fault_after :]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake_api: FakeAPI

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """A client that hangs up is normal; anything else is a bug of the fake."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Serves one connection, which may carry several requests."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection_number = cast(_Server, self.server).fake_api.new_connection()

    def do_POST(self) -> None:
        api = cast(_Server, self.server).fake_api
        side = api.side
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        recorded = RecordedRequest(
            "POST", self.path, headers, body, self.connection_number, side
        )
        api.requests.append(recorded)
        request = json.loads(body) if body else {}
        route = api.route(self.path, request)
        if route is None:
            self._send_json(404, side.error(404, f"No route {self.path}"))
            return
        refusal = self._refusal(api, headers, request)
        if refusal is not None:
            self._send_json(*refusal)
            return
        reply = api.take_reply()
        if reply is None and api.improvised:
            reply = improvise(side.read_request(request, self.path))
        if reply is None:
            message = "Fake API: no reply queued for this request."
            self._send_json(400, side.error(400, message))
        elif reply.hang:
            api.release.wait(timeout=HANG_LIMIT)
        else:
            self._answer(side, request, route, reply)

    def _refusal(
        self, api: "FakeAPI", headers: dict[str, str], request: dict[str, Any]
    ) -> tuple[int, dict[str, Any]] | None:
        """The status and error body with which the API refuses the request, if so."""
        side = api.side
        if side.api_key_of(headers) != api.api_key:
            return side.refuse_key()
        if problem := side.validate(request):
            return 400, side.error(400, problem)
        return None

    def _answer(
        self, side: WireSide, request: dict[str, Any], route: Route, reply: Reply
    ) -> None:
        """Sends the reply: an error, a redirect, a raw body, a stream or an answer.

        A reply that names no model names the one the request routed to: a
        format whose body does not name it (the model in the path) answers
        with it too.
        """
        if reply.model is None:
            reply = dataclasses.replace(reply, model=route.model)
        if reply.status >= 400:
            error = reply.body
            if error is None:
                error = json.dumps(side.error(reply.status, reply.text))
            self._send(reply.status, "application/json", error, reply.headers)
        elif reply.status != 200:
            self._send(reply.status, "text/plain", reply.body or "", reply.headers)
        elif reply.body is not None:
            self._send(200, "application/json", reply.body, reply.headers)
        elif route.stream:
            frames = _faulty(side.events(request, reply), reply, side)
            if reply.line_end != "\n":
                frames = (
                    f.replace("\n", reply.line_end)
                    if isinstance(f, str) and f not in (_DROP, _STALL)
                    else f
                    for f in frames
                )
            self._send_events(side.STREAM_CONTENT_TYPE, frames, reply.headers)
        else:
            body = json.dumps(side.completion(request, reply))
            self._send(200, "application/json", body, reply.headers, reply.body_fault)

    def _send(
        self,
        status: int,
        content_type: str,
        body: str,
        headers: dict[str, str],
        fault: str | None = None,
    ) -> None:
        """Sends a whole body, or half of it before the `fault` (`drop`, `stall`)."""
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if fault is None:
            self.wfile.write(data)
            return
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        if fault == "stall":
            cast(_Server, self.server).fake_api.release.wait(timeout=HANG_LIMIT)
        self.close_connection = True

    def _send_json(self, status: int, payload: object) -> None:
        self._send(status, "application/json", json.dumps(payload), {})

    def _send_events(
        self,
        content_type: str,
        frames: Iterable[str | bytes],
        headers: dict[str, str],
    ) -> None:
        """Sends a stream's frames, one HTTP chunk per frame, each flushed."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        api = cast(_Server, self.server).fake_api
        for frame in frames:
            if frame is _DROP:
                self.close_connection = True
                return
            if frame is _STALL:
                api.release.wait(timeout=HANG_LIMIT)
                continue
            data = frame if isinstance(frame, bytes) else frame.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        """Stays quiet: tests assert on `FakeAPI.requests` instead."""


def main(argv: list[str] | None = None) -> None:
    """Serves the stand-in API until interrupted (Ctrl-C)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_server", description=main.__doc__
    )
    parser.add_argument(
        "--port", type=int, default=8765, help="default: 8765; 0 picks a free one"
    )
    parser.add_argument(
        "--api-key", required=True, help="the key it accepts (any text)"
    )
    parser.add_argument(
        "--base-path",
        default=fake_wire.BASE_PATH,
        help="the path it serves under, as behind a gateway (e.g. /gateway/v1);"
        f" default: {fake_wire.BASE_PATH!r}, the API's own",
    )
    options = parser.parse_args(argv)
    api = FakeAPI(
        options.api_key,
        port=options.port,
        improvised=True,
        base_path=options.base_path,
    )
    print(f"Stand-in API at {api.url} (Ctrl-C stops it)", flush=True)
    try:
        api.serve_forever()
    except KeyboardInterrupt:
        api.stop()


if __name__ == "__main__":
    main()
