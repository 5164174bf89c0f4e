"""The adapter's files are written: each check names the file it is about.

This module runs first in the suite. While the package is being adapted to
another API (the README's "Adapting to your API"), a file not written yet fails
here, with the step of the README it belongs to, before the tests that would
only fail because of it.
"""

from typing import Any, is_typeddict

import pytest
from mirascope.core.base import BaseMessageParam, TextPart
from pydantic import BaseModel

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallParams, _types
from {{ cookiecutter.__pkg }}._extra_params import ExtraParams
from {{ cookiecutter.__pkg }}._wire import WIRE

from .. import wire_cases
from ..capabilities import MISSING
from .test_multimodal import PARTS

KINDS = ("REQUESTS", "MESSAGES", "ANSWERS", "STREAMS", "ERRORS", "FAKE_API")
"""The kinds of rows of the table, as `wire_cases.py` names its lists."""

STEP = "of the README's Adapting to your API"


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_has_rows_of_every_kind(kind: str) -> None:
    """The table has rows of each kind: a kind left empty checks nothing."""
    rows: list[Any] = list(getattr(wire_cases, kind, []))
    assert rows, (
        f"tests/wire_cases.py has no {kind} rows: write them in the API's JSON"
        f" (step 1 {STEP})."
    )


def test_every_wire_model_declares_what_it_holds() -> None:
    """Each model and typed dict of `_types.py` declares its fields."""
    models = [
        value
        for name, value in vars(_types).items()
        if isinstance(value, type)
        and not name.startswith("_")
        and value.__module__ == _types.__name__
        and (issubclass(value, BaseModel) or is_typeddict(value))
    ]
    empty = [
        model.__name__
        for model in models
        if not (
            model.model_fields
            if issubclass(model, BaseModel)
            else model.__annotations__
        )
    ]
    assert models, (
        f"src/{{ cookiecutter.__pkg }}/_types.py declares no wire model (step 2 {STEP})."
    )
    assert not empty, (
        f"src/{{ cookiecutter.__pkg }}/_types.py: {', '.join(empty)} declare no field"
        f" (step 2 {STEP})."
    )


def test_the_call_params_are_declared() -> None:
    """`{{ cookiecutter.__prefix }}CallParams` lists the parameters the API takes.

    Those of `ExtraParams`, which every call takes, do not count.
    """
    params = {{ cookiecutter.__prefix }}CallParams.__required_keys__ | {{ cookiecutter.__prefix }}CallParams.__optional_keys__
    params -= ExtraParams.__optional_keys__
    assert params, (
        "src/{{ cookiecutter.__pkg }}/call_params.py declares no parameter: list those"
        f" the API takes (step 3 {STEP})."
    )


@pytest.mark.parametrize("feature", sorted(PARTS))
def test_what_the_adapter_refuses_is_declared(feature: str) -> None:
    """`capabilities.MISSING` names exactly the parts the adapter refuses."""
    content = [TextPart(type="text", text="Look."), PARTS[feature]]
    message = BaseMessageParam(role="user", content=content)
    try:
        WIRE.to_wire([message])
    except ValueError:
        refused = True
    else:
        refused = False
    assert refused == (feature in MISSING), (
        f"tests/capabilities.py: the adapter {'refuses' if refused else 'takes'}"
        f" {feature!r} parts, but MISSING {'lacks' if refused else 'names'} it"
        f" (step 6 {STEP})."
    )
