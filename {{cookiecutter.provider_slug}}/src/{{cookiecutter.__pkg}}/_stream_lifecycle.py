"""What `{{ cookiecutter.__prefix }}Stream` adds to Mirascope's streams, whatever the wire format.

Async iteration is timed as Mirascope times the sync one, and a stream can be
stopped early, releasing its connection: `close()` / `aclose()`, or a `with` /
`async with` block.
"""

import datetime
from collections.abc import AsyncGenerator, Generator
from typing import Any, TypeVar

from typing_extensions import Self

from ._api import Opened, opening

_PairT = TypeVar("_PairT")


class StreamLifecycle:
    """A mixin for the stream class, before Mirascope's `BaseStream` in its bases."""

    stream: Generator[Any, None, None] | AsyncGenerator[Any, None]
    """Mirascope's generator of `(chunk, tool)` pairs (`BaseStream.stream`)."""
    start_time: float
    end_time: float
    _opened: Opened | None = None

    def _timed(
        self, chunks: AsyncGenerator[_PairT, None]
    ) -> AsyncGenerator[_PairT, None]:
        """Mirascope's async iteration of the stream, timed.

        While the first chunk is awaited, the request is sent: its response is
        noted (`_api.opening`), so that `aclose` can release its connection.
        """
        opened = self._opened = Opened()

        async def timed() -> AsyncGenerator[_PairT, None]:
            self.start_time = datetime.datetime.now().timestamp() * 1000
            token = opening.set(opened)
            try:
                first = await anext(chunks, None)
            finally:
                opening.reset(token)
            if first is not None:
                yield first
                async for pair in chunks:
                    yield pair
            self.end_time = datetime.datetime.now().timestamp() * 1000

        return timed()

    def close(self) -> None:
        """Stops a sync stream early and releases its connection.

        A stream read to its end releases it by itself; `with stream:` closes it
        when the block ends.
        """
        if isinstance(self.stream, Generator):
            self.stream.close()

    async def aclose(self) -> None:
        """Stops an async stream early and releases its connection.

        `async with stream:` closes it when the block ends.
        """
        if isinstance(self.stream, AsyncGenerator):
            await self.stream.aclose()
        if self._opened is not None and self._opened.response is not None:
            await self._opened.response.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
