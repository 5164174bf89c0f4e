"""Streams: content, usage, finish reasons, cost and the history they leave."""

import pytest
from mirascope.core import prompt_template

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}CallResponse,
    {{ cookiecutter.__prefix }}CallResponseChunk,
    {{ cookiecutter.__prefix }}Stream,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._wire import WIRE

from .. import fake_wire
from ..conftest import API, Runner
from ..fake_server import FakeAPI
from . import native

MODEL = "{{ cookiecutter.default_model }}"
BOOK = prompt_template("Recommend a {genre} book")


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


def test_stream_assembles_the_content(fake_api: FakeAPI, run: Runner) -> None:
    """Chunks arrive one by one and add up to the whole answer."""
    fake_api.reply("Try Dune, by Frank Herbert.", piece_size=3)

    stream, pairs = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    assert isinstance(stream, {{ cookiecutter.__prefix }}Stream)
    chunks = [chunk for chunk, _ in pairs]
    assert all(isinstance(chunk, {{ cookiecutter.__prefix }}CallResponseChunk) for chunk in chunks)
    assert [c.content for c in chunks if c.content][:3] == ["Try", " Du", "ne,"]
    assert stream.content == "Try Dune, by Frank Herbert."
    assert stream.model == MODEL
    assert stream.id == fake_wire.COMPLETION_ID
    assert fake_api.last.sent.stream


@pytest.mark.live
def test_stream_usage_is_counted_once(api: API, run: Runner) -> None:
    """Usage, sent once at the end, is the stream's usage; cost follows from it."""
    expected = api.reply("Dune.", input_tokens=300, output_tokens=20, cached_tokens=100)

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    tokens = (stream.input_tokens, stream.cached_tokens, stream.output_tokens)
    assert tokens == (
        expected.input_tokens,
        expected.cached_tokens,
        expected.output_tokens,
    )
    inputs, cached, outputs = tokens
    assert inputs is not None
    assert cached is not None
    assert outputs is not None
    price = WIRE.prices[MODEL]
    assert price.cached_input is not None
    uncached = inputs - cached
    cost = uncached * price.input + cached * price.cached_input + outputs * price.output
    assert stream.cost == pytest.approx(cost / 1e6)


def test_running_usage_is_not_counted_twice(fake_api: FakeAPI, run: Runner) -> None:
    """A server that sends the running usage with every chunk is not overcounted."""
    fake_api.reply(
        "Dune, by Frank Herbert.",
        input_tokens=10,
        output_tokens=3,
        usage_every_chunk=True,
    )

    stream, pairs = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    assert len([chunk for chunk, _ in pairs if chunk.usage is not None]) > 3
    assert (stream.input_tokens, stream.output_tokens) == (10, 3)


def test_stream_keeps_the_final_finish_reason(fake_api: FakeAPI, run: Runner) -> None:
    """The usage chunk after the finish reason does not erase it."""
    fake_api.reply("Dune", finish_reason="length")

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    assert stream.finish_reasons == [fake_wire.FINISH_REASONS["length"]]


@pytest.mark.live
def test_construct_call_response(api: API, run: Runner) -> None:
    """A consumed stream becomes the response a call would have given."""
    expected = api.reply("Dune.", input_tokens=7, output_tokens=3)

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )
    response = stream.construct_call_response()

    assert isinstance(response, {{ cookiecutter.__prefix }}CallResponse)
    assert response.content == stream.content == expected.text
    tokens = (response.input_tokens, response.output_tokens)
    assert tokens == (expected.input_tokens, expected.output_tokens)
    assert response.finish_reasons == [fake_wire.FINISH_REASONS["stop"]]
    assert response.common_finish_reasons == ["stop"]
    assert response.cost == pytest.approx(stream.cost)
    assert response.message_param == stream.message_param
    assert response.model_dump()["content"] == response.content
    assert response.user_message_param == native("user", "Recommend a fantasy book")


@pytest.mark.live
def test_stream_message_param_and_timing(api: API, run: Runner) -> None:
    """The assistant message for the history; the stream is timed, async too."""
    expected = api.reply("Dune.")

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    assert stream.content == expected.text
    assert stream.message_param == fake_wire.assistant_message(stream.content)
    assert 0 < stream.start_time <= stream.end_time


def test_an_unconsumed_stream_has_no_response(fake_api: FakeAPI) -> None:
    """`construct_call_response` refuses a stream that was not consumed."""

    @{{ cookiecutter.__call_fn }}(MODEL, stream=True)
    @prompt_template("Recommend a {genre} book")
    def stream_book(genre: str): ...

    with pytest.raises(ValueError, match="has been consumed"):
        stream_book("fantasy").construct_call_response()
    assert fake_api.requests == []


@pytest.mark.live
def test_chunk_finish_reasons(api: API, run: Runner) -> None:
    """Content chunks have no finish reason (`None`); the last chunk has one."""
    api.reply("Dune.")

    _, pairs = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    reasons = [chunk.common_finish_reasons for chunk, _ in pairs]
    assert reasons[0] is None
    assert ["stop"] in reasons


def test_a_stream_without_usage(fake_api: FakeAPI, run: Runner) -> None:
    """A server that never reports usage gives `None` tokens and cost."""
    fake_api.reply("Dune.", usage=False)

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))(
        "fantasy"
    )

    assert (stream.input_tokens, stream.output_tokens) == (None, None)
    assert stream.cost is None
    response = stream.construct_call_response()
    assert response.usage is None
    assert response.cost is None


def test_a_stream_cost_reported_by_the_api(fake_api: FakeAPI, run: Runner) -> None:
    """A cost in the stream's usage is its cost, and its response's."""
    fake_api.reply("Dune.", cost=0.0042)

    stream, pairs = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}("some-unlisted-model", stream=True)
    )("fantasy")

    assert pairs[-1][0].cost_metadata.cost == pytest.approx(0.0042)
    assert stream.cost == pytest.approx(0.0042)
    assert stream.construct_call_response().cost == pytest.approx(0.0042)
