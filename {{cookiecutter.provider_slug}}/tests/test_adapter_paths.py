"""Shared branches that no built-in wire format takes, driven by the toy format.

The adapter is swapped for `toy_wire.ToyWire` and the fake API speaks it
(`toy_fake_wire`): the model and a query in the path, a body without the
model, a secret header of the format's own, NDJSON streams read to the end of
the connection, whole tool calls without ids, usage in increments, and a bad
key answered with 400. The tool-call assembler's misfits are fed neutral
chunks directly.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import BaseMessageParam, ToolCallPart

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}AuthenticationError,
    {{ cookiecutter.__prefix }}BadRequestError,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}Tool,
    _wire,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._neutral import Chunk, ToolCallPiece, WireFormat
from {{ cookiecutter.__pkg }}._settings import API_KEY_ENV, BASE_URL_ENV
from {{ cookiecutter.__pkg }}._utils._handle_stream import handle_stream

from . import toy_fake_wire
from .conftest import PHASE_REPORTS, Runner
from .fake_exchange import ToolCallReply
from .fake_server import FakeAPI
from .toy_wire import ToyWire

TOY_KEY = "toy-key-of-the-adapter-paths"
MODEL = "toy-1"
HI = prompt_template("Hi")
BOOK = prompt_template("Recommend a {genre} book")
HISTORY = prompt_template(
    """
    MESSAGES: {history}
    USER: Thanks.
    """
)
DUNE = {"title": "Dune", "author": "Frank Herbert"}
EMMA = {"title": "Emma", "author": "Jane Austen"}


def hi() -> None:
    """A prompt function without arguments."""


def recommend_book(genre: str) -> None:
    """A prompt function with one."""


def follow_up(history: list[object]) -> None:
    """The prompt function that sends a history back."""


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


def start_toy_api(api_key: str) -> FakeAPI:
    """A started fake API speaking the toy format."""
    server = FakeAPI(api_key, side=toy_fake_wire)
    server.start()
    return server


@pytest.fixture(scope="module")
def toy_server() -> Iterator[FakeAPI]:
    """One toy API server for this module."""
    server = start_toy_api(TOY_KEY)
    yield server
    server.stop()


@pytest.fixture
def toy(
    toy_server: FakeAPI, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[FakeAPI]:
    """The toy API, emptied; the package speaks the toy format to it.

    A test that passes must have used every reply it queued.
    """
    toy_server.reset()
    monkeypatch.setattr(_wire, "WIRE", ToyWire())
    monkeypatch.setenv(API_KEY_ENV, TOY_KEY)
    monkeypatch.setenv(BASE_URL_ENV, toy_server.url)
    yield toy_server
    reports = request.node.stash.get(PHASE_REPORTS, {})
    if "call" in reports and reports["call"].passed:
        assert toy_server.unused_replies == 0, "a queued reply was never used"


def endpoint(*, stream: bool) -> str:
    """The path a toy request reaches, base path included."""
    action = "stream?format=ndjson" if stream else "generate"
    return f"{toy_fake_wire.BASE_PATH}/models/{MODEL}:{action}"


# -- Requests: path, body, key -------------------------------------------------


def test_a_call_goes_to_the_path_of_its_model(toy: FakeAPI, run: Runner) -> None:
    """The model is in the path, not the body; the key in the format's header."""
    toy.reply("Hello.", cached_tokens=5)

    response = run(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, call_params={"temperature": 0.5}))()

    assert toy.last.path == endpoint(stream=False)
    assert toy.last.json == {
        "messages": [{"role": "user", "text": "Hi"}],
        "temperature": 0.5,
    }
    assert toy.last.headers["x-toy-key"] == TOY_KEY
    assert "authorization" not in toy.last.headers
    assert response.content == "Hello."
    assert response.model == MODEL
    assert (response.finish_reasons, response.common_finish_reasons) == (
        ["done"],
        ["stop"],
    )
    assert (response.input_tokens, response.output_tokens) == (12, 34)
    assert response.cached_tokens == 5


def test_a_called_tool_has_no_id(toy: FakeAPI, run: Runner) -> None:
    """An API without call ids gives tools whose `tool_call.id` is `None`."""
    toy.reply(tool_calls=[ToolCallReply("format_book", DUNE)])

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))("sf")

    tool = response.tool
    assert isinstance(tool, {{ cookiecutter.__prefix }}Tool)
    assert tool.tool_call.id is None
    assert tool.call() == "Dune by Frank Herbert"
    assert response.common_finish_reasons == ["tool_calls"]
    assert toy.last.sent.tools == ("format_book",)
    assert response.common_message_param == BaseMessageParam(
        role="assistant",
        content=[ToolCallPart(type="tool_call", name="format_book", args=DUNE)],
    )


# -- Streams: NDJSON to the end of the body ------------------------------------


def test_a_stream_is_read_to_the_end_of_the_body(toy: FakeAPI, run: Runner) -> None:
    """Its path has a query; its usage comes in increments, which add up.

    The output tokens come on the last line, after the `stop` and without a
    line end: they count only if the body is read to its end, that line too.
    """
    toy.reply("Hello there.", input_tokens=7, output_tokens=9)

    stream, pairs = run.stream(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, stream=True))()

    assert toy.last.path == endpoint(stream=True)
    assert toy.last.sent.stream
    assert "model" not in toy.last.json
    assert stream.content == "Hello there."
    assert stream.finish_reasons == ["done"]
    reported = [(c.input_tokens, c.output_tokens) for c, _ in pairs if c.usage]
    assert reported == [(7, 0), (0, 9)]
    assert (stream.input_tokens, stream.output_tokens) == (7, 9)
    first = pairs[0][0]
    assert first.id is None
    assert (first.cost_metadata.input_tokens, first.cost_metadata.cost) == (7, None)


def test_whole_tool_calls_without_ids_go_back_by_name(
    toy: FakeAPI, run: Runner
) -> None:
    """Each streamed call comes whole, without an id; its result names its tool."""
    toy.reply("Let me see.", tool_calls=[ToolCallReply("format_book", DUNE)])
    toy.reply(tool_calls=[ToolCallReply("format_book", EMMA)])
    toy.reply("Both are classics.")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, stream=True, tools=[format_book])

    stream, pairs = run.stream(recommend_book, BOOK, decorator)("sf")
    tools = [tool for _, tool in pairs if tool is not None]
    more, more_pairs = run.stream(recommend_book, BOOK, decorator)("classic")
    tools += [tool for _, tool in more_pairs if tool is not None]
    assert [tool.tool_call.id for tool in tools] == [None, None]
    assert [tool.call() for tool in tools] == [
        "Dune by Frank Herbert",
        "Emma by Jane Austen",
    ]
    results = stream.tool_message_params([(tools[0], tools[0].call())])
    assert results == [
        {
            "role": "user",
            "results": [{"name": "format_book", "output": "Dune by Frank Herbert"}],
        }
    ]
    history = [stream.user_message_param, stream.message_param, *results]
    second = run(follow_up, HISTORY, {{ cookiecutter.__call_fn }}(MODEL, tools=[format_book]))(history)

    assert second.content == "Both are classics."
    assert more.message_param == {
        "role": "model",
        "text": "",
        "calls": [{"name": "format_book", "args": EMMA}],
    }
    assert toy.last.json["messages"] == [
        {"role": "user", "text": "Recommend a sf book"},
        {
            "role": "model",
            "text": "Let me see.",
            "calls": [{"name": "format_book", "args": DUNE}],
        },
        {
            "role": "user",
            "results": [{"name": "format_book", "output": "Dune by Frank Herbert"}],
        },
        {"role": "user", "text": "Thanks."},
    ]


@pytest.mark.parametrize(
    "cut",
    [
        {"stream_fault": "truncate", "fault_after": 2},
        {"closing_chunks": False},
    ],
    ids=["truncated", "no-stop"],
)
def test_a_stream_cut_before_its_stop_is_incomplete(
    toy: FakeAPI, run: Runner, cut: dict[str, Any]
) -> None:
    """The body ends without a `stop` line: the stream is incomplete."""
    toy.reply("Hello there.", **cut)

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError) as raised:
        run.stream(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, stream=True))()

    assert str(raised.value) == (
        "The stream ended before the API said it was complete (no `stop` line)."
    )


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("malformed", "The API sent a line that is not the toy's: '{not json'"),
        ("error_event", "reported an error mid-stream: 'The model crashed.'"),
        ("not_utf8", "The API sent a stream that is not UTF-8 text"),
    ],
)
def test_a_broken_stream_raises(
    toy: FakeAPI, run: Runner, fault: str, message: str
) -> None:
    """The shared faults, written in the toy's lines, break its streams too."""
    toy.reply("Hello there.", stream_fault=fault, fault_after=2)

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError) as raised:
        run.stream(hi, HI, {{ cookiecutter.__call_fn }}(MODEL, stream=True))()

    assert message in str(raised.value)


# -- Errors: what a status means; the key kept out -----------------------------


def test_an_error_status_means_itself_by_default() -> None:
    """A format that does not say otherwise takes an error's status as it is."""
    assert WireFormat.error_status(ToyWire(), 400, b'{"code": "BAD_KEY"}') == 400


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_bad_key_answered_with_400_is_an_authentication_error(
    toy: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    """The format says what a 400 with the code `BAD_KEY` means: 401."""
    monkeypatch.setenv(API_KEY_ENV, "not-the-toy-key")
    decorator = {{ cookiecutter.__call_fn }}(MODEL, stream=stream)

    with pytest.raises({{ cookiecutter.__prefix }}AuthenticationError) as raised:
        (run.stream if stream else run)(hi, HI, decorator)()

    assert raised.value.status_code == 400
    assert "API key not valid." in str(raised.value)


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_key_in_the_formats_own_header_is_redacted(
    toy: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    """An error that echoes the key in `x-toy-key` does not show it.

    The configured key is another, so only the format's secret header tells
    which value to redact; and a plain 400 is a bad request.
    """
    monkeypatch.setenv(API_KEY_ENV, "another-configured-key")
    client = run.client(base_url=toy.url, headers={"x-toy-key": TOY_KEY})
    echo = {"problem": f"No quota left for {TOY_KEY}.", "code": "QUOTA"}
    toy.reply(status=400, body=json.dumps(echo))
    decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)

    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError) as raised:
        (run.stream if stream else run)(hi, HI, decorator)()

    assert toy.last.headers["x-toy-key"] == TOY_KEY
    assert "No quota left for [redacted]." in str(raised.value)
    assert TOY_KEY not in str(raised.value)
    assert TOY_KEY not in (raised.value.body or "")


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_the_formats_key_header_does_not_follow_a_redirect_elsewhere(
    toy: FakeAPI, run: Runner, stream: bool
) -> None:
    """The format's key header stays home: httpx would send it to another origin."""
    other = start_toy_api("key-of-the-other-host")
    try:
        client = run.client(base_url=toy.url, follow_redirects=True)
        location = other.url + endpoint(stream=stream).removeprefix(other.base_path)
        toy.reply(status=307, headers={"location": location})
        decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)

        with pytest.raises({{ cookiecutter.__prefix }}AuthenticationError):
            (run.stream if stream else run)(hi, HI, decorator)()

        assert toy.last.headers["x-toy-key"] == TOY_KEY
        assert other.last.path == endpoint(stream=stream)
        assert "x-toy-key" not in other.last.headers
    finally:
        other.stop()


# -- The tool-call assembler, fed neutral chunks -------------------------------


class Lookup({{ cookiecutter.__prefix }}Tool):
    """Looks a word up."""

    word: str

    def call(self) -> str:
        """Returns the word."""
        return self.word


def assembled(*pieces: ToolCallPiece, tools: bool = True) -> list[Any]:
    """The tools the stream yields for these pieces, one chunk each."""
    chunks = (Chunk(tool_calls=[piece]) for piece in pieces)
    pairs = list(handle_stream(chunks, [Lookup] if tools else None))
    assert len([chunk for chunk, _ in pairs if chunk.chunk.tool_calls]) == len(pieces)
    return [tool for _, tool in pairs if tool is not None]


INK = '{"word": "ink"}'


def test_whole_calls_are_tools_at_once() -> None:
    """A `whole` piece is a complete call: no end needed, no id needed."""
    tools = assembled(
        ToolCallPiece(0, "whole", None, "Lookup", INK),
        ToolCallPiece(1, "whole", None, "Lookup", '{"word": "quill"}'),
    )
    assert [(tool.word, tool.tool_call.id) for tool in tools] == [
        ("ink", None),
        ("quill", None),
    ]


def test_arguments_may_name_the_call_late() -> None:
    """A call started without a name or id gets them from later pieces.

    A piece that adds nothing changes nothing, and an end for a key with no
    call open is ignored.
    """
    tools = assembled(
        ToolCallPiece("a", "start"),
        ToolCallPiece("a", "arguments", "call_9", "Lookup", '{"word": '),
        ToolCallPiece("a", "arguments"),
        ToolCallPiece("b", "end"),
        ToolCallPiece("a", "arguments", arguments='"ink"}'),
        ToolCallPiece("a", "end"),
    )
    assert [(tool.word, tool.tool_call.id) for tool in tools] == [("ink", "call_9")]


def test_pieces_are_not_assembled_without_tools() -> None:
    """With no tools offered, pieces pass through and nothing is checked."""
    orphan = ToolCallPiece(0, "arguments", arguments="{}")
    assert assembled(orphan, tools=False) == []


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        (
            [
                ToolCallPiece(0, "start", "call_1", "Lookup"),
                ToolCallPiece(0, "whole", None, "Lookup", INK),
            ],
            r"\(whole, 0\), where call 'call_1' is open there",
        ),
        (
            [
                ToolCallPiece(0, "start", None, "Lookup"),
                ToolCallPiece(0, "start", None, "Lookup"),
            ],
            r"\(start, 0\), where call 'Lookup' is open there",
        ),
        (
            [ToolCallPiece("k", "arguments", arguments=INK)],
            r"\(arguments, 'k'\), where no call is open there",
        ),
    ],
    ids=["whole-while-open", "start-while-open", "arguments-without-a-call"],
)
def test_pieces_that_fit_no_call_raise(
    pieces: list[ToolCallPiece], message: str
) -> None:
    """A call is never cut off or merged with another: the misfit is an error."""
    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match=message) as raised:
        assembled(*pieces)
    assert "The API sent a tool-call piece" in str(raised.value)


def test_common_params_are_renamed_by_default() -> None:
    """By default a format takes the common params it names; `None` is left out."""
    common = {"temperature": 0.5, "max_tokens": 9, "top_p": None}
    assert ToyWire().common_params(common) == {"temperature": 0.5}
    assert ToyWire().common_params({"temperature": None}) == {}
