"""Before generation: refuse answers that would render a broken package.

Each rule names the answer, shows the bad value, says what is allowed and
gives an example. The same rules run twice: while Cookiecutter renders the
answers (`local_extensions.py`), so that nothing at all is created, and here,
before any file is written, for the paths that skip that step (a replay, or
`cruft update`). Cookiecutter deletes the project folder when this hook fails.

Plain Python with Jinja only in the string literal below, so the template's
tests can import this module and test its functions.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

CONTEXT_JSON = r"""{{ cookiecutter | tojson }}"""
"""The answers, as Cookiecutter renders them into this hook (JSON escapes it)."""

RESERVED_NAMES = frozenset(
    {
        "anyio",
        "coverage",
        "httpcore",
        "httpx",
        "jiter",
        "mirascope",
        "pydantic",
        "pydantic_core",
        "pyright",
        "pytest",
        "ruff",
        "src",
        "tests",
        "typing_extensions",
    }
)
"""Names a slug may not take: Mirascope, and what the generated code imports."""

DERIVED_NAMES = (
    "{prefix}APIStatusError",
    "{prefix}AuthenticationError",
    "{prefix}BadRequestError",
    "{prefix}CallKwargs",
    "{prefix}CallParams",
    "{prefix}CallResponse",
    "{prefix}CallResponseChunk",
    "{prefix}ConnectionError",
    "{prefix}DynamicConfig",
    "{prefix}Error",
    "{prefix}MessageParam",
    "{prefix}MessageParamConverter",
    "{prefix}MissingAPIKeyError",
    "{prefix}NotFoundError",
    "{prefix}RateLimitError",
    "{prefix}ResponseError",
    "{prefix}ServerError",
    "{prefix}Stream",
    "{prefix}TimeoutError",
    "{prefix}Tool",
    "Async{prefix}DynamicConfig",
    "{slug}_call",
    "_{slug}_call",
)
"""The module-level names the package derives from the slug, as `str.format`
patterns: `prefix` is the slug in CamelCase (`__prefix` in cookiecutter.json),
`slug` the slug. tests/test_answers.py checks them against a rendered package."""

TAKEN_NAMES = frozenset(
    {
        # Exported by mirascope.core.base (and mirascope.core), or imported
        # from Mirascope's internals by the generated code.
        "BaseCallKwargs",
        "BaseCallParams",
        "BaseCallResponse",
        "BaseCallResponseChunk",
        "BaseDynamicConfig",
        "BaseMessageParam",
        "BaseMessageParamConverter",
        "BaseStream",
        "BaseStructuredStream",
        "BaseTool",
        "CommonCallParams",
        "base_setup_call",
        # Imported or defined by the generated code itself.
        "AssistantMessageParam",
        "FallbackError",
        "SystemMessageParam",
        "ToolMessageParam",
        "UserMessageParam",
        "ValidationError",
        "_setup_call",
        "_tool_call",
        "setup_call",
    }
)
"""Names a derived name must not take, besides Python's builtins: it would
replace Mirascope's name, or the generated code's own, where both meet.

Only the names some slug can derive are listed; tests/test_answers.py checks
the list against the installed Mirascope and a rendered package (names
starting with `test` are left to the rule on `test`)."""

LATER_BUILTINS = frozenset({"PythonFinalizationError"})
"""Builtins of the Python versions the package supports (3.10 to 3.13) that the
Python running Cookiecutter may lack (this one is new in 3.13)."""

MAX_SLUG = 30
MAX_NAME = 60
MAX_MODEL = 100
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary")
WIRE_FORMATS = (
    "openai-chat-completions",
    "anthropic-messages",
    "gemini-generate-content",
    "openai-responses",
)

# The version scheme of PEP 440, as its Appendix B writes it.
PEP_440 = re.compile(
    r"""^\s*v?
    (?:(?:(?P<epoch>[0-9]+)!)?(?P<release>[0-9]+(?:\.[0-9]+)*)
    (?P<pre>[-_\.]?(?P<pre_l>(a|b|c|rc|alpha|beta|pre|preview))[-_\.]?(?P<pre_n>[0-9]+)?)?
    (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_\.]?(?P<post_l>post|rev|r)[-_\.]?(?P<post_n2>[0-9]+)?))?
    (?P<dev>[-_\.]?(?P<dev_l>dev)[-_\.]?(?P<dev_n>[0-9]+)?)?)
    (?:\+(?P<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def _slug(value: str) -> str | None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        return (
            "must be a lowercase Python identifier: letters a-z, digits and"
            " underscores, starting with a letter"
        )
    if len(value) > MAX_SLUG:
        return f"must be at most {MAX_SLUG} characters long"
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return "must not be a Python keyword"
    if value in sys.stdlib_module_names:
        return "must not be the name of a standard-library module"
    if value in RESERVED_NAMES:
        return "must not be the name of Mirascope or of a package the code imports"
    if value.startswith("test"):
        return (
            f"must not start with 'test': pytest would collect the package's"
            f" {value}_call and {prefix(value)}... classes as tests"
        )
    names = derived_names(value)
    shadowed = sorted(names & (set(dir(builtins)) | LATER_BUILTINS))
    if shadowed:
        return (
            f"must not make the package export {', '.join(shadowed)}, which would"
            " shadow Python's builtin of that name under `from ... import *`"
        )
    taken = sorted(names & TAKEN_NAMES)
    if taken:
        return (
            f"must not derive {', '.join(taken)}, taken by Mirascope or by the"
            " generated code (the two would collide)"
        )
    return None


def prefix(slug: str) -> str:
    """The slug in CamelCase, as `__prefix` in cookiecutter.json derives it."""
    return "".join(part.capitalize() for part in slug.split("_"))


def derived_names(slug: str) -> set[str]:
    """The module-level names the package derives from this slug."""
    return {pattern.format(prefix=prefix(slug), slug=slug) for pattern in DERIVED_NAMES}


def _provider_name(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    if not value.isprintable():
        return "must be a single line, without control characters"
    if len(value) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters long"
    return None


def _base_url(value: str) -> str | None:
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 (parsing the port is what validates it)
    except ValueError:
        return "must be an http or https URL"
    if url.scheme not in ("http", "https") or not url.hostname:
        return "must be an http or https URL with a host"
    if url.username is not None or url.password is not None:
        return "must not hold credentials: the key goes in the environment variable"
    if url.query or url.fragment or re.search(r"[\s\"'\\]", value):
        return "must not hold a query, a fragment, spaces, quotes or backslashes"
    return None


def _env_var(value: str) -> str | None:
    if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", value):
        return "must be an environment variable name: A-Z, digits and underscores"
    return None


def _model(value: str) -> str | None:
    if not value or re.search(r"[\s\"'\\]", value) or not value.isprintable():
        return "must be a model name without spaces, quotes or backslashes"
    if len(value) > MAX_MODEL:
        return f"must be at most {MAX_MODEL} characters long"
    return None


def _version(value: str) -> str | None:
    return None if PEP_440.match(value) else "must be a PEP 440 version"


def _email(value: str) -> str | None:
    if not re.fullmatch(r"[^@\s\"]+@[^@\s\"]+\.[^@\s\"]+", value):
        return "must be an email address"
    return None


def _author(value: str) -> str | None:
    if not value.isprintable():
        return "must be a single line, without control characters"
    return None


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


RULES: dict[str, tuple[Callable[[str], str | None], str]] = {
    "provider_name": (_provider_name, "Acme AI"),
    "provider_slug": (_slug, "acme"),
    "wire_format": (_one_of(WIRE_FORMATS), WIRE_FORMATS[0]),
    "api_base_url": (_base_url, "https://api.acme.example/v1"),
    "api_key_env_var": (_env_var, "ACME_API_KEY"),
    "default_model": (_model, "acme-chat-1"),
    "author_name": (_author, "Ada Lovelace"),
    "author_email": (_email, "ada@example.com"),
    "license": (_one_of(LICENSES), "MIT"),
    "version": (_version, "0.1.0"),
}
"""Each answer: its rule (what is wrong, or None) and an example of a good one."""


def refusal(name: str, value: object, reason: str, example: str) -> str:
    """The message that refuses one answer: the variable, its value, the rule."""
    return f"{name} = {value!r} is not allowed: it {reason}. For example: {example}"


def problem(name: str, value: object) -> str | None:
    """The message refusing this answer, or None if it is good."""
    rule, example = RULES[name]
    reason = "must be a string" if not isinstance(value, str) else rule(value)
    return None if reason is None else refusal(name, value, reason, example)


def problems(answers: Mapping[str, Any]) -> list[str]:
    """Returns one message per bad answer: the variable, its value, the rule."""
    found = (problem(name, answers.get(name)) for name in RULES)
    return [message for message in found if message is not None]


def report(found: list[str]) -> str:
    """The message that refuses the answers."""
    lines = "\n".join(f"- {problem}" for problem in found)
    return f"Cannot generate the provider package; fix these answers:\n{lines}"


def main() -> int:
    """The hook's entry point: Cookiecutter runs it before writing any file."""
    found = problems(json.loads(CONTEXT_JSON))
    if found:
        print(report(found), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
