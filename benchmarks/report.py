"""The benchmark's outputs: the JSON document, its Markdown tables and the docs page."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import pstats
import sysconfig
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from .contenders import SCENARIOS, Scenario
from .records import FormatResult, Row, Settings

PACKAGES = (
    "mirascope",
    "httpx",
    "httpcore",
    "h11",
    "pydantic",
    "pydantic-core",
    "openai",
    "anthropic",
    "cookiecutter",
    "ruff",
    "pytest",
)
"""The packages whose versions the results depend on."""

LIBRARY_ROOTS = sorted(
    {sysconfig.get_path(name) + os.sep for name in ("purelib", "platlib", "stdlib")},
    key=len,
    reverse=True,
)
"""Where installed packages and the standard library live, longest first."""

GENERATION_LABELS = {
    "render": "render only (no hooks)",
    "render_format": "render + hooks, smoke test skipped (ruff only)",
    "render_smoke": "render + hooks with the smoke test",
}


def seconds(value: float | None) -> str:
    """A duration in the unit that suits it: µs, ms or s."""
    if value is None:
        return "—"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, its columns padded so that it also reads as plain text."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def progress_line(wire: str, scenario: Scenario, row: Row) -> str:
    """One line per timed row, printed while the benchmark runs."""
    where = f"[{wire}] {scenario.label:<24} {row.label:<48}"
    if row.skipped:
        return f"{where} SKIPPED: {row.skipped}"
    if row.measurement is None:
        return f"{where} ERROR {row.error}"
    m = row.measurement
    return (
        f"{where} CPU {seconds(m.cpu):>9}  wall {seconds(m.wall):>9}"
        f"  {m.connections_per_call:.2f} conn/call"
        f"  ({m.calls_per_round} calls x {len(m.rounds_cpu)})"
    )


def machine() -> dict[str, Any]:
    """The CPU, cores, OS, Python and package versions."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    affinity = getattr(os, "sched_getaffinity", None)
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(affinity(0)) if affinity else os.cpu_count(),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": versions,
    }


def _check(value: float | None, limit: float) -> dict[str, Any]:
    """A target: `pass` is None when it was not measured (a row failed or skipped)."""
    return {
        "value": value,
        "limit": limit,
        "pass": None if value is None else value <= limit,
    }


def _scenario_document(
    rows: list[Row], targets: dict[str, float] | None, label: str
) -> dict[str, Any]:
    measured = {r.contender: r.measurement for r in rows if r.measurement}
    generated, raw, builtin = (
        measured.get("generated"),
        measured.get("raw"),
        measured.get("built-in"),
    )

    def over(a: Any, b: Any, what: str) -> float | None:
        return getattr(a, what) / getattr(b, what) if a and b else None

    ratios = {
        "cpu_vs_builtin": over(generated, builtin, "cpu"),
        "cpu_vs_raw": over(generated, raw, "cpu"),
        "wall_vs_builtin": over(generated, builtin, "wall"),
        "wall_vs_raw": over(generated, raw, "wall"),
        "raw_cpu_vs_builtin": over(raw, builtin, "cpu"),
    }
    checks = {}
    if targets:
        checks = {
            "cpu_vs_builtin": _check(ratios["cpu_vs_builtin"], targets["built-in"]),
            "cpu_vs_raw": _check(ratios["cpu_vs_raw"], targets["raw"]),
        }
    return {
        "label": label,
        "rows": [
            {
                "contender": r.contender,
                "label": r.label,
                "error": r.error,
                "skipped": r.skipped,
                **(asdict(r.measurement) if r.measurement else {}),
                "cpu_vs_raw": over(r.measurement, raw, "cpu"),
            }
            for r in rows
        ],
        "ratios": ratios,
        "checks": checks,
    }


def document(
    results: list[FormatResult],
    settings: Settings,
    command: str,
    targets: dict[str, dict[str, float]],
    generation_targets: dict[str, float],
    *,
    load_at_start: tuple[float, float, float],
    template: dict[str, Any],
    mirascope_import: dict[str, Any] | None,
) -> dict[str, Any]:
    """Everything measured, as the JSON file holds it."""
    labels = {s.key: s.label for s in SCENARIOS}
    formats: list[dict[str, Any]] = []
    for result in results:
        generation = {
            step: {
                **timing,
                "label": GENERATION_LABELS[step],
                "check": _check(timing["wall"], generation_targets[step])
                if step in generation_targets
                else None,
            }
            for step, timing in result.generation.items()
        }
        formats.append(
            {
                "name": result.name,
                "template_choice": result.template_choice,
                "skipped": result.skipped,
                "failed": result.failed,
                "generation": generation,
                "scenarios": {
                    key: _scenario_document(rows, targets.get(key), labels[key])
                    for key, rows in result.scenarios.items()
                },
            }
        )
    checks: list[dict[str, Any]] = [
        c
        for f in formats
        for c in [
            *(c for s in f["scenarios"].values() for c in s["checks"].values()),
            *(g["check"] for g in f["generation"].values() if g["check"]),
        ]
    ]
    return {
        "command": command,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
        "template": template,
        "machine": machine(),
        "load_average": {"start": load_at_start, "end": os.getloadavg()},
        "settings": asdict(settings),
        "clocks": {
            "cpu": "time.process_time: CPU of the client process (the fake API"
            " runs in another process)",
            "wall": "time.perf_counter",
        },
        "targets": {
            "cpu_ratio": targets,
            "generation_wall_seconds": generation_targets,
        },
        "summary": {
            "targets_met": sum(c["pass"] is True for c in checks),
            "targets": len(checks),
            "not_measured": sum(c["pass"] is None for c in checks),
        },
        "formats": formats,
        "mirascope_import": mirascope_import,
    }


def _verdict(check: dict[str, Any] | None) -> str:
    if not check:
        return ""
    if check["pass"] is None:
        return "not measured"
    return "PASS" if check["pass"] else "FAIL"


def failures(doc: dict[str, Any]) -> list[str]:
    """What failed in a run: formats that did not render, rows that erred."""
    found = [f"{f['name']}: {f['skipped']}" for f in doc["formats"] if f["failed"]]
    found += [
        f"{f['name']}, {s['label']}, {r['label']}: {r['error']}"
        for f in doc["formats"]
        for s in f["scenarios"].values()
        for r in s["rows"]
        if r["error"]
    ]
    return found


def _summary_table(fmt: dict[str, Any]) -> str:
    rows: list[list[str]] = []
    for scenario in fmt["scenarios"].values():
        cpu = {r["contender"]: r.get("cpu") for r in scenario["rows"]}
        r, checks = scenario["ratios"], scenario["checks"]

        def with_target(name: str, checks: dict[str, Any] = checks) -> str:
            check = checks.get(name)
            if not check:
                return "—"
            return f"≤ {check['limit']:g}x {_verdict(check)}"

        rows.append(
            [
                scenario["label"],
                seconds(cpu.get("raw")),
                seconds(cpu.get("generated")),
                seconds(cpu.get("built-in")),
                ratio(r["raw_cpu_vs_builtin"]),
                ratio(r["cpu_vs_builtin"]),
                with_target("cpu_vs_builtin"),
                ratio(r["cpu_vs_raw"]),
                with_target("cpu_vs_raw"),
                ratio(r["wall_vs_builtin"]),
                ratio(r["wall_vs_raw"]),
            ]
        )
    headers = [
        "scenario",
        "raw CPU",
        "generated CPU",
        "built-in CPU",
        "raw/built-in",
        "gen/built-in",
        "target",
        "gen/raw",
        "target",
        "wall gen/built-in",
        "wall gen/raw",
    ]
    return markdown_table(headers, rows)


def _detail_table(fmt: dict[str, Any]) -> str:
    rows: list[list[str]] = []
    for scenario in fmt["scenarios"].values():
        for row in scenario["rows"]:
            if row["error"] or row.get("skipped"):
                why = row["error"] or row["skipped"]
                why = why.replace("|", "\\|").replace("\n", " ")[:200]
                status = "ERROR" if row["error"] else "SKIPPED"
                rows.append([scenario["label"], row["label"], status, why])
                rows[-1] += ["", "", "", ""]
                continue
            rows.append(
                [
                    scenario["label"],
                    row["label"],
                    seconds(row["cpu"]),
                    seconds(row["wall"]),
                    ratio(row["cpu_vs_raw"]),
                    f"{seconds(min(row['rounds_cpu']))} to "
                    f"{seconds(max(row['rounds_cpu']))}",
                    f"{row['connections_per_call']:.2f}",
                    f"{row['calls_per_round']} x {len(row['rounds_cpu'])}",
                ]
            )
    headers = [
        "scenario",
        "contender",
        "CPU/call",
        "wall/call",
        "CPU/raw",
        "CPU, fastest to slowest round",
        "new connections/call",
        "calls x rounds",
    ]
    return markdown_table(headers, rows)


def _generation_table(fmt: dict[str, Any]) -> str:
    rows = [
        [
            step["label"],
            seconds(step["wall"]),
            ", ".join(seconds(t) for t in step["runs"]),
            f"< {step['check']['limit']:g} s" if step["check"] else "—",
            _verdict(step["check"]),
        ]
        for step in fmt["generation"].values()
    ]
    return markdown_table(["generation", "wall (median)", "runs", "target", ""], rows)


def tables(doc: dict[str, Any]) -> str:
    """The results as Markdown sections, one per wire format."""
    parts: list[str] = []
    for fmt in doc["formats"]:
        title = f"### `{fmt['name']}`"
        if fmt["skipped"]:
            parts.append(f"{title}\n\nSkipped: {fmt['skipped']}")
            continue
        parts.append(
            f"{title} (template choice `{fmt['template_choice']}`)\n\n"
            "Client CPU per call, median over rounds; ratios of the generated"
            " provider (with `client=`) to the built-in provider and to raw httpx"
            " (raw/built-in: the floor's own ratio, which no httpx client can"
            " beat by much):\n\n" + _summary_table(fmt)
        )
        parts.append("Every row:\n\n" + _detail_table(fmt))
        if fmt["generation"]:
            parts.append("Template generation, wall time:\n\n" + _generation_table(fmt))
    if doc["mirascope_import"]:
        parts.append(
            "For reference, `import mirascope.core` in a new Python (the smoke test"
            f" pays it): {seconds(doc['mirascope_import']['wall'])} (median of"
            f" {', '.join(seconds(t) for t in doc['mirascope_import']['runs'])})."
        )
    summary = doc["summary"]
    met = f"Targets met: {summary['targets_met']} of {summary['targets']}"
    if summary.get("not_measured"):
        met += f", {summary['not_measured']} not measured"
    skipped = [f["name"] for f in doc["formats"] if f["skipped"]]
    parts.append(met + (f" (skipped: {', '.join(skipped)})." if skipped else "."))
    return "\n\n".join(parts)


def obstacles(doc: dict[str, Any]) -> str:
    """What stands in the way of the targets, from this run's own figures."""
    floors: list[str] = []
    for fmt in doc["formats"]:
        for scenario in fmt["scenarios"].values():
            check = scenario["checks"].get("cpu_vs_builtin")
            floor = scenario["ratios"]["raw_cpu_vs_builtin"]
            if check and floor is not None and floor > check["limit"]:
                floors.append(
                    f"  - `{fmt['name']}`, {scenario['label']}: target"
                    f" ≤ {check['limit']:g}x built-in, raw httpx alone is"
                    f" {ratio(floor)}."
                )
    parts = [
        "- The ratios to the built-in provider include httpx's own work, which"
        " raw httpx measures. Where raw/built-in is above a target, no provider"
        " that sends its requests through httpx can meet it, whatever its own"
        " code does:" + ("\n" + "\n".join(floors) if floors else " none in this run."),
        "- A plain call pays Mirascope's decorator whatever the provider: parsing"
        " the prompt template, inspecting the function's arguments, the base"
        " `setup_call`, and validating the call response model. The profile"
        " below shows how little of a call's CPU is the generated package's own"
        " code; the rest of the gap to raw httpx is that shared machinery.",
        "- A stream pays, per chunk, Mirascope's stream bookkeeping (content,"
        " usage, finish reasons, read through the chunk's properties) and the"
        " validation of each chunk's JSON with pydantic, where raw httpx only"
        " runs `json.loads`.",
        "- Generation with the smoke test starts a new Python that imports pytest,"
        " httpx and Mirascope before any test runs; `import mirascope.core`"
        " alone is timed in the results above. Mirascope 1.x imports"
        " every vendor SDK that is installed, and the `bench` extra installs"
        " two of them, so this figure is higher here than in an environment"
        " with Mirascope alone.",
    ]
    return "\n".join(parts)


def markdown_page(
    doc: dict[str, Any], profiles: dict[str, dict[str, Any]] | None = None
) -> str:
    """The docs page: command, method, machine, the latest tables and profiles."""
    m = doc["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    s = doc["settings"]
    load = " / ".join(
        ", ".join(f"{x:.2f}" for x in doc["load_average"][when])
        for when in ("start", "end")
    )
    t = doc["template"]
    template = f"commit `{t['commit']}`" if t["commit"] else f"`{t['path']}`"
    if t["modified"]:
        template += " with uncommitted changes"
    return f"""# Benchmarks

How much CPU the generated provider (`acme_call`) spends per call compared with
raw httpx (the floor) and with Mirascope's built-in provider for the same wire
format, and how long generating a provider takes. The script is
[`benchmarks/run.py`](../benchmarks/run.py); its docstring describes the method
in full. These are measurements, not tests: no test asserts a time.

## Command

From the repository root, in an environment with the template's dependencies
and the `bench` extra (the vendor SDKs the built-in providers need):

```bash
python -m pip install ".[bench]"
python -m benchmarks --markdown docs/benchmarks.md --json docs/benchmarks.json  # 3 min
python -m benchmarks --quick                         # a rougher run, faster
python -m benchmarks --format openai-chat --profile  # one format, then a profile
python -m benchmarks.compare --before B1.json B2.json B3.json \
    --after A1.json A2.json A3.json --markdown docs/benchmarks.md  # medians of runs
```

It writes its results as JSON to `--json PATH` (by default to a new file in
the temporary directory, its path printed) and, with `--markdown`, this page.
Without the `bench` extra, the built-in provider's rows are skipped with a note.
One run's ratios move by a tenth or more on a shared machine: `benchmarks.compare`
puts the medians of several runs before and after a change side by side, in
this page's "Before and after" part, which a new run's page keeps (as it keeps
the notes written by hand). The benchmark knows two wire formats
(`openai-chat`, `anthropic-messages`); the template's other formats share
their stream path and are not timed here.

## Method

- A fake API (`benchmarks/fake_server.py`) serves both wire formats on
  127.0.0.1, in a separate process, so its CPU is not counted against the
  client. Its answers (realistic bodies with ids, model, usage and stop
  reasons; streams in chunked encoding, one event per chunk) are serialized
  once and sent in one write, over kept-alive HTTP/1.1 connections.
- Each contender reuses one client across calls (given with `client=`); the
  "default client" rows let the decorator build its own client, as it does
  without `client=`.
- Per row: the first answer is checked, then {s["warmup"]} warm-up calls (at most
  {s["warmup_seconds"]:g} s), then {s["rounds"]} rounds of N calls, N chosen so a round
  lasts about {s["round_seconds"]:g} s. CPU is `time.process_time()` of the client
  process; wall is `time.perf_counter()`, which includes the fake API's latency.
  Each figure is the median over rounds of the per-call mean.
- Generation: Cookiecutter's Python API with the default answers, rendering
  alone ({s["render_repeats"]} runs), and with the hooks
  ({s["hook_repeats"]} runs each): formatting only, and with the smoke test.
  The median is reported.
- Targets (generated provider's client CPU per call): call ≤ 0.4x built-in and
  ≤ 1.2x raw; 8-chunk stream ≤ 0.3x built-in and ≤ 1.2x raw; 1,000-chunk stream
  ≤ 0.08x built-in and ≤ 1.6x raw; render < 0.5 s; render with the smoke test
  < 3 s.

## Machine

| | |
|---|---|
| CPU | {m["cpu"]} |
| cores | {m["logical_cores"]} logical, {m["usable_cores"]} usable |
| OS | {m["os"]} |
| Python | {m["python"]} |
| load average | {load} (1, 5, 15 min; at the start, at the end) |
| packages | {packages} |

## Reading the results

- The targets are on client CPU per call; wall times are shown for context
  (they include the fake API's own time, on the other core).
- `raw/built-in` is raw httpx's own ratio to the built-in provider: any
  provider built on httpx pays at least the floor, so a `gen/built-in` target
  below `raw/built-in` cannot be met by the provider's code alone.
- `new connections/call` is 0 for a client that keeps its connection alive
  and 1 for one that connects for every call (over TLS, a real API would add a
  handshake to each of those).
- The machine may be shared, and a virtual machine's speed also varies from
  one moment to the next: the load average above says how busy it was, and
  the spread column how much the rounds varied. The rounds of the contenders
  are interleaved, so that a slow moment weighs on all of them, but a ratio
  can still move by a fifth or more between runs: compare a few runs before
  concluding from a small difference.

## Latest results

Run on {doc["date"]} with `{doc["command"]}`, on the template at
{template}.

{tables(doc)}

## What stands in the way of the targets

{obstacles(doc)}
{_profiles_section(profiles)}"""


def _profiles_section(profiles: dict[str, dict[str, Any]] | None) -> str:
    if not profiles:
        return ""
    texts = [profile_text(name, found) for name, found in profiles.items()]
    return "\n" + "\n\n".join(texts) + "\n"


# --- profiles -----------------------------------------------------------------


def _area(path: str, package_dir: str) -> str:
    if path.startswith(package_dir):
        return "generated package"
    for marker, area in (
        ("/mirascope/", "mirascope"),
        ("/pydantic", "pydantic"),
        ("/httpx/", "httpx, httpcore, h11"),
        ("/httpcore/", "httpx, httpcore, h11"),
        ("/h11/", "httpx, httpcore, h11"),
    ):
        if marker in path:
            return area
    if path == "~":
        return "C built-ins (json, socket, ...)"
    return "other Python (stdlib, ...)"


def profile_summary(
    stats: pstats.Stats, package_dir: str, calls: int
) -> dict[str, Any]:
    """Where the CPU goes: shares by area, and the package's hottest functions."""
    # {(file, line, function): (calls, primitive calls, own, cumulative, callers)}
    entries = cast(
        dict[tuple[str, int, str], tuple[int, int, float, float, Any]],
        vars(stats)["stats"],
    )
    total = sum(e[2] for e in entries.values()) or 1e-12
    areas: dict[str, float] = {}
    own: list[tuple[float, float, str]] = []
    everything: list[tuple[float, float, str]] = []
    for (path, line, name), (_cc, _nc, tt, ct, _callers) in entries.items():
        area = _area(path, package_dir)
        areas[area] = areas.get(area, 0.0) + tt
        if area == "generated package":
            own.append((tt, ct, f"{Path(path).relative_to(package_dir)}:{line}:{name}"))
        everything.append((tt, ct, f"{_short(path)}:{line}:{name}"))

    def top(found: list[tuple[float, float, str]], key: int) -> list[dict[str, Any]]:
        ranked = sorted(found, key=lambda e: e[key], reverse=True)[:10]
        return [
            {"function": w, "own_share": tt / total, "cumulative_share": ct / total}
            for tt, ct, w in ranked
        ]

    return {
        "calls": calls,
        "profiled_cpu_per_call": total / calls,
        "areas": dict(sorted(((a, t / total) for a, t in areas.items()), key=_second)),
        "top_own": top(own, 0),
        "top_cumulative": top(own, 1),
        "top_own_anywhere": top(everything, 0),
    }


def _short(path: str) -> str:
    """A path from its package on, for the installed packages and the stdlib."""
    for root in LIBRARY_ROOTS:
        if path.startswith(root):
            return path[len(root) :]
    return path


def _second(item: tuple[str, float]) -> float:
    return -item[1]


def profile_text(wire: str, profiled: dict[str, Any]) -> str:
    """The profiles of one wire format, as text."""
    parts = [f"## Profile of the generated provider, {wire} (cProfile)"]
    for scenario, found in profiled.items():
        areas = ", ".join(f"{a} {s:.0%}" for a, s in found["areas"].items())
        parts.append(
            f"### {scenario}: {found['calls']} calls,"
            f" {seconds(found['profiled_cpu_per_call'])}/call under the profiler\n"
            f"Own time by area: {areas}"
        )
        for key, title in (
            ("top_own", "package functions by own time"),
            ("top_cumulative", "package functions by cumulative time"),
            ("top_own_anywhere", "all functions by own time"),
        ):
            rows = [
                [f["function"], f"{f['own_share']:.1%}", f"{f['cumulative_share']:.1%}"]
                for f in found[key]
            ]
            parts.append(
                f"{title.capitalize()}:\n"
                + markdown_table(["function", "own", "cumulative"], rows)
            )
    return "\n\n".join(parts)
