"""The default clients: built from the settings, kept and reused.

A call without a client of its own gets a default one (see `_api.py`), built
from the environment's settings (`_settings.py`). The sync one is kept and
reused while the settings stay the same; async ones are kept per event loop.
Sending a request and mapping its errors is `_http.py`'s.
"""

import asyncio
import atexit
import functools
import ssl
import threading
import weakref
from collections import OrderedDict
from collections.abc import AsyncGenerator

import httpx

from ._settings import base_url, timeout, timeout_seconds


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
    return (base_url(), timeout_seconds(), tuple(sorted(headers.items())))


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
