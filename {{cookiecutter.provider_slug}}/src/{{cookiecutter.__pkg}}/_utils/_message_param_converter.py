"""The `{{ cookiecutter.__prefix }}MessageParamConverter`: {{ cookiecutter.__name_doc }} messages to and from Mirascope's."""

from collections.abc import Iterable

from mirascope.core.base import BaseMessageParam
from mirascope.core.base.types import FinishReason

from .. import _wire
from .._mirascope_private import BaseMessageParamConverter
from .._types import MessageParam


class {{ cookiecutter.__prefix }}MessageParamConverter(BaseMessageParamConverter):
    """Converts between {{ cookiecutter.__name_doc }} message params and Mirascope's `BaseMessageParam`."""

    @staticmethod
    def to_provider(message_params: list[BaseMessageParam]) -> list[MessageParam]:
        """Returns the messages in the API's shape."""
        return _wire.WIRE.to_wire(message_params)

    @staticmethod
    def from_provider(message_params: list[MessageParam]) -> list[BaseMessageParam]:
        """Returns the messages as provider-agnostic `BaseMessageParam`s."""
        return _wire.WIRE.from_wire(message_params)


def common_finish_reasons(reasons: Iterable[str] | None) -> list[FinishReason] | None:
    """Returns Mirascope's common finish reasons; one with no common name is left out."""
    if reasons is None:
        return None
    table = _wire.WIRE.finish_reasons
    return [table[reason] for reason in reasons if reason in table]
