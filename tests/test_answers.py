"""Answers: bad ones are refused clearly, with nothing created; good ones pass.

The rules live in `hooks/pre_gen_project.py`; they run while Cookiecutter
renders the answers (`local_extensions.py`) and again in the hook itself.
Tricky answers that are valid are rendered and checked in full as variants
(`VARIANTS` in conftest.py).
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import mirascope.core
import mirascope.core.base
import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.exceptions import FailedHookException
from cookiecutter.generate import generate_context
from cookiecutter.main import cookiecutter
from cookiecutter.prompt import prompt_for_config

from .conftest import TEMPLATE, VARIANTS, render
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
    # Names derived from the slug that would clash: with Mirascope's,
    ("provider_slug", "base", "must not derive BaseCallKwargs, BaseCallParams"),
    ("provider_slug", "common", "must not derive CommonCallParams, taken by"),
    # with the generated code's own,
    ("provider_slug", "validation", "must not derive ValidationError, taken by"),
    ("provider_slug", "setup", "must not derive _setup_call, setup_call, taken"),
    ("provider_slug", "user", "must not derive UserMessageParam, taken by"),
    # with Python's builtins (`TypeError` ...),
    ("provider_slug", "type", "export TypeError, which would shadow Python's"),
    ("provider_slug", "type_", "export TypeError, which would shadow Python's"),
    ("provider_slug", "value", "export ValueError, which would shadow Python's"),
    ("provider_slug", "key", "export KeyError, which would shadow Python's"),
    ("provider_slug", "timeout", "export TimeoutError, which would shadow"),
    ("provider_slug", "index", "export IndexError, which would shadow Python's"),
    ("provider_slug", "connection", "export ConnectionError, which would shadow"),
    ("provider_slug", "runtime", "export RuntimeError, which would shadow"),
    ("provider_slug", "not_implemented", "export NotImplementedError, which"),
    ("provider_slug", "python_finalization", "export PythonFinalizationError,"),
    # and with what pytest collects as tests.
    ("provider_slug", "test", "must not start with 'test': pytest would collect"),
    ("provider_slug", "testing", "the package's testing_call and Testing..."),
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
    # Near misses of slugs whose derived names clash (see `NEAR_MISSES`).
    ("provider_slug", "basement"),
    ("provider_slug", "values"),
    ("provider_slug", "keys"),
    ("provider_slug", "commons"),
    ("provider_slug", "my_test"),
    ("provider_slug", "contest"),
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
        "provider_slug=base",
        "provider_slug=type",
        "provider_slug=test",
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


def readme_answers_section() -> str:
    """The template README's section on answers, whose claims these tests pin."""
    readme = (TEMPLATE / "README.md").read_text()
    return readme[readme.index("Every answer is checked") : readme.index("## Using")]


def test_a_choice_outside_its_list_ends_in_cookiecutters_traceback(
    template: Path, tmp_path: Path
) -> None:
    """Cookiecutter checks choices while it reads cookiecutter.json, before the
    template's extensions or hooks load: it cannot be intercepted.

    The README says what the user sees (its last line); nothing is made.
    """
    result = cookiecutter_cli(tmp_path, template, "license=GPL-3.0")

    assert result.returncode == 1
    assert "Traceback" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "ValueError: GPL-3.0 provided for choice variable license, but the choices"
        " are ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'Proprietary']."
    )
    assert f"`{last}`" in readme_answers_section()
    assert list(tmp_path.iterdir()) == []


def test_a_choice_outside_its_list_in_a_config_file_is_dropped_with_a_warning(
    template: Path, tmp_path: Path
) -> None:
    """In a config file's `default_context`, Cookiecutter only warns, and drops
    that default and those after it, as the README says."""
    config = tmp_path / "config.yaml"
    config.write_text(
        "default_context:\n  license: GPL-3.0\n  author_name: Ada Lovelace\n"
    )
    output = tmp_path / "out"
    result = cookiecutter_cli(output, template, "--config-file", str(config))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "UserWarning: Invalid default received: GPL-3.0" in result.stderr
    answers = json.loads((output / "acme" / ".cookiecutter.json").read_text())
    assert (answers["license"], answers["author_name"]) == ("MIT", "Your Name")
    assert "`UserWarning: Invalid default received`" in readme_answers_section()


def load_extensions() -> ModuleType:
    """Imports local_extensions.py, the template's Jinja extensions."""
    path = TEMPLATE / "local_extensions.py"
    spec = importlib.util.spec_from_file_location("local_extensions", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("source", "holds"),
    [
        ("Acme AI", False),
        ("Acme {x} }} %} #}", False),
        ("{% raw %}Acme {{ x }} {% endraw %}", False),
        ("{%- raw -%} {{ x }} {%+ endraw +%} and {% raw %}{#{% endraw %}", False),
        ("{{ 7*7 }}", True),
        ("{% raw %}", True),
        ("Acme {# note #}", True),
        ("{% raw %}{{ x }}{% endraw %} {{ y }}", True),
        ("x{{% raw %}a{% endraw %}", True),
    ],
)
def test_jinja_outside_raw_blocks_is_found(source: str, holds: bool) -> None:
    """What Jinja would evaluate counts; the text of `{% raw %}` blocks does not."""
    environment = StrictEnvironment(context={"cookiecutter": {}})
    assert load_extensions().holds_jinja(environment, source) is holds


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        ("provider_name={{ 7*7 }}", "provider_name = '{{ 7*7 }}'"),
        ("provider_name={% raw %}", "provider_name = '{% raw %}'"),
        ("provider_name=Acme {{ x }}", "provider_name = 'Acme {{ x }}'"),
        ("default_model={# note #}m1", "default_model = '{# note #}m1'"),
        ("version={{ '1.0' }}", "version = \"{{ '1.0' }}\""),
    ],
)
def test_an_answer_holding_jinja_is_refused_as_given(
    template: Path, tmp_path: Path, answer: str, shown: str
) -> None:
    """Cookiecutter would render it first (`{{ 7*7 }}` as 49, `{% raw %}` as
    nothing); it is refused with its value as given and how to mean it."""
    result = cookiecutter_cli(tmp_path, template, answer)

    assert result.returncode == 1
    assert f"- {shown} is not allowed: it holds Jinja" in result.stdout
    assert "wrap it in {% raw %}...{% endraw %}. For example: " in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_example_wraps_a_good_literal_answer_in_raw(
    template: Path, tmp_path: Path
) -> None:
    """The example given is the answer wrapped in `{% raw %}`, which works."""
    refused = cookiecutter_cli(tmp_path, template, "provider_name={{ 7*7 }} Labs")
    example = "{% raw %}{{ 7*7 }} Labs{% endraw %}"
    assert f"For example: {example}\n" in refused.stdout

    taken = cookiecutter_cli(
        tmp_path, template, f"provider_name={example}", "provider_slug=seven"
    )

    assert taken.returncode == 0, taken.stdout + taken.stderr
    init = tmp_path / "seven" / "src" / "mirascope_seven" / "__init__.py"
    assert init.read_text().startswith('"""{{ 7*7 }} Labs for Mirascope v1')


def test_a_config_default_holding_jinja_is_refused(
    template: Path, tmp_path: Path
) -> None:
    """A config file's `default_context` is rendered too, and refused the same way."""
    config = tmp_path / "config.yaml"
    config.write_text("default_context:\n  author_name: '{{ 6*7 }}'\n")
    output = tmp_path / "out"
    result = cookiecutter_cli(output, template, "--config-file", str(config))

    assert result.returncode == 1
    assert "- author_name = '{{ 6*7 }}' is not allowed: it holds Jinja" in result.stdout
    assert not output.exists()


def test_an_answer_typed_at_the_prompt_is_taken_literally(
    template: Path, tmp_path: Path
) -> None:
    """Cookiecutter does not render what is typed: braces are kept as typed."""
    typed = "{{ 7*7 }} Labs\nseven\n" + "\n" * 8
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "-o", str(tmp_path), str(template)],
        input=typed,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MIRASCOPE_TEMPLATE_SKIP_SMOKE": "1"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    init = tmp_path / "seven" / "src" / "mirascope_seven" / "__init__.py"
    assert init.read_text().startswith('"""{{ 7*7 }} Labs for Mirascope v1')


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


# Names derived from the slug: what the rule on them reads, checked against
# what a rendered package, the installed Mirascope and Python really hold.


def module_names(tree: ast.Module) -> Iterator[str]:
    """The names a module binds at its top level, or imports anywhere."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                yield from (n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield from (
                (alias.asname or alias.name).split(".")[0] for alias in node.names
            )


def names_in(folder: Path) -> set[str]:
    """The names bound by the Python modules under `folder`."""
    return {
        name
        for path in folder.rglob("*.py")
        for name in module_names(ast.parse(path.read_text()))
    }


@pytest.fixture(scope="module")
def rendered_packages(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """The default answers rendered in each wire format (slug `acme`)."""
    return [
        render(template, tmp_path_factory.mktemp("names"), wire_format=wire)
        for wire in RULES.WIRE_FORMATS
    ]


def acme_names() -> set[str]:
    """The derived names for the slug `acme`."""
    return {p.format(prefix="Acme", slug="acme") for p in RULES.DERIVED_NAMES}


def slugs_deriving(name: str) -> set[str]:
    """The slugs whose derived names include `name`."""
    slugs = set()
    for pattern in RULES.DERIVED_NAMES:
        regex = re.escape(pattern).replace(
            r"\{prefix\}", "(?P<prefix>[A-Z][A-Za-z0-9]*)"
        )
        regex = regex.replace(r"\{slug\}", "(?P<slug>[a-z][a-z0-9_]*)")
        match = re.fullmatch(regex, name)
        if match is None:
            continue
        if "prefix" in match.groupdict():
            parts = re.findall("[A-Z][a-z0-9]*", match["prefix"])
            slugs.add("_".join(parts).lower())
        else:
            slugs.add(match["slug"])
    for slug in slugs:
        assert name in RULES.derived_names(slug), (name, slug)
    return slugs


def test_the_derived_names_are_those_the_package_defines(
    rendered_packages: list[Path],
) -> None:
    """`DERIVED_NAMES` is every module-level name of the package made from the slug."""
    for project in rendered_packages:
        names = names_in(project / "src")
        assert {n for n in names if "acme" in n.lower()} == acme_names(), project


def test_a_slug_deriving_a_name_already_taken_is_refused(
    rendered_packages: list[Path],
) -> None:
    """No derived name may be one Mirascope exports or the generated code uses.

    Every such name some slug can derive is refused (by `TAKEN_NAMES`, or by
    the rule on `test` for the generated tests' own functions); and every name
    of `TAKEN_NAMES` is really taken.
    """
    taken = set(mirascope.core.base.__all__) | set(mirascope.core.__all__)
    for project in rendered_packages:
        taken |= names_in(project) - acme_names()
    clashing = {name for name in taken if slugs_deriving(name)}

    for name in sorted(clashing):
        for slug in slugs_deriving(name):
            assert RULES._slug(slug) is not None, (name, slug)
    assert clashing >= RULES.TAKEN_NAMES
    assert {"BaseCallResponse", "CommonCallParams", "ValidationError"} <= clashing


def python_builtins(version: str) -> set[str] | None:
    """`dir(builtins)` of that Python version, if one is installed here."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(f"python{version}")]
    candidates += [
        str(p) for p in sorted(pyenv.glob(f"versions/{version}.*/bin/python"))
    ]
    for python in filter(None, candidates):
        ran = subprocess.run(
            [python, "-c", "import builtins; print(*dir(builtins))"],
            capture_output=True,
            text=True,
            check=False,
        )
        if ran.returncode == 0:
            return set(ran.stdout.split())
    return None


@pytest.mark.parametrize("version", ["3.10", "3.11", "3.12", "3.13"])
def test_a_slug_shadowing_a_builtin_is_refused(version: str) -> None:
    """No derived name may shadow a builtin of a Python the package supports.

    Checked against each one installed here, whichever Python runs the rule
    (`LATER_BUILTINS` holds those an older one lacks).
    """
    names = python_builtins(version)
    if names is None:
        pytest.skip(f"no Python {version} here")
    shadowing = {name for name in names if slugs_deriving(name)}

    assert {"TypeError", "ValueError", "KeyError", "TimeoutError"} <= shadowing
    for name in sorted(shadowing):
        for slug in slugs_deriving(name):
            assert RULES._slug(slug) is not None, (name, slug)
    assert shadowing <= set(dir(builtins)) | RULES.LATER_BUILTINS


@pytest.mark.parametrize(
    "slug", ["acme", "open_router_labs", "a2z_x9", "a__b_", "h_t_t_p"]
)
def test_the_rule_derives_names_as_the_template_does(slug: str) -> None:
    """The rule's CamelCase prefix and decorator name are cookiecutter.json's."""
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    env = StrictEnvironment(context={"cookiecutter": {}})
    answers = {"provider_slug": slug}

    def derive(key: str) -> str:
        return env.from_string(context[key]).render(cookiecutter=answers)

    assert RULES.prefix(slug) == derive("__prefix")
    assert f"{slug}_call" == derive("__call_fn")


NEAR_MISSES = ["basement", "values", "my_test"]
"""Accepted slugs that look like refused ones; rendered to show they work."""


@pytest.mark.parametrize("slug", NEAR_MISSES)
def test_near_misses_render_packages_that_import_and_collect(
    template: Path, tmp_path: Path, slug: str
) -> None:
    """The package imports and its tests are collected without an error."""
    project = render(template, tmp_path, provider_slug=slug)
    python = [sys.executable, "-W", "error"]
    imported = subprocess.run(
        [*python, "-c", f"from mirascope_{slug} import *"],
        cwd=project / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    collected = subprocess.run(
        [*python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert imported.returncode == 0, imported.stderr
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert re.match(r"\d+ tests collected in ", collected.stdout.splitlines()[-1])


def test_the_format_table_holds_each_choice() -> None:
    """`_formats` describes exactly the `wire_format` choices, as the hook knows them.

    The hook's lists of choices are its own copy (it runs without the
    template), checked here against `cookiecutter.json`.
    """
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    formats = context["wire_format"]
    assert list(context["_formats"]) == formats
    assert list(context["__prompts__"]["wire_format"])[1:] == formats
    assert list(RULES.WIRE_FORMATS) == formats
    assert list(RULES.LICENSES) == context["license"]
    assert len({spec["wire"] for spec in context["_formats"].values()}) == len(formats)
