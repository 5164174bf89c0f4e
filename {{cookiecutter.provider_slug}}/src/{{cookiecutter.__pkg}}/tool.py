"""The `{{ cookiecutter.__prefix }}Tool` class for tool use with {{ cookiecutter.__name_doc }} calls."""

from __future__ import annotations

from mirascope.core.base import BaseTool
from pydantic.json_schema import SkipJsonSchema

from . import _wire
from ._mirascope_private import partial, tool_description, tool_name
from ._neutral import ToolCall
from ._types import ToolParam
from ._utils._json_object import json_object


class {{ cookiecutter.__prefix }}Tool(BaseTool):
    """A tool for {{ cookiecutter.__name_doc }} calls.

    Mirascope turns your functions and `BaseTool` classes into subclasses of this
    one; `tool_call` holds the call the model made.

    Example:
        ```python
        from mirascope.core import prompt_template
        from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}


        def format_book(title: str, author: str) -> str:
            return f"{title} by {author}"


        @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}", tools=[format_book])
        @prompt_template("Recommend a {genre} book")
        def recommend_book(genre: str): ...


        response = recommend_book("fantasy")
        if tool := response.tool:
            print(tool.call())
        ```
    """

    __provider__ = "{{ cookiecutter.provider_slug }}"

    tool_call: SkipJsonSchema[ToolCall]

    @classmethod
    def tool_schema(cls) -> ToolParam:
        """Returns the tool definition sent in the request's `tools`."""
        return _wire.WIRE.tool_schema(
            tool_name(cls), tool_description(cls), cls.model_json_schema()
        )

    @classmethod
    def from_tool_call(
        cls, tool_call: ToolCall, allow_partial: bool = False
    ) -> {{ cookiecutter.__prefix }}Tool:
        """Returns the tool instance for a tool call the model made.

        Args:
            tool_call: The tool call from the response or the assembled stream.
            allow_partial: Accept incomplete JSON arguments (for partial tools
                while streaming); missing fields are then `None`.

        Raises:
            ValidationError: if the arguments are not a JSON object (cut off,
                say) or do not fit the tool's schema.
        """
        arguments = json_object(
            tool_call.arguments, cls.__name__, allow_partial=allow_partial
        )
        model_json = {**arguments, "tool_call": tool_call}
        if allow_partial:
            return partial(cls, {"tool_call", "delta"}).model_validate(model_json)
        return cls.model_validate(model_json)
