"""The conformance suite: Mirascope v1 features through the decorator."""

from typing import Any

import pytest
from mirascope.core.base import BaseMessageParam

from {{ cookiecutter.__pkg }} import _wire

from .. import capabilities


def lacking(name: str) -> str | None:
    """Why the format lacks what `capabilities.<name>` names, or `None` if it has it.

    Each format's `capabilities.py` sets the name, to `None` for a feature it
    has; one left out (a `capabilities.py` written before the name existed)
    counts as a feature the format has.
    """
    reason: object = getattr(capabilities, name, None)
    return reason if isinstance(reason, str) else None


def fails_without(name: str) -> pytest.MarkDecorator:
    """A strict `xfail` mark, with its reason, for a format lacking `capabilities.<name>`."""
    reason = lacking(name)
    return pytest.mark.xfail(reason is not None, reason=reason or "", strict=True)


def native(role: str, text: str) -> Any:
    """A message of text in the API's own shape, as the wire format writes it."""
    return _wire.WIRE.to_wire([BaseMessageParam(role=role, content=text)])[0]
