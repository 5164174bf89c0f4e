"""What the wire format cannot carry, and how it makes a model call a tool.

Each entry of `MISSING` names a feature and why the format lacks it. A conformance test of
that feature is marked `xfail` (strict: it must fail) with the reason, so a
lacking feature shows in every test report and never passes silently.
"""

# API-SPECIFIC: the features your API lacks.

import pytest

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallParams

MISSING: dict[str, str] = {
    "audio": "Chat completions as generated send no audio parts (OpenAI's"
    " `input_audio` is not part of the compatible subset).",
    "audio_url": "Chat completions as generated send no audio parts.",
    "document": "Chat completions as generated send no document (PDF) parts.",
    "document_url": "Chat completions as generated send no document parts.",
    "cache_control": "Chat completions have no cache-control marks; caching, where"
    " the API has it, is automatic.",
}
"""Feature name -> why the wire format lacks it."""

FORCE_TOOL_USE: {{ cookiecutter.__prefix }}CallParams = {"tool_choice": "required"}
"""Call params that make the model call one of the tools it is given: tests
that expect a tool call pass them, so a real model (`--live`) calls one too."""


def lacking(feature: str) -> pytest.MarkDecorator:
    """Marks a test of `feature` as an expected failure if the format lacks it."""
    if feature in MISSING:
        return pytest.mark.xfail(
            reason=MISSING[feature], raises=ValueError, strict=True
        )
    return pytest.mark.usefixtures()
