"""What a benchmark run records: its settings, and what it measured.

`run.py` fills these in and `report.py` turns them into the JSON document and
its tables; both import them from here, so that neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Settings:
    """How long and how often to measure."""

    rounds: int = 7
    warmup: int = 20
    warmup_seconds: float = 0.3
    round_seconds: float = 0.15
    max_calls: int = 2000
    render_repeats: int = 3
    hook_repeats: int = 3

    @classmethod
    def quick(cls) -> Settings:
        """A fast run: fewer, shorter rounds; generation timed once."""
        return cls(
            rounds=3,
            warmup=5,
            warmup_seconds=0.2,
            round_seconds=0.05,
            max_calls=500,
            render_repeats=2,
            hook_repeats=1,
        )


@dataclass(kw_only=True)
class Measurement:
    """Per-call times of one contender in one scenario (seconds)."""

    cpu: float
    wall: float
    calls_per_round: int
    rounds_cpu: list[float]
    rounds_wall: list[float]
    connections_per_call: float
    """New connections the fake API accepted per timed call: 0 when the client
    reuses its connection, 1 when it connects for every call."""


@dataclass(kw_only=True)
class Row:
    """One contender in one scenario: its measurement, or why there is none."""

    contender: str
    label: str
    measurement: Measurement | None = None
    error: str | None = None
    """It failed: built, checked or timed (the run's exit status is then 1)."""
    skipped: str | None = None
    """It cannot run here: its vendor SDK is not installed."""


@dataclass(kw_only=True)
class FormatResult:
    """Everything measured for one wire format."""

    name: str
    template_choice: str | None = None
    skipped: str | None = None
    """Why nothing was measured: the template has no such format, or it failed
    to render (`failed`, and the run's exit status is then 1)."""
    failed: bool = False
    generation: dict[str, dict[str, Any]] = field(
        default_factory=dict[str, dict[str, Any]]
    )
    scenarios: dict[str, list[Row]] = field(default_factory=dict[str, list[Row]])
