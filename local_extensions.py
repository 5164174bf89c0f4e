"""Jinja extensions of this template, which Cookiecutter loads from here.

`checked` runs the answer rules of `hooks/pre_gen_project.py` while the
answers are rendered, before Cookiecutter creates anything: a bad answer stops
generation with the hook's message and no folder left behind. (The hook runs
the same rules again before writing files, for renders that skip this step.)

Cookiecutter renders an answer given on the command line, in a config file or
by `cruft update` as Jinja, as it renders the template's defaults: `{{ 7*7 }}`
would become "49" before any rule sees it. So, from `watched` (the first
variable of cookiecutter.json) to `checked` (the last), an answer holding
Jinja is kept as given, and `checked` refuses it, saying how to mean it
literally. Jinja inside `{% raw %}...{% endraw %}` is the way to say so, and
is rendered as usual; answers typed at the prompts are never rendered.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from cookiecutter.exceptions import FailedHookException
from jinja2 import Environment
from jinja2.ext import Extension

TEMPLATE = Path(__file__).parent

RAW_BLOCK = re.compile(
    r"\{%[-+]?\s*raw\s*[-+]?%\}.*?\{%[-+]?\s*endraw\s*[-+]?%\}", re.DOTALL
)
"""A `{% raw %}...{% endraw %}` block: Jinja renders it as the text inside."""

JINJA = "holds Jinja ({{ ... }}, {% ... %} or {# ... #}), which Cookiecutter renders"
"""Why an answer holding Jinja is refused (the rest of the reason follows)."""

HELD = "_answer_as_given"
"""The Jinja global that gives back an answer held as given."""


def _rules() -> ModuleType:
    path = TEMPLATE / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("_answer_rules", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def template_strings() -> frozenset[str]:
    """Every string of cookiecutter.json: what the template itself renders."""
    return frozenset(_strings(json.loads((TEMPLATE / "cookiecutter.json").read_text())))


def holds_jinja(environment: Environment, source: str) -> bool:
    """Whether rendering `source` would run Jinja, outside `{% raw %}` blocks.

    Each block is replaced by a brace, so that a brace just before it still
    counts: `{{% raw %}` starts a Jinja expression.
    """
    text = RAW_BLOCK.sub("{\0", source)
    starts = (
        environment.variable_start_string,
        environment.block_start_string,
        environment.comment_start_string,
    )
    return any(start in text for start in starts)


def jinja_problem(name: str, value: str) -> str:
    """The message refusing an answer that held Jinja.

    Its example is the answer wrapped in `{% raw %}`, when that is a good one.
    """
    rules = _rules()
    literal = "{% raw %}" + value + "{% endraw %}"
    good = "endraw" not in value and rules.problem(name, value) is None
    return rules.refusal(
        name,
        value,
        f"{JINJA} before the template sees it; to mean it literally, type it at"
        " the prompt, or wrap it in {% raw %}...{% endraw %}",
        literal if good else rules.RULES[name][1],
    )


class AnswerChecks(Extension):
    """Adds the filters `watched` and `checked` (see the module's docstring)."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._watching = False
        self._held: list[str] = []
        self._own = template_strings()
        environment.filters["watched"] = self.watched
        environment.filters["checked"] = self.checked
        environment.globals[HELD] = self._held.__getitem__

    def preprocess(
        self, source: str, name: str | None, filename: str | None = None
    ) -> str:
        """Keeps as given an answer holding Jinja, while the answers render."""
        if (
            not self._watching
            or name is not None
            or source in self._own
            or not holds_jinja(self.environment, source)
        ):
            return source
        self._held.append(source)
        return "{{ " + HELD + "(" + str(len(self._held) - 1) + ") }}"

    def watched(self, _: object) -> str:
        """Starts keeping answers holding Jinja as given; returns "yes"."""
        self._watching = True
        return "yes"

    def checked(self, answers: Mapping[str, Any]) -> str:
        """Returns "yes" for good answers; raises with the rules' message otherwise."""
        self._watching = False
        rules = _rules()
        found = []
        for name in rules.RULES:
            value = answers.get(name)
            if value in self._held:
                found.append(jinja_problem(name, value))
            elif (message := rules.problem(name, value)) is not None:
                found.append(message)
        if found:
            raise FailedHookException(rules.report(found))
        return "yes"
