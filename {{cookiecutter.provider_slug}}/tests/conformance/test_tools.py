"""Tools: definitions sent, calls returned, results and history sent back."""

import copy
from typing import cast

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import (
    BaseMessageParam,
    BaseTool,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from pydantic import ValidationError

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}ResponseError, {{ cookiecutter.__prefix }}Tool, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._utils._message_param_converter import {{ cookiecutter.__prefix }}MessageParamConverter

from .. import fake_wire
from ..capabilities import FORCE_TOOL_USE, TOOL_ARGUMENTS_AS_TEXT
from ..conftest import API, Runner
from ..fake_exchange import (
    SentMessage,
    SentText,
    SentToolCall,
    SentToolResult,
    ToolCallReply,
)
from ..fake_server import FakeAPI
from . import fails_without, lacking

MODEL = "{{ cookiecutter.default_model }}"
BOOK = prompt_template("Recommend a {genre} book")
HISTORY = prompt_template(
    """
    MESSAGES: {history}
    USER: Thanks.
    """
)


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


def follow_up(history: list[object]) -> None:
    """The prompt function that sends a history back."""


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


class FormatBook(BaseTool):
    """Returns the title and author of a book nicely formatted."""

    title: str
    author: str

    def call(self) -> str:
        """Formats the book."""
        return f"{self.title} by {self.author}"


DUNE = {"title": "Dune", "author": "Frank Herbert"}
EMMA = {"title": "Emma", "author": "Jane Austen"}


def test_function_tool(fake_api: FakeAPI, run: Runner) -> None:
    """A function tool is offered, called, and called back with its arguments."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", DUNE, "call_7")])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    assert fake_api.last.sent.tools == ("format_book",)
    assert response.content == ""
    assert response.finish_reasons == [fake_wire.FINISH_REASONS["tool_calls"]]
    tool = response.tool
    assert isinstance(tool, {{ cookiecutter.__prefix }}Tool)
    assert (tool.id, tool.args) == ("call_7", DUNE)
    assert tool.call() == "Dune by Frank Herbert"
    assert response.tools == [tool]


@fails_without("NO_TOOL_CALLS_FINISH_REASON")
def test_tool_calls_finish_with_tool_calls(fake_api: FakeAPI, run: Runner) -> None:
    """An answer of tool calls has the common finish reason `tool_calls`."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", DUNE)])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    assert response.common_finish_reasons == ["tool_calls"]


@fails_without("ANSWERS_WITHOUT_TOOL_CALL_IDS")
def test_every_tool_call_has_an_id(fake_api: FakeAPI, run: Runner) -> None:
    """A tool call has the API's id, though the test scripts none."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", DUNE)])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    assert response.tool is not None
    assert response.tool.id == "call_1"


@pytest.mark.live
def test_base_tool_subclass(api: API, run: Runner) -> None:
    """A `BaseTool` subclass works like a function tool."""
    expected = api.reply(tool_calls=[ToolCallReply("FormatBook", DUNE)])
    decorator = {{ cookiecutter.__call_fn }}(MODEL, tools=[FormatBook], call_params=FORCE_TOOL_USE)

    response = run(recommend_book, BOOK, decorator)("sf")

    assert api.last.sent.tools == ("FormatBook",)
    tool = response.tool
    assert isinstance(tool, FormatBook)
    assert tool.args == expected.tool_calls[0].arguments
    assert tool.call() == f"{tool.title} by {tool.author}"


def test_no_tool_called(fake_api: FakeAPI, run: Runner) -> None:
    """When the model answers in text, there is no tool."""
    fake_api.reply("Read Dune.")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    assert response.tools is None
    assert response.tool is None


def test_two_tool_calls_and_their_results(fake_api: FakeAPI, run: Runner) -> None:
    """Two calls in one answer give two tools, and two tool messages."""
    fake_api.reply(
        tool_calls=[
            ToolCallReply("format_book", DUNE),
            ToolCallReply("FormatBook", EMMA),
        ]
    )

    response = run(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book, FormatBook])
    )("sf")

    tools = response.tools
    calls = [tool.call() for tool in tools]
    assert calls == ["Dune by Frank Herbert", "Emma by Jane Austen"]
    assert response.tool_message_params(
        list(zip(tools, calls, strict=True))
    ) == fake_wire.tool_results(
        [("call_1", "Dune by Frank Herbert"), ("call_2", "Emma by Jane Austen")]
    )


def test_tool_outputs_that_are_not_strings(fake_api: FakeAPI, run: Runner) -> None:
    """Tool outputs of other JSON types are sent as JSON text."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", DUNE)])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    assert response.tool_message_params(
        [(response.tool, {"pages": 412})]
    ) == fake_wire.tool_results([("call_1", '{"pages": 412}')])


@pytest.mark.xfail(
    TOOL_ARGUMENTS_AS_TEXT is not None,
    reason=TOOL_ARGUMENTS_AS_TEXT or "",
    raises={{ cookiecutter.__prefix }}ResponseError,
    strict=True,
)
@pytest.mark.parametrize(
    ("arguments", "error"),
    [('{"title": ', "json_invalid"), ('["Dune"]', "json_invalid"), ("", "missing")],
    ids=["cut off", "not an object", "empty"],
)
def test_tool_arguments_that_are_not_an_object(
    fake_api: FakeAPI, run: Runner, arguments: str, error: str
) -> None:
    """Arguments cut off mid-JSON raise pydantic's error for the tool on `.tool`.

    The error a tool's arguments that do not fit its schema raise, quoting
    them; empty arguments are `{}`, as Mirascope reads them. (Streams: in
    `test_streamed_tools.py`.)
    """
    fake_api.reply(tool_calls=[ToolCallReply("format_book", arguments)])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    with pytest.raises(ValidationError, match="format_book") as raised:
        _ = response.tool
    assert raised.value.errors()[0]["type"] == error


def test_native_history_round_trip(fake_api: FakeAPI, run: Runner) -> None:
    """The assistant's tool calls and the tool results go back in the next call."""
    fake_api.reply(
        tool_calls=[
            ToolCallReply("format_book", DUNE),
            ToolCallReply("format_book", EMMA),
        ]
    )
    fake_api.reply("Both are classics.")

    first = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")
    results = first.tool_message_params([(t, t.call()) for t in first.tools])
    history = [first.user_message_param, first.message_param, *results]
    second = run(follow_up, HISTORY, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))(history)

    assert second.content == "Both are classics."
    assert fake_api.last.sent.messages == (
        SentMessage("user", (SentText("Recommend a sf book"),)),
        SentMessage(
            "assistant",
            (
                SentToolCall("call_1", "format_book", DUNE),
                SentToolCall("call_2", "format_book", EMMA),
            ),
        ),
        SentMessage("tool", (SentToolResult("call_1", "Dune by Frank Herbert"),)),
        SentMessage("tool", (SentToolResult("call_2", "Emma by Jane Austen"),)),
        SentMessage("user", (SentText("Thanks."),)),
    )


@pytest.mark.live
def test_provider_agnostic_history_round_trip(api: API, run: Runner) -> None:
    """`common_message_param` and `ToolResultPart`s go back in the next call too."""
    expected = api.reply(tool_calls=[ToolCallReply("format_book", DUNE)])
    api.reply("A classic.")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book], call_params=FORCE_TOOL_USE)

    first = run(recommend_book, BOOK, decorator)("sf")
    tool = first.tool
    assert tool is not None
    [call] = expected.tool_calls
    assert tool.args == call.arguments
    if lacking("ANSWERS_WITHOUT_TOOL_CALL_IDS") is None:
        assert tool.id is not None
        assert tool.id == call.id
    result = BaseMessageParam(
        role="tool",
        content=[
            ToolResultPart(
                type="tool_result", name="format_book", content=tool.call(), id=tool.id
            )
        ],
    )
    history = [*first.common_messages, first.common_message_param, result]
    run(follow_up, HISTORY, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))(history)

    # The call as the API reads it: by its id, or by its place (`call_1`) where
    # the call has none.
    call_id = cast(str, call.id)
    said = [SentText(first.content)] if first.content else []
    assert api.last.sent.messages == (
        SentMessage("user", (SentText("Recommend a sf book"),)),
        SentMessage(
            "assistant", (*said, SentToolCall(call_id, "format_book", tool.args))
        ),
        SentMessage("tool", (SentToolResult(call_id, tool.call()),)),
        SentMessage("user", (SentText("Thanks."),)),
    )


def _scramble(value: object) -> None:
    """Empties every dict and list in `value`, innermost first."""
    if isinstance(value, dict):
        mapping = cast(dict[object, object], value)
        for item in mapping.values():
            _scramble(item)
        mapping.clear()
    elif isinstance(value, list):
        items = cast(list[object], value)
        for item in items:
            _scramble(item)
        items.clear()


def test_converted_history_shares_nothing_with_the_callers() -> None:
    """Changing the messages a conversion returns leaves the caller's as they were.

    Mirascope's messages, their parts and a tool call's arguments too.
    """
    messages = [
        BaseMessageParam(role="user", content=[TextPart(type="text", text="Ink?")]),
        BaseMessageParam(
            role="assistant",
            content=[
                ToolCallPart(
                    type="tool_call",
                    name="lookup",
                    args={"word": "ink"},
                    id="c1",
                )
            ],
        ),
        BaseMessageParam(
            role="tool",
            content=[
                ToolResultPart(
                    type="tool_result", name="lookup", content="a fluid", id="c1"
                )
            ],
        ),
    ]
    before = copy.deepcopy(messages)

    _scramble({{ cookiecutter.__prefix }}MessageParamConverter.to_provider(messages))

    assert messages == before


def test_dynamic_tools(fake_api: FakeAPI, run: Runner) -> None:
    """Tools returned by the dynamic config replace the decorator's."""

    def recommend(genre: str) -> dict[str, object]:
        return {"tools": [FormatBook]}

    fake_api.reply(tool_calls=[ToolCallReply("FormatBook", EMMA)])

    response = run(recommend, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("classic")

    assert fake_api.last.sent.tools == ("FormatBook",)
    assert response.tool is not None
    assert response.tool.call() == "Emma by Jane Austen"
