"""The retry policy: what is retried, and how long is waited."""

import email.utils
import time

import httpx
import pytest

from {{ cookiecutter.__pkg }} import RetryPolicy

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
        ({"retry-after": "60"}, 60.0),
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


def test_a_retry_after_past_the_cap_falls_back_to_backoff() -> None:
    """A wait over `max_retry_after` is not cut to the cap but replaced by backoff.

    As the vendor SDKs do: a call with a short timeout is not held for a minute.
    """
    policy = RetryPolicy(max_retries=3, rng=lambda: 0.0)
    assert policy.retry_delay(0, response(429, **{"retry-after": "3600"})) == 0.5
    assert policy.retry_delay(1, response(429, **{"retry-after-ms": "60001"})) == 1.0
