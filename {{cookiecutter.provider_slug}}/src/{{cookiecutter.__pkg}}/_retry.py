"""Retries, as httpx transports: what a vendor SDK does before it gives up.

Retried: connection errors and timeouts, and the statuses 408, 409, 429 and
5xx (an `x-should-retry` header overrides the status); never 400, 401, 403,
404 or 422. The wait doubles from 0.5 s up to 8 s, less up to 25% of jitter,
unless the API says how long to wait (`retry-after-ms`, or `Retry-After` in
seconds or as an HTTP date), which is honoured up to 60 s.

A transport sees a response when its headers arrive, before any of its body
is read: a stream is retried only before its first event reaches the caller.

Hand-written rather than taken from a retry library so that the package needs
nothing beyond Mirascope and httpx; it follows the vendor SDKs' policy.
"""

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

logger = logging.getLogger(__name__)

RETRYABLE_ERRORS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
"""Transport errors worth another try: the request may never have arrived."""

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
        max_retry_after: The longest wait the API may ask for, in seconds.
        jitter: The largest share of a computed wait taken off at random.
        rng: Where the randomness of the jitter comes from (0 <= x < 1).
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25
    rng: Callable[[], float] = random.random

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
            if (wait := _retry_after(response.headers)) is not None:
                return min(wait, self.max_retry_after)
        wait = min(self.initial_delay * 2**attempt, self.max_delay)
        return wait * (1 - self.jitter * self.rng())


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


def _log_retry(request: httpx.Request, wait: float, attempt: int, cause: str) -> None:
    logger.info(
        "Retrying %s %s in %.2f s (retry %d) after %s",
        request.method,
        request.url,
        wait,
        attempt + 1,
        cause,
    )


class RetryTransport(httpx.BaseTransport):
    """An httpx transport that retries what another transport could not do.

    Example:
        ```python
        import httpx
        from {{ cookiecutter.__pkg }} import RetryTransport

        client = httpx.Client(transport=RetryTransport(max_retries=5))
        ```
    """

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        *,
        max_retries: int = 2,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._transport = transport or httpx.HTTPTransport()
        self.policy = policy or RetryPolicy(max_retries=max_retries)
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Sends the request, retrying as the policy says."""
        attempt = 0
        while True:
            try:
                response = self._transport.handle_request(request)
            except RETRYABLE_ERRORS as error:
                wait = self.policy.retry_delay(attempt, None)
                if wait is None:
                    raise
                cause = type(error).__name__
            else:
                wait = self.policy.retry_delay(attempt, response)
                if wait is None:
                    return response
                response.close()
                cause = f"status {response.status_code}"
            _log_retry(request, wait, attempt, cause)
            self._sleep(wait)
            attempt += 1

    def close(self) -> None:
        """Closes the wrapped transport."""
        self._transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """The async version of `RetryTransport`."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        max_retries: int = 2,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._transport = transport or httpx.AsyncHTTPTransport()
        self.policy = policy or RetryPolicy(max_retries=max_retries)
        self._sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Sends the request, retrying as the policy says."""
        attempt = 0
        while True:
            try:
                response = await self._transport.handle_async_request(request)
            except RETRYABLE_ERRORS as error:
                wait = self.policy.retry_delay(attempt, None)
                if wait is None:
                    raise
                cause = type(error).__name__
            else:
                wait = self.policy.retry_delay(attempt, response)
                if wait is None:
                    return response
                await response.aclose()
                cause = f"status {response.status_code}"
            _log_retry(request, wait, attempt, cause)
            await self._sleep(wait)
            attempt += 1

    async def aclose(self) -> None:
        """Closes the wrapped transport."""
        await self._transport.aclose()
