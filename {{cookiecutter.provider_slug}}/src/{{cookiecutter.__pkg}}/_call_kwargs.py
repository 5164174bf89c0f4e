"""The `{{ cookiecutter.__prefix }}CallKwargs` type: everything `setup_call` hands to the create function."""

from collections.abc import Sequence

from mirascope.core.base import BaseCallKwargs

from ._types import MessageParam, ToolParam
from .call_params import {{ cookiecutter.__prefix }}CallParams


class {{ cookiecutter.__prefix }}CallKwargs({{ cookiecutter.__prefix }}CallParams, BaseCallKwargs[ToolParam]):
    """The call params plus the model, the messages and the tool definitions."""

    model: str
    messages: Sequence[MessageParam]
