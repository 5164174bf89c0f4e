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

from .conftest import TEMPLATE, Variant, quick_start, render

DEFAULT_FILES = sorted(
    [
        ".cookiecutter.json",
        ".github/workflows/ci.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        "CHANGELOG.md",
        "LICENSE",
        "README.md",
        "noxfile.py",
        "pyproject.toml",
        "src/mirascope_acme/__init__.py",
        "src/mirascope_acme/_api.py",
        "src/mirascope_acme/_call.py",
        "src/mirascope_acme/_call_kwargs.py",
        "src/mirascope_acme/_costs.py",
        "src/mirascope_acme/_http.py",
        "src/mirascope_acme/_mirascope_private.py",
        "src/mirascope_acme/_retry.py",
        "src/mirascope_acme/_serialize.py",
        "src/mirascope_acme/_types.py",
        "src/mirascope_acme/_wire.py",
        "src/mirascope_acme/_utils/__init__.py",
        "src/mirascope_acme/_utils/_convert_common_call_params.py",
        "src/mirascope_acme/_utils/_convert_finish_reasons.py",
        "src/mirascope_acme/_utils/_convert_message_params.py",
        "src/mirascope_acme/_utils/_get_json_output.py",
        "src/mirascope_acme/_utils/_handle_stream.py",
        "src/mirascope_acme/_utils/_json_object.py",
        "src/mirascope_acme/_utils/_keep_decorator_client.py",
        "src/mirascope_acme/_utils/_message_param_converter.py",
        "src/mirascope_acme/_utils/_prepare_request.py",
        "src/mirascope_acme/_utils/_setup_call.py",
        "src/mirascope_acme/call_params.py",
        "src/mirascope_acme/call_response.py",
        "src/mirascope_acme/call_response_chunk.py",
        "src/mirascope_acme/dynamic_config.py",
        "src/mirascope_acme/errors.py",
        "src/mirascope_acme/py.typed",
        "src/mirascope_acme/stream.py",
        "src/mirascope_acme/tool.py",
        "tests/__init__.py",
        "tests/capabilities.py",
        "tests/conformance/__init__.py",
        "tests/conformance/test_calls.py",
        "tests/conformance/test_dynamic_config.py",
        "tests/conformance/test_multimodal.py",
        "tests/conformance/test_prompts.py",
        "tests/conformance/test_streamed_tools.py",
        "tests/conformance/test_streams.py",
        "tests/conformance/test_structured_output.py",
        "tests/conformance/test_tools.py",
        "tests/conformance/test_upstream_traps.py",
        "tests/conformance/test_wire_traps.py",
        "tests/conftest.py",
        "tests/fake_exchange.py",
        "tests/fake_server.py",
        "tests/fake_wire.py",
        "tests/live.py",
        "tests/test_client.py",
        "tests/test_convert_message_params.py",
        "tests/test_errors.py",
        "tests/test_fake_api.py",
        "tests/test_handle_stream.py",
        "tests/test_http.py",
        "tests/test_live_mode.py",
        "tests/test_provider_agnostic.py",
        "tests/test_requests.py",
        "tests/test_retry.py",
        "tests/test_smoke.py",
        "tests/test_typing.py",
    ]
)


def files(project: Path) -> list[str]:
    """The project's files, relative, sorted."""
    return sorted(
        p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()
    )


FORMAT_FILES = {"anthropic-messages": ["src/mirascope_acme/_usage.py"]}
"""The files only a wire format has, besides `DEFAULT_FILES`."""


def expected_files(project: Path) -> list[str]:
    """The files a project of this slug and wire format must have."""
    package = f"mirascope_{project.name}"
    answers = json.loads((project / ".cookiecutter.json").read_text())
    extra = FORMAT_FILES.get(answers["wire_format"], [])
    return sorted(f.replace("mirascope_acme", package) for f in DEFAULT_FILES + extra)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs a command in `cwd`; returns the completed process (output captured)."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def test_defaults_render_the_expected_files(default_project: Path) -> None:
    """The default answers give folder `acme/` with exactly the expected files."""
    assert default_project.name == "acme"
    assert files(default_project) == DEFAULT_FILES


def test_the_defaults_are_clean_without_the_hook(default_project: Path) -> None:
    """Rendered with the default answers, the package passes ruff unformatted."""
    for args in (["check", "."], ["format", "--check", "."]):
        result = run([sys.executable, "-m", "ruff", *args], default_project)
        assert result.returncode == 0, result.stdout + result.stderr


def test_variants_render_the_expected_files(variant: Variant) -> None:
    """Every variant has exactly the expected files, named after its slug."""
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
    http = (package / "_http.py").read_text()
    assert f'API_KEY_ENV = "{key}"' in http
    for setting in ("BASE_URL", "TIMEOUT", "MAX_RETRIES"):
        assert f'{setting}_ENV = "{slug.upper()}_{setting}"' in http


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
    assert files(project) == DEFAULT_FILES
    shutil.rmtree(template / "generated")


FORMAT_MODULES = {
    "README.md",
    ".cookiecutter.json",
    *(
        f"src/mirascope_acme/{name}.py"
        for name in (
            "_types",
            "_usage",
            "_wire",
            "call_params",
            "call_response",
            "call_response_chunk",
            "stream",
            "tool",
            "_utils/_prepare_request",
            "_utils/_convert_message_params",
            "_utils/_message_param_converter",
            "_utils/_convert_common_call_params",
            "_utils/_convert_finish_reasons",
            "_utils/_get_json_output",
            "_utils/_handle_stream",
        )
    ),
    *(
        f"tests/{name}.py"
        for name in (
            "fake_wire",
            "capabilities",
            "test_requests",
            "test_handle_stream",
            "test_convert_message_params",
            "test_fake_api",
            "conformance/test_wire_traps",
        )
    ),
}
"""The files that may differ between two wire formats' renders of the same answers."""


def test_formats_differ_only_in_their_own_modules(
    template: Path, tmp_path: Path
) -> None:
    """Two formats' renders differ in the format modules and fakes, nothing else."""
    base = {"api_base_url": "https://api.acme.example"}
    openai = render(template, tmp_path / "openai", **base)
    anthropic = render(
        template, tmp_path / "anthropic", wire_format="anthropic-messages", **base
    )
    differing = {
        name
        for name in set(files(openai)) | set(files(anthropic))
        if not (openai / name).is_file()
        or not (anthropic / name).is_file()
        or (openai / name).read_bytes() != (anthropic / name).read_bytes()
    }
    assert differing <= FORMAT_MODULES
    assert "src/mirascope_acme/_wire.py" in differing


def test_the_readme_says_how_the_key_is_sent(template: Path, tmp_path: Path) -> None:
    """Each format's README names the header `_wire.auth_headers` puts the key in."""
    code = (
        "import json; from mirascope_acme._wire import auth_headers;"
        " print(json.dumps(auth_headers('<key>')))"
    )
    for wire_format in ("openai-chat-completions", "anthropic-messages"):
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
