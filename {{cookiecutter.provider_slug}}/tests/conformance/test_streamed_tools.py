"""Streamed tools: assembled from pieces, yielded as they complete."""

import pytest
from mirascope.core import prompt_template
from mirascope.core.base.stream_config import StreamConfig
from pydantic import ValidationError

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}ResponseError, {{ cookiecutter.__prefix }}Tool, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._wire import WIRE

from .. import fake_wire
from ..conftest import Runner
from ..fake_exchange import ToolCallReply
from ..fake_server import FakeAPI
from . import fails_without

MODEL = "{{ cookiecutter.default_model }}"
WHOLE = fails_without("TOOL_CALLS_STREAM_WHOLE")
"""The mark of a test of arguments streamed in pieces of text."""
BOOK = prompt_template("Recommend a {genre} book")
DUNE = {"title": "Dune", "author": "Frank Herbert"}
EMMA = {"title": "Emma", "author": "Jane Austen"}


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


def test_one_streamed_tool(fake_api: FakeAPI, run: Runner) -> None:
    """A tool call streamed in pieces comes out once, complete, with its chunk."""
    fake_api.reply("Let me see.", tool_calls=[ToolCallReply("format_book", DUNE)])

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    )("sf")

    tools = [tool for _, tool in pairs if tool is not None]
    assert len(tools) == 1
    assert isinstance(tools[0], {{ cookiecutter.__prefix }}Tool)
    assert tools[0].call() == "Dune by Frank Herbert"
    assert stream.content == "Let me see."
    assert stream.finish_reasons == [fake_wire.FINISH_REASONS["tool_calls"]]
    assert stream.message_param == fake_wire.assistant_message(
        "Let me see.", [ToolCallReply("format_book", DUNE, "call_1")]
    )
    assert stream.tool_message_params(
        [(tools[0], tools[0].call())]
    ) == fake_wire.tool_results([("call_1", "Dune by Frank Herbert")])


def test_several_streamed_tools(fake_api: FakeAPI, run: Runner) -> None:
    """Several calls each come out once, in order, and reach the response."""
    fake_api.reply(
        tool_calls=[
            ToolCallReply("format_book", DUNE),
            ToolCallReply("format_book", EMMA),
            ToolCallReply("format_book", {"title": "Ulysses", "author": "Joyce"}),
        ]
    )

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    )("classic")

    calls = [tool.call() for _, tool in pairs if tool is not None]
    assert calls == ["Dune by Frank Herbert", "Emma by Jane Austen", "Ulysses by Joyce"]
    response = stream.construct_call_response()
    assert [tool.call() for tool in response.tools or []] == calls
    assert stream.message_param == fake_wire.assistant_message(
        "",
        [
            ToolCallReply("format_book", a, f"call_{i}")
            for i, a in enumerate(
                (DUNE, EMMA, {"title": "Ulysses", "author": "Joyce"}), 1
            )
        ],
    )


def test_a_tool_call_that_ends_the_stream(fake_api: FakeAPI, run: Runner) -> None:
    """A call whose last piece is the stream's last chunk is still yielded.

    A format whose streams are read to the end of the body has no end mark
    after it: without the event that completes it, the stream is cut short
    (its tools yielded, then the error).
    """
    fake_api.reply(
        tool_calls=[ToolCallReply("format_book", DUNE)], closing_chunks=False
    )
    call = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    )

    if WIRE.ends_with_connection:
        with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="ended before the API said"):
            call("sf")
        return
    stream, pairs = call("sf")

    assert [tool.call() for _, tool in pairs if tool is not None] == [
        "Dune by Frank Herbert"
    ]
    assert stream.finish_reasons is None


@WHOLE
def test_partial_tools(fake_api: FakeAPI, run: Runner) -> None:
    """Partial tools grow piece by piece; the history holds each call once."""
    fake_api.reply(
        tool_calls=[
            ToolCallReply("format_book", DUNE),
            ToolCallReply("format_book", EMMA),
        ],
        piece_size=8,
    )

    stream, pairs = run.stream(
        recommend_book,
        BOOK,
        {{ cookiecutter.__call_fn }}(MODEL, stream={"partial_tools": True}, tools=[format_book]),
    )("classic")

    tools = [tool for _, tool in pairs if tool is not None]
    dune = [(getattr(t, "author", None), t.delta) for t in tools[:7]]
    assert dune == [
        (None, '{"title"'),
        (None, ': "Dune"'),
        (None, ', "autho'),
        ("Fra", 'r": "Fra'),
        ("Frank Herbe", "nk Herbe"),
        ("Frank Herbert", 'rt"}'),
        ("Frank Herbert", None),
    ]
    complete = [tool.call() for tool in tools if tool.delta is None]
    assert complete == ["Dune by Frank Herbert", "Emma by Jane Austen"]
    assert fake_wire.tool_calls_of(stream.message_param) == [
        ("call_1", "format_book"),
        ("call_2", "format_book"),
    ]


def test_streamed_tools_with_the_usage_chunk(fake_api: FakeAPI, run: Runner) -> None:
    """The final usage chunk (no choices) does not break tool handling."""
    fake_api.reply(tool_calls=[ToolCallReply("format_book", DUNE)], input_tokens=9)

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    )("sf")

    assert len([tool for _, tool in pairs if tool is not None]) == 1
    assert stream.input_tokens == 9
    assert stream.finish_reasons == [fake_wire.FINISH_REASONS["tool_calls"]]


@WHOLE
def test_a_streamed_tool_call_cut_off_mid_json(fake_api: FakeAPI, run: Runner) -> None:
    """Arguments cut off mid-JSON raise pydantic's error for the tool, as a call does.

    The error is the one a tool's arguments that do not fit its schema raise,
    quoting them; the call is not dropped.
    """
    fake_api.reply(tool_calls=[ToolCallReply("format_book", '{"title": ')])

    decorator = {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    with pytest.raises(ValidationError, match="format_book") as raised:
        run.stream(recommend_book, BOOK, decorator)("sf")

    assert raised.value.errors()[0]["type"] == "json_invalid"
    assert raised.value.errors()[0]["input"] == '{"title": '


@WHOLE
@pytest.mark.parametrize("partial_tools", [False, True], ids=["whole", "partial"])
def test_streamed_arguments_that_are_not_an_object(
    fake_api: FakeAPI, run: Runner, partial_tools: bool
) -> None:
    """JSON that is not an object raises pydantic's error for the tool, not `{}`.

    With partial tools, at the first piece that shows it.
    """
    fake_api.reply(tool_calls=[ToolCallReply("format_book", '["Dune"]')])

    stream: StreamConfig = {"partial_tools": partial_tools}
    decorator = {{ cookiecutter.__call_fn }}(MODEL, stream=stream, tools=[format_book])
    with pytest.raises(ValidationError, match="format_book") as raised:
        run.stream(recommend_book, BOOK, decorator)("sf")

    assert raised.value.errors()[0]["type"] == "json_invalid"
    assert "not a JSON object" in str(raised.value)


def tell_time() -> str:
    """Tells the time; takes no arguments."""
    return "noon"


def test_a_streamed_call_without_arguments(fake_api: FakeAPI, run: Runner) -> None:
    """A call that streams no arguments at all is a tool whose arguments are `{}`."""
    fake_api.reply(tool_calls=[ToolCallReply("tell_time", "")])

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[tell_time])
    )("sf")

    [tool] = [tool for _, tool in pairs if tool is not None]
    assert (tool.args, tool.call()) == ({}, "noon")
    assert fake_wire.tool_calls_of(stream.message_param) == [("call_1", "tell_time")]


def test_chunks_name_the_answer_or_nothing(fake_api: FakeAPI, run: Runner) -> None:
    """A chunk names the answer's model and id, or neither: never a tool call's id."""
    fake_api.reply("Let me see.", tool_calls=[ToolCallReply("format_book", DUNE)])

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])
    )("sf")

    named = {(chunk.model, chunk.id) for chunk, _ in pairs if chunk.model or chunk.id}
    assert named == {(MODEL, fake_wire.COMPLETION_ID)}
    assert (stream.model, stream.id) == (MODEL, fake_wire.COMPLETION_ID)
