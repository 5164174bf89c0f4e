"""The post-generation hook: formatting, the smoke test, and how it reports.

The hook reads its context from a Jinja string literal, so these tests run it
rendered, as Cookiecutter does, with the context a test gives it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest

from .conftest import TEMPLATE, render

HOOK = TEMPLATE / "hooks" / "post_gen_project.py"


def load_hook() -> ModuleType:
    """Imports the hook as a module (it is plain Python, Jinja-free)."""
    spec = importlib.util.spec_from_file_location("post_gen_project", HOOK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COOKIECUTTER_CONTEXT = {"provider_slug": "acme", "_output_dir": "/somewhere"}
"""What plain Cookiecutter renders into the hook (the part the hook reads)."""


def rendered(hook: Path, context: dict[str, Any], folder: Path) -> Path:
    """Renders a hook with this context into `folder`, as Cookiecutter does."""
    script = folder / hook.name
    template = jinja2.Template(hook.read_text(), keep_trailing_newline=True)
    script.write_text(template.render(cookiecutter=context))
    return script


def run_hook(
    project: Path,
    python: str = sys.executable,
    context: dict[str, Any] | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Runs the hook the way Cookiecutter does: a Python script inside the project."""
    with tempfile.TemporaryDirectory() as folder:
        script = rendered(HOOK, context or COOKIECUTTER_CONTEXT, Path(folder))
        return subprocess.run(
            [python, str(script)],
            cwd=project,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A fresh render of the defaults, without hooks, that a test may change."""
    return render(template, tmp_path)


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Python with nothing installed: no Mirascope, httpx or pytest."""
    env_dir = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    return str(env_dir / "bin" / "python")


def break_the_endpoint(project: Path) -> None:
    """Points the package at a path the fake API does not serve."""
    api = project / "src" / "mirascope_acme" / "_wire.py"
    api.write_text(
        api.read_text().replace('return "chat/completions"', 'return "nope"')
    )


@pytest.mark.parametrize(
    ("version", "release"),
    [("1.25.7", (1, 25, 7)), ("2.0.0rc1", (2, 0, 0)), ("1.25", (1, 25)), ("dev", ())],
)
def test_release_parsing(version: str, release: tuple[int, ...]) -> None:
    """Versions are compared by their numeric release."""
    assert load_hook()._release(version) == release


def test_this_python_has_what_the_smoke_test_needs() -> None:
    """The test environment itself meets the smoke test's requirements."""
    hook = load_hook()
    assert hook.missing_requirements() == []
    assert hook.smoke_command() == [sys.executable, *hook.SMOKE_ARGS]


def test_a_passing_smoke_test_is_reported(project: Path) -> None:
    """The hook runs the smoke test with this Python, reports the pass, exits 0."""
    result = run_hook(project)
    assert result.returncode == 0
    assert "Smoke test of acme: 5 passed" in result.stdout


def test_a_failing_smoke_test_is_loud_and_keeps_the_files(project: Path) -> None:
    """A failure shows pytest's output and a re-run command; files stay; exit 0."""
    break_the_endpoint(project)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))

    result = run_hook(project)

    assert result.returncode == 0
    assert "SMOKE TEST FAILED" in result.stdout
    assert "404 Not Found" in result.stdout
    env = "PYTEST_DISABLE_PLUGIN_AUTOLOAD=1"
    rerun = f"cd {project} && {env} {sys.executable} -m pytest"
    assert f"Re-run:\n  {rerun}" in result.stdout
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_strict_mode_fails_the_hook(project: Path) -> None:
    """With MIRASCOPE_TEMPLATE_STRICT set, a failing smoke test exits non-zero."""
    break_the_endpoint(project)
    result = run_hook(project, MIRASCOPE_TEMPLATE_STRICT="1")
    assert result.returncode == 1
    assert "SMOKE TEST FAILED" in result.stdout


def test_the_smoke_test_can_be_skipped(project: Path) -> None:
    """With MIRASCOPE_TEMPLATE_SKIP_SMOKE set, nothing runs; the command is printed."""
    break_the_endpoint(project)
    result = run_hook(project, MIRASCOPE_TEMPLATE_SKIP_SMOKE="1")
    assert result.returncode == 0
    assert "Smoke test skipped" in result.stdout
    assert "FAILED" not in result.stdout


def test_without_requirements_or_uv_the_command_is_printed(
    project: Path, bare_python: str
) -> None:
    """A Python without Mirascope, and no uv on the PATH: print how to run it later."""
    result = run_hook(project, python=bare_python, PATH=str(Path(bare_python).parent))

    assert result.returncode == 0
    assert "Smoke test not run" in result.stdout
    lacks = "lacks mirascope>=1.25,<2, httpx, pytest, pytest-recording, dirty-equals"
    assert lacks in result.stdout
    assert "ruff not found: to format acme, run there:" in result.stdout
    assert "ruff check --fix --select I,RUF022 . && ruff format ." in result.stdout
    expected = (
        f"cd {project} && {bare_python} -m pip install 'mirascope>=1.25,<2' httpx"
        " pytest pytest-recording dirty-equals && python -m pytest -q --tb=short"
        " -p no:cacheprovider tests/test_smoke.py"
    )
    assert expected in result.stdout


def test_without_requirements_uv_runs_the_smoke_test(
    project: Path, bare_python: str, tmp_path: Path
) -> None:
    """A Python without Mirascope or ruff, but uv on the PATH: uv runs both."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    uv = shutil.which("uv", path=search)
    assert uv is not None, "uv is a test requirement (pyproject.toml)"
    only_uv = tmp_path / "only-uv"
    only_uv.mkdir()
    (only_uv / "uv").symlink_to(uv)
    path = os.pathsep.join([str(Path(bare_python).parent), str(only_uv)])
    init = project / "src" / "mirascope_acme" / "__init__.py"
    formatted = init.read_text()
    init.write_text(formatted.replace("    ", "  "))

    result = run_hook(project, python=bare_python, PATH=path)

    assert result.returncode == 0, result.stdout
    assert "Smoke test of acme: 5 passed" in result.stdout
    assert "ruff not found" not in result.stdout
    assert init.read_text() == formatted, result.stdout


def test_one_ruff_pin_for_the_package_the_hook_and_the_template(
    project: Path, tmp_path: Path
) -> None:
    """The hook reads the package's ruff pin; the template installs the same one.

    The README's first command installs the template's dependencies, so the
    hook formats with the ruff the package's own checks use.
    """
    hook = load_hook()
    pin = hook.ruff_requirement(project)
    assert pin.startswith("ruff>=")
    assert hook.ruff_requirement(TEMPLATE) == pin
    (tmp_path / "pyproject.toml").write_text('[x]\ny = ["ruff-lsp", "pyruff"]\n')
    assert hook.ruff_requirement(tmp_path) == "ruff"


def test_the_package_is_formatted(project: Path) -> None:
    """The hook sorts imports and formats the package, leaving no cache behind."""
    init = project / "src" / "mirascope_acme" / "__init__.py"
    formatted = init.read_text()
    init.write_text(
        formatted.replace("    ", "  ")
        .replace("from ._call import acme_call\n", "")
        .replace(
            "from ._retry import RetryPolicy, use_retry_policy\n",
            "from ._retry import RetryPolicy, use_retry_policy\n"
            "from ._call import acme_call\n",
        )
    )

    result = run_hook(project, MIRASCOPE_TEMPLATE_SKIP_SMOKE="1")

    assert result.returncode == 0
    assert init.read_text() == formatted
    assert not (project / ".ruff_cache").exists()


def test_a_formatting_failure_is_loud(project: Path) -> None:
    """Code ruff cannot parse is reported with the command to re-run; strict fails."""
    broken = project / "src" / "mirascope_acme" / "_costs.py"
    broken.write_text(broken.read_text() + "\ndef (:\n")

    result = run_hook(project, MIRASCOPE_TEMPLATE_SKIP_SMOKE="1")
    strict = run_hook(
        project, MIRASCOPE_TEMPLATE_SKIP_SMOKE="1", MIRASCOPE_TEMPLATE_STRICT="1"
    )

    assert result.returncode == 0
    assert "FORMATTING FAILED" in result.stdout
    assert "_costs.py" in result.stdout
    assert strict.returncode == 1


def hang_the_smoke_test(project: Path) -> None:
    """Makes the smoke test wait forever (as a hung network call would)."""
    smoke = project / "tests" / "test_smoke.py"
    smoke.write_text(
        smoke.read_text()
        + "\n\ndef test_hangs() -> None:\n    threading.Event().wait()\n"
    )
    smoke.write_text("import threading\n" + smoke.read_text())


def test_the_smoke_test_is_time_bound(project: Path) -> None:
    """A smoke test that never ends is stopped at the time bound, and reported."""
    hang_the_smoke_test(project)

    result = run_hook(project, MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT="3")
    strict = run_hook(
        project, MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT="3", MIRASCOPE_TEMPLATE_STRICT="1"
    )

    assert result.returncode == 0
    assert "SMOKE TEST TIMED OUT after 3 s" in result.stdout
    assert f"Your files are kept in {project}" in result.stdout
    assert strict.returncode == 1


def test_a_bad_time_bound_falls_back(project: Path) -> None:
    """A time bound that is not a number of seconds is reported; 180 s is used."""
    result = run_hook(project, MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT="soon")
    assert "MIRASCOPE_TEMPLATE_SMOKE_TIMEOUT='soon' is not a number" in result.stdout
    assert "Smoke test of acme: 5 passed" in result.stdout


def cruft_context() -> dict[str, Any]:
    """What cruft renders into the hook: `_commit`, and no `_output_dir`."""
    return {"provider_slug": "acme", "_template": "git@x:t.git", "_commit": "abc123"}


def test_cruft_update_renders_are_formatted_not_smoke_tested(
    template: Path,
) -> None:
    """Where `cruft update` and `cruft diff` render, the hook only formats."""
    with tempfile.TemporaryDirectory() as folder:
        project = render(template, Path(folder))
        init = project / "src" / "mirascope_acme" / "__init__.py"
        formatted = init.read_text()
        init.write_text(formatted.replace("    ", "  "))
        break_the_endpoint(project)

        result = run_hook(project, context=cruft_context())

        assert result.returncode == 0
        assert result.stdout == ""
        assert init.read_text() == formatted


def test_cruft_create_still_smoke_tests(project: Path) -> None:
    """`cruft create` renders where you asked: the smoke test runs."""
    result = run_hook(project, context=cruft_context())
    assert "Smoke test of acme: 5 passed" in result.stdout


def test_hook_contexts_are_json() -> None:
    """The hooks render Cookiecutter's whole context as JSON they can read."""
    for name in ("pre_gen_project.py", "post_gen_project.py"):
        with tempfile.TemporaryDirectory() as folder:
            context = {"provider_name": 'A "B" \\ C {{ x }}', "_commit": "1"}
            script = rendered(TEMPLATE / "hooks" / name, context, Path(folder))
            namespace: dict[str, Any] = {"__name__": "rendered_hook"}
            exec(compile(script.read_text(), name, "exec"), namespace)
            assert json.loads(namespace["CONTEXT_JSON"]) == context
