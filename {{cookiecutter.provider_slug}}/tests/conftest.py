"""Fixtures: the fake {{ cookiecutter.__name_doc }} API, live mode, and runners for sync and async calls.

Every test runs against the fake API, and the network is closed but for the
loopback: an accidental real request fails. The tests marked `live` also run
against the real API (`pytest --live`) or its recordings (`pytest --replay`):
they take the `api` fixture, which is the fake API or the real one.
"""

import asyncio
import functools
import os
from collections.abc import Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from {{ cookiecutter.__pkg }}._settings import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL

from .fake_server import FakeAPI
from .live import LiveAPI, configure_vcr, marks_for, vcr_settings

if TYPE_CHECKING:  # VCR.py is imported when a test records or replays (live.py)
    from vcr import VCR

FAKE_API_KEY = "sk-fake-{{ cookiecutter.provider_slug }}-key-for-tests"
"""The API key tests use; it must never show up in any output."""

RECORD_COMMAND = "pytest --live --record-mode=once"

MODE = pytest.StashKey[str]()
"""`fake` (the default), `live` (`--live`) or `replay` (`--replay`)."""

API = FakeAPI | LiveAPI
"""What the `api` fixture gives: the fake API, or the real one."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds `--live` and `--replay`."""
    group = parser.getgroup("live", "live mode (tests marked live)")
    group.addoption(
        "--live",
        action="store_true",
        help=f"run the tests marked live against the real API ({API_KEY_ENV},"
        f" and {BASE_URL_ENV} if set); with --record-mode=once, record them",
    )
    group.addoption(
        "--replay",
        action="store_true",
        help="run the tests marked live offline, from their recordings",
    )


def _has_pytest_recording(config: pytest.Config) -> bool:
    """Whether pytest-recording is loaded: by its entry point, or as a module.

    The post-generation hook loads it as a module (`-p pytest_recording.plugin`),
    with other plugins left out.
    """
    manager = config.pluginmanager
    return manager.hasplugin("recording") or manager.hasplugin(
        "pytest_recording.plugin"
    )


def pytest_configure(config: pytest.Config) -> None:
    """Checks the options and settles the mode."""
    if not _has_pytest_recording(config):
        message = (
            "pytest-recording is missing: it keeps the tests off the network and"
            " records live ones. Install the dev dependencies (`uv sync`)."
        )
        raise pytest.UsageError(message)
    live, replay = config.getoption("--live"), config.getoption("--replay")
    record_mode = config.getoption("--record-mode")
    if live and replay:
        raise pytest.UsageError("--live and --replay exclude each other.")
    if live and not os.environ.get(API_KEY_ENV):
        message = (
            f"--live runs against the real API: set {API_KEY_ENV} (and"
            f" {BASE_URL_ENV} if the API is not at {DEFAULT_BASE_URL})."
        )
        raise pytest.UsageError(message)
    if not live and record_mode not in (None, "none"):
        message = f"--record-mode={record_mode} records real exchanges: add --live."
        raise pytest.UsageError(message)
    config.stash[MODE] = "live" if live else "replay" if replay else "fake"


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Closes the network offline; keeps only the `live` tests in live mode.

    The checks of the adapter's files (`conformance/test_adapter.py`) run
    first, in any order (pytest-randomly shuffles before this hook): while the
    package is being adapted, the first failure names the file to write next.
    """
    mode, record_mode = config.stash[MODE], config.getoption("--record-mode")
    if mode != "fake":
        deselected = [item for item in items if not item.get_closest_marker("live")]
        items[:] = [item for item in items if item.get_closest_marker("live")]
        config.hook.pytest_deselected(items=deselected)
    items.sort(key=lambda item: item.path.name != "test_adapter.py")
    for item in items:
        for mark in marks_for(mode, record_mode):
            item.add_marker(mark)


def pytest_recording_configure(config: pytest.Config, vcr: "VCR") -> None:
    """Writes recordings as readable JSON: see `live.configure_vcr`."""
    configure_vcr(vcr)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """VCR.py's settings: see `live.vcr_settings`."""
    return vcr_settings()


@pytest.fixture
def api(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> API:
    """The fake API, or with `--live`/`--replay` the real one (see `LiveAPI`)."""
    mode = request.config.stash[MODE]
    if mode == "fake":
        return request.getfixturevalue("fake_api")
    # VCR.py patches httpx first, so the capture sees replayed requests too.
    cassette = request.getfixturevalue("vcr")
    if mode == "replay":
        if cassette is None or not len(cassette):
            pytest.skip(f"not recorded: {RECORD_COMMAND} records it")
        if not os.environ.get(API_KEY_ENV):
            monkeypatch.setenv(API_KEY_ENV, FAKE_API_KEY)
    live_api = LiveAPI()
    live_api.capture(monkeypatch)
    return live_api


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keeps each phase's report on the test item, for fixtures to read."""
    report = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture(scope="session")
def fake_api_server() -> Iterator[FakeAPI]:
    """One fake API server for the whole test session."""
    server = FakeAPI(api_key=FAKE_API_KEY)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_api(
    fake_api_server: FakeAPI,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[FakeAPI]:
    """The fake API, emptied, with the default client pointed at it.

    A test that passes must have used every reply it queued.
    """
    if request.config.stash[MODE] != "fake":
        pytest.fail("A test marked live takes the `api` fixture, not `fake_api`.")
    fake_api_server.reset()
    monkeypatch.setenv(API_KEY_ENV, FAKE_API_KEY)
    monkeypatch.setenv(BASE_URL_ENV, fake_api_server.url)
    yield fake_api_server
    reports = request.node.stash.get(PHASE_REPORTS, {})
    if "call" in reports and reports["call"].passed:
        assert fake_api_server.unused_replies == 0, "a queued reply was never used"


@pytest.fixture
def anyio_backend() -> str:
    """Runs async tests on asyncio (anyio's pytest plugin comes with httpx)."""
    return "asyncio"


class Runner:
    """Runs a prompt function through decorators, as a sync or an async function.

    `run(fn, *decorators)` applies the decorators in order (innermost first), to
    `fn` itself or to an `async def` twin of it, and returns a plain function
    that makes the call and returns its result, awaited if need be: one test
    body covers both. `stream` and `structured` also consume what they get.
    Async calls of one test share an event loop, so a client can serve several.
    """

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self._loop = asyncio.new_event_loop() if is_async else None
        self._clients: list[httpx.Client | httpx.AsyncClient] = []

    def __repr__(self) -> str:
        return "async" if self.is_async else "sync"

    def client(self, **kwargs: Any) -> Any:
        """A new `httpx.AsyncClient` (async) or `httpx.Client` (sync), closed later."""
        client = (
            httpx.AsyncClient(**kwargs) if self.is_async else httpx.Client(**kwargs)
        )
        self._clients.append(client)
        return client

    def close(self) -> None:
        """Closes the clients made by `client()`, then shuts the event loop down."""
        for client in self._clients:
            if isinstance(client, httpx.AsyncClient):
                self.wait(client.aclose())
            else:
                client.close()
        if self._loop is not None:
            # As `asyncio.run` ends a loop: open async generators are closed,
            # and with them the package's default clients of this loop.
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def wait(self, awaitable: Awaitable[Any]) -> Any:
        """Awaits `awaitable` on this runner's event loop (async runners only)."""
        assert self._loop is not None

        async def main() -> Any:
            return await awaitable

        return self._loop.run_until_complete(main())

    def _decorate(self, fn: Callable[..., Any], decorators: tuple[Any, ...]) -> Any:
        target: Any = fn
        if self.is_async:

            @functools.wraps(fn)
            async def twin(*args: Any, **kwargs: Any) -> Any:
                return fn(*args, **kwargs)

            target = twin
        for decorator in decorators:
            target = decorator(target)
        return target

    def _run(
        self, call: Callable[..., Any], consume: Callable[[Any], Any]
    ) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            if not self.is_async:
                return consume(call(*args, **kwargs))

            async def main() -> Any:
                result = consume(await call(*args, **kwargs))
                return await result if asyncio.iscoroutine(result) else result

            return self.wait(main())

        return run

    def __call__(self, fn: Callable[..., Any], *decorators: Any) -> Callable[..., Any]:
        """The decorated call; returns what the decorated function returns."""
        return self._run(self._decorate(fn, decorators), lambda result: result)

    def stream(self, fn: Callable[..., Any], *decorators: Any) -> Callable[..., Any]:
        """The decorated stream; returns `(stream, [(chunk, tool), ...])` consumed."""

        def consume(stream: Any) -> Any:
            if not self.is_async:
                return stream, list(stream)
            return _collect_async(stream)

        return self._run(self._decorate(fn, decorators), consume)

    def structured(
        self, fn: Callable[..., Any], *decorators: Any
    ) -> Callable[..., Any]:
        """The decorated structured stream; returns the list of models it yields."""

        def consume(models: Any) -> Any:
            if not self.is_async:
                return list(models)
            return _list_async(models)

        return self._run(self._decorate(fn, decorators), consume)


async def _collect_async(stream: Any) -> tuple[Any, list[Any]]:
    return stream, [pair async for pair in stream]


async def _list_async(models: Any) -> list[Any]:
    return [model async for model in models]


def _runner_id(is_async: bool) -> str:
    return "async" if is_async else "sync"


@pytest.fixture(params=[False, True], ids=_runner_id)
def run(request: pytest.FixtureRequest) -> Iterator[Runner]:
    """Runs the test's calls sync, then again async."""
    runner = Runner(is_async=request.param)
    yield runner
    runner.close()
