"""The HTTP layer: server-sent events, default clients, secrets, redirects.

The decoder is tested against the WHATWG spec's examples.
"""

import asyncio
import threading
from collections.abc import Callable

import httpx
import pytest

from {{ cookiecutter.__pkg }}._clients import (
    MAX_KEPT_CLIENTS,
    build_async_client,
    build_client,
    close_shared_clients,
    shared_async_client,
    shared_client,
)
from {{ cookiecutter.__pkg }}._http import asend, send
from {{ cookiecutter.__pkg }}._redaction import redact, secrets_of
from {{ cookiecutter.__pkg }}._settings import timeout
from {{ cookiecutter.__pkg }}._sse import (
    JSONLinesDecoder,
    LineSplitter,
    ServerSentEvent,
    SSEDecoder,
)

from . import fake_wire, wire_cases
from .conftest import FAKE_API_KEY
from .fake_server import FakeAPI


def events(text: str) -> list[ServerSentEvent]:
    """Decodes a whole stream given as text, line by line."""
    decoder = SSEDecoder()
    decoded = (decoder.decode(line) for line in text.split("\n"))
    return [event for event in decoded if event is not None]


def test_one_event_per_blank_line() -> None:
    """Each blank line ends an event; `data:` lines of one event join with newlines."""
    assert events("data: a\ndata: b\n\ndata: c\n\n") == [
        ServerSentEvent("message", "a\nb", None),
        ServerSentEvent("message", "c", None),
    ]


def test_event_names_ids_and_comments() -> None:
    """`event:` names an event, `id:` persists, comments, other fields skipped."""
    text = ": keep-alive\nevent: ping\nid: 7\nretry: 10\ndata: {}\n\ndata:x\n\n"
    assert events(text) == [
        ServerSentEvent("ping", "{}", "7"),
        ServerSentEvent("message", "x", "7"),
    ]


def test_an_event_without_data_is_not_dispatched() -> None:
    """A blank line after only an `event:` field dispatches nothing and resets it."""
    assert events("event: ping\n\ndata: x\n\n") == [
        ServerSentEvent("message", "x", None)
    ]


def test_a_data_field_without_colon_is_empty_data() -> None:
    """`data` alone is the data field with an empty value; one space is dropped."""
    assert events("data\n\ndata\ndata:  two\n\n") == [
        ServerSentEvent("message", "", None),
        ServerSentEvent("message", "\n two", None),
    ]


def test_an_unterminated_last_event_is_dropped() -> None:
    """Data with no blank line after it, at the end of the stream, is not an event."""
    assert events("data: a\n\ndata: cut off") == [ServerSentEvent("message", "a", None)]


@pytest.mark.parametrize(
    ("pieces", "lines"),
    [
        ([b"data: a\r", b"\ndata: b\rdata: c\n"], ["data: a", "data: b", "data: c"]),
        ([b"data: caf\xc3", b"\xa9\n"], ["data: caf\u00e9"]),
        ([b'data: "\xe2\x80\xa8"\n'], ['data: "\u2028"']),
        ([b"data: a", b"bc", b"\r\n\r"], ["data: abc", ""]),
        ([b"data: a\n", b"data: b"], ["data: a"]),
    ],
    ids=["cr-and-crlf", "split-character", "u2028", "last-cr", "unterminated"],
)
def test_the_lines_of_a_stream(pieces: list[bytes], lines: list[str]) -> None:
    """Lines end at CR LF, LF or CR only, wherever the pieces of the body split them.

    A character split between pieces is whole; U+2028, which JSON may hold
    unescaped, ends no line (httpx's `iter_lines` would end one there).
    """
    splitter = LineSplitter()
    found = [line for piece in pieces for line in splitter.feed(piece)]
    assert [*found, *splitter.flush()] == lines


def test_json_lines_are_events_and_the_last_may_lack_its_end() -> None:
    """One JSON value per line: each non-blank line is an event's data.

    The body may leave out the last line's end, which a server-sent event may
    not: the splitter returns that line too when told the body is `unended`.
    """
    splitter, decoder = LineSplitter(), JSONLinesDecoder()
    lines = splitter.feed(b'{"a": 1}\n\n  \n{"b": 2}')
    lines += splitter.flush(unended=True)
    assert [decoder.decode(line) for line in lines] == [
        ServerSentEvent("message", '{"a": 1}', None),
        None,
        None,
        ServerSentEvent("message", '{"b": 2}', None),
    ]


def test_default_timeouts() -> None:
    """600 s to read, write or wait for a connection; 5 s to connect."""
    assert timeout() == httpx.Timeout(600.0, connect=5.0)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        ("30", httpx.Timeout(30.0, connect=5.0)),
        ("2", httpx.Timeout(2.0, connect=2.0)),
        ("86400", httpx.Timeout(86400.0, connect=5.0)),
    ],
)
def test_timeouts_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, seconds: str, expected: httpx.Timeout
) -> None:
    """`{{ cookiecutter.__env_timeout }}` sets the timeout, up to a day; connecting waits 5 s at most."""
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", seconds)
    assert timeout() == expected


@pytest.mark.parametrize("build", [build_client, build_async_client])
def test_default_clients(
    monkeypatch: pytest.MonkeyPatch,
    build: Callable[[dict[str, str]], httpx.Client | httpx.AsyncClient],
) -> None:
    """Default clients get the configured base URL, headers and timeouts."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v2")
    client = build({"X-Key": "k"})
    assert str(client.base_url) == "https://api.test/v2/"
    assert client.headers["x-key"] == "k"
    assert client.timeout == httpx.Timeout(600.0, connect=5.0)


def test_the_sync_default_client_is_kept_until_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One kept client per settings and headers; `close_shared_clients` ends them."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v2")
    kept = shared_client({"X-Key": "k"})
    assert shared_client({"X-Key": "k"}) is kept
    assert shared_client({"X-Key": "other"}) is not kept
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "5")
    assert shared_client({"X-Key": "k"}) is not kept

    close_shared_clients()

    assert kept.is_closed
    assert shared_client({"X-Key": "k"}) is not kept


def test_kept_sync_clients_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MAX_KEPT_CLIENTS`, the least recently used kept client is closed."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v4")
    first = shared_client({"X-Key": "0"})
    clients = [shared_client({"X-Key": str(n)}) for n in range(1, MAX_KEPT_CLIENTS)]
    assert shared_client({"X-Key": "0"}) is first  # used again: now the newest

    shared_client({"X-Key": "one too many"})

    assert clients[0].is_closed
    assert not first.is_closed
    assert not any(client.is_closed for client in clients[1:])
    close_shared_clients()


async def _kept_async_clients(count: int) -> list[httpx.AsyncClient]:
    """The default async clients of `count` keys, asked for twice each."""
    first = [await shared_async_client({"X-Key": str(n)}) for n in range(count)]
    again = [await shared_async_client({"X-Key": str(n)}) for n in range(count)]
    assert first == again
    return first


def test_async_default_clients_are_kept_per_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Kept for the loop's life and closed when it shuts down; a new loop, new ones.

    Loops in other threads get clients of their own too.
    """
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v5")
    (first,) = asyncio.run(_kept_async_clients(1))
    assert first.is_closed
    (second,) = asyncio.run(_kept_async_clients(1))
    assert second is not first

    in_thread: list[httpx.AsyncClient] = []
    threads = [
        threading.Thread(
            target=lambda: in_thread.extend(asyncio.run(_kept_async_clients(1)))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(map(id, in_thread))) == 2
    assert all(client.is_closed for client in in_thread)


def test_kept_async_clients_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MAX_KEPT_CLIENTS` in one loop, the least recently used is closed."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v6")

    async def main() -> tuple[list[httpx.AsyncClient], httpx.AsyncClient]:
        keys = range(MAX_KEPT_CLIENTS + 1)
        clients = [await shared_async_client({"X-Key": str(n)}) for n in keys]
        closed = [client for client in clients if client.is_closed]
        return closed, await shared_async_client({"X-Key": "0"})

    closed, rebuilt = asyncio.run(main())

    assert len(closed) == 1
    assert rebuilt is not closed[0]


def test_a_closed_kept_client_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept client someone closed is built again."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v3")
    kept = shared_client({})
    kept.close()
    assert shared_client({}) is not kept


def test_secrets_of_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The configured key and the values of sensitive headers, whole and bare."""
    monkeypatch.setenv("{{ cookiecutter.api_key_env_var }}", "sk-environment")
    request = httpx.Request(
        "POST",
        "https://api.test/",
        headers={"Authorization": "Bearer sk-header", "X-Api-Key": "sk-other"},
    )
    secrets = secrets_of(request)
    assert set(secrets) == {
        "sk-environment",
        "Bearer sk-header",
        "sk-header",
        "sk-other",
    }
    text = "Bearer sk-header, sk-other and sk-environment"
    assert redact(text, secrets) == "[redacted], [redacted] and [redacted]"


def _redirected_twice(
    fake_api: FakeAPI, client: httpx.Client | httpx.AsyncClient
) -> httpx.Request:
    """Queues two redirects to the API itself; returns a request it takes.

    The request is the case table's first valid one (`wire_cases.FAKE_API`):
    its path and body are the format's.
    """
    valid = next(case for case in wire_cases.FAKE_API if case.reply)
    location = {"location": f"{fake_api.url}/{valid.path}"}
    for _ in range(2):
        fake_api.reply(status=307, headers=location)
    headers = fake_wire.auth_headers(FAKE_API_KEY)
    return client.build_request("POST", valid.path, json=valid.body, headers=headers)


def test_send_stops_at_the_clients_max_redirects(fake_api: FakeAPI) -> None:
    """Redirects that `send` follows stop at `max_redirects`, as httpx's do."""
    with httpx.Client(
        base_url=fake_api.url, follow_redirects=True, max_redirects=1
    ) as client:
        request = _redirected_twice(fake_api, client)
        with pytest.raises(httpx.TooManyRedirects):
            send(client, request, ())
    assert len(fake_api.requests) == 2


@pytest.mark.anyio
async def test_asend_stops_at_the_clients_max_redirects(fake_api: FakeAPI) -> None:
    """The same, async."""
    async with httpx.AsyncClient(
        base_url=fake_api.url, follow_redirects=True, max_redirects=1
    ) as client:
        request = _redirected_twice(fake_api, client)
        with pytest.raises(httpx.TooManyRedirects):
            await asend(client, request, ())
    assert len(fake_api.requests) == 2
