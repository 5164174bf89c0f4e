"""The HTTP layer a vendor SDK would provide: configuration, clients, errors, SSE.

Nothing here knows the wire format (`_wire.py`); `_api.py` builds requests
and parses responses on top of it.

The default client is configured from the environment, read at each call (not
at import); the sync one is kept and reused while the configuration stays the
same (see `_api.py`):

- `{{ cookiecutter.api_key_env_var }}`: the API key (required for the default client).
- `{{ cookiecutter.__env_base_url }}`: the base URL, {{ cookiecutter.api_base_url }} by default.
- `{{ cookiecutter.__env_timeout }}`: seconds to wait for the API, more than 0 and at most a
  day; 600 by default (connecting: at most 5).
- `{{ cookiecutter.__env_max_retries }}`: retries of a failed request, 2 by default.
"""

import asyncio
import atexit
import codecs
import functools
import logging
import math
import os
import re
import ssl
import threading
import weakref
from collections import OrderedDict
from collections.abc import AsyncGenerator, Generator
from contextlib import contextmanager
from typing import NamedTuple

import httpx

from .errors import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}ConnectionError,
    {{ cookiecutter.__prefix }}MissingAPIKeyError,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}TimeoutError,
    status_error_class,
)

PROVIDER_NAME = {{ cookiecutter.provider_name | tojson }}
"""The API's name, as messages show it."""
API_KEY_ENV = "{{ cookiecutter.api_key_env_var }}"
BASE_URL_ENV = "{{ cookiecutter.__env_base_url }}"
TIMEOUT_ENV = "{{ cookiecutter.__env_timeout }}"
MAX_RETRIES_ENV = "{{ cookiecutter.__env_max_retries }}"
DEFAULT_BASE_URL = "{{ cookiecutter.api_base_url }}"
DEFAULT_TIMEOUT = 600.0
MAX_CONNECT_TIMEOUT = 5.0
MAX_TIMEOUT = 86_400.0
"""The longest timeout `{{ cookiecutter.__env_timeout }}` may set: a day."""
DEFAULT_MAX_RETRIES = 2


def base_url() -> str:
    """Returns the API base URL: `{{ cookiecutter.__env_base_url }}` if set, else the default."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def configured_api_key() -> str | None:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`, or `None` if unset or empty."""
    return os.environ.get(API_KEY_ENV) or None


def require_api_key() -> str:
    """Returns the API key from `{{ cookiecutter.api_key_env_var }}`.

    Raises:
        {{ cookiecutter.__prefix }}MissingAPIKeyError: if the variable is unset or empty.
    """
    if key := configured_api_key():
        return key
    raise {{ cookiecutter.__prefix }}MissingAPIKeyError(
        f"No API key: set the {API_KEY_ENV} environment variable, or pass an "
        "httpx client that authenticates (`client=`)."
    )


def _number_from_env(name: str, default: float, *, integer: bool) -> float:
    """Reads a setting from the environment, failing clearly.

    A whole number, 0 or more; or seconds, more than 0 and at most
    `MAX_TIMEOUT`: 0 s would time every request out before it is sent, and
    the clocks under httpx take neither nan nor infinity (nor, on a sync
    client, much more than 292 years).
    """
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        number = math.nan  # refused below: any comparison with nan is false
    if (number >= 0) if integer else (0 < number <= MAX_TIMEOUT):
        return number
    kind = (
        "a whole number, 0 or more"
        if integer
        else f"a number of seconds, more than 0 and at most {MAX_TIMEOUT:.0f} (a day)"
    )
    raise ValueError(f"{name} must be {kind}; it is {value!r}.")


def _timeout_seconds() -> float:
    return _number_from_env(TIMEOUT_ENV, DEFAULT_TIMEOUT, integer=False)


def timeout() -> httpx.Timeout:
    """Returns the default client's timeouts: `{{ cookiecutter.__env_timeout }}`, else 600 s."""
    seconds = _timeout_seconds()
    return httpx.Timeout(seconds, connect=min(seconds, MAX_CONNECT_TIMEOUT))


def max_retries() -> int:
    """Returns the default client's retries: `{{ cookiecutter.__env_max_retries }}`, else 2."""
    return int(_number_from_env(MAX_RETRIES_ENV, DEFAULT_MAX_RETRIES, integer=True))


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The default clients' TLS settings, made once per process.

    Loading the certificate bundle takes tens of milliseconds of CPU, which
    httpx would spend again for every client it builds.
    """
    return httpx.create_ssl_context()


def build_client(headers: dict[str, str]) -> httpx.Client:
    """Builds a default sync client: base URL, headers, timeouts."""
    transport = httpx.HTTPTransport(verify=ssl_context())
    return httpx.Client(
        base_url=base_url(),
        headers=headers,
        timeout=timeout(),
        verify=ssl_context(),
        transport=transport,
    )


def build_async_client(headers: dict[str, str]) -> httpx.AsyncClient:
    """Builds a default async client: base URL, headers, timeouts."""
    transport = httpx.AsyncHTTPTransport(verify=ssl_context())
    return httpx.AsyncClient(
        base_url=base_url(),
        headers=headers,
        timeout=timeout(),
        verify=ssl_context(),
        transport=transport,
    )


MAX_KEPT_CLIENTS = 8
"""The most default clients kept at once, per event loop for async ones.

A process that changes its settings or key often keeps the last ones used; an
older one is closed when a new one would be one too many.
"""

_ClientKey = tuple[object, ...]


def _client_key(headers: dict[str, str]) -> _ClientKey:
    return (base_url(), _timeout_seconds(), tuple(sorted(headers.items())))


_shared_clients: "OrderedDict[_ClientKey, httpx.Client]" = OrderedDict()
_shared_clients_lock = threading.Lock()


def shared_client(headers: dict[str, str]) -> httpx.Client:
    """Returns the default sync client for the current settings and headers.

    It is built at the first call and kept, so that later calls reuse its
    connections instead of connecting again; a change of the environment's
    settings gets its own client. The `MAX_KEPT_CLIENTS` last used are kept,
    and closed at exit.
    """
    key = _client_key(headers)
    evicted: list[httpx.Client] = []
    with _shared_clients_lock:
        client = _shared_clients.get(key)
        if client is None or client.is_closed:
            client = _shared_clients[key] = build_client(headers)
        _shared_clients.move_to_end(key)
        while len(_shared_clients) > MAX_KEPT_CLIENTS:
            evicted.append(_shared_clients.popitem(last=False)[1])
    for old in evicted:
        old.close()
    return client


@atexit.register
def close_shared_clients() -> None:
    """Closes and forgets the kept default sync clients."""
    with _shared_clients_lock:
        clients = list(_shared_clients.values())
        _shared_clients.clear()
    for client in clients:
        client.close()


class _LoopClients:
    """The default async clients of one event loop, closed when the loop shuts down.

    An `httpx.AsyncClient` belongs to the loop it first ran on: its connections
    cannot be used, nor closed, from another. So each loop keeps its own
    clients, and closes them while it shuts down (`asyncio.run` and
    `asyncio.Runner` close every open async generator then, `_closer` among
    them). A loop closed without that step leaves its clients to the garbage
    collector; they are forgotten at the next call.
    """

    def __init__(self) -> None:
        self.clients: OrderedDict[_ClientKey, httpx.AsyncClient] = OrderedDict()
        self._closer: AsyncGenerator[None, None] | None = None

    async def get(self, headers: dict[str, str]) -> httpx.AsyncClient:
        if self._closer is None:
            # Started here, so that the loop knows it and closes it at shutdown.
            self._closer = self._close_at_shutdown()
            await anext(self._closer)
        key = _client_key(headers)
        client = self.clients.get(key)
        if client is None or client.is_closed:
            client = self.clients[key] = build_async_client(headers)
        self.clients.move_to_end(key)
        while len(self.clients) > MAX_KEPT_CLIENTS:
            await self.clients.popitem(last=False)[1].aclose()
        return client

    async def _close_at_shutdown(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            clients = list(self.clients.values())
            self.clients.clear()
            for client in clients:
                await client.aclose()


_loop_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClients]" = (
    weakref.WeakKeyDictionary()
)
_loop_clients_lock = threading.Lock()


async def shared_async_client(headers: dict[str, str]) -> httpx.AsyncClient:
    """Returns the default async client of the running loop for the current settings.

    Kept like `shared_client`, but per event loop, and closed when the loop
    shuts down (see `_LoopClients`); safe with loops in several threads.
    """
    loop = asyncio.get_running_loop()
    with _loop_clients_lock:
        for old in [old for old in _loop_clients if old.is_closed()]:
            del _loop_clients[old]
        clients = _loop_clients.get(loop)
        if clients is None:
            clients = _loop_clients[loop] = _LoopClients()
    return await clients.get(headers)


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


SENSITIVE_HEADERS = ("authorization", "proxy-authorization", "x-api-key", "api-key")
"""Headers whose values are secrets, whatever the API."""

MESSAGE_LIMIT = 500
"""The most characters of the API's own words an error message quotes."""

_MARKED = re.compile("\x02(.*?)\x03", re.DOTALL)
"""An answer marked by `excerpt`, in a message that `guarded` has not quoted yet."""
_UNMARKED = str.maketrans("\x02\x03", "\ufffd\ufffd")


def excerpt(content: bytes | str) -> str:
    """An answer to quote in an error message, marked for `guarded` to quote.

    `guarded` redacts the message, then cuts each excerpt to `MESSAGE_LIMIT`
    characters and quotes it: cut first, a key the answer echoes across the
    cut would keep its start. The mark holds at most twice as many characters,
    so that a key cut off there is dropped by the second cut.
    """
    text = content.decode(errors="replace") if isinstance(content, bytes) else content
    return f"\x02{text[: 2 * MESSAGE_LIMIT].translate(_UNMARKED)}\x03"


def quoted(message: str, secrets: tuple[str, ...]) -> str:
    """`message` redacted, then each excerpt in it cut short and quoted."""
    return _MARKED.sub(lambda m: repr(m[1][:MESSAGE_LIMIT]), redact(message, secrets))


def quote_answer(content: bytes | str) -> str:
    """An answer quoted in an error raised where no request is at hand.

    The stream's chunks are turned into tools outside `guarded`: the quote is
    finished here, redacted of the configured key, then cut.
    """
    return quoted(excerpt(content), secrets_of(None))


def secrets_of(request: httpx.Request | None) -> tuple[str, ...]:
    """The secrets a request carries, longest first.

    They are the configured key, and the values of the request's sensitive
    headers, whole and without their scheme (as in `Bearer <key>`).
    """
    secrets = {configured_api_key() or ""}
    for name in SENSITIVE_HEADERS:
        value = request.headers.get(name, "") if request is not None else ""
        secrets |= {value, value.partition(" ")[2]}
    return tuple(sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Returns `text` without any of the secrets."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


def scrub(error: BaseException, secrets: tuple[str, ...]) -> None:
    """Redacts the text of `error`, and of the errors it came from, in place.

    httpx's errors may quote what the server sent (a malformed header line).
    """
    current: BaseException | None = error
    while current is not None:
        current.args = tuple(
            redact(arg, secrets) if isinstance(arg, str) else arg
            for arg in current.args
        )
        current = current.__cause__ or current.__context__


TRACE_LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
"""httpcore's loggers: at DEBUG, they trace each exchange, with the response
headers as they arrive."""


class KeyFilter(logging.Filter):
    """Takes the configured API key out of the records of httpcore's trace.

    A server that echoes the key in a response header (a request id) would show
    it in a DEBUG log. Only the configured key is known here: a key set in your
    own client's headers is not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redacts the record's message in place; keeps every record."""
        message = record.getMessage()
        redacted = redact(message, secrets_of(None))
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_KEY_FILTER = KeyFilter()
for _logger in TRACE_LOGGERS:
    logging.getLogger(_logger).addFilter(_KEY_FILTER)


def status_error(
    response: httpx.Response, api_message: str | None
) -> {{ cookiecutter.__prefix }}APIStatusError:
    """The package's error for a 4xx or 5xx response (body already read).

    Args:
        response: The response, its body read.
        api_message: The error message the API put in the body, if any.
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
    return status_error_class(response.status_code)(
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


class LineSplitter:
    """Turns the bytes of a streamed body into lines of text, strictly UTF-8.

    Hand-written because httpx's `iter_lines` does two things a stream must
    not: it replaces bytes that are not UTF-8 with U+FFFD (the answer would
    change silently, where a call's answer raises), and it also ends lines at
    the other Unicode line breaks (U+2028, U+0085 ...), which JSON text may
    hold unescaped. Server-sent events are UTF-8, and their lines end at CR LF,
    LF or CR only.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._rest: list[str] = []
        self._held_cr = False

    def feed(self, data: bytes) -> list[str]:
        """Feeds bytes; returns the lines they complete, without their ends.

        Raises:
            {{ cookiecutter.__prefix }}ResponseError: if the bytes are not UTF-8.
        """
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError as error:
            start = max(0, error.start - 60)
            sent = error.object[start : error.end + 20]
            raise {{ cookiecutter.__prefix }}ResponseError(
                f"The API sent a stream that is not UTF-8 text: {sent!r}"
            ) from None
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if "\n" not in text and "\r" not in text:
            self._rest.append(text)
            return []
        if text.endswith("\r"):  # the first half of a CR LF, perhaps
            self._held_cr = True
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if self._rest:
            lines[0] = "".join(self._rest) + lines[0]
            self._rest = []
        if last := lines.pop():
            self._rest.append(last)
        return lines

    def flush(self) -> list[str]:
        """Returns the last line, if the body ended with the CR that ends it."""
        return ["".join(self._rest)] if self._held_cr else []


class ServerSentEvent(NamedTuple):
    """One server-sent event."""

    event: str
    data: str
    id: str | None


class SSEDecoder:
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
        if line.startswith("data:"):  # the most common line first: a shortcut
            self._data.append(line[6:] if line.startswith("data: ") else line[5:])
            return None
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
