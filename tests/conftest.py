"""Fixtures: a clean copy of the template, and its render with the default answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
"""This repository: the template as developed."""

TEMPLATE_PARTS = ("cookiecutter.json", "hooks", "{{cookiecutter.provider_slug}}")
CACHES = ("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", ".venv")


def render(
    template: Path, output_dir: Path, *, accept_hooks: bool = False, **answers: str
) -> Path:
    """Renders `template` with `answers` over the defaults; returns the project."""
    project = cookiecutter(
        str(template),
        no_input=True,
        output_dir=str(output_dir),
        extra_context=answers,
        accept_hooks=accept_hooks,
    )
    return Path(project)


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
