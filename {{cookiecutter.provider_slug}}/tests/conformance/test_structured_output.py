"""Structured output: `response_model` through tools and JSON mode, streamed too."""

import json

import pytest
from mirascope.core import prompt_template
from pydantic import BaseModel, ValidationError

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallResponse, {{ cookiecutter.__call_fn }}

from ..capabilities import JSON_MODE
from ..conftest import API, Runner
from ..fake_exchange import SentImage, ToolCallReply
from ..fake_server import FakeAPI
from . import fails_without

MODEL = "{{ cookiecutter.default_model }}"
EXTRACT = prompt_template("Extract the book: {text}")
DUNE_JSON = '{"title": "Dune", "author": "Frank Herbert"}'


class Book(BaseModel):
    """A book."""

    title: str
    author: str


def extract(text: str) -> None:
    """The prompt function of these tests."""


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


@pytest.mark.live
def test_response_model_through_a_forced_tool(api: API, run: Runner) -> None:
    """The model is extracted from a call of the tool the API was forced to call."""
    api.reply(tool_calls=[ToolCallReply("Book", json.loads(DUNE_JSON))])

    book = run(extract, EXTRACT, {{ cookiecutter.__call_fn }}(MODEL, response_model=Book))("Dune")

    assert book == api.expect(Book(title="Dune", author="Frank Herbert"))
    sent = api.last.sent
    assert (sent.tools, sent.forced_tool, sent.json_output) == (
        ("Book",),
        "Book",
        False,
    )


def test_base_type_through_a_forced_tool(fake_api: FakeAPI, run: Runner) -> None:
    """A base type such as `list[str]` is extracted through a tool too."""
    fake_api.reply(tool_calls=[ToolCallReply("list", {"value": ["Dune", "Emma"]})])

    titles = run(extract, EXTRACT, {{ cookiecutter.__call_fn }}(MODEL, response_model=list[str]))("x")

    assert titles == ["Dune", "Emma"]
    assert fake_api.last.sent.forced_tool == "list"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(DUNE_JSON, marks=pytest.mark.live),
        f"Sure! Here it is:\n{DUNE_JSON}\nEnjoy.",
        "Set {braces} aside:\n```json\n" + DUNE_JSON + "\n```\nDone {:}",
    ],
    ids=["bare", "prose", "braces-in-prose"],
)
def test_response_model_through_json_mode(api: API, run: Runner, content: str) -> None:
    """In JSON mode, the first JSON object of the answer is the model, prose or not."""
    api.reply(content)

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    book = run(extract, EXTRACT, decorator)("Dune")

    assert book == api.expect(Book(title="Dune", author="Frank Herbert"))
    sent = api.last.sent
    assert (sent.asks_for_json, sent.tools) == (True, ())
    assert '"title"' in sent.messages[-1].text


def test_base_type_through_json_mode(fake_api: FakeAPI, run: Runner) -> None:
    """A base type in JSON mode is asked for, and read, as `{"value": ...}`."""
    fake_api.reply('{"value": ["Dune", "Emma"]}')

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=list[str], json_mode=True)
    titles = run(extract, EXTRACT, decorator)("x")

    assert titles == ["Dune", "Emma"]
    assert '"value"' in fake_api.last.sent.messages[-1].text


def test_json_mode_without_a_response_model(fake_api: FakeAPI, run: Runner) -> None:
    """JSON mode alone asks for JSON and returns the response."""
    fake_api.reply(DUNE_JSON)

    response = run(extract, EXTRACT, {{ cookiecutter.__call_fn }}(MODEL, json_mode=True))("Dune")

    assert json.loads(response.content) == json.loads(DUNE_JSON)
    assert fake_api.last.sent.asks_for_json
    assert fake_api.last.sent.json_output == JSON_MODE


def test_no_json_in_the_answer_fails_clearly(fake_api: FakeAPI, run: Runner) -> None:
    """An answer without a tool call or JSON fails with pydantic's `ValidationError`."""
    fake_api.reply("")

    with pytest.raises(ValidationError, match="no tool call or JSON object"):
        run(extract, EXTRACT, {{ cookiecutter.__call_fn }}(MODEL, response_model=Book))("Dune")


def test_response_model_with_tools(fake_api: FakeAPI, run: Runner) -> None:
    """With tools too, a tool call returns the response, JSON returns the model."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", json.loads(DUNE_JSON))])
    fake_api.reply(DUNE_JSON)
    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, tools=[format_book])
    call = run(extract, EXTRACT, decorator)

    response = call("Dune")
    book = call("Dune")

    assert isinstance(response, {{ cookiecutter.__prefix }}CallResponse)
    assert response.tool is not None
    assert response.tool.call() == "Dune by Frank Herbert"
    assert book == Book(title="Dune", author="Frank Herbert")


@fails_without("TOOL_CALLS_STREAM_WHOLE")
def test_structured_stream_through_tools(fake_api: FakeAPI, run: Runner) -> None:
    """A structured stream yields partial models as the call grows, then the model."""
    dune = json.loads(DUNE_JSON)
    fake_api.reply(tool_calls=[ToolCallReply("Book", dune)], piece_size=6)

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, stream=True)
    books = run.structured(extract, EXTRACT, decorator)("Dune")

    assert len(books) > 3
    assert books[-1] == Book(title="Dune", author="Frank Herbert")
    authors = [book.author for book in books]
    assert None in authors
    assert "Frank Herbert" in authors
    assert fake_api.last.sent.tools == ("Book",)


def test_structured_stream_through_json_mode(fake_api: FakeAPI, run: Runner) -> None:
    """In JSON mode, a structured stream yields partial models from the content."""
    fake_api.reply(DUNE_JSON, piece_size=6)

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True, stream=True)
    books = run.structured(extract, EXTRACT, decorator)("Dune")

    assert len(books) > 3
    assert books[-1] == Book(title="Dune", author="Frank Herbert")
    assert fake_api.last.sent.asks_for_json


@pytest.mark.live
def test_output_parser(api: API, run: Runner) -> None:
    """An output parser gets the response; with a response model, the model."""
    api.reply("Dune.")
    api.reply(tool_calls=[ToolCallReply("Book", json.loads(DUNE_JSON))])

    def upper(response: {{ cookiecutter.__prefix }}CallResponse) -> str:
        return response.content.upper()

    def title(book: Book) -> str:
        return book.title

    shout = run(extract, EXTRACT, {{ cookiecutter.__call_fn }}(MODEL, output_parser=upper))("Dune")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, output_parser=title)
    name = run(extract, EXTRACT, decorator)("Dune")

    assert (shout, name) == api.expect(("DUNE.", "Dune"))
    assert shout == shout.upper()


def test_an_answer_without_json_fails_in_json_mode(
    fake_api: FakeAPI, run: Runner
) -> None:
    """Prose with no JSON object in it cannot be parsed into the model."""
    fake_api.reply("I could not find a book in there.")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    with pytest.raises(ValidationError, match="no JSON object in the answer") as raised:
        run(extract, EXTRACT, decorator)("nothing")
    assert raised.value.errors()[0]["input"] == "I could not find a book in there."


def test_json_cut_off_in_json_mode(fake_api: FakeAPI, run: Runner) -> None:
    """JSON cut off mid-answer is pydantic's `ValidationError`, quoting the answer.

    (A structured stream's JSON is read by Mirascope itself, which raises
    pydantic's error too.)
    """
    fake_api.reply(f"Here: {DUNE_JSON[:20]}", finish_reason="length")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    with pytest.raises(ValidationError, match="no whole JSON object") as raised:
        run(extract, EXTRACT, decorator)("Dune")
    assert type(raised.value) is ValidationError
    assert raised.value.errors()[0]["input"] == f"Here: {DUNE_JSON[:20]}"


def test_mirascope_retries_a_cut_off_answer(fake_api: FakeAPI, run: Runner) -> None:
    """Mirascope's retry pattern retries JSON cut off, with the error in the prompt.

    As `collect_errors(ValidationError)` (`mirascope.retries.tenacity`) does
    under tenacity's `retry`: an error of exactly that class is collected and
    passed to the next attempt, whose prompt shows it.
    """

    def extract_again(
        text: str, *, errors: list[ValidationError] | None = None
    ) -> None:
        """Prompt function."""

    template = prompt_template("Extract the book: {text}\n{errors}")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    call = run(extract_again, template, decorator)
    fake_api.reply(DUNE_JSON[:20], finish_reason="length")
    fake_api.reply(DUNE_JSON)

    errors: list[ValidationError] = []
    book = None
    for _ in range(3):
        try:
            book = call("Dune", errors=errors or None)
        except ValidationError as error:
            if type(error) is not ValidationError:  # as `collect_errors` checks
                raise
            errors.append(error)
        else:
            break

    assert book == Book(title="Dune", author="Frank Herbert")
    assert len(errors) == 1
    assert "no whole JSON object" in fake_api.last.sent.messages[0].text


@pytest.mark.live
def test_json_mode_after_an_assistant_message(api: API, run: Runner) -> None:
    """When the prompt ends on the assistant, the instructions come as a user turn."""

    def chat() -> None:
        """Prompt function."""

    template = prompt_template(
        """
        USER: Extract the book: Dune.
        ASSISTANT: Sure.
        """
    )
    api.reply(DUNE_JSON)
    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    book = run(chat, template, decorator)()

    assert book == api.expect(Book(title="Dune", author="Frank Herbert"))
    roles = [message.role for message in api.last.sent.messages]
    assert roles == ["user", "assistant", "user"]
    assert "JSON" in api.last.sent.messages[-1].text


def test_json_mode_with_an_image(fake_api: FakeAPI, run: Runner) -> None:
    """A user message with parts gets the instructions as one more text part."""

    def read(image: str) -> None:
        """Prompt function."""

    fake_api.reply(DUNE_JSON)
    template = prompt_template("Which book is this? {image:image}")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    run(read, template, decorator)("https://x.test/cover.png")

    [message] = fake_api.last.sent.messages
    assert message.parts[1] == SentImage(url="https://x.test/cover.png")
    assert "JSON" in message.text
