"""The `{{ cookiecutter.__prefix }}Stream` class: a streamed {{ cookiecutter.__name_doc }} call."""

import datetime
from collections.abc import AsyncGenerator

from mirascope.core.base import BaseStream, CostMetadata

from ._costs import calculate_cost
from ._types import (
    AssistantMessageParam,
    ChatCompletion,
    Choice,
    FunctionCall,
    FunctionParam,
    Message,
    MessageParam,
    PartialToolCall,
    PromptTokensDetails,
    ToolCall,
    ToolCallParam,
    ToolMessageParam,
    ToolParam,
    Usage,
    UserMessageParam,
)
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .call_response import {{ cookiecutter.__prefix }}CallResponse
from .call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from .dynamic_config import {{ cookiecutter.__prefix }}DynamicConfig, Async{{ cookiecutter.__prefix }}DynamicConfig
from .tool import {{ cookiecutter.__prefix }}Tool


class {{ cookiecutter.__prefix }}Stream(
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
    ]
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

    def __aiter__(
        self,
    ) -> AsyncGenerator[tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None]:
        """Iterates the stream, timing it as `__iter__` does (Mirascope's doesn't)."""
        chunks = super().__aiter__()

        async def timed() -> AsyncGenerator[
            tuple[{{ cookiecutter.__prefix }}CallResponseChunk, {{ cookiecutter.__prefix }}Tool | None], None
        ]:
            self.start_time = datetime.datetime.now().timestamp() * 1000
            async for pair in chunks:
                yield pair
            self.end_time = datetime.datetime.now().timestamp() * 1000

        return timed()

    def _update_properties(self, chunk: {{ cookiecutter.__prefix }}CallResponseChunk) -> None:
        """Takes the usage a chunk reports as the stream's, rather than adding it.

        The API's usage is the running total of the request, sent once at the
        end, or with every chunk by some servers (vLLM's continuous usage):
        Mirascope's sum would count it many times.
        """
        # API-SPECIFIC: how usage is reported along a stream.
        super()._update_properties(chunk)
        if chunk.usage is not None:
            self.input_tokens = chunk.input_tokens
            self.cached_tokens = chunk.cached_tokens
            self.output_tokens = chunk.output_tokens
            self._reported_cost = chunk.cost_metadata.cost

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
        # API-SPECIFIC: the assistant message of the history.
        complete = [
            tool_call
            for tool_call in tool_calls or []
            if not isinstance(tool_call, PartialToolCall)
        ]
        message = AssistantMessageParam(
            role="assistant", content=content if content or not complete else None
        )
        if complete:
            message["tool_calls"] = [
                ToolCallParam(
                    id=tool_call.id,
                    type="function",
                    function=FunctionParam(
                        name=tool_call.function.name,
                        arguments=tool_call.function.arguments,
                    ),
                )
                for tool_call in complete
            ]
        return message

    def construct_call_response(self) -> {{ cookiecutter.__prefix }}CallResponse:
        """Returns the call response the consumed stream amounts to.

        Raises:
            ValueError: if the stream has not been consumed yet.
        """
        if not hasattr(self, "message_param"):
            raise ValueError(
                "No stream response, check if the stream has been consumed."
            )
        # API-SPECIFIC: the response JSON the stream amounts to.
        content = self.message_param.get("content")
        tool_calls = [
            ToolCall(
                id=tool_call["id"],
                function=FunctionCall(
                    name=tool_call["function"]["name"],
                    arguments=tool_call["function"]["arguments"],
                ),
            )
            for tool_call in self.message_param.get("tool_calls", [])
        ]
        usage = None
        if self.input_tokens is not None or self.output_tokens is not None:
            input_tokens = int(self.input_tokens or 0)
            output_tokens = int(self.output_tokens or 0)
            usage = Usage(
                prompt_tokens=input_tokens,
                completion_tokens=output_tokens,
                total_tokens=input_tokens + output_tokens,
                prompt_tokens_details=PromptTokensDetails(
                    cached_tokens=int(self.cached_tokens or 0)
                ),
                cost=self._reported_cost,
            )
        completion = ChatCompletion(
            id=self.id or "",
            model=self.model,
            choices=[
                Choice(
                    index=0,
                    message=Message(
                        role="assistant",
                        content=content if isinstance(content, str) else None,
                        tool_calls=tool_calls or None,
                    ),
                    finish_reason=self.finish_reasons[0]
                    if self.finish_reasons
                    else None,
                )
            ],
            usage=usage,
        )
        return {{ cookiecutter.__prefix }}CallResponse(
            metadata=self.metadata,
            response=completion,
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
