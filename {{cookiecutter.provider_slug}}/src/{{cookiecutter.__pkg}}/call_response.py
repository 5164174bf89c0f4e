"""The `{{ cookiecutter.__prefix }}CallResponse` class: the response of an {{ cookiecutter.__name_doc }} call."""

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from mirascope.core.base import (
    BaseCallKwargs,
    BaseCallResponse,
    BaseMessageParam,
    CostMetadata,
    transform_tool_outputs,
)
from mirascope.core.base.types import FinishReason
from pydantic import (
    ConfigDict,
    FieldSerializationInfo,
    SerializeAsAny,
    SkipValidation,
    computed_field,
    field_serializer,
)

from . import _wire
from ._costs import calculate_cost
from ._mirascope_private import requested_model, tool_name
from ._neutral import Completion, Usage
from ._serialize import HEADER_FIELDS, jsonable, without_header_values
from ._types import (
    AssistantMessageParam,
    MessageParam,
    ToolMessageParam,
    ToolParam,
    UserMessageParam,
)
from ._utils._message_param_converter import (
    {{ cookiecutter.__prefix }}MessageParamConverter,
    common_finish_reasons,
)
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .dynamic_config import {{ cookiecutter.__prefix }}DynamicConfig, Async{{ cookiecutter.__prefix }}DynamicConfig
from .tool import {{ cookiecutter.__prefix }}Tool


class {{ cookiecutter.__prefix }}CallResponse(
    BaseCallResponse[
        Completion,
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

    `response` holds the answer, read (`Completion`); `response.raw` the API's
    answer as parsed.

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

    # The adapter wrote these in the API's shape: not validated again against
    # `_types.py` (as Mirascope does not validate `messages` and `call_params`),
    # so that only the adapter (`_wire.WIRE`) decides what the wire holds.
    call_kwargs: SkipValidation[BaseCallKwargs[ToolParam]]
    user_message_param: SkipValidation[UserMessageParam | None] = None

    _message_converter: type[{{ cookiecutter.__prefix }}MessageParamConverter] = {{ cookiecutter.__prefix }}MessageParamConverter

    _provider = "{{ cookiecutter.provider_slug }}"

    @field_serializer(*HEADER_FIELDS)
    def _serialize_without_headers(
        self, value: object, info: FieldSerializationInfo
    ) -> object:
        """Dumps these without the values of `extra_headers` (secrets, often).

        In JSON, what JSON cannot hold becomes text: a dynamic config may hold
        an httpx client or tool functions.
        """
        hidden = without_header_values(value)
        return jsonable(hidden) if info.mode_is_json() else hidden

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """The repr's fields, `extra_headers` values hidden as in dumps."""
        for name, value in super().__repr_args__():
            hidden = name in HEADER_FIELDS
            yield name, without_header_values(value) if hidden else value

    @field_serializer("fn_args", when_used="json")
    def _serialize_for_json(self, value: object) -> object:
        """Keeps `model_dump_json()` working when function arguments are bytes."""
        return jsonable(value)

    @computed_field
    @property
    def content(self) -> str:
        """Returns the text of the answer (the first choice's), or `""`."""
        return self.response.text

    @computed_field
    @property
    def finish_reasons(self) -> list[str]:
        """Returns the finish reason of each choice, in the API's words."""
        return self.response.finish_reasons

    @computed_field
    @property
    def model(self) -> str | None:
        """Returns the model name the API reported, else the one requested."""
        return self.response.model or requested_model(self)

    @computed_field
    @property
    def id(self) -> str | None:
        """Returns the id of the answer, if any."""
        return self.response.id

    @property
    def usage(self) -> Usage | None:
        """Returns the token usage, if the API reported it."""
        return self.response.usage

    @computed_field
    @property
    def input_tokens(self) -> int | None:
        """Returns the number of input tokens (cached ones included), if known."""
        return self.usage.input_tokens if self.usage else None

    @computed_field
    @property
    def cached_tokens(self) -> int | None:
        """Returns the number of input tokens read from a cache, if known."""
        return self.usage.cached_tokens if self.usage else None

    @computed_field
    @property
    def output_tokens(self) -> int | None:
        """Returns the number of output tokens, if known."""
        return self.usage.output_tokens if self.usage else None

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
        return _wire.WIRE.assistant_message(self.response)

    @cached_property
    def tools(self) -> list[{{ cookiecutter.__prefix }}Tool] | None:
        """Returns the tools the model called, or `None` if it called none.

        A call to a tool that was not offered is left out.

        Raises:
            ValidationError: if a tool call's arguments do not fit its schema.
        """
        tool_calls = self.response.tool_calls
        if not self.tool_types or not tool_calls:
            return None
        tool_types = {tool_name(tool_type): tool_type for tool_type in self.tool_types}
        return [
            tool_types[tool_call.name].from_tool_call(tool_call)
            for tool_call in tool_calls
            if tool_call.name in tool_types
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
        return _wire.WIRE.tool_results(
            [(tool.tool_call, output) for tool, output in tools_and_outputs]
        )

    @property
    def common_finish_reasons(self) -> list[FinishReason] | None:
        """Returns the finish reasons as Mirascope's common finish reasons."""
        return common_finish_reasons(self.finish_reasons)

    @property
    def common_message_param(self) -> BaseMessageParam:
        """Returns the assistant's message as a provider-agnostic message."""
        return _wire.WIRE.from_wire([self.message_param])[0]

    @property
    def common_user_message_param(self) -> BaseMessageParam | None:
        """Returns the last user message as a provider-agnostic message, if any."""
        if not self.user_message_param:
            return None
        return _wire.WIRE.from_wire([self.user_message_param])[0]
