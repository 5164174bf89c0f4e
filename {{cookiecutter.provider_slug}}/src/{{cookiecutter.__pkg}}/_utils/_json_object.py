"""Finds the JSON object in a model's answer, whatever the wire format."""

import json


def first_json_object(content: str) -> str:
    """Returns the first JSON object in `content` (models often add prose).

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
