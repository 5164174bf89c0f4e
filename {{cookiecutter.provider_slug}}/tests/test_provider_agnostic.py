"""Mirascope's provider-agnostic API and `fallback`, and what works instead.

`llm.call`, `llm.override`, `llm.context` and `fallback` take only Mirascope's
built-in providers; these tests run what the README says of them ("Limits that
come from Mirascope v1") and its fallback recipe, against the fake API. Each
runs sync and async (the `run` fixture).
"""

from typing import Any

import pytest
from mirascope import llm
from mirascope.core import prompt_template
from mirascope.retries import FallbackError, fallback
from mirascope.retries.fallback import Fallback

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallResponse, {{ cookiecutter.__prefix }}Error, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._settings import MAX_RETRIES_ENV

from .conftest import Runner
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
BACKUP_MODEL = "{{ cookiecutter.default_model }}-backup"
BOOK = prompt_template("Recommend a {genre} book")
OTHER_PROVIDER: Fallback = {
    "catch": {{ cookiecutter.__prefix }}Error,
    "provider": "openai",
    "model": "gpt-4o-mini",
}


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


@pytest.fixture(autouse=True)
def no_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server error is raised at once."""
    monkeypatch.setenv(MAX_RETRIES_ENV, "0")


def test_the_readme_falls_back_by_catching_the_package_errors(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A call that fails with the package's error is made again by the backup.

    (The backup here is this provider with another model: the built-in
    providers need their SDKs.)
    """
    fake_api.reply("The model crashed.", status=500)
    fake_api.reply("Dune.")
    primary = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))
    backup = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(BACKUP_MODEL))

    try:
        response = primary("fantasy")
    except {{ cookiecutter.__prefix }}Error:
        response = backup("fantasy")

    assert response.content == "Dune."
    assert [request.sent.model for request in fake_api.requests] == [
        MODEL,
        BACKUP_MODEL,
    ]


def test_fallback_calls_this_provider_again(fake_api: FakeAPI, run: Runner) -> None:
    """`@fallback` over the decorator never calls the fallback it names."""
    fake_api.reply("The model crashed.", status=500)
    fake_api.reply("The model crashed again.", status=500)
    call = run(
        recommend_book,
        BOOK,
        {{ cookiecutter.__call_fn }}(MODEL),
        fallback({{ cookiecutter.__prefix }}Error, [OTHER_PROVIDER]),
    )

    with pytest.raises(FallbackError, match="crashed again"):
        call("fantasy")

    assert [request.sent.model for request in fake_api.requests] == [MODEL, MODEL]


def test_llm_takes_only_the_built_in_providers(fake_api: FakeAPI, run: Runner) -> None:
    """`llm.call`, `llm.override` and `llm.context` refuse this provider's name.

    And `llm.context` around the decorator changes nothing.
    """
    name: Any = "{{ cookiecutter.provider_slug }}"
    agnostic = llm.call(provider="openai", model="gpt-4o-mini")(BOOK(recommend_book))
    refused = f"Unsupported provider: {name}"

    with pytest.raises(ValueError, match=refused):
        run(recommend_book, BOOK, llm.call(provider=name, model=MODEL))("fantasy")
    with pytest.raises(ValueError, match=refused):
        llm.override(agnostic, provider=name, model=MODEL)("fantasy")
    with (
        pytest.raises(ValueError, match=refused),
        llm.context(provider=name, model=MODEL),
    ):
        agnostic("fantasy")
    fake_api.reply("Dune.")
    with llm.context(provider="openai", model="gpt-4o-mini"):
        response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert isinstance(response, {{ cookiecutter.__prefix }}CallResponse)
    assert fake_api.last.sent.model == MODEL
