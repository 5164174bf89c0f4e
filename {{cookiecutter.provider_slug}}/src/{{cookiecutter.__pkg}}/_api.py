"""Requests to and responses from the {{ cookiecutter.__name_doc }} chat-completions endpoint.

These four functions stand in for a vendor SDK's `create` methods: `create` and
`stream` (sync), `acreate` and `astream` (async). Each takes the httpx client
to use, or `None` for a default client that it builds from the environment and
closes when done; a client given by the user is never closed.

Failures raise the errors of `errors.py`; retries happen below, in the
client's transport (`_retry.py`).
"""

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, cast

import httpx
from pydantic import ValidationError

from ._http import (
    MESSAGE_LIMIT,
    ServerSentEvent,
    aiter_sse,
    build_async_client,
    build_client,
    configured_api_key,
    guarded,
    iter_sse,
    missing_headers,
    raise_for_status,
    request_url,
    require_api_key,
    targets_configured_api,
)
from ._types import ChatCompletion, ChatCompletionChunk
from .errors import {{ cookiecutter.__prefix }}ResponseError

# API-SPECIFIC: the endpoint, relative to the base URL.
PATH = "chat/completions"


def auth_headers(api_key: str) -> dict[str, str]:
    """Returns the headers that authenticate a request."""
    # API-SPECIFIC: how the API authenticates.
    return {"Authorization": f"Bearer {api_key}"}


def request_body(kwargs: dict[str, Any], *, stream: bool) -> dict[str, Any]:
    """Returns the JSON body for the call kwargs (params, model, messages, tools)."""
    # API-SPECIFIC: the request body.
    dropped = ("extra_body", "extra_headers", *(() if stream else ("stream_options",)))
    body = {k: v for k, v in kwargs.items() if k not in dropped}
    if stream:
        body["stream"] = True
        options: dict[str, Any] = body.get("stream_options") or {}
        body["stream_options"] = {**options, "include_usage": True}
    body.update(kwargs.get("extra_body") or {})
    return body


def error_message(content: bytes | str) -> str | None:
    """Returns the error an API body reports, if it reports one.

    Takes the API's shape, `{"error": {"message": ...}}`, and the shapes of
    servers that copy it loosely: `{"error": "..."}`, an `error` without a
    message, and `{"object": "error", "message": ...}`.
    """
    # API-SPECIFIC: the error body.
    try:
        payload = json.loads(content)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    body = cast(dict[str, Any], payload)
    error = body.get("error")
    if isinstance(error, dict):
        return str(cast(dict[str, Any], error).get("message") or json.dumps(error))
    if error is not None:
        return str(error)
    if body.get("object") == "error":
        return str(body.get("message") or json.dumps(body))
    return None


def parse_completion(content: bytes) -> ChatCompletion:
    """Parses the body of a non-streamed response.

    Raises:
        {{ cookiecutter.__prefix }}ResponseError: if the body is not a chat completion.
    """
    # API-SPECIFIC: the response body.
    try:
        return ChatCompletion.model_validate_json(content)
    except ValidationError:
        raise {{ cookiecutter.__prefix }}ResponseError(
            f"The API's answer is not a chat completion: {_excerpt(content)}"
        ) from None


def parse_event(event: ServerSentEvent) -> ChatCompletionChunk | None:
    """Parses one server-sent event; `None` means the stream is complete.

    Raises:
        {{ cookiecutter.__prefix }}ResponseError: for an error event, or an event that is not a chunk.
    """
    # API-SPECIFIC: the stream's events and how it ends.
    if event.data == "[DONE]":
        return None
    message = error_message(event.data)
    if message is not None or event.event == "error":
        said = _excerpt(message or event.data)
        raise {{ cookiecutter.__prefix }}ResponseError(f"The API reported an error mid-stream: {said}")
    try:
        return ChatCompletionChunk.model_validate_json(event.data)
    except ValidationError:
        raise {{ cookiecutter.__prefix }}ResponseError(
            f"The API sent an event that is not a chunk: {_excerpt(event.data)}"
        ) from None


def _excerpt(content: bytes | str) -> str:
    """The start of an answer, quoted (redacted later, by `guarded`)."""
    text = content.decode(errors="replace") if isinstance(content, bytes) else content
    return repr(text[:MESSAGE_LIMIT])


def _incomplete() -> {{ cookiecutter.__prefix }}ResponseError:
    return {{ cookiecutter.__prefix }}ResponseError(
        "The stream ended before the API said it was complete (no `[DONE]`)."
    )


def _not_events(response: httpx.Response) -> {{ cookiecutter.__prefix }}ResponseError:
    kind = response.headers.get("content-type", "")
    return {{ cookiecutter.__prefix }}ResponseError(
        f"The API answered a stream request with {kind!r}, not server-sent events:"
        f" {_excerpt(response.content)}"
    )


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")


def _headers(
    client: httpx.Client | httpx.AsyncClient, kwargs: dict[str, Any]
) -> dict[str, str]:
    """Per-request headers: the call's extra headers, and auth the client lacks.

    The configured key is only added for requests to the configured API's host,
    so a client aimed elsewhere never receives it.
    """
    key = configured_api_key()
    headers = {}
    if key and targets_configured_api(client):
        headers = missing_headers(client, auth_headers(key))
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
    with build_client(auth_headers(require_api_key())) as owned:
        yield owned


@asynccontextmanager
async def _async_client_or_default(
    client: httpx.AsyncClient | None,
) -> AsyncGenerator[httpx.AsyncClient, None]:
    """Async version of `_client_or_default`."""
    if client is not None:
        yield client
        return
    async with build_async_client(auth_headers(require_api_key())) as owned:
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


def _post(client: httpx.Client, kwargs: dict[str, Any]) -> ChatCompletion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = client.send(request)
        raise_for_status(response, error_message(response.content))
        return parse_completion(response.content)


async def _apost(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> ChatCompletion:
    request = _request(client, kwargs, stream=False)
    with guarded(request):
        response = await client.send(request)
        raise_for_status(response, error_message(response.content))
        return parse_completion(response.content)


def _stream(
    client: httpx.Client, kwargs: dict[str, Any]
) -> Iterator[ChatCompletionChunk]:
    request = _request(client, kwargs, stream=True)
    with guarded(request):
        response = client.send(request, stream=True)
        try:
            if response.is_error or _is_json(response):
                response.read()
                raise_for_status(response, error_message(response.content))
                raise _not_events(response)
            for event in iter_sse(response.iter_lines()):
                if (chunk := parse_event(event)) is None:
                    return
                yield chunk
            raise _incomplete()
        finally:
            response.close()


async def _astream(
    client: httpx.AsyncClient, kwargs: dict[str, Any]
) -> AsyncIterator[ChatCompletionChunk]:
    request = _request(client, kwargs, stream=True)
    with guarded(request):
        response = await client.send(request, stream=True)
        try:
            if response.is_error or _is_json(response):
                await response.aread()
                raise_for_status(response, error_message(response.content))
                raise _not_events(response)
            async for event in aiter_sse(response.aiter_lines()):
                if (chunk := parse_event(event)) is None:
                    return
                yield chunk
            raise _incomplete()
        finally:
            await response.aclose()


def create(client: httpx.Client | None, **kwargs: Any) -> ChatCompletion:
    """Sends one chat-completion request and returns the parsed response."""
    with _client_or_default(client) as active:
        return _post(active, kwargs)


async def acreate(client: httpx.AsyncClient | None, **kwargs: Any) -> ChatCompletion:
    """Async version of `create`."""
    async with _async_client_or_default(client) as active:
        return await _apost(active, kwargs)


def stream(client: httpx.Client | None, **kwargs: Any) -> Iterator[ChatCompletionChunk]:
    """Sends one streamed chat-completion request and yields its chunks."""
    with _client_or_default(client) as active:
        yield from _stream(active, kwargs)


async def astream(
    client: httpx.AsyncClient | None, **kwargs: Any
) -> AsyncIterator[ChatCompletionChunk]:
    """Async version of `stream`."""
    async with _async_client_or_default(client) as active:
        async for chunk in _astream(active, kwargs):
            yield chunk
