"""`{{ cookiecutter.__prefix }}CallResponse`: what a call returns, and what it can be turned into."""

import json

import httpx
import pytest
from mirascope.core import prompt_template
from pydantic import BaseModel

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}DynamicConfig, {{ cookiecutter.__call_fn }}

from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"
PNG = b"\x89PNG\r\n\x1a\n"


class Book(BaseModel):
    """A book."""

    title: str
    author: str


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


def test_model_dump_json_with_bytes_a_client_and_tools(fake_api: FakeAPI) -> None:
    """Bytes arguments, and a client and tools in the dynamic config, dump to JSON."""
    client = httpx.Client(base_url=fake_api.url)

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Describe {image:image}")
    def describe(image: bytes) -> {{ cookiecutter.__prefix }}DynamicConfig:
        return {"client": client, "tools": [format_book]}

    fake_api.reply("A tiny image.")
    dumped = json.loads(describe(PNG).model_dump_json())

    assert dumped["content"] == "A tiny image."
    assert dumped["fn_args"] == {"image": "iVBORw0KGgo="}
    assert dumped["dynamic_config"]["client"].startswith("<httpx.Client")
    assert dumped["dynamic_config"]["tools"][0].startswith("<function format_book")
    client.close()


def test_model_is_the_requested_one_when_the_api_omits_it(fake_api: FakeAPI) -> None:
    """A server that sends no model name still gets the call priced."""

    @{{ cookiecutter.__call_fn }}(MODEL)
    @prompt_template("Hi")
    def hi(): ...

    fake_api.reply("Hello.", model="")
    response = hi()
    assert response.model == MODEL
    assert response.cost is not None


@pytest.mark.parametrize(
    "content",
    [
        '{"title": "Dune", "author": "Frank Herbert"}',
        'Sure! Here it is:\n{"title": "Dune", "author": "Frank Herbert"}\nEnjoy.',
        'Set {braces} aside:\n```json\n{"title": "Dune", "author": "Frank Herbert"}'
        "\n```\n{:}",
    ],
)
def test_json_mode_tolerates_prose_around_the_json(
    fake_api: FakeAPI, content: str
) -> None:
    """The first JSON object in the answer is the output, whatever surrounds it."""

    @{{ cookiecutter.__call_fn }}(MODEL, response_model=Book, json_mode=True)
    @prompt_template("Extract the book: {text}")
    def extract_book(text: str): ...

    fake_api.reply(content)
    assert extract_book("Dune") == Book(title="Dune", author="Frank Herbert")
