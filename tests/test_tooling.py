"""A generated package is ready to publish and maintain.

Its task runner's every session passes; it builds an sdist and a wheel with the
right metadata and license, for every combination of the choices; pre-commit
passes and catches a lint error; both CI workflows are valid; its answers file
renders it again; and live mode records and replays, run against the fake API
serving on its own as a stand-in for the real one.
"""

from __future__ import annotations

import datetime
import email
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from .conftest import (
    CACHES,
    TEMPLATE,
    VARIANTS,
    Variant,
    expected_files,
    files,
    render,
)
from .test_pythons import claimed_pythons

BIN = Path(sys.executable).parent
"""This environment's scripts: uv, nox, pre-commit, twine, check-jsonschema."""

LICENSE_WORDS = {
    "MIT": "Permission is hereby granted, free of charge",
    "Apache-2.0": "Version 2.0, January 2004",
    "BSD-3-Clause": "Neither the name of the copyright holder",
    "Proprietary": "All rights reserved.",
}
"""Words only the text of each license choice holds."""


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for tools, with this environment's scripts on the PATH."""
    path = os.pathsep.join([str(BIN), os.environ["PATH"]])
    return {**os.environ, "PATH": path, **extra}


def run(
    args: list[str], cwd: Path, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess[str]:
    """Runs a command in `cwd` with the tools' environment; output captured."""
    return subprocess.run(
        args,
        cwd=cwd,
        env=tool_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def copy_of(project: Path, destination: Path) -> Path:
    """A copy of a rendered project, to run tools that write into it."""
    copy = destination / project.name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(*CACHES))
    return copy


@pytest.fixture(scope="module")
def formatted_default(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default project, through the hook (formatted), without its smoke test."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MIRASCOPE_TEMPLATE_SKIP_SMOKE", "1")
        return render(template, tmp_path_factory.mktemp("tooling"), accept_hooks=True)


def choices() -> dict[str, list[str]]:
    """The template's choice variables and their values."""
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    return {
        key: value
        for key, value in context.items()
        if isinstance(value, list) and not key.startswith("_")
    }


def test_variants_cover_every_value_of_the_choices() -> None:
    """Each license and each wire format is rendered and checked in full."""
    options = choices()
    assert set(options) == {"license", "wire_format"}
    for key, values in options.items():
        covered = {answers.get(key, values[0]) for answers in VARIANTS.values()}
        assert covered == set(values), key


def test_every_combination_of_the_choices_renders(
    template: Path, tmp_path: Path
) -> None:
    """Every license with every wire format renders its own files, and only those.

    The license is only in LICENSE and pyproject.toml, and the wire format only
    in the format's own modules: the pairs are independent.
    """
    options = choices()
    adapters: dict[str, set[str]] = {}
    for number, values in enumerate(itertools.product(*options.values())):
        answers = dict(zip(options, values, strict=True))
        project = render(template, tmp_path / str(number), **answers)
        assert files(project) == expected_files(project), answers
        license_text = (project / "LICENSE").read_text()
        assert ("MIT License" in license_text) == (answers["license"] == "MIT")
        wire = (project / "src" / "mirascope_acme" / "_wire.py").read_text()
        adapters.setdefault(answers["wire_format"], set()).add(wire)
    # One adapter per format, whatever the license, and no two formats alike.
    assert all(len(texts) == 1 for texts in adapters.values())
    assert len({text for texts in adapters.values() for text in texts}) == len(
        options["wire_format"]
    )


def member(archive: tarfile.TarFile, name: str) -> bytes:
    """A file of the sdist."""
    file = archive.extractfile(name)
    assert file is not None, name
    return file.read()


def metadata_of(dist: Path) -> tuple[Message, Message, str, str]:
    """The wheel's and the sdist's metadata, and the LICENSE each ships."""
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        [wheel_meta] = [n for n in names if n.endswith(".dist-info/METADATA")]
        [wheel_license] = [
            n for n in names if n.endswith(".dist-info/licenses/LICENSE")
        ]
        assert any(n.endswith("/py.typed") for n in names)
        assert not any(n.startswith("tests/") for n in names)
        wheel_metadata = email.message_from_string(archive.read(wheel_meta).decode())
        wheel_license_text = archive.read(wheel_license).decode()
    with tarfile.open(sdist) as archive:
        root = sdist.name.removesuffix(".tar.gz")
        sdist_metadata = email.message_from_string(
            member(archive, f"{root}/PKG-INFO").decode()
        )
        sdist_license_text = member(archive, f"{root}/LICENSE").decode()
        assert f"{root}/tests/test_smoke.py" in archive.getnames()
    return wheel_metadata, sdist_metadata, wheel_license_text, sdist_license_text


def test_the_package_builds_with_the_right_metadata(
    variant: Variant, tmp_path: Path
) -> None:
    """`uv build` makes an sdist and a wheel: metadata from the answers, the license
    text of the license chosen, and twine's strict check passes on both."""
    answers = {"license": "MIT", "version": "0.1.0", **variant.answers}
    project = copy_of(variant.path, tmp_path)
    dist = tmp_path / "dist"

    built = run([str(BIN / "uv"), "build", "--out-dir", str(dist)], project)
    assert built.returncode == 0, built.stdout + built.stderr
    checked = run(
        [sys.executable, "-m", "twine", "check", "--strict", f"{dist}/*"], project
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    wheel, sdist, wheel_license, sdist_license = metadata_of(dist)
    slug = project.name
    spdx = answers["license"].replace("Proprietary", "LicenseRef-Proprietary")
    for metadata in (wheel, sdist):
        assert metadata["Name"] == f"mirascope-{slug.replace('_', '-')}"
        assert metadata["Version"] == answers["version"]
        assert metadata["License-Expression"] == spdx
        assert metadata.get_all("License-File") == ["LICENSE"]
        assert metadata["Requires-Python"] == ">=3.10"
        assert metadata["Description-Content-Type"] == "text/markdown"
        assert metadata["Summary"].endswith(
            " provider for Mirascope v1, over plain HTTP"
        )
        requirements = {
            str(Requirement(r)) for r in metadata.get_all("Requires-Dist") or []
        }
        assert requirements == {
            str(Requirement(r))
            for r in ("mirascope>=1.25,<2", "httpx>=0.27,<1", "pydantic>=2.7.4,<3")
        }
        classifiers = metadata.get_all("Classifier") or []
        for version in ("3.10", "3.11", "3.12", "3.13"):
            assert f"Programming Language :: Python :: {version}" in classifiers
        assert "Typing :: Typed" in classifiers
        private = "Private :: Do Not Upload" in classifiers
        assert private == (answers["license"] == "Proprietary")
    assert wheel_license == sdist_license == (project / "LICENSE").read_text()
    assert LICENSE_WORDS[answers["license"]] in wheel_license
    for other, words in LICENSE_WORDS.items():
        if other != answers["license"]:
            assert words not in wheel_license
    author = answers.get("author_name", "Your Name")
    year = str(datetime.datetime.now(datetime.timezone.utc).year)
    copyright_line = next(
        line
        for line in wheel_license.splitlines()
        if line.strip().startswith("Copyright")
    )
    assert author in copyright_line
    assert year in copyright_line


def test_every_nox_session_passes(formatted_default: Path, tmp_path: Path) -> None:
    """`nox` runs lint, type check, tests on the oldest and newest Mirascope, build."""
    project = copy_of(formatted_default, tmp_path)

    listed = run([str(BIN / "nox"), "--list"], project)
    sessions = set(re.findall(r"^\* (\S+) ->", listed.stdout, re.MULTILINE))
    result = run([str(BIN / "nox")], project, timeout=1500)

    assert sessions == {"lint", "typecheck", "tests(oldest)", "tests(newest)", "build"}
    assert result.returncode == 0, result.stdout + result.stderr
    for session in sessions:
        assert f"* {session}: success" in result.stderr, result.stderr
    assert "mirascope==1.25.0" in result.stderr
    assert sorted(p.suffix for p in (project / "dist").iterdir()) == [".gz", ".whl"]


def test_pre_commit_passes_and_catches_a_lint_error(
    formatted_default: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The pre-commit hooks pass on a fresh project, and fail on an unused import."""
    project = copy_of(formatted_default, tmp_path)
    cache = str(tmp_path_factory.getbasetemp() / "pre-commit-cache")
    git = ["git", "-c", "init.defaultBranch=main"]
    assert run([*git, "init", "-q"], project).returncode == 0
    assert run(["git", "add", "-A"], project).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]

    clean = run(pre_commit, project, timeout=900, PRE_COMMIT_HOME=cache)
    module = project / "src" / "mirascope_acme" / "_costs.py"
    module.write_text("import os\n" + module.read_text())
    assert run(["git", "add", "-A"], project).returncode == 0
    dirty = run(pre_commit, project, timeout=900, PRE_COMMIT_HOME=cache)

    assert clean.returncode == 0, clean.stdout + clean.stderr
    for hook in ("ruff check", "ruff format", "check GitHub workflows"):
        assert re.search(rf"{hook}\.+Passed", clean.stdout), clean.stdout
    assert dirty.returncode == 1
    assert re.search(r"ruff check\.+Failed", dirty.stdout), dirty.stdout
    assert not module.read_text().startswith("import os")


def check_workflow(path: Path) -> dict[str, object]:
    """Validates a workflow against GitHub's schema; returns it parsed."""
    result = run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        path.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return yaml.safe_load(path.read_text())


def test_the_generated_workflow_runs_the_sessions(formatted_default: Path) -> None:
    """CI is valid, lints, type checks and builds, and tests Python 3.10 to 3.13
    against the oldest and the newest Mirascope: sessions the noxfile has."""
    workflow = check_workflow(formatted_default / ".github" / "workflows" / "ci.yml")
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    matrix = jobs["tests"]["strategy"]["matrix"]
    assert matrix == {
        "python": ["3.10", "3.11", "3.12", "3.13"],
        "mirascope": ["oldest", "newest"],
    }
    commands = [
        step["run"] for job in jobs.values() for step in job["steps"] if "run" in step
    ]
    assert "nox -s lint typecheck build" in commands
    assert 'nox -s "tests(${{ matrix.mirascope }})"' in commands


def test_this_repository_workflow_runs_the_ci_script() -> None:
    """The template's own CI is valid and runs `.ci/run`, the README's tests.

    It installs the oldest and the newest Python a generated package claims, on
    which `test_pythons.py` runs the generated suite.
    """
    workflow = check_workflow(TEMPLATE / ".github" / "workflows" / "tests.yml")
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    commands = [
        step["run"] for job in jobs.values() for step in job["steps"] if "run" in step
    ]
    assert "bash .ci/run" in commands
    installed = [
        str(step["with"]["python-version"]).split()
        for job in jobs.values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/setup-python")
    ]
    pythons = claimed_pythons()
    assert {pythons[0], pythons[-1]} <= {v for vs in installed for v in vs}


def contents(project: Path) -> dict[str, str]:
    """Each file's text, caches left out, and dates (license year, changelog) too."""
    return {
        path.relative_to(project).as_posix(): re.sub(
            r"\d{4}(-\d{2}-\d{2})?", "<date>", path.read_text()
        )
        for path in project.rglob("*")
        if path.is_file()
        and not any(
            part.startswith((".ruff", ".pytest", "__py")) for part in path.parts
        )
        and path.name != ".coverage"
    }


def test_the_answers_file_renders_the_same_project(
    variant: Variant, template: Path, tmp_path: Path
) -> None:
    """`.cookiecutter.json` holds every answer, and renders the project again."""
    defaults = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    answers = json.loads((variant.path / ".cookiecutter.json").read_text())
    questions = {key for key in defaults if not key.startswith("_")}
    assert set(answers) == questions
    for key, value in variant.answers.items():
        assert answers[key] == value

    with pytest.MonkeyPatch.context() as env:
        env.setenv("MIRASCOPE_TEMPLATE_SKIP_SMOKE", "1")
        again = render(template, tmp_path, accept_hooks=True, **answers)

    assert contents(again) == contents(variant.path)


STAND_IN_KEY = "stand-in-key-for-live-mode"


def test_live_mode_records_and_replays(formatted_default: Path, tmp_path: Path) -> None:
    """`--live` runs the tests marked live against an API (here the stand-in,
    behind a gateway's path prefix) and records them without the key;
    `--replay` runs them from the recordings, offline and keyless, at the
    default base URL; misuse is refused with a clear message."""
    project = copy_of(formatted_default, tmp_path)
    pytest_args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    collected = run([*pytest_args, "--collect-only", "-m", "live"], project)
    count = re.search(r"(\d+)/\d+ tests collected", collected.stdout)
    assert count is not None, collected.stdout
    live_tests = int(count.group(1))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fake_server",
            "--port",
            "0",
            "--api-key",
            STAND_IN_KEY,
            "--base-path",
            "/gateway/llm",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[3]
        env = {"ACME_API_KEY": STAND_IN_KEY, "ACME_BASE_URL": url}
        recorded = run([*pytest_args, "--live", "--record-mode=once"], project, **env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
    keyless = {k: v for k, v in os.environ.items() if not k.startswith("ACME_")}
    replayed = subprocess.run(
        [*pytest_args, "--replay"],
        cwd=project,
        env={**keyless, "PATH": tool_env()["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    no_key = run([*pytest_args, "--live"], project, ACME_API_KEY="")
    no_live = run([*pytest_args, "--record-mode=once"], project)

    assert live_tests >= 40
    assert f"{live_tests} passed" in recorded.stdout, recorded.stdout
    cassettes = sorted(project.glob("tests/**/cassettes/**/*.json"))
    assert len(cassettes) == live_tests
    for cassette in cassettes:
        text = cassette.read_text()
        assert STAND_IN_KEY not in text
        assert json.loads(text)["base_url"] == url
        for interaction in json.loads(text)["interactions"]:
            request = interaction["request"]
            assert request["headers"]["authorization"] == ["[redacted]"]
            assert "json" in request["body"]
    assert replayed.returncode == 0, replayed.stdout
    assert f"{live_tests} passed" in replayed.stdout
    assert no_key.returncode == 4
    assert "--live runs against the real API: set ACME_API_KEY" in no_key.stderr
    assert no_live.returncode == 4
    assert "--record-mode=once records real exchanges: add --live" in no_live.stderr
