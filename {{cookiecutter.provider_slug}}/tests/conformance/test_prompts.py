"""Prompts: templates with roles, injected history, `Messages`, `BasePrompt`."""

import asyncio

import pytest
from mirascope.core import BasePrompt, Messages, prompt_template
from mirascope.core.base import BaseMessageParam

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallResponse, {{ cookiecutter.__call_fn }}

from ..conftest import API, Runner
from ..fake_exchange import SentMessage, SentText
from . import native

MODEL = "{{ cookiecutter.default_model }}"


def text(role: str, content: str) -> SentMessage:
    """A sent message holding only text."""
    return SentMessage(role, (SentText(content),))


@pytest.mark.live
def test_template_roles(api: API, run: Runner) -> None:
    """SYSTEM, USER and ASSISTANT sections become messages of those roles."""

    def chat(genre: str) -> None:
        """Prompt function."""

    template = prompt_template(
        """
        SYSTEM: You are a librarian.
        USER: Recommend a {genre} book.
        ASSISTANT: Dune.
        USER: Another one.
        """
    )
    expected = api.reply("Hyperion.")

    response = run(chat, template, {{ cookiecutter.__call_fn }}(MODEL))("science fiction")

    assert response.content == expected.text
    assert api.last.sent.messages == (
        text("system", "You are a librarian."),
        text("user", "Recommend a science fiction book."),
        text("assistant", "Dune."),
        text("user", "Another one."),
    )


@pytest.mark.live
def test_messages_injection(api: API, run: Runner) -> None:
    """`MESSAGES:` injects a history of native and Mirascope messages, in order."""

    def chat(history: list[object], question: str) -> None:
        """Prompt function."""

    template = prompt_template(
        """
        SYSTEM: You are a librarian.
        MESSAGES: {history}
        USER: {question}
        """
    )
    history = [
        native("user", "Recommend a book."),
        BaseMessageParam(role="assistant", content="Dune."),
    ]
    api.reply("Hyperion.")

    run(chat, template, {{ cookiecutter.__call_fn }}(MODEL))(history, "Another one.")

    assert api.last.sent.messages == (
        text("system", "You are a librarian."),
        text("user", "Recommend a book."),
        text("assistant", "Dune."),
        text("user", "Another one."),
    )


@pytest.mark.live
def test_messages_type_return(api: API, run: Runner) -> None:
    """A function returning `Messages.Type` (no template) sends its messages."""

    def chat(genre: str) -> Messages.Type:
        return [Messages.System("Be brief."), Messages.User(f"A {genre} book?")]

    expected = api.reply("Dune.")

    response = run(chat, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")

    assert response.content == expected.text
    assert response.prompt_template is None
    assert api.last.sent.messages == (
        text("system", "Be brief."),
        text("user", "A fantasy book?"),
    )


@pytest.mark.live
def test_a_plain_string_return_is_the_user_message(api: API, run: Runner) -> None:
    """A function returning a string sends it as the user message."""

    def chat(genre: str) -> str:
        return f"Recommend a {genre} book"

    api.reply("Dune.")
    run(chat, {{ cookiecutter.__call_fn }}(MODEL))("fantasy")
    assert api.last.sent.messages == (text("user", "Recommend a fantasy book"),)


@prompt_template("Recommend a {genre} book")
class BookPrompt(BasePrompt):
    """A prompt class."""

    genre: str


@pytest.mark.live
def test_base_prompt_run(api: API) -> None:
    """`BasePrompt.run` and `run_async` call through the decorator."""
    expected = api.reply("Dune.")
    expected_async = api.reply("Hyperion.")

    async def run_async() -> {{ cookiecutter.__prefix }}CallResponse:
        return await BookPrompt(genre="science fiction").run_async({{ cookiecutter.__call_fn }}(MODEL))

    response = BookPrompt(genre="fantasy").run({{ cookiecutter.__call_fn }}(MODEL))
    response_async = asyncio.run(run_async())

    assert response.content == expected.text
    assert response_async.content == expected_async.text
    first, second = api.requests
    assert first.sent.messages == (text("user", "Recommend a fantasy book"),)
    assert second.sent.messages == (text("user", "Recommend a science fiction book"),)
