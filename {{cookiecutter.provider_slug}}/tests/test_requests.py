"""The exact JSON bodies and headers that reach the API, mode by mode."""

from typing import Any

import pytest
from mirascope.core import prompt_template
from pydantic import BaseModel

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallParams, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._types import MessageParam

from .fake_exchange import ToolCallReply
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
USER = {"role": "user", "content": "Recommend a fantasy book"}


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


class Book(BaseModel):
    """A book."""

    title: str
    author: str


FORMAT_BOOK_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "format_book",
        "description": "Returns the title and author of a book nicely formatted.",
        "parameters": {
            "properties": {
                "title": {"type": "string"},
                "author": {"type": "string"},
            },
            "required": ["title", "author"],
            "type": "object",
        },
    },
}


def test_call_body(fake_api: FakeAPI) -> None:
    """A call sends the model, the messages and the params; a 0 is sent, not dropped."""

    @{{ cookiecutter.__call_fn }}(MODEL, call_params={{ cookiecutter.__prefix }}CallParams(temperature=0.0, max_tokens=64))
    @prompt_template(
        """
        SYSTEM: You are a librarian.
        USER: Recommend a {genre} book
        """
    )
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.path == "/v1/chat/completions"
    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [{"role": "system", "content": "You are a librarian."}, USER],
        "temperature": 0.0,
        "max_tokens": 64,
    }


def test_stream_body(fake_api: FakeAPI) -> None:
    """A stream asks for server-sent events and for the usage chunk."""

    @{{ cookiecutter.__call_fn }}(MODEL, stream=True)
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    for _ in recommend_book("fantasy"):
        pass

    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [USER],
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_tools_body(fake_api: FakeAPI) -> None:
    """Tools are sent as function definitions with their JSON schema."""

    @{{ cookiecutter.__call_fn }}(MODEL, tools=[format_book])
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [USER],
        "tools": [FORMAT_BOOK_TOOL],
    }


def test_response_model_forces_the_tool(fake_api: FakeAPI) -> None:
    """Extraction through tools forces the model to call the extraction tool."""

    @{{ cookiecutter.__call_fn }}(MODEL, response_model=Book)
    @prompt_template("Extract the book: {text}")
    def extract_book(text: str): ...

    fake_api.reply(tool_calls=[ToolCallReply("Book", {"title": "Dune", "author": "F"})])
    extract_book("Dune")

    body = fake_api.last.json
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Book"}}
    assert [tool["function"]["name"] for tool in body["tools"]] == ["Book"]


def test_json_mode_body(fake_api: FakeAPI) -> None:
    """JSON mode asks for a JSON object and appends the schema to the user message."""

    @{{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    @prompt_template("Extract the book: {text}")
    def extract_book(text: str): ...

    fake_api.reply('{"title": "Dune", "author": "Frank Herbert"}')
    extract_book("Dune")

    body = fake_api.last.json
    assert body["response_format"] == {"type": "json_object"}
    assert "tools" not in body
    [message] = body["messages"]
    assert message["role"] == "user"
    assert message["content"].startswith("Extract the book: Dune\n\nFor your final")
    assert '"title"' in message["content"]


def test_common_call_params_are_converted(fake_api: FakeAPI) -> None:
    """Mirascope's provider-agnostic params reach the wire under the API's names."""

    @{{ cookiecutter.__call_fn }}(MODEL, call_params={"temperature": 0.0, "stop": ["\n"], "seed": 0})
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [USER],
        "temperature": 0.0,
        "stop": ["\n"],
        "seed": 0,
    }


def test_extra_headers_and_extra_body(fake_api: FakeAPI) -> None:
    """`extra_headers` become headers and `extra_body` fields join the body."""
    params = {{ cookiecutter.__prefix }}CallParams(
        extra_headers={"X-Trace": "abc"}, extra_body={"safe_mode": False}
    )

    @{{ cookiecutter.__call_fn }}(MODEL, call_params=params)
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.headers["x-trace"] == "abc"
    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [USER],
        "safe_mode": False,
    }


@pytest.mark.anyio
async def test_async_call_body(fake_api: FakeAPI) -> None:
    """An async call sends the same body as a sync one."""

    @{{ cookiecutter.__call_fn }}(MODEL, call_params={{ cookiecutter.__prefix }}CallParams(top_p=1.0))
    @prompt_template("Recommend a {genre} book")
    async def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    await recommend_book("fantasy")

    assert fake_api.last.json == {"model": MODEL, "messages": [USER], "top_p": 1.0}


def test_json_mode_keeps_the_last_messages_other_fields(fake_api: FakeAPI) -> None:
    """JSON-mode instructions extend the last user message without dropping its keys."""
    history: list[MessageParam] = [{"role": "user", "content": "Dune?", "name": "ann"}]

    @{{ cookiecutter.__call_fn }}(MODEL, json_mode=True)
    @prompt_template("MESSAGES: {history}")
    def ask(history: list[MessageParam]): ...

    fake_api.reply("{}")
    ask(history)

    [message] = fake_api.last.json["messages"]
    assert message["name"] == "ann"
    assert message["content"].startswith("Dune?\n\nFor your final response")
    assert history == [{"role": "user", "content": "Dune?", "name": "ann"}]


def test_stream_options_of_none_still_asks_for_usage(fake_api: FakeAPI) -> None:
    """`stream_options=None` in the params does not stop the usage chunk."""

    @{{ cookiecutter.__call_fn }}(MODEL, stream=True, call_params={"stream_options": None, "seed": 1})
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.", input_tokens=3, output_tokens=2)
    stream = recommend_book("fantasy")
    for _ in stream:
        pass

    assert fake_api.last.json["stream_options"] == {"include_usage": True}
    assert (stream.input_tokens, stream.output_tokens) == (3, 2)


def test_every_call_param_reaches_the_wire(fake_api: FakeAPI) -> None:
    """Each call param is sent as given; zeros and `False` are sent, not dropped."""
    params = {{ cookiecutter.__prefix }}CallParams(
        frequency_penalty=0.0,
        logit_bias={"42": 0},
        logprobs=False,
        max_tokens=1,
        n=1,
        parallel_tool_calls=False,
        presence_penalty=0.0,
        response_format={"type": "text"},
        seed=0,
        stop=[],
        temperature=0.0,
        tool_choice="none",
        top_logprobs=0,
        top_p=0.0,
        user="reader-7",
    )
    not_body_fields = {"extra_body", "extra_headers", "stream_options"}
    assert set(params) == set({{ cookiecutter.__prefix }}CallParams.__annotations__) - not_body_fields

    @{{ cookiecutter.__call_fn }}(MODEL, tools=[format_book], call_params=params)
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.json == {
        "model": MODEL,
        "messages": [USER],
        "tools": [FORMAT_BOOK_TOOL],
        **params,
    }


def test_stream_options_are_only_sent_with_streams(fake_api: FakeAPI) -> None:
    """`stream_options` in the params of a plain call is left out: the API refuses it."""
    params = {{ cookiecutter.__prefix }}CallParams(stream_options={"include_usage": True}, seed=3)

    @{{ cookiecutter.__call_fn }}(MODEL, call_params=params)
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...

    fake_api.reply("Dune.")
    recommend_book("fantasy")

    assert fake_api.last.json == {"model": MODEL, "messages": [USER], "seed": 3}
