"""The retry policy and transports: what is retried, and how long is waited."""

import asyncio
import email.utils
import time

import httpx
import pytest

from {{ cookiecutter.__pkg }} import AsyncRetryTransport, RetryPolicy, RetryTransport

POLICY = RetryPolicy(max_retries=3)


def response(status: int, **headers: str) -> httpx.Response:
    """A response with this status and these headers."""
    return httpx.Response(status, headers=headers)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retried_statuses(status: int) -> None:
    """Timeouts, conflicts, rate limits and server errors are retried."""
    assert POLICY.retry_delay(0, response(status)) is not None


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 422])
def test_statuses_never_retried(status: int) -> None:
    """Successes and the client's own mistakes are not retried."""
    assert POLICY.retry_delay(0, response(status)) is None


def test_the_api_can_say_whether_to_retry() -> None:
    """`x-should-retry` overrides the status either way.

    Except for the client's own mistakes (400, 401, 403, 404, 422), which are
    never retried.
    """
    assert POLICY.retry_delay(0, response(418, **{"x-should-retry": "true"}))
    assert POLICY.retry_delay(0, response(503, **{"x-should-retry": "false"})) is None
    assert POLICY.retry_delay(0, response(400, **{"x-should-retry": "true"})) is None


@pytest.mark.parametrize(("draw", "share"), [(0.0, 1.0), (0.5, 0.875), (0.999, 0.75)])
def test_backoff_doubles_with_jitter_up_to_a_cap(draw: float, share: float) -> None:
    """Waits double from 0.5 s up to 8 s, less the random share of 25% jitter."""
    policy = RetryPolicy(max_retries=10, rng=lambda: draw)
    waits = [policy.retry_delay(attempt, None) for attempt in range(6)]
    expected = [full * share for full in [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]]
    assert waits == pytest.approx(expected, rel=1e-3)


def test_retries_are_counted() -> None:
    """After `max_retries` retries, nothing more is retried."""
    assert POLICY.retry_delay(2, response(503)) is not None
    assert POLICY.retry_delay(3, response(503)) is None
    assert RetryPolicy(max_retries=0).retry_delay(0, None) is None


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "3600"}, 60.0),
        ({"retry-after": "-5"}, 0.0),
    ],
)
def test_retry_after_is_honoured(headers: dict[str, str], wait: float) -> None:
    """`retry-after-ms` and `Retry-After` in seconds are waited, up to 60 s."""
    assert POLICY.retry_delay(0, response(429, **headers)) == wait


def test_retry_after_as_an_http_date() -> None:
    """`Retry-After` as an HTTP date is waited until that moment."""
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = POLICY.retry_delay(0, response(503, **{"retry-after": date}))
    assert wait is not None
    assert 28 <= wait <= 30


def test_an_unreadable_retry_after_falls_back_to_backoff() -> None:
    """A `Retry-After` that is neither seconds nor a date is ignored."""
    wait = POLICY.retry_delay(0, response(503, **{"retry-after": "soon"}))
    assert wait is not None
    assert 0.375 <= wait <= 0.5


class Script(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport that answers from a script, for the retry transports to wrap.

    This is the wrapped transport, not the thing under test: it stands for the
    network the retry transports sit on.
    """

    def __init__(self, *outcomes: int | Exception) -> None:
        self.outcomes = list(outcomes)
        self.sent = 0

    def _next(self) -> httpx.Response:
        self.sent += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return httpx.Response(
            outcome, headers={"retry-after": "1"} if outcome == 429 else {}
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answers the next scripted outcome."""
        return self._next()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answers the next scripted outcome."""
        return self._next()


def test_retry_transport_retries_then_succeeds() -> None:
    """A connection error and a 429 are retried, waiting as the policy says."""
    script = Script(httpx.ConnectError("refused"), 429, 200)
    waits: list[float] = []
    with httpx.Client(transport=RetryTransport(script, sleep=waits.append)) as client:
        assert client.get("https://x.test/").status_code == 200
    assert script.sent == 3
    assert len(waits) == 2
    assert 0.375 <= waits[0] <= 0.5
    assert waits[1] == 1.0


def test_retry_transport_gives_up() -> None:
    """After the last retry, the error or the response is the caller's."""
    waits: list[float] = []
    refused = RetryTransport(
        Script(*[httpx.ConnectError("refused")] * 3), sleep=waits.append
    )
    with httpx.Client(transport=refused) as client, pytest.raises(httpx.ConnectError):
        client.get("https://x.test/")
    failing = RetryTransport(Script(503, 503, 503), sleep=waits.append)
    with httpx.Client(transport=failing) as client:
        assert client.get("https://x.test/").status_code == 503
    assert len(waits) == 4


def test_async_retry_transport() -> None:
    """The async transport retries the same way, with an async sleep."""
    script = Script(500, 429, 200)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def main() -> int:
        transport = AsyncRetryTransport(script, sleep=sleep)
        async with httpx.AsyncClient(transport=transport) as client:
            return (await client.get("https://x.test/")).status_code

    assert asyncio.run(main()) == 200
    assert script.sent == 3
    assert waits[1] == 1.0


def test_async_retry_transport_gives_up() -> None:
    """The async transport raises the last error too."""

    async def sleep(seconds: float) -> None:
        """Waits no time."""

    async def main() -> None:
        script = Script(*[httpx.ReadTimeout("slow")] * 3)
        transport = AsyncRetryTransport(script, sleep=sleep)
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get("https://x.test/")

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(main())
