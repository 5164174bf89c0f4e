"""Gets the JSON text of a structured output from a response or a chunk."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk

if TYPE_CHECKING:
    from ..call_response import {{ cookiecutter.__prefix }}CallResponse


def get_json_output(
    response: {{ cookiecutter.__prefix }}CallResponse | {{ cookiecutter.__prefix }}CallResponseChunk, json_mode: bool
) -> str:
    """Returns the JSON text: the content in JSON mode, else the tool's arguments.

    For a whole response in JSON mode, prose around the JSON object is cut off
    (models often add some). For a chunk, returns this chunk's piece, or `""`.

    Raises:
        ValueError: if a response holds neither a JSON object (in JSON mode) nor
            a tool call.
    """
    # API-SPECIFIC: where the response and the chunk carry content and tool calls.
    if isinstance(response, {{ cookiecutter.__prefix }}CallResponseChunk):
        if json_mode:
            return response.content
        choices = response.chunk.choices
        pieces = choices[0].delta.tool_calls if choices else None
        function = pieces[0].function if pieces else None
        return (function.arguments or "") if function else ""
    if json_mode and response.content:
        return _json_object(response.content)
    if tool_calls := response.response.choices[0].message.tool_calls:
        return tool_calls[0].function.arguments
    raise ValueError("No tool call or JSON object found in the response.")


def _json_object(content: str) -> str:
    """Returns the first JSON object in `content`.

    Raises:
        ValueError: if no JSON object parses, with the start of the answer.
    """
    decoder = json.JSONDecoder()
    start = content.find("{")
    while start != -1:
        try:
            _, end = decoder.raw_decode(content, start)
        except ValueError:
            start = content.find("{", start + 1)
        else:
            return content[start:end]
    raise ValueError(f"No JSON object found in the answer: {content[:200]!r}")
