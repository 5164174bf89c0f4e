"""Jinja extensions of this template, which Cookiecutter loads from here.

`checked` runs the answer rules of `hooks/pre_gen_project.py` while the
answers are rendered, before Cookiecutter creates anything: a bad answer stops
generation with the hook's message and no folder left behind. (The hook runs
the same rules again before writing files, for renders that skip this step.)
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension


def _rules() -> ModuleType:
    path = Path(__file__).parent / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("_answer_rules", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checked(answers: Mapping[str, Any]) -> str:
    """Returns "yes" for good answers; raises with the rules' message otherwise."""
    rules = _rules()
    found = rules.problems(answers)
    if found:
        raise FailedHookException(rules.report(found))
    return "yes"


class AnswerChecks(Extension):
    """Adds the `checked` filter: `{{ cookiecutter | checked }}`."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["checked"] = checked
