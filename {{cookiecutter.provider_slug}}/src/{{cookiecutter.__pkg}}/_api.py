"""Requests to and responses from the {{ cookiecutter.__name_doc }} API.

These four functions stand in for a vendor SDK's `create` methods: `create` and
`stream` (sync), `acreate` and `astream` (async). Each takes the httpx client
to use, or `None` for a default client configured from the environment and
kept for later calls (`shared_client`, `shared_async_client`). A client given
by the user is used as is and never closed.

Failures raise the errors of `errors.py`. Retries happen here, whatever the
client (`_retry.py`): before the response, while its body is read, and for a
stream until its first chunk is yielded. What goes on the wire, and what an
answer means, is the wire adapter's (`_wire.WIRE`).

A stream is one generator, with no other async generator of the package's
inside it: when a caller leaves an async stream early, the event loop closes
each open async generator on its own at shutdown, and nested ones would be
closed twice at once.
"""

from collections.abc import AsyncIterator, Generator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx

from . import _wire
from ._clients import shared_async_client, shared_client
from ._extra_params import EXTRA_PARAMS
from ._http import (
    asend,
    guarded,
    missing_headers,
    request_url,
    send,
    status_error,
    targets_configured_api,
)
from ._neutral import Chunk, Completion, WireFormat
from ._redaction import REDACTED_HEADERS, SENSITIVE_HEADERS, excerpt
from ._retry import RETRYABLE_ERRORS, Retries, RetryPolicy, chosen_policy
from ._settings import configured_api_key, max_retries, require_api_key
from ._sse import JSONLinesDecoder, LineSplitter, SSEDecoder
from .errors import {{ cookiecutter.__prefix }}Error, {{ cookiecutter.__prefix }}ResponseError

DRAIN_LIMIT = 65_536
"""The most bytes read after a stream's end mark.

The rest of the body is read, as the vendor SDKs do, so that the connection
goes back to the pool for the next call. A longer tail, one that does not
decode, or a server that holds the connection open until the read timeout,
only costs the connection: the answer is complete, so no error is raised.
"""


@dataclass
class Opened:
    """The response of an async stream once its request is sent, for `aclose`.

    A sync stream closed early closes its generators at once, down to the
    response; an async one only has them closed later, by the event loop.
    """

    response: httpx.Response | None = None


opening: ContextVar[Opened | None] = ContextVar("opening", default=None)
"""Where `{{ cookiecutter.__prefix }}Stream` asks to be told the response of the stream it starts."""


class _CutShortError(Exception):
    """A stream ended before its first chunk, without its end mark: worth a retry."""


def secret_headers() -> tuple[str, ...]:
    """Headers that carry secrets: the wire format's, and any API's.

    No redirect takes them to another origin (see `send`), errors redact
    their values, and the live tests' recordings leave them out.
    """
    return _secret_headers_of(_wire.WIRE)


@lru_cache(maxsize=2)  # one wire in use (the tests swap in a toy one)
def _secret_headers_of(wire: WireFormat) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*SENSITIVE_HEADERS, *wire.secret_headers())))


def _incomplete() -> {{ cookiecutter.__prefix }}ResponseError:
    return {{ cookiecutter.__prefix }}ResponseError(
        "The stream ended before the API said it was complete"
        f" (no {_wire.WIRE.end_of_stream})."
    )


def _not_events(response: httpx.Response) -> {{ cookiecutter.__prefix }}ResponseError:
    kind = response.headers.get("content-type", "")
    return {{ cookiecutter.__prefix }}ResponseError(
        f"The API answered a stream request with {kind!r}, not server-sent events:"
        f" {excerpt(response.content)}"
    )


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")


def _headers(
    client: httpx.Client | httpx.AsyncClient, kwargs: dict[str, Any]
) -> dict[str, str]:
    """Per-request headers: the call's extra headers, and those the client lacks.

    The configured key is only added for requests to the configured API's
    origin, so a client aimed elsewhere (or at `http://`) never receives it.
    """
    headers = missing_headers(client, dict(_wire.WIRE.headers))
    key = configured_api_key()
    if key and targets_configured_api(client):
        headers |= missing_headers(client, _wire.WIRE.auth_headers(key))
    headers.update(kwargs.get("extra_headers") or {})
    return headers


def _default_headers() -> dict[str, str]:
    return {**_wire.WIRE.headers, **_wire.WIRE.auth_headers(require_api_key())}


def _body(kwargs: dict[str, Any], *, stream: bool) -> dict[str, Any]:
    """The adapter's body for the call's params, with `extra_body` merged in.

    `extra_headers` and `extra_body` are the package's own params
    (`ExtraParams`): the adapter never sees them.
    """
    params = {k: v for k, v in kwargs.items() if k not in EXTRA_PARAMS}
    return {
        **_wire.WIRE.body(params, stream=stream),
        **(kwargs.get("extra_body") or {}),
    }


def _request(
    client: httpx.Client | httpx.AsyncClient, kwargs: dict[str, Any], *, stream: bool
) -> tuple[httpx.Request, Retries]:
    """The request to send, and the retries it may have."""
    wire = _wire.WIRE
    request = client.build_request(
        "POST",
        request_url(client, wire.path(kwargs["model"], stream=stream)),
        json=_body(kwargs, stream=stream),
        headers=_headers(client, kwargs),
    )
    request.extensions[REDACTED_HEADERS] = secret_headers()
    policy = chosen_policy() or RetryPolicy(max_retries=max_retries())
    return request, Retries(request, policy)


def _give_up(response: httpx.Response) -> {{ cookiecutter.__prefix }}Error:
    """The error for a response that is not retried (body already read)."""
    if response.is_error:
        wire, content = _wire.WIRE, response.content
        meaning = wire.error_status(response.status_code, content)
        return status_error(response, wire.error_message(content), meaning)
    return _not_events(response)


def _wait_after_refusal(response: httpx.Response, retries: Retries) -> float:
    """The wait before retrying an error or a JSON answer to a stream, or raises."""
    if (wait := retries.wait_after(response)) is None:
        raise _give_up(response)
    return wait


def _wait_after_break(error: Exception, retries: Retries, *, yielded: bool) -> float:
    """The wait before retrying a stream that broke, or raises.

    Only a stream that broke before its first chunk reached the caller is tried
    again; one cut short without its end mark is incomplete.
    """
    if not yielded and (wait := retries.wait_after(error)) is not None:
        return wait
    if isinstance(error, _CutShortError):
        raise _incomplete() from None
    raise error


class _ChunkReader:
    """Turns a stream's body, as it arrives, into chunks: lines, events, chunks.

    Fed each piece of the body, it returns the chunks the piece completes, and
    notes when the API says the stream is complete (`ended`); what follows
    that is not read, unless the format's streams end with the connection.
    Plain code called once per piece of the body, not a generator: the stream
    stays the only generator of the package on the way from the socket.
    """

    def __init__(self) -> None:
        wire = _wire.WIRE
        self._lines = LineSplitter()
        self._unended = wire.framing == "ndjson"
        self._events = JSONLinesDecoder() if self._unended else SSEDecoder()
        self._reader = wire.stream_reader()
        self._to_the_end = wire.ends_with_connection
        self.ended = False

    def feed(self, data: bytes | None) -> list[Chunk]:
        """The chunks `data` completes; `None` stands for the end of the body."""
        chunks: list[Chunk] = []
        if data is not None:
            lines = self._lines.feed(data)
        else:
            lines = self._lines.flush(unended=self._unended)
        reader = self._reader
        for event in self._events.decode(lines):
            chunks += reader.read(event)
            if reader.complete and not self._to_the_end:
                self.ended = True
                break
        if data is None:
            chunks += reader.finish()
            self.ended = reader.complete
        return chunks


def _drain(body: Iterator[bytes]) -> None:
    """Reads what follows a stream's end mark, up to `DRAIN_LIMIT` bytes."""
    read = 0
    try:
        for data in body:
            read += len(data)
            if read > DRAIN_LIMIT:
                return
    except (httpx.TransportError, httpx.DecodingError):
        return


async def _adrain(body: AsyncIterator[bytes]) -> None:
    """Async version of `_drain`."""
    read = 0
    try:
        async for data in body:
            read += len(data)
            if read > DRAIN_LIMIT:
                return
    except (httpx.TransportError, httpx.DecodingError):
        return


def create(client: httpx.Client | None, **kwargs: Any) -> Completion:
    """Sends one request and returns the parsed response."""
    active = client or shared_client(_default_headers())
    request, retries = _request(active, kwargs, stream=False)
    with guarded(request):
        while True:
            try:
                response = send(active, request, secret_headers())
            except RETRYABLE_ERRORS as error:
                if (wait := retries.wait_after(error)) is None:
                    raise
            else:
                if not response.is_error:
                    return _wire.WIRE.completion(response.content)
                if (wait := retries.wait_after(response)) is None:
                    raise _give_up(response)
            retries.policy.sleep(wait)


async def acreate(client: httpx.AsyncClient | None, **kwargs: Any) -> Completion:
    """Async version of `create`."""
    active = client or await shared_async_client(_default_headers())
    request, retries = _request(active, kwargs, stream=False)
    with guarded(request):
        while True:
            try:
                response = await asend(active, request, secret_headers())
            except RETRYABLE_ERRORS as error:
                if (wait := retries.wait_after(error)) is None:
                    raise
            else:
                if not response.is_error:
                    return _wire.WIRE.completion(response.content)
                if (wait := retries.wait_after(response)) is None:
                    raise _give_up(response)
            await retries.policy.async_sleep(wait)


def stream(client: httpx.Client | None, **kwargs: Any) -> Generator[Chunk, None, None]:
    """Sends one streamed request and yields its chunks."""
    active = client or shared_client(_default_headers())
    request, retries = _request(active, kwargs, stream=True)
    with guarded(request):
        while True:
            yielded = False
            try:
                response = send(active, request, secret_headers(), stream=True)
                try:
                    if response.is_error or _is_json(response):
                        response.read()
                        wait = _wait_after_refusal(response, retries)
                    else:
                        body = response.iter_bytes()
                        reader = _ChunkReader()
                        for data in body:
                            for chunk in reader.feed(data):
                                yielded = True
                                yield chunk
                            if reader.ended:
                                _drain(body)
                                return
                        for chunk in reader.feed(None):
                            yielded = True
                            yield chunk
                        if reader.ended:
                            return
                        raise _incomplete() if yielded else _CutShortError()
                finally:
                    response.close()
            except (*RETRYABLE_ERRORS, _CutShortError) as error:
                wait = _wait_after_break(error, retries, yielded=yielded)
            retries.policy.sleep(wait)


async def astream(
    client: httpx.AsyncClient | None, **kwargs: Any
) -> AsyncIterator[Chunk]:
    """Async version of `stream`."""
    active = client or await shared_async_client(_default_headers())
    request, retries = _request(active, kwargs, stream=True)
    with guarded(request):
        while True:
            yielded = False
            try:
                response = await asend(active, request, secret_headers(), stream=True)
                (opening.get() or Opened()).response = response
                try:
                    if response.is_error or _is_json(response):
                        await response.aread()
                        wait = _wait_after_refusal(response, retries)
                    else:
                        body = response.aiter_bytes()
                        reader = _ChunkReader()
                        async for data in body:
                            for chunk in reader.feed(data):
                                yielded = True
                                yield chunk
                            if reader.ended:
                                await _adrain(body)
                                return
                        for chunk in reader.feed(None):
                            yielded = True
                            yield chunk
                        if reader.ended:
                            return
                        raise _incomplete() if yielded else _CutShortError()
                finally:
                    await response.aclose()
            except (*RETRYABLE_ERRORS, _CutShortError) as error:
                wait = _wait_after_break(error, retries, yielded=yielded)
            await retries.policy.async_sleep(wait)
