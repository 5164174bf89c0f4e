"""Requests to and responses from the {{ cookiecutter.__name_doc }} API.

These four functions stand in for a vendor SDK's `create` methods: `create` and
`stream` (sync), `acreate` and `astream` (async). Each takes the httpx client
to use, or `None` for a default client that it builds from the environment and
closes when done; a client given by the user is never closed.

Failures raise the errors of `errors.py`; retries happen below, in the
client's transport (`_retry.py`). What goes on the wire is `_wire.py`'s.
"""

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from ._http import (
    aiter_sse,
    build_async_client,
    build_client,
    configured_api_key,
    excerpt,
    guarded,
    iter_sse,
    missing_headers,
    raise_for_status,
    request_url,
    require_api_key,
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

    The configured key is only added for requests to the configured API's host,
    so a client aimed elsewhere never receives it.
    """
    headers = missing_headers(client, HEADERS)
    key = configured_api_key()
    if key and targets_configured_api(client):
        headers |= missing_headers(client, auth_headers(key))
    headers.update(kwargs.get("extra_headers") or {})
    return headers


@contextmanager
def _client_or_default(
    client: httpx.Client | None,
) -> Generator[httpx.Client, None, None]:
    """Yields the user's client as is, or a default client closed afterwards."""
    if client is not None:
        yield client
        return
    with build_client(HEADERS | auth_headers(require_api_key())) as owned:
        yield owned


@asynccontextmanager
async def _async_client_or_default(
    client: httpx.AsyncClient | None,
) -> AsyncGenerator[httpx.AsyncClient, None]:
    """Async version of `_client_or_default`."""
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


def _post(client: httpx.Client, kwargs: dict[str, Any]) -> Completion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = client.send(request)
        raise_for_status(response, error_message(response.content))
        return parse_completion(response.content)


async def _apost(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> Completion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = await client.send(request)
        raise_for_status(response, error_message(response.content))
        return parse_completion(response.content)


def _stream(client: httpx.Client, kwargs: dict[str, Any]) -> Iterator[CompletionChunk]:
    request = _request(client, kwargs, stream=True)
    with guarded(request):
        response = client.send(request, stream=True)
        try:
            if response.is_error or _is_json(response):
                response.read()
                raise_for_status(response, error_message(response.content))
                raise _not_events(response)
            for event in iter_sse(response.iter_lines()):
                if ends_stream(event):
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
        response = await client.send(request, stream=True)
        try:
            if response.is_error or _is_json(response):
                await response.aread()
                raise_for_status(response, error_message(response.content))
                raise _not_events(response)
            async for event in aiter_sse(response.aiter_lines()):
                if ends_stream(event):
                    return
                for chunk in parse_event(event):
                    yield chunk
            raise _incomplete()
        finally:
            await response.aclose()


def create(client: httpx.Client | None, **kwargs: Any) -> Completion:
    """Sends one request and returns the parsed response."""
    with _client_or_default(client) as active:
        return _post(active, kwargs)


async def acreate(client: httpx.AsyncClient | None, **kwargs: Any) -> Completion:
    """Async version of `create`."""
    async with _async_client_or_default(client) as active:
        return await _apost(active, kwargs)


def stream(client: httpx.Client | None, **kwargs: Any) -> Iterator[CompletionChunk]:
    """Sends one streamed request and yields its chunks."""
    with _client_or_default(client) as active:
        yield from _stream(active, kwargs)


async def astream(
    client: httpx.AsyncClient | None, **kwargs: Any
) -> AsyncIterator[CompletionChunk]:
    """Async version of `stream`."""
    async with _async_client_or_default(client) as active:
        async for chunk in _astream(active, kwargs):
            yield chunk
