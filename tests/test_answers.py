"""Answers: bad ones are refused clearly, with nothing created; good ones pass.

The rules live in `hooks/pre_gen_project.py`; they run while Cookiecutter
renders the answers (`local_extensions.py`) and again in the hook itself.
Tricky answers that are valid are rendered and checked in full as variants
(`VARIANTS` in conftest.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.generate import generate_context
from cookiecutter.main import cookiecutter
from cookiecutter.prompt import prompt_for_config

from .conftest import TEMPLATE, VARIANTS
from .test_hooks import rendered

DEFAULTS = {
    "provider_name": "Acme AI",
    "provider_slug": "acme",
    "api_base_url": "https://api.acme.example/v1",
    "api_key_env_var": "ACME_API_KEY",
    "default_model": "acme-chat-1",
    "wire_format": "openai-chat-completions",
    "author_name": "Your Name",
    "author_email": "you@example.com",
    "license": "MIT",
    "version": "0.1.0",
}


def load_rules() -> ModuleType:
    """Imports the pre-generation hook, whose functions are the rules."""
    path = TEMPLATE / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("pre_gen_project", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RULES = load_rules()

REJECTED: list[tuple[str, Any, str]] = [
    ("provider_name", "", "must not be empty"),
    ("provider_name", "   ", "must not be empty"),
    ("provider_name", "Acme\nAI", "single line"),
    ("provider_name", "Acme\tAI", "single line"),
    ("provider_name", "A" * 61, "at most 60 characters"),
    ("provider_slug", "My Plugin 2.0!", "lowercase Python identifier"),
    ("provider_slug", "my-plugin", "lowercase Python identifier"),
    ("provider_slug", "Acme", "lowercase Python identifier"),
    ("provider_slug", "2fast", "lowercase Python identifier"),
    ("provider_slug", "_acme", "lowercase Python identifier"),
    ("provider_slug", "a/b", "lowercase Python identifier"),
    ("provider_slug", "a" * 31, "at most 30 characters"),
    ("provider_slug", "class", "must not be a Python keyword"),
    ("provider_slug", "match", "must not be a Python keyword"),
    ("provider_slug", "json", "standard-library module"),
    ("provider_slug", "asyncio", "standard-library module"),
    ("provider_slug", "mirascope", "package the code imports"),
    ("provider_slug", "httpx", "package the code imports"),
    ("provider_slug", "pydantic", "package the code imports"),
    ("api_base_url", "api.acme.example/v1", "http or https URL with a host"),
    ("api_base_url", "ftp://api.acme.example", "http or https URL with a host"),
    ("api_base_url", "https://", "http or https URL with a host"),
    ("api_base_url", "https://user:pw@api.acme.example", "must not hold credentials"),
    ("api_base_url", "https://api.acme.example/v1?key=1", "must not hold a query"),
    ("api_base_url", "https://api.acme.example/v1#x", "must not hold a query"),
    ("api_base_url", "https://api.acme.example/a b", "spaces"),
    ("api_base_url", 'https://api.acme.example/"', "quotes"),
    ("api_base_url", "https://api.acme.example:99999", "http or https URL"),
    ("api_key_env_var", "acme_api_key", "environment variable name"),
    ("api_key_env_var", "ACME-API-KEY", "environment variable name"),
    ("api_key_env_var", "1KEY", "environment variable name"),
    ("api_key_env_var", "", "environment variable name"),
    ("default_model", "", "model name without spaces"),
    ("default_model", "acme chat", "model name without spaces"),
    ("default_model", 'acme"chat', "quotes"),
    ("default_model", "acme'chat", "quotes"),
    ("default_model", "acme\\chat", "backslashes"),
    ("default_model", "m" * 101, "at most 100 characters"),
    ("wire_format", "grpc", "must be one of openai-chat-completions"),
    ("author_name", "Ada\nLovelace", "single line"),
    ("author_email", "ada", "email address"),
    ("author_email", "ada@example", "email address"),
    ("author_email", "ada lovelace@example.com", "email address"),
    ("license", "GPL-3.0", "must be one of MIT, Apache-2.0, BSD-3-Clause"),
    ("version", "one", "PEP 440 version"),
    ("version", "1.0.0-final!", "PEP 440 version"),
    ("version", 1, "must be a string"),
]


@pytest.mark.parametrize(("name", "value", "rule"), REJECTED)
def test_each_rule_refuses_with_a_clear_message(
    name: str, value: Any, rule: str
) -> None:
    """The message names the answer, its value, what is allowed, and an example."""
    [problem] = RULES.problems({**DEFAULTS, name: value})
    assert problem.startswith(f"{name} = {value!r} is not allowed: it ")
    assert rule in problem
    assert f"For example: {RULES.RULES[name][1]}" in problem


ACCEPTED: list[tuple[str, str]] = [
    ("provider_name", 'Acme "Quoted" {{ x }} O\'Brien\\N{BULLET} \\back\\ Ünï'),
    ("provider_name", "Ünïcode Läbs"),
    ("provider_slug", "a2z"),
    ("provider_slug", "open_router_labs"),
    ("api_base_url", "http://127.0.0.1:8000/openai/v1/"),
    ("api_base_url", "https://gateway.internal"),
    ("api_key_env_var", "_PRIVATE_KEY_2"),
    ("default_model", "meta-llama/Llama-3.1-8B-Instruct:latest@2024"),
    ("author_name", 'Ada "Countess" O\'Love\\lace'),
    ("author_email", "ada+models@lovelace.example.org"),
    ("version", "1.0.0rc1"),
    ("version", "2!1.0.post3.dev4+local.7"),
    ("license", "Proprietary"),
]


@pytest.mark.parametrize(("name", "value"), ACCEPTED)
def test_tricky_but_valid_answers_are_accepted(name: str, value: str) -> None:
    """Quotes, backslashes, braces and non-ASCII letters in names are allowed.

    So are unusual but valid URLs, versions and model names.
    """
    assert RULES.problems({**DEFAULTS, name: value}) == []


def test_every_prompted_answer_has_a_rule() -> None:
    """Nothing the user is asked for goes unchecked."""
    answers = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    prompted = {name for name in answers if not name.startswith("_")}
    assert prompted == set(RULES.RULES)


def cookiecutter_cli(
    output: Path, template: Path, *answers: str
) -> subprocess.CompletedProcess[str]:
    """Runs the `cookiecutter` command with answers given as `name=value`."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output)]
    return subprocess.run(
        [*command, str(template), *answers],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MIRASCOPE_TEMPLATE_SKIP_SMOKE": "1"},
    )


@pytest.mark.parametrize(
    "answer",
    [
        "provider_slug=My Plugin 2.0!",
        "provider_slug=a/b",
        "provider_slug=pydantic",
        "api_base_url=https://user:secret@api.acme.example",
        "version=latest",
        "author_email=nobody",
    ],
)
def test_cookiecutter_refuses_and_creates_nothing(
    template: Path, tmp_path: Path, answer: str
) -> None:
    """A bad answer stops generation with a clear message; the output stays empty."""
    result = cookiecutter_cli(tmp_path, template, answer)

    assert result.returncode == 1
    assert "Cannot generate the provider package; fix these answers:" in result.stdout
    assert "is not allowed: it " in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_choice_outside_its_list_is_refused_by_cookiecutter(
    template: Path, tmp_path: Path
) -> None:
    """An answer outside a choice's list is refused by Cookiecutter itself.

    Its message names the variable, the value and the choices; nothing is made.
    """
    result = cookiecutter_cli(tmp_path, template, "license=GPL-3.0")

    assert result.returncode == 1
    assert "GPL-3.0 provided for choice variable license" in result.stderr
    assert "'MIT', 'Apache-2.0', 'BSD-3-Clause', 'Proprietary'" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "slug"),
    [("My Plugin 2.0!", "my_plugin_2_0"), ("my-source", "my_source")],
)
def test_names_that_break_other_templates_give_a_valid_slug(
    template: Path, tmp_path: Path, name: str, slug: str
) -> None:
    """A provider name with spaces, punctuation or hyphens derives a valid slug."""
    result = cookiecutter_cli(tmp_path, template, f"provider_name={name}")

    assert result.returncode == 0, result.stdout + result.stderr
    package = tmp_path / slug / "src" / f"mirascope_{slug}"
    assert (package / "__init__.py").read_text().startswith(f'"""{name} for')


def test_the_hook_itself_refuses(tmp_path: Path) -> None:
    """The hook refuses too, with the same message, on standard error.

    It is what guards renders that skip Cookiecutter's rendering of answers.
    """
    bad = {**DEFAULTS, "provider_slug": "My Plugin", "version": "one"}
    script = rendered(TEMPLATE / "hooks" / "pre_gen_project.py", bad, tmp_path)
    (tmp_path / "good").mkdir()
    good = rendered(
        TEMPLATE / "hooks" / "pre_gen_project.py", DEFAULTS, tmp_path / "good"
    )

    refused = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    accepted = subprocess.run(
        [sys.executable, str(good)], capture_output=True, text=True, check=False
    )

    assert refused.returncode == 1
    assert "provider_slug = 'My Plugin' is not allowed" in refused.stderr
    assert "version = 'one' is not allowed" in refused.stderr
    assert (accepted.returncode, accepted.stderr) == (0, "")


def test_a_replay_with_bad_answers_is_refused_by_the_hook(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replay skips the rendering of answers: the hook refuses them.

    Cookiecutter then removes the folder it made.
    """
    monkeypatch.syspath_prepend(str(template))  # where Cookiecutter finds extensions
    context = generate_context(context_file=str(template / "cookiecutter.json"))
    context["cookiecutter"] = prompt_for_config(context, no_input=True)
    context["cookiecutter"]["version"] = "one"
    replay = tmp_path / "replay.json"
    replay.write_text(json.dumps(context))
    output = tmp_path / "out"
    output.mkdir()

    with pytest.raises(FailedHookException):
        cookiecutter(str(template), replay=str(replay), output_dir=str(output))

    assert list(output.iterdir()) == []


def test_the_tricky_variants_are_valid() -> None:
    """The tricky answer sets checked in full are valid answers."""
    for name, answers in VARIANTS.items():
        assert RULES.problems({**DEFAULTS, **answers}) == [], name
