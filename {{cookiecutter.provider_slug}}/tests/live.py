"""Live mode: the tests marked `live`, against the real API or its recordings.

`pytest --live` runs them against the real API (the key in `{{ cookiecutter.api_key_env_var }}`, the
base URL in `{{ cookiecutter.__env_base_url }}` if set); add `--record-mode=once` to record each
test's exchanges under `tests/cassettes/`, with secrets filtered out, and
`pytest --replay` runs them offline from those recordings. Recording and replay
are pytest-recording's (VCR.py); this module configures them, and gives live
tests the `api` they share with the fake: `LiveAPI`.
"""

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from {{ cookiecutter.__pkg }}._api import secret_headers
from {{ cookiecutter.__pkg }}._redaction import redact, secrets_of
from {{ cookiecutter.__pkg }}._settings import base_url

from .fake_exchange import LooseReply, Reply, loose
from .fake_server import RecordedRequest

# VCR.py is only imported by pytest-recording, for a test that records or
# replays: the rest of the suite (and the smoke test) does without it.
if TYPE_CHECKING:
    from vcr import VCR
    from vcr.request import Request as VCRRequest

REDACTED = "[redacted]"
DROPPED_RESPONSE_HEADERS = ("set-cookie",)
"""Response headers never recorded (sessions of the API's edge, not the API)."""


class LiveAPI:
    """The real API, as a test sees it in place of the fake one.

    Nothing is scripted: `reply` returns what the test may expect of the real
    model's answer (see `LooseReply`). Each request the package sends is
    captured on its way out, its secrets masked, so a test asserts on
    `requests` and `last` just as it does with the fake API.
    """

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []

    def reply(self, text: str = "", **fields: Any) -> LooseReply:
        """What to expect of the real model where the fake one would say `text`."""
        return LooseReply.of(Reply(text=text, **fields))

    def expect(self, value: object) -> Any:
        """What to expect of the real model where the fake one would give `value`.

        A value of the same type (a dict: with the same keys, each loosely).
        """
        return loose(value)

    @property
    def last(self) -> RecordedRequest:
        """The most recent request."""
        return self.requests[-1]

    def capture(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Records every request httpx's own transports send, until the test ends."""
        sync_send = httpx.HTTPTransport.handle_request
        async_send = httpx.AsyncHTTPTransport.handle_async_request

        def handle_request(
            transport: httpx.HTTPTransport, request: httpx.Request
        ) -> httpx.Response:
            self._record(request)
            return sync_send(transport, request)

        async def handle_async_request(
            transport: httpx.AsyncHTTPTransport, request: httpx.Request
        ) -> httpx.Response:
            self._record(request)
            return await async_send(transport, request)

        monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
        monkeypatch.setattr(
            httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request
        )

    def _record(self, request: httpx.Request) -> None:
        secrets = secrets_of(request)
        headers = {
            name: redact(value, secrets) for name, value in request.headers.items()
        }
        body = request.read()
        self.requests.append(
            RecordedRequest(request.method, request.url.path, headers, body)
        )


def _secrets_in(headers: Mapping[str, str]) -> tuple[str, ...]:
    """The configured key and the secrets of these request headers."""
    return secrets_of(httpx.Request("POST", "http://localhost", headers=headers))


def vcr_settings() -> dict[str, Any]:
    """VCR.py's settings for recording and replaying the live tests.

    A recorded request is matched on its method and path only, the path moved
    to the configured base URL when the recording is read (see
    `ReadableJSONSerializer`), so replay works whatever the base URL's host and
    path prefix; secrets are filtered out of requests and responses before
    anything is written.
    """
    return {
        "serializer": "json",
        "match_on": ["method", "path"],
        "decode_compressed_response": True,
        "filter_headers": [(name, REDACTED) for name in secret_headers()],
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
    }


def scrub_request(request: "VCRRequest") -> "VCRRequest":
    """The request with the API key removed from its URL, headers and body."""
    secrets = _secrets_in(dict(request.headers))
    request.uri = redact(request.uri, secrets)
    for name, value in list(request.headers.items()):
        request.headers[name] = redact(value, secrets)
    request.body = _scrubbed(request.body, secrets)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """The response without cookies, and without the API key anywhere."""
    secrets = _secrets_in({})
    headers: dict[str, list[str]] = response["headers"]
    for name in list(headers):
        if name.lower() in DROPPED_RESPONSE_HEADERS:
            del headers[name]
        else:
            headers[name] = [redact(value, secrets) for value in headers[name]]
    response["body"]["string"] = _scrubbed(response["body"]["string"], secrets)
    return response


def _scrubbed(body: object, secrets: tuple[str, ...]) -> Any:
    """The body without the secrets; untouched if it holds none, or is not text."""
    if not isinstance(body, bytes):
        return redact(body, secrets) if isinstance(body, str) else body
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return body
    return redact(text, secrets).encode()


def configure_vcr(vcr: "VCR") -> "VCR":
    """Makes VCR.py write recordings as readable JSON (`ReadableJSONSerializer`)."""
    vcr.register_serializer("json", ReadableJSONSerializer)
    return vcr


class ReadableJSONSerializer:
    """VCR.py's serializer for cassettes people can read and review.

    JSON bodies are written as JSON, not as escaped strings, and a stream as its
    list of lines, with each event's JSON data written as JSON. Reading a
    cassette gives the bodies back as text.

    A cassette also keeps the base URL it was recorded at (`base_url`), and
    reading it moves its requests to the base URL configured now, each keeping
    its path relative to the base (see `rebased`): recorded through a gateway's
    `/openai/v1`, it replays at another one's `/v2/proxy`.
    """

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        """The cassette as indented JSON, with readable bodies and its base URL."""
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            request["body"] = _readable(request["body"])
            response["body"] = _readable(response["body"]["string"])
        recorded_at = {"base_url": redact(base_url(), _secrets_in({}))}
        return json.dumps(recorded_at | cassette, indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        """The cassette, with each body back as text, at the configured base URL.

        A cassette that does not say its base URL is taken as recorded at the
        configured one.
        """
        cassette: dict[str, Any] = json.loads(text)
        configured = base_url()
        recorded_base: str = cassette.pop("base_url", configured)
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            request["uri"] = rebased(request["uri"], recorded_base, configured)
            request["body"] = _text(request["body"])
            body = _text(response["body"])
            response["body"] = {"string": body}
            _fix_content_length(response["headers"], body)
        return cassette


def rebased(uri: str, recorded_base: str, base: str) -> str:
    """A recorded request's URI, moved from the base URL it was recorded at to `base`.

    Its path relative to the base URL stays: `https://gw.example/openai/v1/chat`,
    recorded at `https://gw.example/openai/v1`, becomes `<base>/chat`. A URI
    outside the recorded base URL (a test's own client's) is kept.
    """
    prefix = _with_slash(recorded_base)
    if not uri.startswith(prefix):
        return uri
    return _with_slash(base) + uri[len(prefix) :]


def _with_slash(url: str) -> str:
    """The base URL as httpx writes it, ending in the `/` the package's paths follow."""
    return str(httpx.URL(f"{url.rstrip('/')}/"))


def _readable(body: str | bytes | None) -> dict[str, Any]:
    """A body for the cassette: `json`, `lines` of a stream, or `text`."""
    if isinstance(body, bytes):
        body = body.decode()
    if not body:
        return {"text": body}
    try:
        return {"json": json.loads(body)}
    except ValueError:
        pass
    if body.startswith(("data:", "event:", "id:", ":")):
        return {"lines": [_readable_line(line) for line in body.split("\n")]}
    return {"text": body}


def _readable_line(line: str) -> Any:
    """A line of a stream: an event's JSON data as `{"data": ...}`, else the line."""
    field, _, value = line.partition(":")
    if field == "data" and value.strip().startswith(("{", "[")):
        try:
            return {"data": json.loads(value)}
        except ValueError:
            return line
    return line


def _text(body: dict[str, Any]) -> str | None:
    """The body's text again, from its readable form."""
    if "json" in body:
        return json.dumps(body["json"])
    if "lines" in body:
        lines: list[Any] = body["lines"]
        return "\n".join(
            f"data: {json.dumps(line['data'])}" if isinstance(line, dict) else line
            for line in lines
        )
    return body["text"]


def _fix_content_length(headers: dict[str, list[str]], body: str | None) -> None:
    """Keeps `Content-Length` true to the body, re-encoded from its readable form."""
    for name in headers:
        if name.lower() == "content-length":
            headers[name] = [str(len((body or "").encode()))]


def marks_for(mode: str, record_mode: str | None) -> list[Any]:
    """The marks a test that runs in a mode (`fake`, `live` or `replay`) gets.

    Offline (`fake` and `replay`), the network is closed but for the loopback,
    where the fake API listens: an accidental real request fails. VCR.py steps
    in when it records (`--live --record-mode=...`) or replays.
    """
    marks: list[Any] = []
    if mode == "replay" or (mode == "live" and record_mode not in (None, "none")):
        marks.append(pytest.mark.vcr)
    if mode != "live":
        marks.append(pytest.mark.block_network(allowed_hosts=LOOPBACK))
    return marks


LOOPBACK = [r"127\.0\.0\.1$", r"::1$"]
"""The hosts tests may reach offline: the fake API, on this machine."""
