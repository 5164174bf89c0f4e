"""Requests to and responses from the {{ cookiecutter.provider_name }} chat-completions endpoint.

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
from typing import Any

import httpx
from pydantic import ValidationError

from ._http import (
    ServerSentEvent,
    aiter_sse,
    build_async_client,
    build_client,
    configured_api_key,
    iter_sse,
    missing_headers,
    raise_for_status,
    redact,
    request_url,
    require_api_key,
    targets_configured_api,
    translated_errors,
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
    body = {k: v for k, v in kwargs.items() if k not in ("extra_body", "extra_headers")}
    if stream:
        body["stream"] = True
        options: dict[str, Any] = body.get("stream_options") or {}
        body["stream_options"] = {**options, "include_usage": True}
    body.update(kwargs.get("extra_body") or {})
    return body


def error_message(content: bytes) -> str | None:
    """Returns the message of an error body, if it has the API's error shape."""
    # API-SPECIFIC: the error body, `{"error": {"message": ...}}`.
    try:
        message = json.loads(content)["error"]["message"]
    except (ValueError, TypeError, KeyError):
        return None
    return message if isinstance(message, str) else None


def parse_completion(content: bytes) -> ChatCompletion:
    """Parses the body of a non-streamed response.

    Raises:
        {{ cookiecutter.__prefix }}ResponseError: if the body is not a chat completion.
    """
    # API-SPECIFIC: the response body.
    try:
        return ChatCompletion.model_validate_json(content)
    except ValidationError as error:
        raise {{ cookiecutter.__prefix }}ResponseError(
            f"The API's answer is not a chat completion: {_excerpt(content)}"
        ) from error


def parse_event(event: ServerSentEvent) -> ChatCompletionChunk | None:
    """Parses one server-sent event; `None` means the stream is complete.

    Raises:
        {{ cookiecutter.__prefix }}ResponseError: for an error event, or an event that is not a chunk.
    """
    # API-SPECIFIC: the stream's events and how it ends.
    if event.data == "[DONE]":
        return None
    if (message := error_message(event.data.encode())) is not None:
        raise {{ cookiecutter.__prefix }}ResponseError(f"The API reported an error mid-stream: {message}")
    try:
        return ChatCompletionChunk.model_validate_json(event.data)
    except ValidationError as error:
        raise {{ cookiecutter.__prefix }}ResponseError(
            f"The API sent an event that is not a chunk: {_excerpt(event.data)}"
        ) from error


def _excerpt(content: bytes | str) -> str:
    text = content.decode(errors="replace") if isinstance(content, bytes) else content
    return repr(redact(text[:200]))


def _incomplete() -> {{ cookiecutter.__prefix }}ResponseError:
    return {{ cookiecutter.__prefix }}ResponseError(
        "The stream ended before the API said it was complete (no `[DONE]`)."
    )


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


def _post(client: httpx.Client, kwargs: dict[str, Any]) -> ChatCompletion:
    with translated_errors():
        response = client.post(
            request_url(client, PATH),
            json=request_body(kwargs, stream=False),
            headers=_headers(client, kwargs),
        )
    raise_for_status(response, error_message(response.content))
    return parse_completion(response.content)


async def _apost(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> ChatCompletion:
    with translated_errors():
        response = await client.post(
            request_url(client, PATH),
            json=request_body(kwargs, stream=False),
            headers=_headers(client, kwargs),
        )
    raise_for_status(response, error_message(response.content))
    return parse_completion(response.content)


def _stream(
    client: httpx.Client, kwargs: dict[str, Any]
) -> Iterator[ChatCompletionChunk]:
    with (
        translated_errors(),
        client.stream(
            "POST",
            request_url(client, PATH),
            json=request_body(kwargs, stream=True),
            headers=_headers(client, kwargs),
        ) as response,
    ):
        if response.is_error:
            response.read()
            raise_for_status(response, error_message(response.content))
        events = iter_sse(response.iter_lines())
        for event in events:
            if (chunk := parse_event(event)) is None:
                break
            yield chunk
        else:
            raise _incomplete()
        for _ in events:  # read to the end, so the connection can be reused
            pass


async def _astream(
    client: httpx.AsyncClient, kwargs: dict[str, Any]
) -> AsyncIterator[ChatCompletionChunk]:
    with translated_errors():
        async with client.stream(
            "POST",
            request_url(client, PATH),
            json=request_body(kwargs, stream=True),
            headers=_headers(client, kwargs),
        ) as response:
            if response.is_error:
                await response.aread()
                raise_for_status(response, error_message(response.content))
            events = aiter_sse(response.aiter_lines())
            async for event in events:
                if (chunk := parse_event(event)) is None:
                    break
                yield chunk
            else:
                raise _incomplete()
            async for _ in events:  # read to the end, so the connection is reused
                pass


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
