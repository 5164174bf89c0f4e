"""Checks the Responses API's JSON against openai-python's `types.responses`.

Reads `{"requests": [body, ...], "answers": [response, ...], "events": [[name,
data], ...]}` on stdin and prints the problems found, one string each (none:
`[]`). A request body must be a `ResponseCreateParams` (streaming or not) with no
key its typed dicts do not declare; an answer a `Response`, an event a
`ResponseStreamEvent` named after its `type`, neither with a field the SDK's
models do not declare.

Pydantic validates a typed dict without refusing unknown keys, and an
`Iterable[...]` field only when it is iterated: each typed dict of the SDK is
given `extra="forbid"` here, and every iterable the validation returns is
walked, so that what it holds is validated too.
"""

import importlib
import json
import pkgutil
import sys
from typing import Any

import openai.types
import pydantic
from openai.types.responses import Response, ResponseStreamEvent
from openai.types.responses.response_create_params import (
    ResponseCreateParamsNonStreaming,
    ResponseCreateParamsStreaming,
)
from typing_extensions import is_typeddict


def forbid_unknown_keys() -> None:
    """Gives every typed dict of `openai.types` pydantic's `extra="forbid"`."""
    for module in pkgutil.walk_packages(openai.types.__path__, "openai.types."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and is_typeddict(value):
                value.__pydantic_config__ = pydantic.ConfigDict(extra="forbid")  # type: ignore[attr-defined]


def walk(value: Any) -> None:
    """Validates what a lazily validated iterable holds, all the way down."""
    if isinstance(value, dict):
        value = value.values()
    elif isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return
    for inner in value:
        walk(inner)


def extras(model: Any, where: str) -> list[str]:
    """The fields of a parsed answer that the SDK's models do not declare."""
    found: list[str] = []
    if isinstance(model, pydantic.BaseModel):
        found += [f"{where}.{key}" for key in model.model_extra or {}]
        for name in type(model).model_fields:
            found += extras(getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        for i, inner in enumerate(model):
            found += extras(inner, f"{where}[{i}]")
    return found


def errors(error: pydantic.ValidationError) -> str:
    """The first errors of a validation, each at the end of its place."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'][-3:]))}: {e['msg']}" for e in error.errors()[:5]
    )


def main() -> None:
    payload = json.load(sys.stdin)
    forbid_unknown_keys()
    streaming = pydantic.TypeAdapter(ResponseCreateParamsStreaming)
    plain = pydantic.TypeAdapter(ResponseCreateParamsNonStreaming)
    events = pydantic.TypeAdapter(ResponseStreamEvent)
    problems: list[str] = []
    for i, body in enumerate(payload.get("requests", [])):
        adapter = streaming if body.get("stream") else plain
        try:
            walk(adapter.validate_python(body))
        except pydantic.ValidationError as error:
            problems.append(f"request {i}: {errors(error)}")
    for i, answer in enumerate(payload.get("answers", [])):
        try:
            problems += extras(Response.model_validate(answer), f"answer {i}")
        except pydantic.ValidationError as error:
            problems.append(f"answer {i}: {errors(error)}")
    for i, (name, data) in enumerate(payload.get("events", [])):
        if data.get("type") != name:
            problems.append(f"event {i}: named {name!r}, of type {data.get('type')!r}")
        try:
            problems += extras(events.validate_python(data), f"event {i} ({name})")
        except pydantic.ValidationError as error:
            problems.append(f"event {i} ({name}): {errors(error)}")
    print(json.dumps(problems))


main()
