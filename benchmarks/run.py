"""Benchmarks of the template: the generated provider's overhead, and generation time.

Run from the repository root (one run, one machine, about 2-3 minutes on 2 cores):

    python -m benchmarks                   # both wire formats, full run
    python -m benchmarks --quick           # a fast, rougher run
    python -m benchmarks --markdown docs/benchmarks.md --json docs/benchmarks.json

What is measured, per wire format (`--format openai-chat|anthropic-messages|all`):

1. Template generation, wall time (median of repeats), with Cookiecutter's
   Python API and the default answers:
   - render only: `cookiecutter(..., accept_hooks=False)`;
   - render + format: with the hooks, the smoke test skipped
     (`MIRASCOPE_TEMPLATE_SKIP_SMOKE=1`), so the post-generation hook only runs
     ruff;
   - render + smoke test: with the hooks as a user gets them (ruff, then the
     generated smoke test in pytest), strict, so a failed smoke test is an error.
2. Client overhead per call. A fake API (`benchmarks/fake_server.py`) serves
   both wire formats on 127.0.0.1 from another process, so that its CPU time is
   not the client's; its answers are serialized once and sent in one write.
   For each scenario (call, async call, stream of 8 chunks, stream of 1,000
   chunks, async stream of 8 chunks), each contender (see `contenders.py`: raw
   httpx, the generated `acme_call`, Mirascope's built-in provider, and both
   decorators building their default client) makes one call at a time, in this
   process, reusing one client:
   - its first answer is checked against the fake API's text;
   - warm-up: `--warmup` calls (at most `--warmup-seconds`, at least 3);
   - then `--rounds` rounds of N calls, N chosen from the warm-up so that a
     round lasts about `--round-seconds`; `gc.collect()` before each round;
   - per call: client CPU time (`time.process_time`, the CPU of this whole
     process, which only runs the client) and wall time (`time.perf_counter`,
     which includes the fake server's latency), each the median over rounds.
3. Ratios of the generated provider's CPU per call to the built-in's and to
   raw httpx's, checked against the targets below (PASS/FAIL in the table).

The results are printed as Markdown tables and written as JSON (`--json PATH`;
by default a new file in the temporary directory, never in the source tree,
its path printed); `--markdown PATH` writes a page with the command, the
machine and the tables. `--profile` then runs the generated provider's call
and streams under cProfile and prints where its CPU goes.

A format the template has no choice for is skipped; the built-in provider's
rows are skipped, with a note, where its vendor SDK is not installed (the
`bench` extra installs both). A contender that fails, or a format that fails
to render, is reported in the tables, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib
import importlib.util
import json
import os
import pstats
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast
from unittest import mock
from urllib.parse import urlsplit

import httpx
from cookiecutter.main import cookiecutter  # pyright: ignore[reportMissingTypeStubs]

from . import compare, fake_server, report
from .contenders import (
    API_KEY,
    DEFAULT_CLIENT_SCENARIOS,
    SCENARIOS,
    WIRE_FORMATS,
    AsyncCall,
    Call,
    Generated,
    Scenario,
    SyncCall,
    WireFormat,
    decorated_call,
    raw_call,
)
from .records import FormatResult, Measurement, Row, Settings

REPO = Path(__file__).resolve().parent.parent
"""The template: the repository root, unless `--template` says otherwise."""

TARGETS: dict[str, dict[str, float]] = {
    "call": {"built-in": 0.4, "raw": 1.2},
    "stream_short": {"built-in": 0.3, "raw": 1.2},
    "stream_long": {"built-in": 0.08, "raw": 1.6},
}
"""Most CPU per call the generated provider may take, as a multiple of each."""
GENERATION_TARGETS = {"render": 0.5, "render_smoke": 3.0}
"""Most wall seconds generation may take."""


class BenchmarkError(Exception):
    """A contender failed or answered wrongly."""


# --- the fake API -------------------------------------------------------------


@contextmanager
def fake_api() -> Generator[str, None, None]:
    """Starts the fake API in its own process; yields its origin, `http://host:port`."""
    process = subprocess.Popen(
        [sys.executable, fake_server.__file__, "--stop-on-eof", "--max-seconds", "900"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        origin = process.stdout.readline().strip()
        if not origin.startswith("http://127."):
            raise RuntimeError(f"the fake API did not start: {origin!r}")
        yield origin
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- timing -------------------------------------------------------------------


def _batch(
    call: Call, is_async: bool, loop: asyncio.AbstractEventLoop
) -> Callable[[int], str]:
    """A function that makes `n` calls one after another; returns the last answer."""
    if is_async:
        acall = cast(AsyncCall, call)

        async def many(n: int) -> str:
            answer = ""
            for _ in range(n):
                answer = await acall()
            return answer

        def run_async(n: int) -> str:
            return loop.run_until_complete(many(n))

        return run_async
    scall = cast(SyncCall, call)

    def run(n: int) -> str:
        answer = ""
        for _ in range(n):
            answer = scall()
        return answer

    return run


def server_stats(origin: str) -> dict[str, int]:
    """The fake API's counts of connections and requests (this query's included)."""
    return httpx.get(f"{origin}/stats", trust_env=False).json()


class Timer:
    """One contender in one scenario: its calls, and its rounds timed so far."""

    def __init__(
        self,
        row: Row,
        batch: Callable[[int], str],
        close: Callable[[], Any],
        origin: str,
    ) -> None:
        self.row = row
        self.batch = batch
        self.close = close
        self.origin = origin
        self.calls_per_round = 1
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self.connections = 0

    def warm_up(self, expected: str, settings: Settings) -> None:
        """Checks the answer, warms up, and sizes a round from the warm-up."""
        answer = self.batch(1)
        if answer != expected:
            wrong = f"wrong answer {answer[:80]!r}, not {expected[:80]!r}"
            raise BenchmarkError(wrong)
        # The first call (lazy imports, first connection) does not count.
        start, done = time.perf_counter(), 0
        while done < 3 or (
            done < settings.warmup
            and time.perf_counter() - start < settings.warmup_seconds
        ):
            self.batch(1)
            done += 1
        per_call = (time.perf_counter() - start) / done
        calls = round(settings.round_seconds / per_call)
        self.calls_per_round = max(1, min(settings.max_calls, calls))

    def time_round(self) -> None:
        """Times one round of calls; counts the connections the fake API accepted."""
        n = self.calls_per_round
        before = server_stats(self.origin)
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        self.batch(n)
        self.cpu.append((time.process_time() - cpu) / n)
        self.wall.append((time.perf_counter() - wall) / n)
        after = server_stats(self.origin)
        if after["requests"] - before["requests"] != n:
            sent = after["requests"] - before["requests"]
            raise BenchmarkError(f"{n} calls sent {sent} requests")
        # Less the connection of the second stats query.
        self.connections += after["connections"] - before["connections"] - 1

    def measurement(self) -> Measurement:
        """The medians over rounds."""
        return Measurement(
            cpu=statistics.median(self.cpu),
            wall=statistics.median(self.wall),
            calls_per_round=self.calls_per_round,
            rounds_cpu=self.cpu,
            rounds_wall=self.wall,
            connections_per_call=self.connections
            / (self.calls_per_round * len(self.cpu)),
        )


def _failed(row: Row, error: Exception) -> None:
    row.error = f"{type(error).__name__}: {error}"


def time_scenario(
    contenders: list[Contender],
    scenario: Scenario,
    settings: Settings,
    loop: asyncio.AbstractEventLoop,
    origin: str,
) -> list[Row]:
    """Times the contenders of a scenario, their rounds interleaved.

    Every contender is checked and warmed up first; then each round times
    every contender in turn, so that a slower moment of the machine weighs on
    all of them rather than on one. A contender that fails is reported, not
    timed further.
    """
    expected = fake_server.answer_text(scenario.model)
    rows: list[Row] = []
    timers: list[Timer] = []
    for contender in contenders:
        row = Row(contender=contender.key, label=contender.label)
        rows.append(row)
        if contender.skipped:
            row.skipped = contender.skipped
            continue
        try:
            call, close = contender.build()
        except Exception as error:  # reported in the table
            _failed(row, error)
            continue
        timer = Timer(row, _batch(call, scenario.is_async, loop), close, origin)
        timers.append(timer)
        try:
            timer.warm_up(expected, settings)
        except Exception as error:  # reported in the table
            _failed(row, error)
    for _ in range(settings.rounds):
        for timer in (t for t in timers if t.row.error is None):
            try:
                timer.time_round()
            except Exception as error:  # reported in the table
                _failed(timer.row, error)
    for timer in timers:
        _close(timer.close, loop)
        if timer.row.error is None:
            timer.row.measurement = timer.measurement()
    return rows


# --- generation ---------------------------------------------------------------


def template_choice(template: Path, wire: WireFormat) -> str | None:
    """The template's `wire_format` choice for this format, if it has one."""
    context = json.loads((template / "cookiecutter.json").read_text())
    found: Any = context.get("wire_format", [])
    choices = (
        [str(c) for c in cast(list[Any], found)]
        if isinstance(found, list)
        else [str(found)]
    )
    return next((c for c in choices if c.startswith(wire.template_choice)), None)


def render(template: Path, choice: str, output_dir: Path, hooks: bool) -> Path:
    """Renders the template with the default answers and this wire format."""
    return Path(
        cookiecutter(
            str(template),
            no_input=True,
            output_dir=str(output_dir),
            accept_hooks=hooks,
            default_config=True,
            extra_context={"wire_format": choice},
        )
    )


def time_generation(
    template: Path, choice: str, settings: Settings
) -> dict[str, dict[str, Any]]:
    """Wall times of rendering, rendering and formatting, and of the smoke test."""
    skip = "MIRASCOPE_TEMPLATE_SKIP_SMOKE"
    steps: dict[str, tuple[bool, dict[str, str], int]] = {
        "render": (False, {}, settings.render_repeats),
        "render_format": (True, {skip: "1"}, settings.hook_repeats),
        "render_smoke": (
            True,
            {"MIRASCOPE_TEMPLATE_STRICT": "1"},
            settings.hook_repeats,
        ),
    }
    results: dict[str, dict[str, Any]] = {}
    for step, (hooks, env, repeats) in steps.items():
        times: list[float] = []
        with mock.patch.dict(os.environ, env):
            if skip not in env:
                os.environ.pop(skip, None)
            for _ in range(repeats):
                with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
                    start = time.perf_counter()
                    render(template, choice, Path(tmp), hooks)
                    times.append(time.perf_counter() - start)
        results[step] = {"wall": statistics.median(times), "runs": times}
    return results


def template_version(template: Path) -> dict[str, Any]:
    """The template's path, git commit, and whether its files differ from it.

    Only what renders counts (`cookiecutter.json`, hooks, extensions, the
    project folder), not this folder. Read-only git commands; no commit
    (`null`) outside a git checkout.
    """
    path = "." if template.resolve() == REPO else str(template)
    found: dict[str, Any] = {"path": path, "commit": None, "modified": None}
    git = ["git", "--no-optional-locks", "--literal-pathspecs", "-C", str(template)]
    rendered = ["cookiecutter.json", "hooks", "local_extensions.py"]
    rendered += [p.name for p in template.glob("{{*")]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        status = subprocess.run(
            [*git, "status", "--porcelain", "--", *rendered],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return found
    return {**found, "commit": head.stdout.strip(), "modified": bool(status.stdout)}


def time_mirascope_import(repeats: int) -> dict[str, Any]:
    """Wall time of `import mirascope.core` in a new Python, as the smoke test has.

    Context for the smoke test's time: Mirascope imports every vendor SDK that
    is installed (the `bench` extra installs two).
    """
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import mirascope.core"], check=True)
        times.append(time.perf_counter() - start)
    return {"wall": statistics.median(times), "runs": times}


@contextmanager
def generated_package(
    project: Path,
) -> Generator[tuple[Generated, dict[str, str]], None, None]:
    """Imports the rendered package; yields it and the names of its settings.

    The package is removed from `sys.modules` afterwards, so that the next
    wire format's package, of the same name, is imported afresh.
    """
    answers: dict[str, str] = json.loads((project / ".cookiecutter.json").read_text())
    slug: str = answers["provider_slug"]
    package = f"mirascope_{slug}"
    settings: dict[str, str] = {
        "api_key_env": answers["api_key_env_var"],
        "base_url_env": f"{slug.upper()}_BASE_URL",
        "base_path": urlsplit(answers["api_base_url"]).path.rstrip("/"),
    }
    src = str(project / "src")
    sys.path.insert(0, src)
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(package)
        yield Generated(module, f"{slug}_call"), settings
    finally:
        sys.path.remove(src)
        for name in [m for m in sys.modules if m.partition(".")[0] == package]:
            del sys.modules[name]


# --- the client benchmarks ----------------------------------------------------


@dataclass
class Contender:
    """One row to time: how to build its call, and how to close its client."""

    key: str
    label: str
    build: Callable[[], tuple[Call, Callable[[], Any]]]
    skipped: str | None = None
    """Why it cannot run here; then it is reported, not built."""


def contenders(
    wire: WireFormat,
    scenario: Scenario,
    generated: Generated,
    origin: str,
    base_url: str,
) -> list[Contender]:
    """The contenders of a scenario, each building its client when asked."""
    is_async = scenario.is_async

    def httpx_client(**kwargs: Any) -> httpx.Client | httpx.AsyncClient:
        return (httpx.AsyncClient if is_async else httpx.Client)(**kwargs)

    def raw() -> tuple[Call, Callable[[], Any]]:
        client = httpx_client(base_url=f"{origin}/v1/", headers=wire.raw_headers())
        return raw_call(wire, scenario, client), _closer(client)

    def gen(default: bool) -> Callable[[], tuple[Call, Callable[[], Any]]]:
        def build() -> tuple[Call, Callable[[], Any]]:
            client = None if default else httpx_client(base_url=base_url)
            call = decorated_call(generated.decorator(scenario, client), scenario)
            return call, _closer(client)

        return build

    def builtin(default: bool) -> Callable[[], tuple[Call, Callable[[], Any]]]:
        def build() -> tuple[Call, Callable[[], Any]]:
            client = None if default else wire.builtin_client(origin, is_async)
            call = decorated_call(wire.builtin_decorator(scenario, client), scenario)
            if client is None:
                return call, lambda: None
            return call, lambda: wire.close_builtin_client(client)

        return build

    missing = None
    if importlib.util.find_spec(wire.sdk) is None:
        missing = (
            f"the {wire.sdk} SDK is not installed (the bench extra:"
            ' python -m pip install ".[bench]")'
        )
    name = f"{generated.decorator_name} (generated)"
    rows = [
        Contender("raw", "raw httpx + json", raw),
        Contender("generated", name, gen(default=False)),
        Contender(
            "built-in", wire.builtin_label, builtin(default=False), skipped=missing
        ),
    ]
    if scenario.key in DEFAULT_CLIENT_SCENARIOS:
        rows += [
            Contender("generated-default", f"{name}, default client", gen(True)),
            Contender(
                "built-in-default",
                f"{wire.builtin_label}, default client",
                builtin(default=True),
                skipped=missing,
            ),
        ]
    return rows


def _closer(client: httpx.Client | httpx.AsyncClient | None) -> Callable[[], Any]:
    if client is None:
        return lambda: None
    return client.close if isinstance(client, httpx.Client) else client.aclose


def _close(close: Callable[[], Any], loop: asyncio.AbstractEventLoop) -> None:
    closing = close()
    if asyncio.iscoroutine(closing):
        loop.run_until_complete(closing)


def run_clients(
    wire: WireFormat,
    generated: Generated,
    names: dict[str, str],
    origin: str,
    settings: Settings,
    scenarios: list[Scenario],
) -> dict[str, list[Row]]:
    """Times every contender in every scenario against the fake API."""
    base_url = origin + names["base_path"]
    env = {
        names["api_key_env"]: API_KEY,
        names["base_url_env"]: base_url,
        **wire.builtin_env(origin),
        "NO_PROXY": ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"])),
    }
    results: dict[str, list[Row]] = {}
    loop = asyncio.new_event_loop()
    try:
        with mock.patch.dict(os.environ, env):
            for scenario in scenarios:
                print(f"[{wire.name}] timing {scenario.label} ...", flush=True)
                rows = contenders(wire, scenario, generated, origin, base_url)
                results[scenario.key] = time_scenario(
                    rows, scenario, settings, loop, origin
                )
                for row in results[scenario.key]:
                    print(report.progress_line(wire.name, scenario, row), flush=True)
    finally:
        loop.close()
    return results


# --- profile ------------------------------------------------------------------


PROFILED = ("call", "stream_short", "stream_long")


def profile(
    wire: WireFormat,
    generated: Generated,
    names: dict[str, str],
    origin: str,
    rows: dict[str, list[Row]],
) -> dict[str, Any]:
    """Runs the generated provider under cProfile; where its CPU time goes."""
    base_url = origin + names["base_path"]
    package_dir = str(Path(cast(str, generated.module.__file__)).parent)
    env = {names["api_key_env"]: API_KEY, names["base_url_env"]: base_url}
    found: dict[str, Any] = {}
    with mock.patch.dict(os.environ, env):
        for scenario in (s for s in SCENARIOS if s.key in PROFILED):
            client = httpx.Client(base_url=base_url)
            call = cast(
                SyncCall,
                decorated_call(generated.decorator(scenario, client), scenario),
            )
            for _ in range(5):
                call()
            measured = next(
                (
                    r.measurement
                    for r in rows.get(scenario.key, [])
                    if r.contender == "generated"
                ),
                None,
            )
            per_call = measured.cpu if measured else 0.001
            calls = max(3, min(2000, round(1.0 / per_call)))
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(calls):
                call()
            profiler.disable()
            client.close()
            found[scenario.key] = report.profile_summary(
                pstats.Stats(profiler), package_dir, calls
            )
    return found


# --- the command line ---------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time the generated provider against raw httpx and Mirascope's"
        " built-in provider, and time the template's generation.",
    )
    parser.add_argument(
        "--format",
        choices=[*WIRE_FORMATS, "all"],
        default="all",
        help="wire format to benchmark (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="a fast, rougher run")
    parser.add_argument("--rounds", type=int, help="timed rounds per row (7)")
    parser.add_argument("--warmup", type=int, help="warm-up calls per row (20)")
    parser.add_argument(
        "--round-seconds", type=float, help="about how long a round lasts (0.15)"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=[s.key for s in SCENARIOS],
        help="only these scenarios (repeatable; default: all)",
    )
    parser.add_argument(
        "--skip-generation", action="store_true", help="do not time generation"
    )
    parser.add_argument(
        "--template",
        type=Path,
        default=REPO,
        help="the template to render (default: this repository)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the results as JSON (default: a new file in the"
        " temporary directory, its path printed)",
    )
    parser.add_argument("--markdown", type=Path, help="also write a Markdown page")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then profile the generated provider (cProfile) and print hot spots",
    )
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.quick() if args.quick else Settings()
    overrides = {
        "rounds": args.rounds,
        "warmup": args.warmup,
        "round_seconds": args.round_seconds,
    }
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def run_format(
    wire: WireFormat,
    origin: str,
    settings: Settings,
    args: argparse.Namespace,
    scenarios: list[Scenario],
) -> tuple[FormatResult, dict[str, Any]]:
    """Everything for one wire format; a format the template lacks is skipped."""
    result = FormatResult(name=wire.name)
    profiled: dict[str, Any] = {}
    choice = template_choice(args.template, wire)
    if choice is None:
        prefix = wire.template_choice
        result.skipped = f"the template's wire_format has no choice {prefix}*"
        return result, profiled
    result.template_choice = choice
    with tempfile.TemporaryDirectory(prefix="bench-package-") as tmp:
        try:
            project = render(args.template, choice, Path(tmp), hooks=False)
        except Exception as error:  # reported; the run goes on
            result.skipped = f"rendering failed: {type(error).__name__}: {error}"
            result.failed = True
            return result, profiled
        if not args.skip_generation:
            print(f"[{wire.name}] timing generation ...", flush=True)
            result.generation = time_generation(args.template, choice, settings)
        with generated_package(project) as (generated, names):
            result.scenarios = run_clients(
                wire, generated, names, origin, settings, scenarios
            )
            if args.profile:
                profiled = profile(wire, generated, names, origin, result.scenarios)
    return result, profiled


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmarks; prints the tables; writes the JSON (and Markdown)."""
    args = parse_args(argv)
    settings = settings_from(args)
    names = list(WIRE_FORMATS) if args.format == "all" else [args.format]
    scenarios = [s for s in SCENARIOS if not args.scenario or s.key in args.scenario]
    command = shlex.join(["python", "-m", "benchmarks", *(argv or sys.argv[1:])])
    results: list[FormatResult] = []
    profiles: dict[str, dict[str, Any]] = {}
    load_at_start = os.getloadavg()
    with fake_api() as origin:
        print(f"fake API at {origin}, in its own process", flush=True)
        for name in names:
            result, profiled = run_format(
                WIRE_FORMATS[name], origin, settings, args, scenarios
            )
            if result.skipped:
                print(f"[{name}] SKIPPED: {result.skipped}", flush=True)
            results.append(result)
            if profiled:
                profiles[name] = profiled
        mirascope_import = (
            None
            if args.skip_generation
            else time_mirascope_import(settings.hook_repeats)
        )
    document = report.document(
        results,
        settings,
        command,
        TARGETS,
        GENERATION_TARGETS,
        load_at_start=load_at_start,
        template=template_version(args.template),
        mirascope_import=mirascope_import,
    )
    print()
    print(report.tables(document))
    json_path = write_json(document, args.json)
    print(f"\nJSON written to {json_path}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        page = report.markdown_page(document, profiles)
        for kept in compare.kept_sections(args.markdown):
            page = page.rstrip("\n") + "\n\n" + kept + "\n"
        args.markdown.write_text(page)
        print(f"Markdown written to {args.markdown}")
    for name, profiled in profiles.items():
        print()
        print(report.profile_text(name, profiled))
    failures = report.failures(document)
    if failures:
        print(f"\n{len(failures)} failed:", *failures, sep="\n  ")
        return 1
    return 0


def write_json(document: dict[str, Any], path: Path | None) -> Path:
    """Writes the results to `path`, or by default to a new file in the temp dir.

    Not in the source tree: a run's results are not part of the template (the
    docs page, `--markdown`, is where a run is kept).
    """
    text = json.dumps(document, indent=2) + "\n"
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
    stamp = time.strftime("%Y%m%dT%H%M%S")
    fd, name = tempfile.mkstemp(
        prefix=f"mirascope-template-bench-{stamp}-", suffix=".json"
    )
    with os.fdopen(fd, "w") as file:
        file.write(text)
    return Path(name)
