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


def without_header_values(value: object) -> object:
    """Returns call params (a mapping) with the values of `extra_headers` hidden."""
    params = cast(Mapping[str, object], value)
    if "extra_headers" not in params:
        return params
    headers = cast(Mapping[str, object], params["extra_headers"] or {})
    return {**params, "extra_headers": dict.fromkeys(headers, "[redacted]")}
