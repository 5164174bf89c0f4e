"""Sending requests, and the package's errors for what goes wrong.

The part of the HTTP layer a vendor SDK's base client would hold: the URL of a
request, whether a client goes to the configured API, redirects followed
without taking secret headers to another origin, and the mapping of httpx's
errors and of an error status to the package's errors (`errors.py`).

Nothing here knows the wire format (`_wire.py`); `_api.py` builds requests
and parses responses on top of it. The settings are `_settings.py`'s, the
default clients `_clients.py`'s, redaction `_redaction.py`'s and the stream's
framing `_sse.py`'s.
"""

import functools
from collections.abc import Generator
from contextlib import contextmanager

import httpx

from ._redaction import MESSAGE_LIMIT, quoted, redact, scrub, secrets_of
from ._settings import base_url
from .errors import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}ConnectionError,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}TimeoutError,
    status_error_class,
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
    """Whether the client's requests go to the configured API's origin.

    The origin is the scheme, host and port: a client on `http://` for an API
    configured on `https://` would send the key in clear text. True for a
    client without a base URL, which is sent there.
    """
    if not client.base_url.host:
        return True
    return origin(client.base_url) == _configured_origin(base_url())


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """A URL's scheme, host and explicit port (httpx leaves out a default port)."""
    return url.scheme, url.host, url.port


@functools.lru_cache(maxsize=8)
def _configured_origin(url: str) -> tuple[str, str, int | None]:
    """The origin of a URL given as text; cached, as it is asked at each request."""
    return origin(httpx.URL(url))


def send(
    client: httpx.Client,
    request: httpx.Request,
    secret_headers: tuple[str, ...],
    *,
    stream: bool = False,
) -> httpx.Response:
    """Sends `request` as `client.send` does, but secret headers stay home.

    When it follows a redirect to another origin, httpx drops `Authorization`
    and nothing else: a key in a format's own header (`x-api-key`) would go
    along. So for a client that follows redirects, they are followed here, one
    at a time, each with the request httpx builds for it (method, body,
    cookies), and `secret_headers` are dropped once the chain leaves the
    request's origin (scheme, host and port); what follows is built from that
    request, so they stay dropped. An httpx event hook or transport would see
    every hop too, but belongs to the client, which is the user's own.
    """
    if not client.follow_redirects:
        return client.send(request, stream=stream)
    response = client.send(request, stream=stream, follow_redirects=False)
    hops = 0
    while (hop := response.next_request) is not None:
        response.read()
        hops += 1
        _keep_secrets_home(request, hop, hops, client.max_redirects, secret_headers)
        response = client.send(hop, stream=stream, follow_redirects=False)
    return response


async def asend(
    client: httpx.AsyncClient,
    request: httpx.Request,
    secret_headers: tuple[str, ...],
    *,
    stream: bool = False,
) -> httpx.Response:
    """Async version of `send`."""
    if not client.follow_redirects:
        return await client.send(request, stream=stream)
    response = await client.send(request, stream=stream, follow_redirects=False)
    hops = 0
    while (hop := response.next_request) is not None:
        await response.aread()
        hops += 1
        _keep_secrets_home(request, hop, hops, client.max_redirects, secret_headers)
        response = await client.send(hop, stream=stream, follow_redirects=False)
    return response


def _keep_secrets_home(
    request: httpx.Request,
    hop: httpx.Request,
    hops: int,
    max_redirects: int,
    secret_headers: tuple[str, ...],
) -> None:
    """Readies the next request of a redirect chain, as httpx would, but safer.

    Raises:
        httpx.TooManyRedirects: past the client's `max_redirects`, as httpx does.
    """
    if hops > max_redirects:
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=hop)
    if origin(hop.url) != origin(request.url):
        for name in secret_headers:
            hop.headers.pop(name, None)


def missing_headers(
    client: httpx.Client | httpx.AsyncClient, headers: dict[str, str]
) -> dict[str, str]:
    """Returns the entries of `headers` the client does not already set."""
    return {k: v for k, v in headers.items() if k not in client.headers}


def status_error(
    response: httpx.Response, api_message: str | None, meaning: int
) -> {{ cookiecutter.__prefix }}APIStatusError:
    """The package's error for a 4xx or 5xx response (body already read).

    Args:
        response: The response, its body read.
        api_message: The error message the API put in the body, if any.
        meaning: The status whose error class it gets: its own, or the one
            the API means by it (a bad key answered with 400 means 401).
    """
    secrets = secrets_of(response.request)
    body = redact(response.text, secrets)
    found = response.headers.get("x-request-id") or response.headers.get("request-id")
    request_id = redact(found, secrets) if found else None
    said = redact(api_message, secrets) if api_message else body or "(no body)"
    message = f"{response.status_code} {response.reason_phrase}: "
    message += said[:MESSAGE_LIMIT]
    if request_id:
        message += f" (request id {request_id})"
    return status_error_class(meaning)(
        message, status_code=response.status_code, request_id=request_id, body=body
    )


@contextmanager
def guarded(request: httpx.Request) -> Generator[None, None, None]:
    """Raises only the package's errors, and none that shows a secret.

    httpx's transport errors, and a redirect loop, become `{{ cookiecutter.__prefix }}TimeoutError` or
    `{{ cookiecutter.__prefix }}ConnectionError`, after the errors they came from are redacted
    in place; a body that its `content-encoding` does not decode becomes an
    `{{ cookiecutter.__prefix }}ResponseError`. An `{{ cookiecutter.__prefix }}ResponseError`, which quotes the API's
    answer, is redacted in place and raised without the errors it came from: a
    pydantic error quotes the answer whole, and a new error would keep the
    unredacted one as its context.
    """
    try:
        yield
    except httpx.PoolTimeout as error:
        message = (
            "No connection of the local connection pool was free in time: streams"
            " left unfinished keep theirs until closed (`stream.close()`, or use"
            f" the stream in a `with` block). {error!r}"
        )
        raise {{ cookiecutter.__prefix }}TimeoutError(redact(message, secrets_of(request))) from error
    except httpx.TimeoutException as error:
        scrub(error, secrets_of(request))
        raise {{ cookiecutter.__prefix }}TimeoutError(f"The API did not answer in time: {error!r}") from error
    except httpx.TransportError as error:
        scrub(error, secrets_of(request))
        message = f"The connection to the API failed: {error!r}"
        raise {{ cookiecutter.__prefix }}ConnectionError(message) from error
    except httpx.TooManyRedirects as error:
        message = f"The API redirected too many times: {error}"
        raise {{ cookiecutter.__prefix }}ConnectionError(redact(message, secrets_of(request))) from None
    except httpx.DecodingError as error:
        message = f"The API's answer could not be decoded: {error}"
        raise {{ cookiecutter.__prefix }}ResponseError(redact(message, secrets_of(request))) from None
    except {{ cookiecutter.__prefix }}ResponseError as error:
        error.args = (quoted(str(error), secrets_of(request)),)
        error.__cause__ = error.__context__ = None
        raise
