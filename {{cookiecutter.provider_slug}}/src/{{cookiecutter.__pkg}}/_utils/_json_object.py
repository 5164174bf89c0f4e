"""Reads the JSON a model writes, whatever the wire format.

JSON that is cut off, missing or not an object raises pydantic's
`ValidationError`, the one error of another package this package raises, on
purpose: it is what Mirascope raises when JSON does not fit a response model or
a tool, and what its retries collect to feed back into the prompt
(`collect_errors(ValidationError)`, `mirascope.retries.tenacity`), which
compares classes exactly, so it is pydantic's own class, not a subclass.
"""

import json
from typing import Any, cast

import jiter
from pydantic import ValidationError
from pydantic_core import InitErrorDetails

ANSWER = "the answer's JSON"
"""What an error about the JSON of the answer says it is about."""


def invalid_json(title: str, text: str, reason: str) -> ValidationError:
    """Returns pydantic's error for JSON text that cannot be read (`json_invalid`).

    Args:
        title: What the JSON is for (a tool's name), as pydantic's title.
        text: The text the model wrote.
        reason: What is wrong with it.
    """
    detail = InitErrorDetails(
        type="json_invalid", loc=(), input=text, ctx={"error": reason}
    )
    return ValidationError.from_exception_data(title, [detail])


def json_object(
    text: str, title: str, *, allow_partial: bool = False
) -> dict[str, Any]:
    """Parses a tool call's arguments: a JSON object, `{}` if empty.

    Args:
        text: The JSON text.
        title: The tool's name, for the error.
        allow_partial: Accept JSON cut off at the end (while it streams in).

    Raises:
        ValidationError: if the text is not a JSON object, or is cut off.
    """
    if not text:
        return {}
    mode = "trailing-strings" if allow_partial else "off"
    try:
        parsed: object = jiter.from_json(text.encode(), partial_mode=mode)
    except ValueError as error:
        raise invalid_json(title, text, str(error)) from None
    if not isinstance(parsed, dict):
        raise invalid_json(title, text, "not a JSON object")
    return cast(dict[str, Any], parsed)


def first_json_object(content: str) -> str:
    """Returns the first JSON object in `content` (models often add prose).

    Raises:
        ValidationError: if no JSON object parses: none is there, or it is cut
            off (the error quotes the answer).
    """
    decoder = json.JSONDecoder()
    start = content.find("{")
    reason = "" if start != -1 else "no JSON object in the answer"
    while start != -1:
        try:
            _, end = decoder.raw_decode(content, start)
        except ValueError as error:
            reason = reason or f"no whole JSON object in the answer ({error})"
            start = content.find("{", start + 1)
        else:
            return content[start:end]
    raise invalid_json(ANSWER, content, reason)
