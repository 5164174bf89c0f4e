"""`{{ cookiecutter.__prefix }}Stream`: what a consumed stream knows, and the history it produces."""

from mirascope.core import prompt_template

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}

from .fake_exchange import ToolCallReply
from .fake_server import FakeAPI

MODEL = "{{ cookiecutter.default_model }}"


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


def test_partial_tools_leave_each_call_once_in_the_history(fake_api: FakeAPI) -> None:
    """With partial tools, the assistant message holds each complete call once."""

    @{{ cookiecutter.__call_fn }}(MODEL, stream={"partial_tools": True}, tools=[format_book])
    @prompt_template("Recommend two books")
    def recommend(): ...

    fake_api.reply(
        tool_calls=[
            ToolCallReply(
                "format_book", {"title": "Dune", "author": "Herbert"}, "same"
            ),
            ToolCallReply("format_book", {"title": "Emma", "author": "Austen"}, "same"),
        ]
    )
    stream = recommend()
    tools = [tool for _, tool in stream if tool is not None]

    assert len(tools) > 2
    calls = stream.message_param.get("tool_calls", [])
    assert [call["function"]["arguments"] for call in calls] == [
        '{"title": "Dune", "author": "Herbert"}',
        '{"title": "Emma", "author": "Austen"}',
    ]
    assert [t.call() for t in stream.construct_call_response().tools or []] == [
        "Dune by Herbert",
        "Emma by Austen",
    ]
