"""Which httpx client a call uses, and how: yours as given, or a default one."""

from collections.abc import Iterator
from typing import cast

import httpx
import pytest
from mirascope.core import prompt_template

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}AuthenticationError,
    {{ cookiecutter.__prefix }}DynamicConfig,
    {{ cookiecutter.__prefix }}MissingAPIKeyError,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._http import BASE_URL_ENV

from . import fake_wire
from .conftest import FAKE_API_KEY, Runner
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
GREETING = prompt_template("Hi")


def greet() -> None:
    """A prompt function, for the tests that run it sync and async."""


class CountingTransport(httpx.HTTPTransport):
    """A real transport that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Counts, then sends the request for real."""
        self.sent += 1
        return super().handle_request(request)


class AsyncCountingTransport(httpx.AsyncHTTPTransport):
    """A real async transport that counts the requests it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Counts, then sends the request for real."""
        self.sent += 1
        return await super().handle_async_request(request)


def test_default_client_uses_the_environment(fake_api: FakeAPI) -> None:
    """Without a client, the key and base URL come from the environment."""

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi(): ...

    fake_api.reply("Hello.")
    assert hi().content == "Hello."
    assert fake_wire.api_key_of(fake_api.last.headers) == FAKE_API_KEY


def test_the_default_client_is_kept(fake_api: FakeAPI) -> None:
    """Calls without a client share one kept client, so they reuse its connection."""

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi(): ...

    @{{ cookiecutter.__call_fn }}(MODEL, stream=True)
    @prompt_template("Hi")
    def hi_streamed(): ...

    fake_api.reply("Hello.")
    fake_api.reply("Hello, streamed.")
    fake_api.reply("Hello again.")
    assert hi().content == "Hello."
    assert "".join(chunk.content for chunk, _ in hi_streamed()) == "Hello, streamed."
    assert hi().content == "Hello again."

    assert len({request.connection for request in fake_api.requests}) == 1


def test_new_settings_get_a_new_default_client(
    fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call after a change of the environment's settings follows the change."""

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi(): ...

    fake_api.reply("Hello.")
    fake_api.reply("Hello again.")
    assert hi().content == "Hello."
    monkeypatch.setenv("{{ cookiecutter.api_key_env_var }}", "sk-another-key")
    with pytest.raises({{ cookiecutter.__prefix }}APIStatusError):
        hi()

    assert fake_wire.api_key_of(fake_api.last.headers) == "sk-another-key"
    fake_api.reset()


def test_missing_api_key_names_the_variable(
    fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key, the first call fails, naming the variable, and sends nothing."""
    monkeypatch.delenv("{{ cookiecutter.api_key_env_var }}")

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi(): ...

    with pytest.raises({{ cookiecutter.__prefix }}MissingAPIKeyError, match="{{ cookiecutter.api_key_env_var }}"):
        hi()
    assert fake_api.requests == []


def test_your_client_is_used_as_given(fake_api: FakeAPI) -> None:
    """Your client's base URL, headers and transport are used; it is not closed."""
    transport = CountingTransport()
    client = httpx.Client(
        base_url=fake_api.url, headers={"X-Team": "books"}, transport=transport
    )

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    fake_api.reply("Hello.")
    fake_api.reply("Hello again.")
    assert hi().content == "Hello."
    assert hi().content == "Hello again."

    assert transport.sent == 2
    assert fake_api.last.headers["x-team"] == "books"
    assert fake_wire.api_key_of(fake_api.last.headers) == FAKE_API_KEY
    assert not client.is_closed
    client.close()


def test_your_clients_auth_header_wins(fake_api: FakeAPI) -> None:
    """A client that sets its own auth header keeps it (here, a wrong key)."""
    client = httpx.Client(
        base_url=fake_api.url, headers=fake_wire.auth_headers("not-the-key")
    )

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    with pytest.raises({{ cookiecutter.__prefix }}APIStatusError) as raised:
        hi()
    assert raised.value.status_code == 401
    assert fake_wire.api_key_of(fake_api.last.headers) == "not-the-key"
    client.close()


def test_the_key_is_not_sent_to_another_host(fake_api: FakeAPI) -> None:
    """A client aimed at another host than the configured API never gets the key."""
    client = httpx.Client(base_url=fake_api.url.replace("127.0.0.1", "localhost"))

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    with pytest.raises({{ cookiecutter.__prefix }}APIStatusError):
        hi()
    assert fake_wire.api_key_of(fake_api.last.headers) is None
    client.close()


def test_the_key_is_not_sent_in_clear_text(
    fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client on `http://` for the configured API's `https://` never gets the key."""
    monkeypatch.setenv(BASE_URL_ENV, fake_api.url.replace("http://", "https://"))
    client = httpx.Client(base_url=fake_api.url)

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    with pytest.raises({{ cookiecutter.__prefix }}APIStatusError):
        hi()
    assert fake_wire.api_key_of(fake_api.last.headers) is None
    client.close()


@pytest.fixture
def other_api() -> Iterator[FakeAPI]:
    """A second fake API: another origin (another port) than `fake_api`."""
    server = FakeAPI(api_key="sk-key-of-the-other-host")
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
@pytest.mark.parametrize("header", ["format's", "api-key"])
def test_no_secret_header_follows_a_redirect_to_another_origin(
    fake_api: FakeAPI, other_api: FakeAPI, run: Runner, header: str, stream: bool
) -> None:
    """Your client may follow redirects, but secret headers stay with the API.

    httpx drops only `Authorization` when a redirect leaves the origin; the key
    in the format's own header, or in any header known to carry secrets, is
    dropped too.
    """
    headers = {"api-key": "sk-azure-style-key"} if header == "api-key" else {}
    client = run.client(base_url=fake_api.url, headers=headers, follow_redirects=True)
    elsewhere = {"location": f"{other_api.url}/{fake_wire.PATH}"}
    fake_api.reply(status=307, headers=elsewhere)

    decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)
    with pytest.raises({{ cookiecutter.__prefix }}AuthenticationError):
        (run.stream if stream else run)(greet, GREETING, decorator)()

    assert fake_wire.api_key_of(fake_api.last.headers) == FAKE_API_KEY
    sent = other_api.last.headers
    assert fake_wire.api_key_of(sent) is None
    assert "api-key" not in sent


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_redirect_within_the_origin_keeps_the_key(
    fake_api: FakeAPI, run: Runner, stream: bool
) -> None:
    """A redirect to the API's own origin is followed with the key."""
    client = run.client(base_url=fake_api.url, follow_redirects=True)
    fake_api.reply(status=307, headers={"location": f"{fake_api.url}/{fake_wire.PATH}"})
    fake_api.reply("Hello.")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)
    result = (run.stream if stream else run)(greet, GREETING, decorator)()

    assert (result[0] if stream else result).content == "Hello."
    assert [fake_wire.api_key_of(sent.headers) for sent in fake_api.requests] == [
        FAKE_API_KEY,
        FAKE_API_KEY,
    ]


def test_a_client_without_base_url_gets_the_configured_one(fake_api: FakeAPI) -> None:
    """A client with no base URL is sent to the configured base URL."""
    client = httpx.Client()

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    fake_api.reply("Hello.")
    assert hi().content == "Hello."
    assert fake_api.last.path == f"{fake_wire.BASE_PATH}/{fake_wire.PATH}"
    client.close()


def test_dynamic_config_client(fake_api: FakeAPI) -> None:
    """A client returned in the dynamic config is used for that call, not closed."""
    transport = CountingTransport()
    client = httpx.Client(base_url=fake_api.url, transport=transport)

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi() -> {{ cookiecutter.__prefix }}DynamicConfig:
        return {"client": client}

    fake_api.reply("Hello.")
    assert hi().content == "Hello."
    assert transport.sent == 1
    assert not client.is_closed
    client.close()


@pytest.mark.anyio
async def test_your_async_client_is_used_as_given(fake_api: FakeAPI) -> None:
    """An async function uses your `httpx.AsyncClient` and does not close it."""
    transport = AsyncCountingTransport()
    client = httpx.AsyncClient(base_url=fake_api.url, transport=transport)

    @{{ cookiecutter.__call_fn }}(MODEL, client=client, stream=True)
    @prompt_template("Hi")
    async def hi(): ...

    fake_api.reply("Hello there.")
    stream = await hi()
    assert "".join([chunk.content async for chunk, _ in stream]) == "Hello there."
    assert transport.sent == 1
    assert not client.is_closed
    await client.aclose()


@pytest.mark.anyio
async def test_a_sync_client_for_an_async_function_is_refused() -> None:
    """Mixing up sync and async clients fails with a clear message."""
    client = cast(httpx.AsyncClient, httpx.Client())  # the wrong kind on purpose

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    async def hi(): ...

    with pytest.raises(TypeError, match=r"async function needs an httpx\.AsyncClient"):
        await hi()
    cast(httpx.Client, client).close()


def test_an_async_client_for_a_sync_function_is_refused() -> None:
    """Mixing up sync and async clients fails with a clear message."""
    client = cast(httpx.Client, httpx.AsyncClient())  # the wrong kind on purpose

    @{{ cookiecutter.__call_fn }}(MODEL, client=client)
    @prompt_template("Hi")
    def hi(): ...

    with pytest.raises(TypeError, match=r"sync function needs an httpx\.Client"):
        hi()
