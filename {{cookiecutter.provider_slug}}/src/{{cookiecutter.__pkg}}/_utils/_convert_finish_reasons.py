"""Maps {{ cookiecutter.__name_doc }} finish reasons onto Mirascope's common finish reasons."""

from collections.abc import Iterable

from mirascope.core.base.types import FinishReason

# API-SPECIFIC: the API's finish reasons.
FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}


def convert_finish_reasons(reasons: Iterable[str] | None) -> list[FinishReason] | None:
    """Returns the common finish reasons; a reason with no common name is left out."""
    if reasons is None:
        return None
    return [FINISH_REASONS[reason] for reason in reasons if reason in FINISH_REASONS]
