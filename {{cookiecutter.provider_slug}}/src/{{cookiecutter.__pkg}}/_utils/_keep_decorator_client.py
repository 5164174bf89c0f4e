"""Keeps each call on its own decorator's client.

Mirascope stores a client that a dynamic config returns in the decorator's
closure (`nonlocal client`), so it would replace the decorator's `client=` for
every later call of the function. The decorator below runs each call in a
context that holds the client given to its own decorator; `setup_call` takes
the dynamic config's client, else that one, and ignores the stored value.
"""

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

import httpx

from .._mirascope_private import fn_is_async

DECORATOR_CLIENT: ContextVar[httpx.Client | httpx.AsyncClient | None] = ContextVar(
    "decorator_client", default=None
)
"""The `client=` of the decorator whose call is running, if any."""

_CallT = TypeVar("_CallT", bound=Callable[..., Any])


def keep_decorator_client(base_call: _CallT) -> _CallT:
    """Returns `call_factory`'s decorator, running each call with its own client."""

    @functools.wraps(base_call)
    def call(model: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        client = kwargs.get("client")
        decorator = base_call(model, **kwargs)

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            decorated: Callable[..., Any] = decorator(fn)
            if fn_is_async(decorated):

                @functools.wraps(decorated)
                async def run_async(*args: Any, **kwargs: Any) -> Any:
                    token = DECORATOR_CLIENT.set(client)
                    try:
                        return await decorated(*args, **kwargs)
                    finally:
                        DECORATOR_CLIENT.reset(token)

                return run_async

            @functools.wraps(decorated)
            def run(*args: Any, **kwargs: Any) -> Any:
                token = DECORATOR_CLIENT.set(client)
                try:
                    return decorated(*args, **kwargs)
                finally:
                    DECORATOR_CLIENT.reset(token)

            return run

        return decorate

    return cast(_CallT, call)
