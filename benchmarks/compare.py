"""Compare benchmark runs: medians over several runs, before and after a change.

    python -m benchmarks.compare --before B1.json ... --after A1.json A2.json A3.json
    python -m benchmarks.compare ... --markdown docs/benchmarks.md

Each file is the JSON a run of `python -m benchmarks` writes. For each format
and scenario the table gives the generated provider's CPU per call over raw
httpx's (`gen/raw`) and over the built-in provider's (`gen/built-in`): the
median over the runs of each side, each run's value, and the change; then the
generation times the same way. One run moves by a tenth or more on a shared
machine (see docs/benchmarks.md), so a change is read from medians of runs.

With `--markdown PATH`, the table is written into that page between the
markers `COMPARE_START` and `COMPARE_END` (added at its end if missing). A
part of a page between `<!-- kept: NAME -->` and `<!-- /kept: NAME -->` (this
table, or notes written by hand) is kept by `python -m benchmarks --markdown`
when it rewrites the rest (`kept_sections`).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from pathlib import Path
from typing import Any

from .report import markdown_table, seconds

KEPT = re.compile(r"<!-- kept: ([\w-]+) -->.*?<!-- /kept: \1 -->", re.DOTALL)
"""A part of a page that a new run's page keeps."""
COMPARE_START = "<!-- kept: compare -->"
COMPARE_END = "<!-- /kept: compare -->"

OVER = (("raw", "gen/raw"), ("built-in", "gen/built-in"))
"""The contenders the generated provider's CPU is divided by, and the ratio's name."""

Figures = dict[tuple[str, str, str], list[float]]
"""(format, scenario or generation step, measure) -> one value per run."""


def figures(documents: list[dict[str, Any]]) -> Figures:
    """The ratios and generation times of each run, gathered per row."""
    found: Figures = {}
    for document in documents:
        for fmt in document["formats"]:
            for key, scenario in fmt.get("scenarios", {}).items():
                rows = {row["contender"]: row for row in scenario["rows"]}
                gen = rows.get("generated", {}).get("cpu")
                for other, measure in OVER:
                    base = rows.get(other, {}).get("cpu")
                    if gen and base:
                        found.setdefault((fmt["name"], key, measure), []).append(
                            gen / base
                        )
            for key, step in (fmt.get("generation") or {}).items():
                if step.get("wall"):
                    found.setdefault((fmt["name"], key, "wall"), []).append(
                        step["wall"]
                    )
    return found


def _runs(values: list[float], wall: bool) -> str:
    shown = [seconds(v) if wall else f"{v:.2f}" for v in values]
    return ", ".join(shown)


def _value(value: float, wall: bool) -> str:
    return seconds(value) if wall else f"{value:.2f}x"


def table(before: Figures, after: Figures) -> str:
    """The Markdown table of both sides' medians, per row both sides have."""
    rows: list[list[str]] = []
    for key in sorted(before.keys() & after.keys(), key=_order):
        fmt, name, measure = key
        wall = measure == "wall"
        old, new = statistics.median(before[key]), statistics.median(after[key])
        rows.append(
            [
                fmt,
                name,
                measure,
                _value(old, wall),
                _runs(before[key], wall),
                _value(new, wall),
                _runs(after[key], wall),
                f"{100 * (new / old - 1):+.1f}%",
            ]
        )
    headers = [
        "format",
        "row",
        "measure",
        "before (median)",
        "before runs",
        "after (median)",
        "after runs",
        "change",
    ]
    return markdown_table(headers, rows)


def _order(key: tuple[str, str, str]) -> tuple[str, bool, str, str]:
    fmt, name, measure = key
    return (fmt, measure == "wall", name, measure)


def section(
    before: Figures, after: Figures, before_names: list[str], after_names: list[str]
) -> str:
    """The page's part: what was compared, and the table."""
    return "\n".join(
        [
            COMPARE_START,
            "## Before and after (medians of runs)",
            "",
            f"Before: {', '.join(f'`{n}`' for n in before_names)}."
            f" After: {', '.join(f'`{n}`' for n in after_names)}."
            " Ratios are client CPU per call; generation is wall time."
            " Written by `python -m benchmarks.compare`.",
            "",
            table(before, after),
            COMPARE_END,
        ]
    )


def write_section(page: Path, text: str) -> None:
    """Puts `text` between the markers of `page`, or at its end."""
    content = page.read_text() if page.exists() else ""
    if COMPARE_START in content and COMPARE_END in content:
        head, rest = content.split(COMPARE_START, 1)
        tail = rest.split(COMPARE_END, 1)[1]
        content = head + text + tail
    else:
        content = content.rstrip("\n") + "\n\n" + text + "\n"
    page.write_text(content)


def kept_sections(page: Path) -> list[str]:
    """The kept parts of an existing page, in order, to keep when it is rewritten."""
    if not page.exists():
        return []
    return [match.group(0) for match in KEPT.finditer(page.read_text())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.compare", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--before", nargs="+", type=Path, required=True)
    parser.add_argument("--after", nargs="+", type=Path, required=True)
    parser.add_argument("--markdown", type=Path, help="write the table into this page")
    args = parser.parse_args(argv)
    old = [json.loads(path.read_text()) for path in args.before]
    new = [json.loads(path.read_text()) for path in args.after]
    text = section(
        figures(old),
        figures(new),
        [path.name for path in args.before],
        [path.name for path in args.after],
    )
    print(text)
    if args.markdown:
        write_section(args.markdown, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
