"""The `{{ cookiecutter.__prefix }}CallResponse` class: the response of an {{ cookiecutter.__name_doc }} call."""

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, cast

from mirascope.core.base import (
    BaseCallResponse,
    BaseMessageParam,
    CostMetadata,
    transform_tool_outputs,
)
from mirascope.core.base.types import FinishReason
from pydantic import (
    BaseModel,
    ConfigDict,
    SerializeAsAny,
    computed_field,
    field_serializer,
)

from ._costs import calculate_cost
from ._mirascope_private import tool_name
from ._types import (
    AssistantMessageParam,
    ChatCompletion,
    FunctionParam,
    Message,
    MessageParam,
    ToolCallParam,
    ToolMessageParam,
    ToolParam,
    Usage,
    UserMessageParam,
)
from ._utils._convert_finish_reasons import convert_finish_reasons
from ._utils._message_param_converter import {{ cookiecutter.__prefix }}MessageParamConverter
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .dynamic_config import {{ cookiecutter.__prefix }}DynamicConfig, Async{{ cookiecutter.__prefix }}DynamicConfig
from .tool import {{ cookiecutter.__prefix }}Tool


class {{ cookiecutter.__prefix }}CallResponse(
    BaseCallResponse[
        ChatCompletion,
        {{ cookiecutter.__prefix }}Tool,
        ToolParam,
        Async{{ cookiecutter.__prefix }}DynamicConfig | {{ cookiecutter.__prefix }}DynamicConfig,
        MessageParam,
        {{ cookiecutter.__prefix }}CallParams,
        UserMessageParam,
        {{ cookiecutter.__prefix }}MessageParamConverter,
    ]
):
    """The response of an {{ cookiecutter.__name_doc }} call, with convenient access to its fields.

    `response` holds the parsed API response (`ChatCompletion`).

    Example:
        ```python
        from mirascope.core import prompt_template
        from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}


        @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}")
        @prompt_template("Recommend a {genre} book")
        def recommend_book(genre: str): ...


        response = recommend_book("fantasy")
        print(response.content, response.usage, response.cost)
        ```
    """

    model_config = ConfigDict(ser_json_bytes="base64")

    _message_converter: type[{{ cookiecutter.__prefix }}MessageParamConverter] = {{ cookiecutter.__prefix }}MessageParamConverter

    _provider = "{{ cookiecutter.provider_slug }}"

    @field_serializer("call_params", "call_kwargs")
    def _serialize_without_headers(self, value: object) -> object:
        """Dumps the params without the values of `extra_headers` (secrets, often)."""
        return _without_header_values(value)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """The repr's fields, `extra_headers` values hidden as in dumps."""
        for name, value in super().__repr_args__():
            hidden = name in ("call_params", "call_kwargs")
            yield name, _without_header_values(value) if hidden else value

    @field_serializer("fn_args", "dynamic_config", when_used="json")
    def _serialize_for_json(self, value: object) -> object:
        """Keeps `model_dump_json()` working when these hold non-JSON values.

        Function arguments may be bytes (images); a dynamic config may hold an
        httpx client or tool functions.
        """
        return _jsonable(value)

    # API-SPECIFIC: `_message` and every property down to `tool` read the
    # response's JSON; `tool_message_params` builds the API's tool messages.

    @property
    def _message(self) -> Message:
        """The message of the first choice (the API returns one unless `n` > 1)."""
        return self.response.choices[0].message

    @computed_field
    @property
    def content(self) -> str:
        """Returns the text of the first choice, or `""` if it has none."""
        return self._message.content or ""

    @computed_field
    @property
    def finish_reasons(self) -> list[str]:
        """Returns the finish reason of each choice."""
        return [c.finish_reason for c in self.response.choices if c.finish_reason]

    @computed_field
    @property
    def model(self) -> str | None:
        """Returns the model name the API reported, else the one requested."""
        return self.response.model or self._model

    @computed_field
    @property
    def id(self) -> str | None:
        """Returns the id of the completion, if any."""
        return self.response.id or None

    @property
    def usage(self) -> Usage | None:
        """Returns the token usage, if the API reported it."""
        return self.response.usage

    @computed_field
    @property
    def input_tokens(self) -> int | None:
        """Returns the number of input tokens, if known."""
        return self.usage.prompt_tokens if self.usage else None

    @computed_field
    @property
    def cached_tokens(self) -> int | None:
        """Returns the number of cached input tokens, if known."""
        if self.usage is None:
            return None
        details = self.usage.prompt_tokens_details
        return (details.cached_tokens or 0) if details else 0

    @computed_field
    @property
    def output_tokens(self) -> int | None:
        """Returns the number of output tokens, if known."""
        return self.usage.completion_tokens if self.usage else None

    @computed_field
    @property
    def cost_metadata(self) -> CostMetadata:
        """Returns the data cost is computed from, with a cost the API reported."""
        metadata = super().cost_metadata
        if self.usage is not None and self.usage.cost is not None:
            metadata.cost = self.usage.cost
        return metadata

    @computed_field
    @property
    def cost(self) -> float | None:
        """Returns the cost of the call in US dollars, or `None` if unknown."""
        return calculate_cost(self.cost_metadata, self.model)

    @computed_field
    @cached_property
    def message_param(self) -> SerializeAsAny[AssistantMessageParam]:
        """Returns the assistant's message, ready to send back in the history."""
        message = AssistantMessageParam(role="assistant", content=self._message.content)
        if tool_calls := self._message.tool_calls:
            message["tool_calls"] = [
                ToolCallParam(
                    id=tool_call.id,
                    type="function",
                    function=FunctionParam(
                        name=tool_call.function.name,
                        arguments=tool_call.function.arguments,
                    ),
                )
                for tool_call in tool_calls
            ]
        return message

    @cached_property
    def tools(self) -> list[{{ cookiecutter.__prefix }}Tool] | None:
        """Returns the tools the model called, or `None` if it called none.

        A call to a tool that was not offered is left out.

        Raises:
            ValidationError: if a tool call's arguments do not fit its schema.
        """
        tool_calls = self._message.tool_calls
        if not self.tool_types or not tool_calls:
            return None
        tool_types = {tool_name(tool_type): tool_type for tool_type in self.tool_types}
        return [
            tool_types[tool_call.function.name].from_tool_call(tool_call)
            for tool_call in tool_calls
            if tool_call.function.name in tool_types
        ] or None

    @cached_property
    def tool(self) -> {{ cookiecutter.__prefix }}Tool | None:
        """Returns the first tool the model called, or `None`.

        Raises:
            ValidationError: if the tool call's arguments do not fit its schema.
        """
        return self.tools[0] if self.tools else None

    @classmethod
    @transform_tool_outputs
    def tool_message_params(
        cls, tools_and_outputs: Sequence[tuple[{{ cookiecutter.__prefix }}Tool, str]]
    ) -> list[ToolMessageParam]:
        """Returns the messages that give the model each tool's output.

        Args:
            tools_and_outputs: Each tool the model called, with its output.
        """
        return [
            ToolMessageParam(
                role="tool", content=output, tool_call_id=tool.tool_call.id
            )
            for tool, output in tools_and_outputs
        ]

    @property
    def common_finish_reasons(self) -> list[FinishReason] | None:
        """Returns the finish reasons as Mirascope's common finish reasons."""
        return convert_finish_reasons(self.finish_reasons)

    @property
    def common_message_param(self) -> BaseMessageParam:
        """Returns the assistant's message as a provider-agnostic message."""
        return {{ cookiecutter.__prefix }}MessageParamConverter.from_provider([self.message_param])[0]

    @property
    def common_user_message_param(self) -> BaseMessageParam | None:
        """Returns the last user message as a provider-agnostic message, if any."""
        if not self.user_message_param:
            return None
        return {{ cookiecutter.__prefix }}MessageParamConverter.from_provider([self.user_message_param])[0]


def _jsonable(value: object) -> object:
    """Returns `value` with what JSON cannot hold replaced.

    Bytes become base64 text, and anything else unknown its `repr`.
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump())
    if isinstance(value, Mapping):
        return {
            str(k): _jsonable(v)
            for k, v in cast(Mapping[object, object], value).items()
        }
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in cast(Iterable[object], value)]
    return repr(value)


def _without_header_values(value: object) -> object:
    """Returns call params (a mapping) with the values of `extra_headers` hidden."""
    params = cast(Mapping[str, object], value)
    if "extra_headers" not in params:
        return params
    headers = cast(Mapping[str, object], params["extra_headers"] or {})
    return {**params, "extra_headers": dict.fromkeys(headers, "[redacted]")}
