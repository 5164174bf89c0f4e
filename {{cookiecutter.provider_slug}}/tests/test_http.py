"""The HTTP layer: server-sent events, default clients, secrets, redirects.

The decoder is tested against the WHATWG spec's examples.
"""

from collections.abc import Callable

import httpx
import pytest

from {{ cookiecutter.__pkg }}._http import (
    ServerSentEvent,
    aiter_sse,
    asend,
    build_async_client,
    build_client,
    close_shared_clients,
    iter_sse,
    redact,
    secrets_of,
    send,
    shared_client,
    timeout,
)
from {{ cookiecutter.__pkg }}._retry import AsyncRetryTransport, RetryTransport

from . import fake_wire
from .conftest import FAKE_API_KEY
from .fake_server import FakeAPI


def events(text: str) -> list[ServerSentEvent]:
    """Decodes a whole stream given as text."""
    return list(iter_sse(text.split("\n")))


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


@pytest.mark.anyio
async def test_async_decoding_matches() -> None:
    """The async decoder gives the same events."""

    async def lines():
        for line in ["event: x", "data: 1", "", "data: 2", ""]:
            yield line

    assert [event async for event in aiter_sse(lines())] == [
        ServerSentEvent("x", "1", None),
        ServerSentEvent("message", "2", None),
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
    """Default clients get the configured base URL, headers, timeouts and retries."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v2")
    monkeypatch.setenv("{{ cookiecutter.__env_max_retries }}", "3")
    client = build({"X-Key": "k"})
    assert str(client.base_url) == "https://api.test/v2/"
    assert client.headers["x-key"] == "k"
    assert client.timeout == httpx.Timeout(600.0, connect=5.0)
    transport = client._transport  # httpx's own attribute: no public accessor
    assert isinstance(transport, RetryTransport | AsyncRetryTransport)
    assert transport.policy.max_retries == 3


def test_the_sync_default_client_is_kept_until_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One kept client per settings and headers; `close_shared_clients` ends them."""
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", "https://api.test/v2")
    kept = shared_client({"X-Key": "k"})
    assert shared_client({"X-Key": "k"}) is kept
    assert shared_client({"X-Key": "other"}) is not kept
    monkeypatch.setenv("{{ cookiecutter.__env_max_retries }}", "5")
    assert shared_client({"X-Key": "k"}) is not kept

    close_shared_clients()

    assert kept.is_closed
    assert shared_client({"X-Key": "k"}) is not kept


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
    """Queues two redirects to the API itself; returns a request it takes."""
    location = {"location": f"{fake_api.url}/{fake_wire.PATH}"}
    for _ in range(2):
        fake_api.reply(status=307, headers=location)
    body = {
        "model": "{{ cookiecutter.default_model }}",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": "Hi"}],
    }
    headers = fake_wire.auth_headers(FAKE_API_KEY)
    return client.build_request("POST", fake_wire.PATH, json=body, headers=headers)


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
