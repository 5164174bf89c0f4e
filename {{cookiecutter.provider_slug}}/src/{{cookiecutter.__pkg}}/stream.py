"""The `{{ cookiecutter.__prefix }}Stream` class: a streamed {{ cookiecutter.__name_doc }} call."""

from collections.abc import AsyncGenerator
from typing import TypeVar

from mirascope.core.base import BaseStream, CostMetadata

from . import _wire
from ._costs import calculate_cost
from ._neutral import Completion, PartialToolCall, ToolCall, Usage
from ._stream_lifecycle import StreamLifecycle
from ._types import (
    AssistantMessageParam,
    MessageParam,
    ToolMessageParam,
    ToolParam,
    UserMessageParam,
)
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .call_response import {{ cookiecutter.__prefix }}CallResponse
from .call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from .dynamic_config import {{ cookiecutter.__prefix }}DynamicConfig, Async{{ cookiecutter.__prefix }}DynamicConfig
from .tool import {{ cookiecutter.__prefix }}Tool

_CountT = TypeVar("_CountT", int, float)


class {{ cookiecutter.__prefix }}Stream(
    StreamLifecycle,
    BaseStream[
        {{ cookiecutter.__prefix }}CallResponse,
        {{ cookiecutter.__prefix }}CallResponseChunk,
        UserMessageParam,
        AssistantMessageParam,
        ToolMessageParam,
        MessageParam,
        {{ cookiecutter.__prefix }}Tool,
        ToolParam,
        Async{{ cookiecutter.__prefix }}DynamicConfig | {{ cookiecutter.__prefix }}DynamicConfig,
        {{ cookiecutter.__prefix }}CallParams,
        str,
    ],
):
    """A streamed {{ cookiecutter.__name_doc }} call: iterate it for `(chunk, tool)` pairs.

    Once consumed, it holds the whole content, usage, cost and `message_param`,
    and `construct_call_response()` turns it into an `{{ cookiecutter.__prefix }}CallResponse`.

    Example:
        ```python
        from mirascope.core import prompt_template
        from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}


        @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}", stream=True)
        @prompt_template("Recommend a {genre} book")
        def recommend_book(genre: str): ...


        stream = recommend_book("fantasy")
        for chunk, _ in stream:
            print(chunk.content, end="", flush=True)
        print(stream.cost)
        ```
    """

    _provider = "{{ cookiecutter.provider_slug }}"
    _reported_cost: float | None = None
    _reasoning_tokens: int | None = None
    _tool_calls: tuple[ToolCall, ...] = ()

    def __aiter__(
        self,
    ) -> AsyncGenerator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None]:
        """Iterates the stream, timing it as `__iter__` does (Mirascope's doesn't)."""
        return self._timed(super().__aiter__())

    def _update_properties(self, chunk: {{ cookiecutter.__prefix }}CallResponseChunk) -> None:
        """Keeps what a chunk reports; usage as the wire format counts it.

        Mirascope's own sums every token count: right for increments, but
        usage reported as a running total (once at the end, or with every
        chunk) would count many times. A count a chunk leaves out stays.
        """
        read = chunk.chunk
        self.content += read.text
        if read.model is not None:
            self.model = read.model
        if read.id is not None:
            self.id = read.id
        if read.finish_reasons:
            self.finish_reasons = read.finish_reasons
        if (usage := read.usage) is None:
            return
        self.input_tokens = self._count(self.input_tokens, usage.input_tokens)
        self.cached_tokens = self._count(self.cached_tokens, usage.cached_tokens)
        self.output_tokens = self._count(self.output_tokens, usage.output_tokens)
        self._reasoning_tokens = self._count(
            self._reasoning_tokens, usage.reasoning_tokens
        )
        if usage.cost is not None:
            self._reported_cost = self._count(self._reported_cost, usage.cost)

    @staticmethod
    def _count(so_far: _CountT | None, reported: _CountT | None) -> _CountT | None:
        """A count so far, updated with what a chunk reports."""
        if reported is None:
            return so_far
        if so_far is None or _wire.WIRE.usage_in_stream == "totals":
            return reported
        return so_far + reported

    @property
    def cost_metadata(self) -> CostMetadata:
        """Returns the data cost is computed from, with a cost the API reported."""
        metadata = super().cost_metadata
        metadata.cost = self._reported_cost
        return metadata

    @property
    def cost(self) -> float | None:
        """Returns the cost of the call in US dollars, or `None` if unknown."""
        return calculate_cost(self.cost_metadata, self.model)

    def _construct_message_param(
        self, tool_calls: list[ToolCall] | None = None, content: str | None = None
    ) -> AssistantMessageParam:
        """Returns the assistant's message, with each complete tool call.

        With `partial_tools`, the stream also sees every partial state of a call
        (a `PartialToolCall`); those are left out.
        """
        self._tool_calls = tuple(
            tool_call
            for tool_call in tool_calls or []
            if not isinstance(tool_call, PartialToolCall)
        )
        return _wire.WIRE.assistant_message(self._completion(content or ""))

    def _completion(self, text: str) -> Completion:
        """The answer the stream amounts to, so far."""
        usage = None
        if self.input_tokens is not None or self.output_tokens is not None:
            usage = Usage(
                input_tokens=int(self.input_tokens or 0),
                cached_tokens=int(self.cached_tokens or 0),
                output_tokens=int(self.output_tokens or 0),
                reasoning_tokens=self._reasoning_tokens,
                cost=self._reported_cost,
            )
        return Completion(
            text=text,
            tool_calls=list(self._tool_calls),
            finish_reasons=self.finish_reasons or [],
            usage=usage,
            model=self.model,
            id=self.id,
        )

    def construct_call_response(self) -> {{ cookiecutter.__prefix }}CallResponse:
        """Returns the call response the consumed stream amounts to.

        Raises:
            ValueError: if the stream has not been consumed yet.
        """
        if not hasattr(self, "message_param"):
            raise ValueError(
                "No stream response, check if the stream has been consumed."
            )
        return {{ cookiecutter.__prefix }}CallResponse(
            metadata=self.metadata,
            response=self._completion(self.content),
            tool_types=self.tool_types,
            prompt_template=self.prompt_template,
            fn_args=self.fn_args or {},
            dynamic_config=self.dynamic_config,
            messages=self.messages,
            call_params=self.call_params,
            call_kwargs=self.call_kwargs,
            user_message_param=self.user_message_param,
            start_time=self.start_time,
            end_time=self.end_time,
        )
