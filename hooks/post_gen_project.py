"""After generation: format the fresh package, then run its smoke test.

Formatting: the order of imports and the length of lines depend on the names
in your answers, so the package is sorted and formatted with ruff, taken from
this Python (the template's dependencies install it there), the PATH, or
`uv tool run` (the version the package pins); without any of them, the command
to run later is printed.

Where the smoke test runs against the fake API:
1. with this Python, when Mirascope 1.x (>= 1.25) and the test tools
   (httpx, pytest, pytest-recording, dirty-equals) import here;
2. else through `uv`, when it is on the PATH (uv fetches what is missing);
3. else nowhere: the exact command to run it later is printed.

A failing smoke test is reported loudly (pytest's output and a re-run command)
and the generated files are kept: Cookiecutter deletes the project when this
hook exits non-zero, so it does that only in strict mode.

When `cruft update` or `cruft diff` renders the template again (into a fresh
temporary folder, to compare two versions of it), the package is formatted,
so that it matches what you generated, but the smoke test does not run.

Environment variables:
- `MIRASCOPE_TEMPLATE_SKIP_SMOKE=1`: skip the smoke test.
- `MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT=<seconds>`: the smoke test's time bound
  (180 s by default).
- `MIRASCOPE_TEMPLATE_STRICT=1`: exit non-zero when the smoke test fails or
  cannot run (for automation; add `--keep-project-on-failure` to keep files).

Plain Python with Jinja only in string literals, so the template's tests can
import this module and test its functions.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CONTEXT_JSON = r"""{{ cookiecutter | tojson }}"""
"""The answers and context, as Cookiecutter renders them into this hook."""

SKIP_ENV = "MIRASCOPE_TEMPLATE_SKIP_SMOKE"
STRICT_ENV = "MIRASCOPE_TEMPLATE_STRICT"
TIMEOUT_ENV = "MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT"
SMOKE_TEST = "tests/test_smoke.py"
TIMEOUT_SECONDS = 180.0
MIRASCOPE_REQUIREMENT = "mirascope>=1.25,<2"
TEST_MODULES = {
    "httpx": "httpx",
    "pytest": "pytest",
    # The tests' network guard and live mode; loose expectations of live tests.
    "pytest-recording": "pytest_recording",
    "dirty-equals": "dirty_equals",
}
"""What the smoke test imports besides Mirascope: requirement -> module."""
REQUIREMENTS = (MIRASCOPE_REQUIREMENT, *TEST_MODULES)
RUFF_PIN = re.compile(r'^\s*"(ruff[\s<>=!~][^"]*)",?\s*$', re.MULTILINE)
"""The ruff requirement in the package's `pyproject.toml` (its dev dependencies)."""
PYTEST_ARGS = ("-m", "pytest", "-q", "--tb=short", "-p", "no:cacheprovider", SMOKE_TEST)
"""How the smoke test runs by hand (`manual_command`)."""
SMOKE_PLUGINS = ("anyio.pytest_plugin", "pytest_recording.plugin")
"""The pytest plugins the smoke test uses (anyio's comes with httpx).

The hook loads these alone (`PLUGIN_ENV`): whatever else this Python has
installed (pytest-asyncio, -cov, -xdist ...) is neither imported, which costs
time, nor given a say in a test of the package itself."""
PLUGIN_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
SMOKE_ARGS = (
    *PYTEST_ARGS[:-1],
    *(arg for plugin in SMOKE_PLUGINS for arg in ("-p", plugin)),
    SMOKE_TEST,
)
"""How the hook runs the smoke test, with `PLUGIN_ENV` (`smoke_command`)."""


def rendered_by_cruft_to_compare(project: Path, context: Mapping[str, Any]) -> bool:
    """Whether `cruft update` or `cruft diff` renders the template to compare.

    Cruft's renders carry `_commit` and no `_output_dir`; to compare, cruft
    renders into a fresh `tmp...` folder right under the temporary directory
    (`cruft create` renders where you asked).
    """
    if "_commit" not in context or "_output_dir" in context:
        return False
    folder = project.resolve().parent
    temporary = Path(tempfile.gettempdir()).resolve()
    return folder.parent == temporary and folder.name.startswith("tmp")


def smoke_timeout() -> float:
    """The smoke test's time bound: `MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT`, else 180 s."""
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        seconds = float(value) if value else TIMEOUT_SECONDS
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        print(f"{TIMEOUT_ENV}={value!r} is not a number of seconds; using 180.")
        return TIMEOUT_SECONDS
    return seconds


def _release(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: "1.25.7rc1" -> (1, 25, 7)."""
    numbers = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(n) for n in numbers.group().split(".")) if numbers else ()


def missing_requirements() -> list[str]:
    """Returns the requirements this Python lacks; a Mirascope 2.x counts as missing."""
    missing = []
    try:
        mirascope = _release(importlib.metadata.version("mirascope"))
    except importlib.metadata.PackageNotFoundError:
        mirascope = ()
    if not (1, 25) <= mirascope < (2,):
        missing.append(MIRASCOPE_REQUIREMENT)
    missing += [
        requirement
        for requirement, module in TEST_MODULES.items()
        if not importlib.util.find_spec(module)
    ]
    return missing


def smoke_command() -> list[str] | None:
    """Returns the command that runs the smoke test here, or None if none can."""
    if not missing_requirements():
        return [sys.executable, *SMOKE_ARGS]
    uv = shutil.which("uv")
    if uv is None:
        return None
    with_requirements = [arg for req in REQUIREMENTS for arg in ("--with", req)]
    return [
        uv,
        "run",
        "--isolated",
        "--no-project",
        *with_requirements,
        "python",
        *SMOKE_ARGS,
    ]


def manual_command(project: Path) -> str:
    """The shell command a user can run to do the smoke test later."""
    install = shlex.join([sys.executable, "-m", "pip", "install", *REQUIREMENTS])
    run = shlex.join(["python", *PYTEST_ARGS])
    return f"cd {shlex.quote(str(project))} && {install} && {run}"


def ruff_requirement(project: Path) -> str:
    """The ruff the package's dev dependencies pin: the one source of that pin.

    Read from its `pyproject.toml` with a pattern, since `tomllib` is not in
    Python 3.10; a package without the pin gets the newest ruff.
    """
    pin = RUFF_PIN.search((project / "pyproject.toml").read_text())
    return pin.group(1) if pin else "ruff"


def ruff_command(project: Path) -> list[str] | None:
    """Returns how to run ruff here, or None if it is nowhere to be found."""
    if importlib.util.find_spec("ruff"):
        return [sys.executable, "-m", "ruff"]
    if ruff := shutil.which("ruff"):
        return [ruff]
    if uv := shutil.which("uv"):
        # This Python, not one uv would look for (or download) for the tool.
        python = ["--python", sys.executable]
        requirement = ruff_requirement(project)
        return [uv, "tool", "run", *python, "--from", requirement, "ruff"]
    return None


FORMAT_STEPS = (("check", "--fix", "--select", "I,RUF022"), ("format",))
"""Sort imports and `__all__`, then format: what depends on the answers' names."""


def format_project(project: Path) -> bool:
    """Sorts imports and formats the package with ruff; returns whether it could."""
    command = ruff_command(project)
    manual = " && ".join(shlex.join(["ruff", *step, "."]) for step in FORMAT_STEPS)
    if command is None:
        print(f"ruff not found: to format {project.name}, run there:\n  {manual}")
        return False
    for step in FORMAT_STEPS:
        result = subprocess.run(
            [*command, *step, "--quiet", "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            output = result.stdout + result.stderr
            print(
                _banner(f"FORMATTING FAILED ({shlex.join(step)})")
                + f"\n{output}\nRe-run in {project}:\n  {manual}\n"
            )
            return False
    return True


def _banner(title: str) -> str:
    line = "=" * 72
    return f"\n{line}\n{title}\n{line}"


def run_smoke_test(project: Path) -> int:
    """Runs the smoke test in `project` and reports; returns the hook's exit code."""
    strict = bool(os.environ.get(STRICT_ENV))
    if os.environ.get(SKIP_ENV):
        print(f"Smoke test skipped ({SKIP_ENV} is set). To run it later:")
        print(f"  {manual_command(project)}")
        return 0
    command = smoke_command()
    if command is None:
        print(
            _banner("Smoke test not run")
            + f"\nThis Python lacks {', '.join(missing_requirements())} and uv is not"
            f" installed. To run it:\n  {manual_command(project)}\n"
        )
        return 1 if strict else 0
    settings = " ".join(f"{name}={value}" for name, value in PLUGIN_ENV.items())
    rerun = f"cd {shlex.quote(str(project))} && {settings} {shlex.join(command)}"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **PLUGIN_ENV}
    timeout = smoke_timeout()
    try:
        result = subprocess.run(
            command,
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        # TimeoutExpired carries bytes whatever `text` was.
        output = error.stdout.decode(errors="replace") if error.stdout else ""
        print(
            _banner(f"SMOKE TEST TIMED OUT after {timeout:g} s")
            + f"\n{output}\nYour files are kept in {project}. Re-run:\n  {rerun}\n"
        )
        return 1 if strict else 0
    if result.returncode == 0:
        summary = (
            result.stdout.strip().splitlines()[-1]
            if result.stdout.strip()
            else "passed"
        )
        print(f"Smoke test of {project.name}: {summary}")
        return 0
    print(
        _banner("SMOKE TEST FAILED: the generated package does not work as generated")
        + f"\n{result.stdout}{result.stderr}"
        + f"\nYour files are kept in {project}. Re-run:\n  {rerun}\n"
    )
    return 1 if strict else 0


def main() -> int:
    """The hook's entry point: Cookiecutter runs it inside the new project."""
    project = Path.cwd()
    formatted = format_project(project)
    if rendered_by_cruft_to_compare(project, json.loads(CONTEXT_JSON)):
        return 0
    status = run_smoke_test(project)
    strict_failure = not formatted and bool(os.environ.get(STRICT_ENV))
    return 1 if strict_failure else status


if __name__ == "__main__":
    sys.exit(main())
