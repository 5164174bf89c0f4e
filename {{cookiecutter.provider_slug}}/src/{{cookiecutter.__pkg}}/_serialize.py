"""How responses dump what JSON cannot hold, and hide header values."""

import base64
from collections.abc import Iterable, Mapping
from typing import cast

from pydantic import BaseModel


def jsonable(value: object) -> object:
    """Returns `value` with what JSON cannot hold replaced.

    Bytes become base64 text, and anything else unknown its `repr`.
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump())
    if isinstance(value, Mapping):
        return {
            str(k): jsonable(v) for k, v in cast(Mapping[object, object], value).items()
        }
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in cast(Iterable[object], value)]
    return repr(value)


HEADER_FIELDS = ("call_params", "call_kwargs", "dynamic_config")
"""The fields of a response that may hold `extra_headers`: the call params, the
kwargs sent, and the dynamic config (in its `call_params`)."""


def without_header_values(value: object) -> object:
    """Returns `value` with the values of every `extra_headers` in it hidden.

    Call params and kwargs hold `extra_headers` at the top, a dynamic config in
    its `call_params`: each mapping inside `value` is searched, and copied.
    """
    if not isinstance(value, Mapping):
        return value
    return {
        key: dict.fromkeys(cast(Mapping[str, object], inner or {}), "[redacted]")
        if key == "extra_headers"
        else without_header_values(inner)
        for key, inner in cast(Mapping[object, object], value).items()
    }
