"""The `setup_call` function: everything an {{ cookiecutter.__name_doc }} call needs before it is sent."""

from collections.abc import Awaitable, Callable, Generator, Mapping
from functools import partial
from typing import Any, Literal, cast, overload

import httpx
from mirascope.core.base import BaseMessageParam, BaseTool, CommonCallParams, TextPart
from mirascope.core.base.stream_config import StreamConfig
from pydantic import BaseModel

from .. import _api, _wire
from .._call_kwargs import {{ cookiecutter.__prefix }}CallKwargs
from .._mirascope_private import (
    AsyncCreateFn,
    CreateFn,
    base_setup_call,
    fn_is_async,
    get_async_create_fn,
    json_mode_instructions,
    response_schema,
    tool_name,
)
from .._neutral import Chunk, Completion, Request
from .._types import MessageParam
from ..call_params import {{ cookiecutter.__prefix }}CallParams
from ..dynamic_config import {{ cookiecutter.__prefix }}DynamicConfig, Async{{ cookiecutter.__prefix }}DynamicConfig
from ..tool import {{ cookiecutter.__prefix }}Tool
from ._keep_decorator_client import DECORATOR_CLIENT

COMMON_KEYS = CommonCallParams.__optional_keys__ | CommonCallParams.__required_keys__
"""The keys of Mirascope's provider-agnostic call params."""
API_KEYS = {{ cookiecutter.__prefix }}CallParams.__optional_keys__ | {{ cookiecutter.__prefix }}CallParams.__required_keys__
"""The keys of the API's own call params."""


@overload
def setup_call(
    *,
    model: str,
    client: httpx.AsyncClient | None,
    fn: Callable[..., Awaitable[Async{{ cookiecutter.__prefix }}DynamicConfig]],
    fn_args: dict[str, Any],
    dynamic_config: Async{{ cookiecutter.__prefix }}DynamicConfig,
    tools: list[type[BaseTool] | Callable[..., Any]] | None,
    json_mode: bool,
    call_params: {{ cookiecutter.__prefix }}CallParams | CommonCallParams,
    response_model: type[BaseModel] | None,
    stream: bool | StreamConfig,
) -> tuple[
    AsyncCreateFn[Completion, Chunk],
    str | None,
    list[MessageParam],
    list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    {{ cookiecutter.__prefix }}CallKwargs,
]: ...


@overload
def setup_call(
    *,
    model: str,
    client: httpx.Client | None,
    fn: Callable[..., {{ cookiecutter.__prefix }}DynamicConfig],
    fn_args: dict[str, Any],
    dynamic_config: {{ cookiecutter.__prefix }}DynamicConfig,
    tools: list[type[BaseTool] | Callable[..., Any]] | None,
    json_mode: bool,
    call_params: {{ cookiecutter.__prefix }}CallParams | CommonCallParams,
    response_model: type[BaseModel] | None,
    stream: bool | StreamConfig,
) -> tuple[
    CreateFn[Completion, Chunk],
    str | None,
    list[MessageParam],
    list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    {{ cookiecutter.__prefix }}CallKwargs,
]: ...


def setup_call(
    *,
    model: str,
    client: httpx.Client | httpx.AsyncClient | None,
    fn: Callable[..., {{ cookiecutter.__prefix }}DynamicConfig | Awaitable[Async{{ cookiecutter.__prefix }}DynamicConfig]],
    fn_args: dict[str, Any],
    dynamic_config: {{ cookiecutter.__prefix }}DynamicConfig | Async{{ cookiecutter.__prefix }}DynamicConfig,
    tools: list[type[BaseTool] | Callable[..., Any]] | None,
    json_mode: bool,
    call_params: {{ cookiecutter.__prefix }}CallParams | CommonCallParams,
    response_model: type[BaseModel] | None,
    stream: bool | StreamConfig,
) -> tuple[
    CreateFn[Completion, Chunk] | AsyncCreateFn[Completion, Chunk],
    str | None,
    list[MessageParam],
    list[type[{{ cookiecutter.__prefix }}Tool]] | None,
    {{ cookiecutter.__prefix }}CallKwargs,
]:
    """Returns the create function, prompt template, messages, tools and kwargs.

    `call_factory` calls this for every call, in every mode (call, stream,
    tools, structured output), and sends `create(**call_kwargs)`.

    Raises:
        TypeError: if the client does not match the function (an async function
            needs an `httpx.AsyncClient`, a sync one an `httpx.Client`).
    """
    prompt_template, messages, tool_types, base_call_kwargs = base_setup_call(
        fn=fn,
        fn_args=fn_args,
        dynamic_config=dynamic_config,
        tools=tools,
        tool_type={{ cookiecutter.__prefix }}Tool,
        call_params=call_params,
        convert_common_call_params=convert_common_call_params,
    )
    # Common params mixed with API params arrive unconverted: convert those the
    # API does not take under the same name (the others are the API's own).
    common = {
        key: value
        for key, value in base_call_kwargs.items()
        if key in COMMON_KEYS and key not in API_KEYS
    }
    params = {
        **{k: v for k, v in base_call_kwargs.items() if k not in common},
        **convert_common_call_params(cast(CommonCallParams, common)),
    }
    if json_mode:
        messages = asking_for_json(messages, json_mode_instructions(response_model))
    forced = response_model is not None and tool_types and not json_mode
    provider_messages, params = _wire.WIRE.prepare(
        Request(
            messages=_wire.WIRE.to_wire(messages),
            params=params,
            json_mode=json_mode,
            json_schema=response_schema(response_model) if json_mode else None,
            forced_tool=tool_name(tool_types[0]) if forced and tool_types else None,
        )
    )
    call_kwargs = cast(
        {{ cookiecutter.__prefix }}CallKwargs, {**params, "model": model, "messages": provider_messages}
    )

    client = chosen_client(dynamic_config)
    if fn_is_async(fn):
        if client is not None and not isinstance(client, httpx.AsyncClient):
            raise TypeError(
                f"An async function needs an httpx.AsyncClient, not {type(client)}."
            )
        create = get_async_create_fn(
            partial(_api.acreate, client), partial(_api.astream, client)
        )
    else:
        if client is not None and not isinstance(client, httpx.Client):
            raise TypeError(
                f"A sync function needs an httpx.Client, not {type(client)}."
            )
        create = _Create(client)
    return create, prompt_template, provider_messages, tool_types, call_kwargs


class _Create:
    """A sync call's `create`: `_api.create`, or `_api.stream` when streaming.

    Mirascope's `get_create_fn` would wrap each stream in a generator of its
    own (`yield from`), a layer that every chunk passes through; this returns
    `_api`'s generator itself. (Its async twin adds no layer per chunk, and is
    used as it is.)
    """

    def __init__(self, client: httpx.Client | None) -> None:
        self._client = client

    # The overloads of Mirascope's `CreateFn`, which this is: like Mirascope's
    # own, the first is flagged as overlapping the second (both have defaults).
    @overload
    def __call__(  # pyright: ignore[reportOverlappingOverload]
        self, *, stream: Literal[False] = False, **kwargs: Any
    ) -> Completion: ...

    @overload
    def __call__(
        self, *, stream: Literal[True] | StreamConfig = True, **kwargs: Any
    ) -> Generator[Chunk, None, None]: ...

    def __call__(
        self, *, stream: bool | StreamConfig = False, **kwargs: Any
    ) -> Completion | Generator[Chunk, None, None]:
        if stream:
            return _api.stream(self._client, **kwargs)
        return _api.create(self._client, **kwargs)


def asking_for_json(
    messages: list[MessageParam | BaseMessageParam], instructions: str
) -> list[MessageParam | BaseMessageParam]:
    """The messages with Mirascope's JSON instructions at the end of the last one.

    As Mirascope's own providers do, the last message says which JSON to write,
    if it is a user message of Mirascope's; otherwise a user message of its
    own does. The caller's messages are left as they were.
    """
    last = messages[-1] if messages else None
    if not isinstance(last, BaseMessageParam) or last.role != "user":
        return [*messages, BaseMessageParam(role="user", content=instructions)]
    if isinstance(last.content, str):
        content: str | list[Any] = f"{last.content}\n\n{instructions}"
    else:
        content = [*last.content, TextPart(type="text", text=instructions)]
    return [*messages[:-1], BaseMessageParam(role="user", content=content)]


def convert_common_call_params(common_params: CommonCallParams) -> {{ cookiecutter.__prefix }}CallParams:
    """Returns Mirascope's common params as the API's (`None` values left out)."""
    return cast({{ cookiecutter.__prefix }}CallParams, _wire.WIRE.common_params(common_params))


def chosen_client(
    dynamic_config: Mapping[str, object] | None,
) -> httpx.Client | httpx.AsyncClient | None:
    """The client this call uses: its dynamic config's, else its decorator's.

    It replaces the `client` Mirascope passes to `setup_call`. Mirascope keeps a
    client that a dynamic config returns in the decorator's closure, so it
    would be passed again to every later call of the function, in place of the
    decorator's own `client=` (see `_keep_decorator_client.py`).
    """
    client = dynamic_config.get("client") if dynamic_config else None
    if isinstance(client, httpx.Client | httpx.AsyncClient):
        return client
    return DECORATOR_CLIENT.get()
