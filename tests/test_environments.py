"""The first run in a usual environment: the README's first command, and plugins.

A new user's environment is the README's first command's install plus the
pytest plugins most people have. There, with names other than the defaults,
the hook's smoke test passes, the package passes ruff as generated, and its
whole suite passes in random order.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import TEMPLATE, quick_start

USUAL_PLUGINS = (
    "pytest-asyncio",
    "pytest-cov",
    "pytest-mock",
    "pytest-randomly",
    "pytest-timeout",
)
"""Among the most installed pytest plugins; their newest releases are installed."""

ANSWERS = 'provider_name="Zeta Gateway Labs"'
"""Non-default names (slug `zeta_gateway_labs`): `ZetaGatewayLabs...` sorts after
the package's other names and makes lines longer, so import order, `__all__` order
and line wrapping differ from the defaults'."""

TIMEOUT = 900
"""A bound on each step (installing from PyPI is the slow one)."""


def sh(
    command: str | list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Runs a command (a string goes through bash, as typed); output captured."""
    args = ["bash", "-c", command] if isinstance(command, str) else command
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_a_usual_environment_generates_a_clean_passing_package(
    template: Path, tmp_path: Path
) -> None:
    """The README's first command in a fresh venv with the usual plugins.

    One virtual environment for the whole test (pip's cache makes it quick
    after the first time); the PATH holds that environment and the system's
    directories only, so no tool of this test environment (ruff, uv) helps.
    """
    clone = tmp_path / "clone"
    shutil.copytree(template, clone, ignore=shutil.ignore_patterns("generated"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(TEMPLATE / name, clone / name)
    venv = tmp_path / "venv"
    created = sh([sys.executable, "-m", "venv", str(venv)], tmp_path, dict(os.environ))
    assert created.returncode == 0, created.stderr
    unset = ("PYTHONPATH", "PYTHONHOME", "MIRASCOPE_TEMPLATE_SKIP_SMOKE")
    env = {
        **{k: v for k, v in os.environ.items() if k not in unset},
        "PATH": os.pathsep.join([str(venv / "bin"), os.defpath]),
        "VIRTUAL_ENV": str(venv),
    }
    python = str(venv / "bin" / "python")
    plugins = sh([python, "-m", "pip", "install", *USUAL_PLUGINS], clone, env)
    assert plugins.returncode == 0, plugins.stdout + plugins.stderr

    first = f"{quick_start()[0]} {ANSWERS}"
    generated = sh(first, clone, env)

    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "ruff not found" not in generated.stdout, generated.stdout
    smoke = r"Smoke test of zeta_gateway_labs: \d+ passed"
    assert re.search(smoke, generated.stdout), generated.stdout
    project = clone / "generated" / "zeta_gateway_labs"
    for args in (["check", "."], ["format", "--check", "."]):
        lint = sh([sys.executable, "-m", "ruff", *args, "--no-cache"], project, env)
        assert lint.returncode == 0, lint.stdout + lint.stderr

    # pytest-timeout acts only when given a time bound: give it one, so that
    # its timer runs next to the fake API's threads and the async tests.
    pytest_args = ["-p", "no:cacheprovider", "--timeout=300"]
    suite = sh([python, "-m", "pytest", *pytest_args], project, env)

    output = suite.stdout + suite.stderr
    assert suite.returncode == 0, output
    active = re.search(r"^plugins: (.*)$", suite.stdout, re.MULTILINE)
    assert active is not None, output
    for plugin in USUAL_PLUGINS:
        assert f"{plugin.removeprefix('pytest-')}-" in active.group(1), active.group()
    assert "Using --randomly-seed=" in suite.stdout
    assert re.search(r"\d+ passed, \d+ xfailed", suite.stdout), output
