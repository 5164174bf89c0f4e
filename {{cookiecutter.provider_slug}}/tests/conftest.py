"""Fixtures: the fake {{ cookiecutter.provider_name }} API, and the event loop for async tests."""

from collections.abc import Generator, Iterator

import pytest

from .fake_server import FakeAPI

FAKE_API_KEY = "sk-fake-{{ cookiecutter.provider_slug }}-key-for-tests"
"""The API key tests use; it must never show up in any output."""


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
    fake_api_server.reset()
    monkeypatch.setenv("{{ cookiecutter.api_key_env_var }}", FAKE_API_KEY)
    monkeypatch.setenv("{{ cookiecutter.__env_base_url }}", fake_api_server.url)
    yield fake_api_server
    reports = request.node.stash.get(PHASE_REPORTS, {})
    if "call" in reports and reports["call"].passed:
        assert fake_api_server.unused_replies == 0, "a queued reply was never used"


@pytest.fixture
def anyio_backend() -> str:
    """Runs async tests on asyncio (anyio's pytest plugin comes with httpx)."""
    return "asyncio"
