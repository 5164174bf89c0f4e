"""The HTTP layer a vendor SDK would provide: configuration, clients, JSON and SSE.

Nothing here knows the wire format; `_api.py` builds requests and parses
responses on top of it.

Configuration comes from the environment, read at call time (not at import):

- `{{ cookiecutter.api_key_env_var }}`: the API key of the default client.
- `{{ cookiecutter.__env_base_url }}`: overrides the default base URL, {{ cookiecutter.api_base_url }}.
"""

import os
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import NamedTuple

import httpx

API_KEY_ENV = "{{ cookiecutter.api_key_env_var }}"
BASE_URL_ENV = "{{ cookiecutter.__env_base_url }}"
DEFAULT_BASE_URL = "{{ cookiecutter.api_base_url }}"
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)


class MissingAPIKeyError(RuntimeError):
    """Raised at the first call that needs an API key when none is configured."""


def base_url() -> str:
    """Returns the API base URL: `{{ cookiecutter.__env_base_url }}` if set, else the default."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def configured_api_key() -> str | None:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`, or `None` if unset or empty."""
    return os.environ.get(API_KEY_ENV) or None


def require_api_key() -> str:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`.

    Raises:
        MissingAPIKeyError: if the variable is unset or empty.
    """
    if key := configured_api_key():
        return key
    raise MissingAPIKeyError(
        f"No API key: set the {API_KEY_ENV} environment variable, or pass an "
        "httpx client that authenticates (`client=`)."
    )


def build_client(headers: dict[str, str]) -> httpx.Client:
    """Builds the default sync client: base URL, default headers and timeouts."""
    return httpx.Client(base_url=base_url(), headers=headers, timeout=DEFAULT_TIMEOUT)


def build_async_client(headers: dict[str, str]) -> httpx.AsyncClient:
    """Builds the default async client: base URL, default headers and timeouts."""
    return httpx.AsyncClient(
        base_url=base_url(), headers=headers, timeout=DEFAULT_TIMEOUT
    )


def request_url(client: httpx.Client | httpx.AsyncClient, path: str) -> str:
    """Returns `path` relative to the client's base URL, or absolute if it has none.

    A user-supplied client keeps its own base URL; one built without a base URL
    gets the configured one.
    """
    if client.base_url.host:
        return path
    return f"{base_url().rstrip('/')}/{path}"


def targets_configured_api(client: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether the client's requests go to the configured API's host.

    True for a client without a base URL, which is sent there.
    """
    if not client.base_url.host:
        return True
    configured = httpx.URL(base_url())
    return (client.base_url.host, client.base_url.port) == (
        configured.host,
        configured.port,
    )


def missing_headers(
    client: httpx.Client | httpx.AsyncClient, headers: dict[str, str]
) -> dict[str, str]:
    """Returns the entries of `headers` the client does not already set."""
    return {k: v for k, v in headers.items() if k not in client.headers}


def raise_for_status(response: httpx.Response) -> None:
    """Raises `httpx.HTTPStatusError` for a 4xx or 5xx response.

    The body has been read, so the error's response carries the API's message.
    """
    response.raise_for_status()


class ServerSentEvent(NamedTuple):
    """One server-sent event."""

    event: str
    data: str
    id: str | None


class _SSEDecoder:
    """Turns lines into events, following the WHATWG server-sent events spec.

    Hand-written rather than taken from `httpx-sse` so that the package (and
    the post-generation smoke test) needs nothing beyond Mirascope and httpx.
    """

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None

    def decode(self, line: str) -> ServerSentEvent | None:
        """Feeds one line; returns an event when a blank line completes one."""
        if not line:
            if not self._data:
                self._event = ""
                return None
            event = ServerSentEvent(
                self._event or "message", "\n".join(self._data), self._id
            )
            self._event, self._data = "", []
            return event
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self._id = value
        return None


def iter_sse(lines: Iterable[str]) -> Iterator[ServerSentEvent]:
    """Yields the events of a stream of lines; an unterminated last event is dropped."""
    decoder = _SSEDecoder()
    for line in lines:
        if (event := decoder.decode(line)) is not None:
            yield event


async def aiter_sse(lines: AsyncIterator[str]) -> AsyncIterator[ServerSentEvent]:
    """Async version of `iter_sse`."""
    decoder = _SSEDecoder()
    async for line in lines:
        if (event := decoder.decode(line)) is not None:
            yield event
