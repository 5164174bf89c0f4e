"""Checks Gemini `generateContent` JSON against google-genai's own types.

Reads `{"requests": [...], "responses": [...], "events": [...]}` on stdin:
request bodies as the provider sends them, answers and stream events' data as
the fake API sends them. Writes `{"checked": {...}, "failures": [...]}`: how
many of each were checked, and for each that google-genai's `types` refuse,
its kind, index and the error.

A request body has no type of its own in the SDK (it builds the body from
`GenerateContentConfig`): each of its fields is checked against the type of
the reference's field (`contents`: `Content`, `tools`: `Tool`, ...), and a
field of another name is refused. The SDK's models forbid unknown fields and
read JSON names (camelCase), bytes in base64 (`inlineData.data`,
`thoughtSignature`), as the API does.
"""

import json
import sys

from google.genai import types
from pydantic import TypeAdapter, ValidationError

REQUEST_FIELDS = {
    "contents": TypeAdapter(list[types.Content]),
    "tools": TypeAdapter(list[types.Tool]),
    "toolConfig": TypeAdapter(types.ToolConfig),
    "systemInstruction": TypeAdapter(types.Content),
    "generationConfig": TypeAdapter(types.GenerationConfig),
    "safetySettings": TypeAdapter(list[types.SafetySetting]),
    "cachedContent": TypeAdapter(str),
}
"""The fields of a `generateContent` request body, and the SDK's type of each."""
ROLES = {"user", "model"}
"""The roles of `contents` (https://ai.google.dev/api/caching#Content)."""


def request_problem(body: dict) -> str | None:
    """Why the SDK's types refuse a request body, or `None`."""
    unknown = sorted(set(body) - set(REQUEST_FIELDS))
    if unknown:
        return f"unknown request fields {unknown}"
    for name, value in body.items():
        try:
            REQUEST_FIELDS[name].validate_json(json.dumps(value))
        except ValidationError as error:
            return f"{name}: {error}"
    roles = {content.get("role", "user") for content in body.get("contents", [])}
    if not roles <= ROLES:
        return f"contents: roles {sorted(roles - ROLES)}"
    return None


def answer_problem(answer: dict) -> str | None:
    """Why the SDK's `GenerateContentResponse` refuses an answer, or `None`."""
    try:
        types.GenerateContentResponse.model_validate_json(json.dumps(answer))
    except ValidationError as error:
        return str(error)
    return None


def main() -> None:
    payload = json.load(sys.stdin)
    checks = {
        "requests": request_problem,
        "responses": answer_problem,
        "events": answer_problem,
    }
    failures = []
    for kind, problem_of in checks.items():
        for index, value in enumerate(payload.get(kind, [])):
            if problem := problem_of(value):
                failures.append({"kind": kind, "index": index, "error": problem})
    checked = {kind: len(payload.get(kind, [])) for kind in checks}
    print(json.dumps({"checked": checked, "failures": failures}))


main()
