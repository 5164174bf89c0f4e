"""Every private Mirascope API this package uses, in this one module.

Mirascope v1 expects providers to use these helpers (its own providers do), but
they are not part of its public API. (The methods a provider's classes override,
such as `BaseStream._update_properties` or `_construct_message_param`, are the
extension points Mirascope's own providers override too; they stay in place.) If an upstream release moves one, only
this module needs to change. The few type-checker ignores that Mirascope's
typing forces live here too, each with its reason.
"""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from mirascope.core.base import (
    BaseCallParams,
    BaseCallResponse,
    BaseTool,
    CommonCallParams,
)
from mirascope.core.base._partial import partial
from mirascope.core.base._utils import (
    AsyncCreateFn,
    BaseMessageParamConverter,
    CreateFn,
    fn_is_async,
    get_async_create_fn,
    json_mode_content,
)
from mirascope.core.base._utils import (
    convert_base_type_to_base_tool as _convert_base_type_to_base_tool,  # pyright: ignore[reportUnknownVariableType]  # Mirascope's BaseType has bare list/set/dict
)
from mirascope.core.base._utils import (
    is_base_type as _is_base_type,  # pyright: ignore[reportUnknownVariableType]  # same BaseType alias
)
from mirascope.core.base._utils import (
    setup_call as _setup_call,  # pyright: ignore[reportUnknownVariableType]  # its kwargs type has no type argument
)
from pydantic import BaseModel

_ToolT = TypeVar("_ToolT", bound=BaseTool)
_CallParamsT = TypeVar("_CallParamsT", bound=BaseCallParams)

__all__ = [
    "AsyncCreateFn",
    "BaseMessageParamConverter",
    "CreateFn",
    "base_setup_call",
    "fn_is_async",
    "get_async_create_fn",
    "json_mode_instructions",
    "partial",
    "requested_model",
    "response_schema",
    "tool_description",
    "tool_name",
]


def tool_name(tool_type: type[BaseTool]) -> str:
    """Returns the name the model knows a tool by."""
    return tool_type._name()  # pyright: ignore[reportPrivateUsage]  # Mirascope's tool-name API


def tool_description(tool_type: type[BaseTool]) -> str:
    """Returns the description the model is given of a tool (its docstring)."""
    return tool_type._description()  # pyright: ignore[reportPrivateUsage]  # Mirascope's tool API


def requested_model(
    response: BaseCallResponse[Any, Any, Any, Any, Any, Any, Any, Any],
) -> str:
    """Returns the model a call asked for, as Mirascope stored it on its response."""
    return response._model  # pyright: ignore[reportPrivateUsage]  # set by Mirascope's call factory


def base_setup_call(
    *,
    fn: Callable[..., Any],
    fn_args: dict[str, Any],
    dynamic_config: Any,
    tools: Sequence[type[BaseTool] | Callable[..., Any]] | None,
    tool_type: type[_ToolT],
    call_params: _CallParamsT | CommonCallParams,
    convert_common_call_params: Callable[..., _CallParamsT],
) -> tuple[str | None, list[Any], list[type[_ToolT]] | None, Any]:
    """Mirascope's common setup: prompt template, messages, tool types, kwargs.

    The kwargs (a dict) are the call params, converted if they are all common
    params, merged with the dynamic config's, plus the tool definitions.
    """
    return _setup_call(  # pyright: ignore[reportUnknownVariableType]  # kwargs type has no type argument
        fn,
        fn_args,
        dynamic_config,
        tools,
        tool_type,
        call_params,
        convert_common_call_params,
    )


def json_mode_instructions(response_model: type[BaseModel] | None) -> str:
    """Returns Mirascope's JSON-mode instructions for the response model.

    A base type such as `list[str]` is wrapped in a model first; Mirascope's own
    providers pass it straight through and fail with `AttributeError`.
    """
    return json_mode_content(_as_model(response_model)).strip()


def response_schema(response_model: type[BaseModel] | None) -> dict[str, Any] | None:
    """Returns the JSON schema of a response model, a base type wrapped as above."""
    model = _as_model(response_model)
    return model.model_json_schema() if model is not None else None


def _as_model(response_model: type[BaseModel] | None) -> type[BaseModel] | None:
    if response_model is not None and _is_base_type(response_model):
        return _convert_base_type_to_base_tool(response_model, BaseModel)
    return response_model
