"""Retries: what a vendor SDK does before it gives up, for every client.

Retried: connection errors and timeouts, and the statuses 408, 409, 429 and
5xx (an `x-should-retry` header overrides the status); never 400, 401, 403,
404 or 422. The wait doubles from 0.5 s up to 8 s, less up to 25% of jitter,
unless the API says how long to wait (`retry-after-ms`, or `Retry-After` in
seconds or as an HTTP date): a wait it asks for is honoured up to 60 s, and a
longer one is replaced by the backoff, as the vendor SDKs do.

`_api.py` applies the policy where it sends a request, whatever the client,
so your own `client=` is retried too and no request is retried twice over:
before the response, while its body is read, and for a stream until its first
chunk reaches the caller (never after). `{{ cookiecutter.__env_max_retries }}` sets how many retries
(0: none); `use_retry_policy` sets the whole policy for the calls made inside it.

Hand-written rather than taken from a retry library so that the package needs
nothing beyond Mirascope and httpx; it follows the vendor SDKs' policy.
"""

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

logger = logging.getLogger(__name__)

RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
"""Transport errors worth another try: the request or its answer did not get through."""

RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""Statuses worth another try, besides every 5xx."""

NEVER_RETRIED = frozenset({400, 401, 403, 404, 422})
"""Statuses no retry can fix, whatever the API's `x-should-retry` says."""


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry, and how long to wait first.

    Attributes:
        max_retries: How many times a request is tried again (0: never).
        initial_delay: The first wait, in seconds, doubled at each retry.
        max_delay: The longest computed wait, in seconds.
        max_retry_after: The longest wait the API may ask for, in seconds; a
            longer one is replaced by the computed wait.
        jitter: The largest share of a computed wait taken off at random.
        rng: Where the randomness of the jitter comes from (0 <= x < 1).
        sleep: How a sync call waits.
        async_sleep: How an async call waits.

    Example:
        ```python
        from {{ cookiecutter.__pkg }} import RetryPolicy, use_retry_policy

        with use_retry_policy(RetryPolicy(max_retries=5, max_delay=30.0)):
            ...  # the calls made here
        ```
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25
    rng: Callable[[], float] = random.random
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def retry_delay(
        self, attempt: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before retrying, or `None` not to retry.

        Args:
            attempt: How many retries were made already.
            response: The failed response, or `None` after a transport error.
        """
        if attempt >= self.max_retries:
            return None
        if response is not None:
            if not _should_retry(response):
                return None
            wait = _retry_after(response.headers)
            if wait is not None and wait <= self.max_retry_after:
                return wait
        wait = min(self.initial_delay * 2**attempt, self.max_delay)
        return wait * (1 - self.jitter * self.rng())


_chosen_policy: ContextVar[RetryPolicy | None] = ContextVar(
    "{{ cookiecutter.__pkg }}_retry_policy", default=None
)


@contextmanager
def use_retry_policy(policy: RetryPolicy) -> Generator[RetryPolicy, None, None]:
    """Applies `policy` to the calls made inside the `with` block.

    It holds for this thread or task (and the tasks it starts), whatever the
    client, and takes precedence over `{{ cookiecutter.__env_max_retries }}`.
    """
    token = _chosen_policy.set(policy)
    try:
        yield policy
    finally:
        _chosen_policy.reset(token)


def chosen_policy() -> RetryPolicy | None:
    """The policy set by `use_retry_policy` around this call, if any."""
    return _chosen_policy.get()


def _should_retry(response: httpx.Response) -> bool:
    if response.status_code in NEVER_RETRIED:
        return False
    should = response.headers.get("x-should-retry")
    if should in ("true", "false"):
        return should == "true"
    status = response.status_code
    return status in RETRYABLE_STATUSES or status >= 500


def _retry_after(headers: httpx.Headers) -> float | None:
    """The wait the API asks for, in seconds, if it asks for one."""
    try:
        return max(float(headers["retry-after-ms"]) / 1000, 0.0)
    except (KeyError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((date - datetime.now(timezone.utc)).total_seconds(), 0.0)


class Retries:
    """The retries of one request: counts them, logs them, says how long to wait."""

    def __init__(self, request: httpx.Request, policy: RetryPolicy) -> None:
        self.request = request
        self.policy = policy
        self.attempt = 0

    def wait_after(self, failure: httpx.Response | Exception) -> float | None:
        """Seconds to wait before the next try after `failure`, or `None` to give up.

        Args:
            failure: The failed response, or the error that ended the try.
        """
        response = failure if isinstance(failure, httpx.Response) else None
        wait = self.policy.retry_delay(self.attempt, response)
        if wait is not None:
            cause = (
                f"status {response.status_code}"
                if response is not None
                else type(failure).__name__
            )
            logger.info(
                "Retrying %s %s in %.2f s (retry %d) after %s",
                self.request.method,
                self.request.url,
                wait,
                self.attempt + 1,
                cause,
            )
            self.attempt += 1
        return wait
