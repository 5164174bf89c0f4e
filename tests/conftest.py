"""Fixtures: a clean copy of the template, and its render with the default answers."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
"""This repository: the template as developed."""

TEMPLATE_PARTS = (
    "cookiecutter.json",
    "local_extensions.py",
    "hooks",
    "{{cookiecutter.provider_slug}}",
)

VARIANTS: dict[str, dict[str, str]] = {
    "defaults": {},
    "long-names": {
        "provider_name": "Openrouter Labs Xyzw",
        "api_base_url": "http://127.0.0.1:8080/api/v2",
        "api_key_env_var": "ORLX_TOKEN",
        "default_model": "meta-llama/llama-3.1-405b-instruct-turbo",
        "license": "Apache-2.0",
        "author_name": "Ada Lovelace",
        "version": "2.0.0a1",
    },
    "tricky-text": {
        "provider_name": 'Acme "Quoted" {{ x }} O\'Brien\\N{BULLET} \\back\\ Ünï',
        "provider_slug": "tricky",
        "author_name": 'Ada "Countess" O\'Love\\lace',
        "default_model": "vendor/Model-v1.2:latest@2024",
        "api_base_url": "http://127.0.0.1:8000/openai/v1/",
        "version": "1.0.0rc1",
        "license": "BSD-3-Clause",
    },
    "unicode-name": {
        "provider_name": "Ünïcode Läbs",
        "author_name": "Zoë Ørsted",
        "license": "Proprietary",
    },
    "anthropic": {"wire_format": "anthropic-messages"},
    "gemini": {"wire_format": "gemini-generate-content"},
    "anthropic-tricky": {
        "wire_format": "anthropic-messages",
        "provider_name": 'Claude-ish "Quoted" {{ y }} Ünï\\',
        "provider_slug": "claudeish",
        "api_base_url": "http://127.0.0.1:9000/anthropic/",
        "api_key_env_var": "CLAUDEISH_KEY",
        "default_model": "vendor/claude-like:v2@2025",
        "license": "Proprietary",
    },
    "gemini-tricky": {
        "wire_format": "gemini-generate-content",
        "provider_name": 'Gem "Quoted" {{ g }} Ünï\\',
        "provider_slug": "gemish",
        "api_base_url": "http://127.0.0.1:9200/google/",
        "api_key_env_var": "GEMISH_KEY",
        "default_model": "vendor/gemini-like:v3@2026",
        "license": "MIT",
    },
    "responses": {"wire_format": "openai-responses"},
    "responses-tricky": {
        "wire_format": "openai-responses",
        "provider_name": 'Resp "Quoted" {{ z }} Ünï\\',
        "provider_slug": "respish",
        "api_base_url": "http://127.0.0.1:9100/gateway/v1/",
        "api_key_env_var": "RESPISH_KEY",
        "default_model": "vendor/gpt-like:v5@2026",
        "license": "BSD-3-Clause",
    },
}
"""Answer sets rendered and checked (ruff, pyright, names, files).

Every value of each choice is among them; the license and the wire format do
not meet in any file, so not every pair of the two is (all pairs are rendered,
in `test_tooling.py`)."""

FULL_SUITE = ("anthropic", "defaults", "gemini", "responses", "tricky-text")
"""The variants whose whole suite runs too, at full coverage: each format's
defaults, and tricky names on one. The others differ from these in names and
values only, which ruff, pyright and the checks of names read (every format has
a variant with tricky names among them)."""
CACHES = ("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", ".venv")

PROJECT = "{{cookiecutter.provider_slug}}"
"""The template's folder that becomes the generated project."""
PACKAGE = "{{cookiecutter.__pkg}}"
"""The template's folder that becomes the package, under `src/`."""
WIRE_NAME = re.compile(
    r"\{% if cookiecutter\.__wire == '([^']+)' %\}([^{}%]+)\{% endif %\}"
)
"""A format file's name: `{% if cookiecutter.__wire == '<wire>' %}<name>{% endif %}`."""


class TreeFiles(NamedTuple):
    """What a render should hold, read from the template tree."""

    files: list[str]
    """Every file of the project, relative to it, sorted."""
    format_files: list[str]
    """Of those, the ones whose template name is conditioned on the wire format."""


def derived(answers: Mapping[str, str], name: str) -> str:
    """A variable `cookiecutter.json` derives from the answers, e.g. `__pkg`."""
    spec = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    private = {k: v for k, v in spec.items() if k.startswith("_") and k[1:2] != "_"}
    context = {**private, **answers}
    return StrictEnvironment().from_string(spec[name]).render(cookiecutter=context)


def wire_formats() -> dict[str, str]:
    """Each `wire_format` choice, and the `__wire` it gives (the names' condition)."""
    spec = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    return {w: derived({"wire_format": w}, "__wire") for w in spec["wire_format"]}


def tree_files(answers: Mapping[str, str]) -> TreeFiles:
    """The files a render of `answers` (slug and wire format resolved) should hold.

    Read from the template's names rather than rendered with Jinja, so that a
    render compared to it catches a wrong name condition: a format file is
    named `{% if cookiecutter.__wire == '<wire>' %}<name>{% endif %}` and
    rendered as `<name>` for that wire only; every other file is rendered for
    every answer, with the package folder named after the slug. A name the
    template holds in any other form is an error here, to be taught to this
    function.
    """
    package = derived(answers, "__pkg")
    wire = derived(answers, "__wire")
    known = set(wire_formats().values())
    root = TEMPLATE / PROJECT
    files: list[str] = []
    format_files: list[str] = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if not path.is_file() or any(
            fnmatch.fnmatch(part, cache) for part in parts for cache in CACHES
        ):
            continue
        names: list[str] = []
        conditions: set[str] = set()
        for part in parts:
            condition = WIRE_NAME.fullmatch(part)
            if condition:
                if condition[1] not in known:
                    raise ValueError(f"{path}: no wire format is {condition[1]!r}")
                conditions.add(condition[1])
                part = condition[2]
            names.append(package if part == PACKAGE else part)
        name = "/".join(names)
        if "{" in name or "%}" in name:
            raise ValueError(f"{path}: a name tree_files() does not know how to read")
        if conditions <= {wire}:
            files.append(name)
            if conditions:
                format_files.append(name)
    return TreeFiles(sorted(files), sorted(format_files))


def files(project: Path) -> list[str]:
    """The project's files, relative, sorted."""
    return sorted(
        p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()
    )


def expected_files(project: Path) -> list[str]:
    """The files a rendered project must have, from the answers it records."""
    answers = json.loads((project / ".cookiecutter.json").read_text())
    return tree_files(answers).files


def render(
    template: Path, output_dir: Path, *, accept_hooks: bool = False, **answers: str
) -> Path:
    """Renders `template` with `answers` over the defaults; returns the project.

    The answers are taken literally, as typed at Cookiecutter's prompts (given
    on the command line, Cookiecutter would render `{{ ... }}` in them).
    """
    literal = {
        k: f"{{% raw %}}{v}{{% endraw %}}" if "{" in v else v
        for k, v in answers.items()
    }
    project = cookiecutter(
        str(template),
        no_input=True,
        output_dir=str(output_dir),
        extra_context=literal,
        accept_hooks=accept_hooks,
    )
    return Path(project)


def quick_start() -> list[str]:
    """The commands of the README's quick start."""
    readme = (TEMPLATE / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```bash\n", 1)[1]
    return [line for line in block.split("```", 1)[0].splitlines() if line.strip()]


@pytest.fixture(scope="session", autouse=True)
def cookiecutter_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Cookiecutter's config for the tests: replays and clones go to a temp dir.

    Without it, each render would write a replay file to the home directory.
    """
    folder = tmp_path_factory.mktemp("cookiecutter-home")
    config = folder / "config.yaml"
    config.write_text(
        f"cookiecutters_dir: {folder / 'templates'}\nreplay_dir: {folder / 'replay'}\n"
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COOKIECUTTER_CONFIG", str(config))
        yield config


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template's files, without the caches a local run may have left in them."""
    copy = tmp_path_factory.mktemp("template")
    for part in TEMPLATE_PARTS:
        if (TEMPLATE / part).is_dir():
            ignore = shutil.ignore_patterns(*CACHES)
            shutil.copytree(TEMPLATE / part, copy / part, ignore=ignore)
        else:
            shutil.copy2(TEMPLATE / part, copy / part)
    return copy


@pytest.fixture(scope="session")
def default_project(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project rendered from the default answers, without running hooks."""
    return render(template, tmp_path_factory.mktemp("default"))


class Variant(NamedTuple):
    """A rendered project and the answers it was rendered from."""

    path: Path
    answers: dict[str, str]


@pytest.fixture(scope="session", params=sorted(VARIANTS))
def variant(
    request: pytest.FixtureRequest,
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Variant:
    """A project rendered from one answer set, through the post-generation hook.

    The hook formats the package; its smoke test is skipped here, since these
    projects run their whole suite.
    """
    answers = VARIANTS[request.param]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MIRASCOPE_TEMPLATE_SKIP_SMOKE", "1")
        output = tmp_path_factory.mktemp(request.param)
        return Variant(render(template, output, accept_hooks=True, **answers), answers)
