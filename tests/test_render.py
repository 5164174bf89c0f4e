"""Each rendered variant is the expected package, and passes its own checks.

The checks of a rendered package: the exact file set, no template syntax
left, the derived names, its own suite at full branch coverage (with the fake
API key never in the output), ruff (lint and format) and pyright.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import (
    FULL_SUITE,
    PROJECT,
    TEMPLATE,
    Variant,
    expected_files,
    files,
    quick_start,
    render,
    tree_files,
    wire_formats,
)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs a command in `cwd`; returns the completed process (output captured)."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def test_defaults_render_the_expected_files(default_project: Path) -> None:
    """The default answers give folder `acme/` with exactly the template's files.

    The expectation is read from the template's file names (`tree_files`), so
    a name condition that renders wrong, or a file dropped or added, fails here.
    """
    assert default_project.name == "acme"
    assert files(default_project) == expected_files(default_project)


def test_the_defaults_are_clean_without_the_hook(default_project: Path) -> None:
    """Rendered with the default answers, the package passes ruff unformatted."""
    for args in (["check", "."], ["format", "--check", "."]):
        result = run([sys.executable, "-m", "ruff", *args], default_project)
        assert result.returncode == 0, result.stdout + result.stderr


def test_variants_render_the_expected_files(variant: Variant) -> None:
    """Every variant has exactly the expected files, named after its slug.

    The variants are rendered through the post-generation hook: it adds and
    deletes no file.
    """
    assert files(variant.path) == expected_files(variant.path)


def test_no_template_syntax_is_left(variant: Variant) -> None:
    """No rendered path or file still holds Jinja or a cookiecutter variable."""
    # A tricky variant's provider name holds `{{ x }}`: look for our own syntax.
    # `.cookiecutter.json` is the answers file, by name.
    leftover = re.compile(r"\{\{\s*cookiecutter|\{%|%\}|(?<!\.)cookiecutter\.(?!json)")
    for path in variant.path.rglob("*"):
        assert not leftover.search(path.name), path
        if path.is_file():
            assert not leftover.search(path.read_text()), path


def test_no_trace_of_the_development_name(variant: Variant) -> None:
    """Under another name, no path or file says "acme", the name it is built as."""
    if "acme" in variant.answers.get("provider_name", "acme").lower():
        return  # the defaults, and a provider whose name holds the word
    for path in variant.path.rglob("*"):
        assert "acme" not in path.name.lower(), path
        if path.is_file():
            lines = path.read_text().lower().splitlines()
            found = [line for line in lines if "acme" in line]
            assert not found, (path, found[:3])


def test_derived_names(variant: Variant) -> None:
    """Distribution, package, classes, decorator and key variable follow the slug."""
    slug = variant.path.name
    prefix = "".join(part.capitalize() for part in slug.split("_"))
    pyproject = (variant.path / "pyproject.toml").read_text()
    assert f'name = "mirascope-{slug.replace("_", "-")}"' in pyproject
    package = variant.path / "src" / f"mirascope_{slug}"
    init = (package / "__init__.py").read_text()
    for name in (f"{slug}_call", f"{prefix}CallResponse", f"{prefix}Stream"):
        assert f'"{name}"' in init
    key = variant.answers.get("api_key_env_var", f"{slug.upper()}_API_KEY")
    settings = (package / "_settings.py").read_text()
    assert f'API_KEY_ENV = "{key}"' in settings
    for setting in ("BASE_URL", "TIMEOUT", "MAX_RETRIES"):
        assert f'{setting}_ENV = "{slug.upper()}_{setting}"' in settings


@pytest.mark.parametrize("variant", FULL_SUITE, indirect=True)
def test_generated_tests_pass_at_full_coverage(variant: Variant) -> None:
    """The generated suite passes, covers every branch, and never shows the key.

    The suite runs verbosely with every log record printed, so that a key in
    an error, a repr or a log line would show in its output.
    """
    project = variant.path
    pytest_args = ["-p", "no:cacheprovider", "-rA", "-vv", "--log-level=DEBUG"]
    result = run(
        [sys.executable, "-m", "coverage", "run", "-m", "pytest", *pytest_args],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\d+ passed, \d+ xfailed", result.stdout)
    fake_key = f"sk-fake-{project.name}-key-for-tests"
    assert fake_key in (project / "tests" / "conftest.py").read_text()
    assert fake_key not in result.stdout + result.stderr
    report = run([sys.executable, "-m", "coverage", "report"], project)
    assert report.returncode == 0, report.stdout + report.stderr
    total = next(
        line for line in report.stdout.splitlines() if line.startswith("TOTAL")
    )
    assert total.endswith("100%")
    (project / ".coverage").unlink()


def test_generated_package_passes_ruff(variant: Variant) -> None:
    """`ruff check` and `ruff format --check` pass on the generated package."""
    project = variant.path
    for args in (["check", "."], ["format", "--check", "."]):
        result = run([sys.executable, "-m", "ruff", *args], project)
        assert result.returncode == 0, result.stdout + result.stderr


def test_generated_package_passes_pyright(variant: Variant) -> None:
    """pyright finds no error: strict on the package, standard on the tests."""
    project = variant.path
    result = run(
        [
            sys.executable,
            "-m",
            "pyright",
            "--pythonpath",
            sys.executable,
            "--outputjson",
        ],
        project,
    )
    report = json.loads(result.stdout)
    diagnostics = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert diagnostics == [], json.dumps(diagnostics, indent=2)
    python_files = [f for f in expected_files(project) if f.endswith(".py")]
    assert report["summary"]["filesAnalyzed"] == len(python_files)


def test_template_python_keeps_jinja_out_of_code_blocks() -> None:
    """No `{%` on an indented line of a template .py file (logic goes in file names)."""
    offenders = [
        f"{path}:{number}"
        for path in TEMPLATE.glob("{{cookiecutter.provider_slug}}/**/*")
        if path.name.removesuffix("{% endif %}").endswith(".py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.match(r"\s+.*\{%", line)
    ]
    assert offenders == []


def test_readme_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    """The quick start is two commands; `.ci/run` runs the second as written."""
    commands = quick_start()
    assert len(commands) == 2
    assert commands[1] in (TEMPLATE / ".ci" / "run").read_text().splitlines()


def test_readme_first_command_generates_and_smoke_tests(template: Path) -> None:
    """The first quick-start command's generation step works as written.

    Here the `cookiecutter` CLI runs from a clean copy of the template, hooks
    included, in this environment; `test_environments.py` runs the whole
    command, its `pip install` too, in a fresh one.
    """
    install, generate = quick_start()[0].split(" && ")
    assert install == "python -m pip install ."
    args = shlex.split(generate)
    assert args[0] == "cookiecutter"
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", *args[1:]],
        cwd=template,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"Smoke test of acme: \d+ passed", result.stdout), result.stdout
    project = template / "generated" / "acme"
    assert files(project) == expected_files(project)
    shutil.rmtree(template / "generated")


WIRE_IN_CONTENT = {"README.md", ".cookiecutter.json"}
"""The shared files whose content, not name, depends on the wire format.

The README describes the format (its endpoint, how the key is sent, its own
adaptation steps) and `.cookiecutter.json` records the answer.
"""


def test_formats_differ_only_in_their_own_modules(
    template: Path, tmp_path: Path
) -> None:
    """Each format's render differs from the first's in exactly their format files.

    The format files are those the template names per wire format; one that is
    the same in two formats would be shared code kept twice. The answers are
    the same but for the format (the base URL given, as it defaults per format).
    """
    base = {"api_base_url": "https://api.acme.example"}
    first, *others = wire_formats()
    reference = render(template, tmp_path / first, wire_format=first, **base)
    assert others, "only one wire format: nothing to compare"
    for other in others:
        project = render(template, tmp_path / other, wire_format=other, **base)
        differing = {
            name
            for name in set(files(reference)) | set(files(project))
            if not (reference / name).is_file()
            or not (project / name).is_file()
            or (reference / name).read_bytes() != (project / name).read_bytes()
        }
        format_files = {
            name
            for rendered in (reference, project)
            for name in tree_files(
                json.loads((rendered / ".cookiecutter.json").read_text())
            ).format_files
        }
        assert differing == format_files | WIRE_IN_CONTENT, other
        own = tree_files(json.loads((project / ".cookiecutter.json").read_text()))
        in_source = {name for name in own.format_files if name.startswith("src/")}
        assert len(in_source) <= MOST_ADAPTER_FILES["src"], sorted(in_source)
        assert len(own.format_files) - len(in_source) <= MOST_ADAPTER_FILES["tests"]
        assert adapting_table_files(project) == own.format_files
    own = tree_files(json.loads((reference / ".cookiecutter.json").read_text()))
    assert adapting_table_files(reference) == own.format_files


MOST_ADAPTER_FILES = {"src": 3, "tests": 4}
"""The most files a wire format may have of its own: the adapter, its wire
models and its call params; its fake API's side and its tables of cases."""


def adapting_table_files(project: Path) -> list[str]:
    """The files the generated README's "Adapting to your API" table names, sorted.

    Each row names one file, first in its file column.
    """
    readme = (project / "README.md").read_text()
    section = readme.split("\n## Adapting to your API\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| \d+ \| `([^`]+)` \|", section, re.MULTILINE)
    assert len(rows) <= 6, rows
    return sorted(rows)


def readme_format_files() -> dict[str, str | None]:
    """The format files the README's "Picking a wire format" names.

    Each backticked name in its paragraph on format-specific code, as a path
    in a project of slug `acme`, mapped to the one wire it is for when the
    README says "(<Wire> only)", else None. A backticked folder (`_utils/`,
    `tests/`) holds the names after it: the project's own folder when it has
    one of that name, else the package's.
    """
    readme = (TEMPLATE / "README.md").read_text()
    section = readme.split("\n## Picking a wire format\n", 1)[1].split("\n## ", 1)[0]
    [paragraph] = [
        text
        for text in section.split("\n\n")
        if text.startswith("The format-specific code")
    ]
    package = "src/mirascope_acme/"
    folder = package
    named: dict[str, str | None] = {}
    for match in re.finditer(r"`([^`]+)`(?:\s+\((\w+)\s+only\))?", paragraph):
        name, only = match.groups()
        if "{%" in name:
            continue  # the form of a format file's name in the template
        if name.endswith("/"):
            folder = name if (TEMPLATE / PROJECT / name).is_dir() else package + name
        else:
            named[folder + name] = only.lower() if only else None
    return named


def test_the_readme_names_exactly_the_format_files() -> None:
    """The README's list of format files is the template's, "(X only)" included."""
    having: dict[str, set[str]] = {}
    for wire_format, wire in wire_formats().items():
        answers = {"provider_slug": "acme", "wire_format": wire_format}
        for name in tree_files(answers).format_files:
            having.setdefault(name, set()).add(wire)
    every = set(wire_formats().values())
    expected = {
        name: None if wires == every else "/".join(sorted(wires))
        for name, wires in having.items()
    }
    assert readme_format_files() == expected


def test_the_readme_has_a_row_per_wire_format() -> None:
    """The README's "Picking a wire format" table has one row per choice, in order."""
    readme = (TEMPLATE / "README.md").read_text()
    section = readme.split("\n## Picking a wire format\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)
    assert rows == ["wire_format", *wire_formats()]


def test_the_readme_says_how_the_key_is_sent(template: Path, tmp_path: Path) -> None:
    """Each format's README names the header `WIRE.auth_headers` puts the key in."""
    code = (
        "import json; from mirascope_acme._wire import WIRE;"
        " print(json.dumps(WIRE.auth_headers('<key>')))"
    )
    for wire_format in wire_formats():
        project = render(template, tmp_path / wire_format, wire_format=wire_format)
        sent = subprocess.run(
            [sys.executable, "-c", code],
            cwd=project,
            env={**os.environ, "PYTHONPATH": "src"},
            capture_output=True,
            text=True,
            check=True,
        )
        headers: dict[str, str] = json.loads(sent.stdout)
        readme = (project / "README.md").read_text()
        [row] = [line for line in readme.splitlines() if "`ACME_API_KEY` |" in line]

        assert re.findall(r"sent as `([^`]+)`", row) == [
            f"{name}: {value}" for name, value in headers.items()
        ], wire_format
        for name in headers:
            assert re.search(rf"sets no\s+`{re.escape(name)}`\s+header", readme), name
