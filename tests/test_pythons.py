"""The generated suite passes on the oldest and the newest Python the package claims.

The template's own tests run on one Python; a generated package claims several
(its classifiers, and its CI matrix). The oldest and the newest each run the
suite of a wire format's defaults (the formats take turns), in a fresh virtual
environment with the package's dev dependencies, as a user of that Python
would install them.

The interpreters are taken from the PATH (`python3.10`) or from pyenv; a
missing one fails the test with how to install it, never skips it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import TEMPLATE, render

WIRE_FORMATS = json.loads((TEMPLATE / "cookiecutter.json").read_text())["wire_format"]
"""Every wire format the template offers; each is tested with its defaults."""


PYPROJECT = TEMPLATE / "{{cookiecutter.provider_slug}}" / "pyproject.toml"
"""The generated package's metadata, where the Pythons it claims are listed."""


def claimed_pythons() -> list[str]:
    """The Python versions the generated package's classifiers claim, oldest first."""
    pyproject = PYPROJECT.read_text()
    versions = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)
    return sorted(versions, key=lambda v: tuple(map(int, v.split("."))))


def interpreter(version: str) -> Path:
    """The path of a working Python `version` (e.g. "3.10") here, or fails.

    pyenv's installs come first: its shim on the PATH may answer for another
    version only.
    """
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [
        *sorted(pyenv.glob(f"{version}.*/bin/python{version}"), reverse=True),
        shutil.which(f"python{version}"),
    ]
    ask = "import sys; print('%d.%d' % sys.version_info[:2])"
    for candidate in filter(None, candidates):
        answer = subprocess.run(
            [candidate, "-c", ask], capture_output=True, text=True, check=False
        )
        if answer.stdout.strip() == version:
            return Path(candidate)
    pytest.fail(
        f"Python {version} is not installed, but the generated package claims it:"
        f" install it (`pyenv install {version}`, or `actions/setup-python` in CI)"
        " so that its suite can be run on it.",
        pytrace=False,
    )


def test_the_claims_are_consistent() -> None:
    """`requires-python` names the oldest Python the classifiers claim."""
    pythons = claimed_pythons()
    pyproject = PYPROJECT.read_text()
    assert len(pythons) >= 2
    assert f'requires-python = ">={pythons[0]}"' in pyproject


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        (WIRE_FORMATS[0], claimed_pythons()[0]),
        (WIRE_FORMATS[-1], claimed_pythons()[-1]),
    ],
)
def test_generated_suite_on_the_claimed_pythons(
    template: Path, tmp_path: Path, wire: str, python: str
) -> None:
    """The whole generated suite passes on that Python, and nothing is logged amiss.

    Python 3.13 reports async generators left unclosed where 3.11 stays quiet.
    The first format runs on the oldest claimed Python, the last on the newest:
    what differs between Pythons is in the shared code, which every format
    runs, and pyright checks each format's syntax for the oldest.
    """
    executable = interpreter(python)
    project = render(template, tmp_path / "render", wire_format=wire)
    venv = tmp_path / "venv"
    uv = Path(sys.executable).parent / "uv"
    for command in (
        [uv, "venv", "--quiet", "--python", executable, venv],
        [
            *(uv, "pip", "install", "--quiet", "--python", venv, "-e", project),
            *("--group", f"{project / 'pyproject.toml'}:dev"),
        ],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"\d+ passed", output), output
    assert "never awaited" not in output
    assert "asynchronous generator" not in output
