"""`python -m benchmarks` still runs, briefly; its modules import one way.

A smoke test, not a measurement: nothing here asserts a time. It runs the
quick settings on one scenario of one format, as the template's tests are run
(`.[test]`, without the `bench` extra's vendor SDKs, whose rows are then
skipped with a note; with them installed, those rows are timed too).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks import compare, report
from benchmarks.records import FormatResult, Row, Settings

from .conftest import TEMPLATE

BENCHMARKS = TEMPLATE / "benchmarks"


def _imports_of(module: Path) -> set[str]:
    """The package's own modules that `module` imports, `TYPE_CHECKING` included."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.partition(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("benchmarks."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("benchmarks.")
            )
    return found


def test_the_benchmark_modules_import_one_way() -> None:
    """No module imports, even for type checking only, one that imports it back."""
    graph = {path.stem: _imports_of(path) for path in BENCHMARKS.glob("*.py")}
    assert graph["run"] >= {"report", "contenders"}  # the walk sees the imports

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for found in graph.get(todo.pop(), set()) - seen:
                seen.add(found)
                todo.append(found)
        return seen

    cycles = sorted(name for name in graph if name in reachable(name))
    assert not cycles, {name: sorted(graph[name]) for name in cycles}


def test_a_quick_run_writes_its_rows_outside_the_source_tree(tmp_path: Path) -> None:
    """`--quick`, one scenario of one format: exit 0, every row in the JSON."""
    temp, home = tmp_path / "tmp", tmp_path / "home"
    temp.mkdir()
    home.mkdir()
    # TMPDIR: where the results go by default; HOME: Cookiecutter's replay file.
    env = {**os.environ, "TMPDIR": str(temp), "HOME": str(home)}
    command = ["--quick", "--format", "openai-chat", "--scenario", "call"]
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", *command, "--skip-generation"],
        cwd=TEMPLATE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    written = list(temp.glob("*.json"))
    assert len(written) == 1, output
    assert f"JSON written to {written[0]}" in result.stdout
    document = json.loads(written[0].read_text())

    assert document["command"].endswith(" ".join([*command, "--skip-generation"]))
    [fmt] = document["formats"]
    assert (fmt["name"], fmt["skipped"], fmt["generation"]) == ("openai-chat", None, {})
    assert list(fmt["scenarios"]) == ["call"]
    rows = {row["contender"]: row for row in fmt["scenarios"]["call"]["rows"]}
    assert list(rows) == [
        "raw",
        "generated",
        "built-in",
        "generated-default",
        "built-in-default",
    ]
    timed = ["raw", "generated", "generated-default"]
    if importlib.util.find_spec("openai") is not None:
        timed += ["built-in", "built-in-default"]
    else:
        for key in ("built-in", "built-in-default"):
            assert rows[key]["error"] is None, rows[key]
            assert "openai SDK is not installed" in rows[key]["skipped"]
            assert ".[bench]" in rows[key]["skipped"]
            assert "cpu" not in rows[key]
        assert "SKIPPED" in result.stdout
    for key in timed:
        row = rows[key]
        assert (row["error"], row["skipped"]) == (None, None), row
        assert len(row["rounds_cpu"]) == document["settings"]["rounds"] == 3
        assert row["calls_per_round"] >= 1
    assert rows["raw"]["cpu_vs_raw"] == 1


def test_what_failed_sets_the_exit_status_and_what_was_skipped_does_not() -> None:
    """A row that erred, or a format that did not render, fails the run."""
    rows = [
        Row(contender="raw", label="raw httpx", error="BenchmarkError: wrong answer"),
        Row(contender="built-in", label="openai_call", skipped="no openai SDK"),
    ]
    results = [
        FormatResult(name="openai-chat", scenarios={"call": rows}),
        FormatResult(
            name="anthropic-messages", skipped="rendering failed: X", failed=True
        ),
        FormatResult(name="other", skipped="the template has no such choice"),
    ]
    document = report.document(
        results,
        Settings.quick(),
        "python -m benchmarks",
        {"call": {"built-in": 0.4, "raw": 1.2}},
        {},
        load_at_start=(0.0, 0.0, 0.0),
        template={"path": ".", "commit": None, "modified": None},
        mirascope_import=None,
    )
    assert report.failures(document) == [
        "anthropic-messages: rendering failed: X",
        "openai-chat, call, raw httpx: BenchmarkError: wrong answer",
    ]
    assert document["summary"] == {"targets_met": 0, "targets": 2, "not_measured": 2}
    tables = report.tables(document)
    assert re.search(r"\| openai_call +\| SKIPPED +\| no openai SDK +\|", tables)
    assert "Targets met: 0 of 2, 2 not measured" in tables


def _run_document(gen: float, raw: float, render: float) -> dict[str, object]:
    """A run's JSON, cut down to what `benchmarks.compare` reads."""
    rows = [{"contender": "raw", "cpu": raw}, {"contender": "generated", "cpu": gen}]
    return {
        "formats": [
            {
                "name": "openai-chat",
                "scenarios": {"stream_long": {"rows": rows}},
                "generation": {"render_smoke": {"wall": render}},
            }
        ]
    }


def test_compare_gives_medians_of_runs_and_keeps_its_part_of_the_page(
    tmp_path: Path,
) -> None:
    """The medians of each side and the change; the page keeps the table."""
    before = compare.figures([_run_document(g, 1.0, 5.0) for g in (1.6, 1.5, 1.7)])
    after = compare.figures([_run_document(g, 1.0, 2.0) for g in (1.3, 1.4, 9.9)])
    section = compare.section(before, after, ["b.json"], ["a.json"])
    [ratio] = [line for line in section.splitlines() if "gen/raw" in line]
    assert re.search(r"\| 1\.60x +\| 1\.60, 1\.50, 1\.70 +\| 1\.40x +\|", ratio)
    assert ratio.rstrip(" |").endswith("-12.5%")
    [wall] = [line for line in section.splitlines() if "render_smoke" in line]
    assert re.search(r"\| 5\.00 s +\| 5\.00 s, 5\.00 s, 5\.00 s +\| 2\.00 s +\|", wall)
    assert wall.rstrip(" |").endswith("-60.0%")

    page = tmp_path / "page.md"
    page.write_text("# Benchmarks\n")
    compare.write_section(page, section)
    compare.write_section(page, section)  # a second run replaces, not adds
    assert page.read_text().count(compare.COMPARE_START) == 1
    notes = "<!-- kept: notes -->\nBy hand.\n<!-- /kept: notes -->"
    page.write_text(page.read_text() + notes + "\n")
    assert compare.kept_sections(page) == [section, notes]
