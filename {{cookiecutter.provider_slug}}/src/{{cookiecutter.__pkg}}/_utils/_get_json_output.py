"""Gets the JSON text of a structured output from a response or a chunk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from ._json_object import ANSWER, first_json_object, invalid_json, json_object

if TYPE_CHECKING:
    from ..call_response import {{ cookiecutter.__prefix }}CallResponse


def get_json_output(
    response: {{ cookiecutter.__prefix }}CallResponse | {{ cookiecutter.__prefix }}CallResponseChunk, json_mode: bool
) -> str:
    """Returns the JSON text: the content in JSON mode, else the tool's arguments.

    For a whole response in JSON mode, prose around the JSON object is cut off
    (models often add some). For a chunk, returns this chunk's piece, or `""`.

    Raises:
        ValidationError: if a response holds no whole JSON object (in JSON
            mode), or a tool call's arguments are not one, or it holds neither
            (see `_json_object.py`: Mirascope's retries take this error).
    """
    if isinstance(response, {{ cookiecutter.__prefix }}CallResponseChunk):
        if json_mode:
            return response.content
        pieces = response.chunk.tool_calls
        return pieces[0].arguments if pieces else ""
    if json_mode and response.content:
        return first_json_object(response.content)
    if tool_calls := response.response.tool_calls:
        json_object(tool_calls[0].arguments, tool_calls[0].name)
        return tool_calls[0].arguments
    reason = "no tool call or JSON object in the answer"
    raise invalid_json(ANSWER, response.content, reason)
