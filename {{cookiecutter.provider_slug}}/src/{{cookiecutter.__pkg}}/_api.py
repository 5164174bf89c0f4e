"""Requests to and responses from the {{ cookiecutter.__name_doc }} API.

These four functions stand in for a vendor SDK's `create` methods: `create` and
`stream` (sync), `acreate` and `astream` (async). Each takes the httpx client
to use, or `None` for a default client configured from the environment: the
sync one is kept for later calls (`shared_client`), the async one is closed
when done. A client given by the user is used as is and never closed.

Failures raise the errors of `errors.py`; retries happen below, in the
client's transport (`_retry.py`). What goes on the wire is `_wire.py`'s.
"""

from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from ._http import (
    SENSITIVE_HEADERS,
    aiter_sse,
    asend,
    build_async_client,
    configured_api_key,
    excerpt,
    guarded,
    iter_sse,
    missing_headers,
    request_url,
    require_api_key,
    send,
    shared_client,
    status_error,
    targets_configured_api,
)
from ._types import Completion, CompletionChunk
from ._wire import (
    END_OF_STREAM,
    HEADERS,
    PATH,
    auth_headers,
    ends_stream,
    error_message,
    parse_completion,
    parse_event,
    request_body,
)
from .errors import {{ cookiecutter.__prefix }}ResponseError

DRAIN_LIMIT = 65_536
"""The most characters read after a stream's end mark.

The rest of the body is read, as the vendor SDKs do, so that the connection
goes back to the pool for the next call. A longer tail, or a server that
holds the connection open until the read timeout, only costs the connection:
the answer is complete, so no error is raised.
"""

SECRET_HEADERS = tuple(
    dict.fromkeys((*SENSITIVE_HEADERS, *(name.lower() for name in auth_headers("-"))))
)
"""Headers that carry secrets: the format's auth headers, and those that do
whatever the API. No redirect takes them to another origin (see `send`), and
the live tests' recordings leave them out."""


def _incomplete() -> {{ cookiecutter.__prefix }}ResponseError:
    return {{ cookiecutter.__prefix }}ResponseError(
        f"The stream ended before the API said it was complete (no {END_OF_STREAM})."
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
    headers = missing_headers(client, HEADERS)
    key = configured_api_key()
    if key and targets_configured_api(client):
        headers |= missing_headers(client, auth_headers(key))
    headers.update(kwargs.get("extra_headers") or {})
    return headers


def _client_or_default(client: httpx.Client | None) -> httpx.Client:
    """Returns the user's client as is, or the kept default client."""
    if client is not None:
        return client
    return shared_client(HEADERS | auth_headers(require_api_key()))


@asynccontextmanager
async def _async_client_or_default(
    client: httpx.AsyncClient | None,
) -> AsyncGenerator[httpx.AsyncClient, None]:
    """Yields the user's client as is, or a default client closed afterwards."""
    if client is not None:
        yield client
        return
    async with build_async_client(HEADERS | auth_headers(require_api_key())) as owned:
        yield owned


def _request(
    client: httpx.Client | httpx.AsyncClient, kwargs: dict[str, Any], *, stream: bool
) -> httpx.Request:
    return client.build_request(
        "POST",
        request_url(client, PATH),
        json=request_body(kwargs, stream=stream),
        headers=_headers(client, kwargs),
    )


def _raise_for_status(response: httpx.Response) -> None:
    """Raises the package's error for a 4xx or 5xx response (body already read)."""
    if response.is_error:
        raise status_error(response, error_message(response.content))


def _drain(lines: Iterator[str]) -> None:
    """Reads what follows a stream's end mark, up to `DRAIN_LIMIT` characters."""
    read = 0
    try:
        for line in lines:
            read += len(line)
            if read > DRAIN_LIMIT:
                return
    except httpx.TransportError:
        return


async def _adrain(lines: AsyncIterator[str]) -> None:
    """Async version of `_drain`."""
    read = 0
    try:
        async for line in lines:
            read += len(line)
            if read > DRAIN_LIMIT:
                return
    except httpx.TransportError:
        return


def _post(client: httpx.Client, kwargs: dict[str, Any]) -> Completion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = send(client, request, SECRET_HEADERS)
        _raise_for_status(response)
        return parse_completion(response.content)


async def _apost(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> Completion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = await asend(client, request, SECRET_HEADERS)
        _raise_for_status(response)
        return parse_completion(response.content)


def _stream(client: httpx.Client, kwargs: dict[str, Any]) -> Iterator[CompletionChunk]:
    request = _request(client, kwargs, stream=True)
    with guarded(request):
        response = send(client, request, SECRET_HEADERS, stream=True)
        try:
            if response.is_error or _is_json(response):
                response.read()
                _raise_for_status(response)
                raise _not_events(response)
            lines = response.iter_lines()
            for event in iter_sse(lines):
                if ends_stream(event):
                    _drain(lines)
                    return
                yield from parse_event(event)
            raise _incomplete()
        finally:
            response.close()


async def _astream(
    client: httpx.AsyncClient, kwargs: dict[str, Any]
) -> AsyncIterator[CompletionChunk]:
    request = _request(client, kwargs, stream=True)
    with guarded(request):
        response = await asend(client, request, SECRET_HEADERS, stream=True)
        try:
            if response.is_error or _is_json(response):
                await response.aread()
                _raise_for_status(response)
                raise _not_events(response)
            lines = response.aiter_lines()
            async for event in aiter_sse(lines):
                if ends_stream(event):
                    await _adrain(lines)
                    return
                for chunk in parse_event(event):
                    yield chunk
            raise _incomplete()
        finally:
            await response.aclose()


def create(client: httpx.Client | None, **kwargs: Any) -> Completion:
    """Sends one request and returns the parsed response."""
    return _post(_client_or_default(client), kwargs)


async def acreate(client: httpx.AsyncClient | None, **kwargs: Any) -> Completion:
    """Async version of `create`."""
    async with _async_client_or_default(client) as active:
        return await _apost(active, kwargs)


def stream(client: httpx.Client | None, **kwargs: Any) -> Iterator[CompletionChunk]:
    """Sends one streamed request and yields its chunks."""
    yield from _stream(_client_or_default(client), kwargs)


async def astream(
    client: httpx.AsyncClient | None, **kwargs: Any
) -> AsyncIterator[CompletionChunk]:
    """Async version of `stream`."""
    async with _async_client_or_default(client) as active:
        async for chunk in _astream(active, kwargs):
            yield chunk
