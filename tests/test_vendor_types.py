"""The vendor SDKs that check the wire formats are apart from this environment."""

from __future__ import annotations

from pathlib import Path

from packaging.requirements import Requirement

from .vendor_types import FOLDER, REQUIREMENTS, check


def test_checkers_see_the_pinned_sdks_and_nothing_of_this_environment() -> None:
    """A checker imports the pinned SDKs and their pydantic, not this venv's."""
    seen = check("environment", None)
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            [spec] = requirement.specifier
            pins[requirement.name] = spec.version
    assert seen["versions"] == pins
    assert Path(seen["pydantic"]).is_relative_to(FOLDER)
    assert seen["mirascope"] is False
