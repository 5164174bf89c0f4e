"""Which httpx client a call uses, and how: yours as given, or a default one."""

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx
import pytest
from mirascope.core import prompt_template

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}AuthenticationError,
    {{ cookiecutter.__prefix }}CallResponse,
    {{ cookiecutter.__prefix }}DynamicConfig,
    {{ cookiecutter.__prefix }}MissingAPIKeyError,
    {{ cookiecutter.__prefix }}Stream,
    {{ cookiecutter.__prefix }}TimeoutError,
    RetryPolicy,
    _wire,
    {{ cookiecutter.__call_fn }},
    use_retry_policy,
)
from {{ cookiecutter.__pkg }}._redaction import SENSITIVE_HEADERS
from {{ cookiecutter.__pkg }}._settings import BASE_URL_ENV

from . import fake_wire
from .conftest import FAKE_API_KEY, Runner
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
HI = prompt_template("Hi")


def hi() -> None:
    """The prompt function of the tests run sync and async."""


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


def test_the_key_goes_in_the_formats_headers_alone(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A call posts JSON with the key in the API's auth headers, and in no other.

    No header that carries a key elsewhere (`Authorization`, say, for an API
    whose key is `x-api-key`) is sent beside them.
    """
    fake_api.reply("Hello.")
    run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL))()

    auth = fake_wire.auth_headers(FAKE_API_KEY)
    expected = {name.lower(): value for name, value in auth.items()}
    sent = fake_api.last.headers
    assert fake_api.last.method == "POST"
    assert sent["content-type"] == "application/json"
    secret = {k: v for k, v in sent.items() if k in SENSITIVE_HEADERS or k in expected}
    assert secret == expected


def test_the_default_client_is_kept(fake_api: FakeAPI, run: Runner) -> None:
    """Calls without a client share one kept client, so they reuse its connection.

    Async calls share one per event loop.
    """
    fake_api.reply("Hello.")
    fake_api.reply("Hello, streamed.")
    fake_api.reply("Hello again.")

    assert run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL))().content == "Hello."
    stream, _ = run.stream(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, stream=True))()
    assert stream.content == "Hello, streamed."
    assert run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL))().content == "Hello again."

    assert len({request.connection for request in fake_api.requests}) == 1


@pytest.mark.parametrize("client", ["default", "yours"])
def test_leaving_an_async_stream_early_is_quiet(
    fake_api: FakeAPI, caplog: pytest.LogCaptureFixture, client: str
) -> None:
    """A caller that breaks out of an async stream leaves nothing to complain about.

    When `asyncio.run` ends, the loop closes the async generators left open:
    none fails, and nothing is logged (no generator closed twice at once).
    """
    caplog.set_level(logging.WARNING)
    fake_api.reply("Dune, by Frank Herbert.", piece_size=2)

    async def main() -> str:
        async with httpx.AsyncClient(base_url=fake_api.url) as yours:
            chosen = yours if client == "yours" else None

            @{{ cookiecutter.__call_fn }}(MODEL, client=chosen, stream=True)
            @prompt_template("Recommend a book")
            async def recommend(): ...

            async for chunk, _ in await recommend():
                if chunk.content:
                    return chunk.content
        return ""

    assert asyncio.run(main()) == "Du"
    assert [record.getMessage() for record in caplog.records] == []


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
    assert raised.value.status_code == fake_wire.refuse_key()[0]
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
        (run.stream if stream else run)(hi, HI, decorator)()

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
    # The path of the call's own kind: a format may have one for streams.
    path = _wire.WIRE.path(MODEL, stream=stream)
    fake_api.reply(status=307, headers={"location": f"{fake_api.url}/{path}"})
    fake_api.reply("Hello.")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)
    result = (run.stream if stream else run)(hi, HI, decorator)()

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


def one_connection(run: Runner, fake_api: FakeAPI) -> httpx.Client | httpx.AsyncClient:
    """A client of one connection, which waits 0.2 s at most for it."""
    limits = httpx.Limits(max_connections=1)
    timeout = httpx.Timeout(5.0, pool=0.2)
    return run.client(base_url=fake_api.url, limits=limits, timeout=timeout)


def test_an_exhausted_pool_is_named(fake_api: FakeAPI, run: Runner) -> None:
    """A call that finds no free connection says it is the local pool, not the API."""
    client = one_connection(run, fake_api)
    fake_api.reply("Dune, by Frank Herbert.", piece_size=2)

    async def left_open() -> Any:
        stream = await run_async_stream(client)
        await anext(aiter(stream))
        return stream

    if run.is_async:
        stream = run.wait(left_open())
    else:
        stream = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=True)(HI(hi))()
        next(iter(stream))

    with (
        use_retry_policy(RetryPolicy(max_retries=0)),
        pytest.raises({{ cookiecutter.__prefix }}TimeoutError, match="local connection pool"),
    ):
        run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, client=client))()
    fake_api.reset()


async def run_async_stream(client: httpx.Client | httpx.AsyncClient) -> Any:
    """An async stream of `hi` on `client`, not yet iterated."""

    @{{ cookiecutter.__call_fn }}(MODEL, client=cast(httpx.AsyncClient, client), stream=True)
    @prompt_template("Hi")
    async def hi_async(): ...

    return await hi_async()


@pytest.mark.parametrize("how", ["close", "with"])
def test_a_stream_closed_early_frees_its_connection(
    fake_api: FakeAPI, run: Runner, how: str
) -> None:
    """`close()` / `aclose()`, or a `with` block, release a stream left unfinished."""
    client = one_connection(run, fake_api)
    fake_api.reply("Dune, by Frank Herbert.", piece_size=2)
    fake_api.reply("Hello.")

    async def async_early() -> None:
        stream = await run_async_stream(client)
        if how == "with":
            async with stream:
                await anext(aiter(stream))
        else:
            await anext(aiter(stream))
            await stream.aclose()

    if run.is_async:
        run.wait(async_early())
    else:
        stream = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=True)(HI(hi))()
        if how == "with":
            with stream:
                next(iter(stream))
        else:
            next(iter(stream))
            stream.close()

    with use_retry_policy(RetryPolicy(max_retries=0)):
        assert run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, client=client))().content == "Hello."


def bare_stream(chunks: Any) -> {{ cookiecutter.__prefix }}Stream:
    """A stream over `chunks` as Mirascope would build it, with nothing sent."""
    return {{ cookiecutter.__prefix }}Stream(
        stream=chunks,
        metadata={},
        tool_types=None,
        call_response_type={{ cookiecutter.__prefix }}CallResponse,
        model=MODEL,
        prompt_template=None,
        fn_args={},
        dynamic_config=None,
        messages=[],
        call_params={},
        call_kwargs=cast(Any, {}),
    )


def test_closing_a_stream_of_either_kind_is_harmless() -> None:
    """`close` and `aclose` do what they can on a stream of either kind, even empty."""

    def sync_chunks() -> Iterator[Any]:
        yield from ()

    async def async_chunks() -> AsyncIterator[Any]:
        for chunk in ():
            yield chunk

    sync, asynchronous = bare_stream(sync_chunks()), bare_stream(async_chunks())

    async def main() -> list[Any]:
        async with asynchronous:
            pairs = [pair async for pair in asynchronous]
        await sync.aclose()
        return pairs

    assert asyncio.run(main()) == []
    asynchronous.close()
    with sync:
        assert list(sync) == []
