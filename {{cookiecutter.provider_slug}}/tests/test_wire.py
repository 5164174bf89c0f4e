"""The wire format's case table (`wire_cases.py`), row by row.

Requests go through `{{ cookiecutter.__call_fn }}` to the fake API; messages, answers, stream
events and error bodies go through the adapter (`_wire.WIRE`) and the shared
modules that read it, as a call would take them. Nothing here knows the
format: every JSON value is the table's.
"""

import copy
import json
from typing import Any, cast

import pytest

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}CallParams,
    {{ cookiecutter.__prefix }}CallResponse,
    {{ cookiecutter.__prefix }}DynamicConfig,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}Stream,
    {{ cookiecutter.__prefix }}Tool,
    {{ cookiecutter.__call_fn }},
)
from {{ cookiecutter.__pkg }}._neutral import Chunk, PartialToolCall, Usage
from {{ cookiecutter.__pkg }}._sse import ServerSentEvent
from {{ cookiecutter.__pkg }}._utils._handle_stream import handle_stream
from {{ cookiecutter.__pkg }}._utils._message_param_converter import (
    {{ cookiecutter.__prefix }}MessageParamConverter,
    common_finish_reasons,
)
from {{ cookiecutter.__pkg }}._wire import WIRE
from {{ cookiecutter.__pkg }}.errors import status_error_class

from . import wire_cases
from .conftest import Runner
from .fake_exchange import ToolCallReply, example_of
from .fake_server import FakeAPI
from .wire_inputs import PROMPT
from .wire_table import (
    AnswerCase,
    ErrorCase,
    MessageCase,
    ReadCall,
    RequestCase,
    StreamCase,
)


class Lookup({{ cookiecutter.__prefix }}Tool):
    """Looks a word up."""

    word: str

    def call(self) -> str:
        """Returns the word."""
        return self.word


def _rows(kind: str) -> list[Any]:
    """The table's rows of a kind (none if the table lacks the kind)."""
    return list(getattr(wire_cases, kind, []))


def _id(case: Any) -> str:
    return case.id


@pytest.mark.parametrize("case", _rows("REQUESTS"), ids=_id)
def test_request(case: RequestCase, fake_api: FakeAPI, run: Runner) -> None:
    """The call sends exactly the row's body, to its path, with its headers."""
    messages = list(case.messages or [PROMPT])
    given = copy.deepcopy(messages)

    def prompt() -> {{ cookiecutter.__prefix }}DynamicConfig:
        return cast({{ cookiecutter.__prefix }}DynamicConfig, {"messages": messages})

    decorator: Any = {{ cookiecutter.__call_fn }}  # every mode at once: no one overload of its
    call = decorator(
        case.model,
        stream=case.stream,
        tools=list(case.tools) or None,
        response_model=case.response_model,
        json_mode=case.json_mode,
        call_params=case.call_params,
    )
    model = case.response_model
    if model is None:
        reply = fake_api.reply("Dune.")
    elif case.json_mode:
        reply = fake_api.reply(json.dumps(example_of(model.model_json_schema())))
    else:
        example = example_of(model.model_json_schema())
        reply = fake_api.reply(tool_calls=[ToolCallReply(model.__name__, example)])
    if not case.stream:
        run(prompt, call)()
    elif model is not None:
        run.structured(prompt, call)()
    else:
        stream, _ = run.stream(prompt, call)()
        tokens = (stream.input_tokens, stream.output_tokens)
        assert tokens == (reply.input_tokens, reply.output_tokens)

    sent = fake_api.last
    assert sent.json == case.body
    if case.path is not None:
        assert sent.path == f"{fake_api.base_path}/{case.path}"
    for name, value in case.headers.items():
        assert sent.headers.get(name.lower()) == value, name
    assert messages == given


def test_every_call_param_has_a_row() -> None:
    """Each of the package's call params is sent by some request row."""
    params = {{ cookiecutter.__prefix }}CallParams.__required_keys__ | {{ cookiecutter.__prefix }}CallParams.__optional_keys__
    sent = {key for case in _rows("REQUESTS") for key in case.call_params}
    assert params <= sent, f"tests/wire_cases.py sends none of {sorted(params - sent)}"


@pytest.mark.parametrize("case", _rows("MESSAGES"), ids=_id)
def test_messages(case: MessageCase) -> None:
    """Messages convert to the API's shape, and back, as the row says."""
    mirascope: Any = list(case.mirascope)  # Mirascope's and the API's own
    if case.error is not None:
        with pytest.raises(ValueError, match=case.error):
            {{ cookiecutter.__prefix }}MessageParamConverter.to_provider(mirascope)
        return
    if case.way != "from_wire":
        converted = {{ cookiecutter.__prefix }}MessageParamConverter.to_provider(mirascope)
        assert converted == list(case.wire)
        assert not [m for m in converted if any(m is g for g in case.mirascope)]
    if case.way != "to_wire":
        wire: Any = list(case.wire)
        assert {{ cookiecutter.__prefix }}MessageParamConverter.from_provider(wire) == list(case.mirascope)


def _calls(calls: Any) -> list[ReadCall]:
    return [ReadCall(c.name, json.loads(c.arguments), c.id) for c in calls]


@pytest.mark.parametrize("case", _rows("ANSWERS"), ids=_id)
def test_answer(case: AnswerCase) -> None:
    """An answer reads as the row's neutral values, or is refused."""
    payload = case.payload
    content = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
    if case.error is not None:
        with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match=case.error):
            WIRE.completion(content)
        return
    read = WIRE.completion(content)
    assert (read.text, _calls(read.tool_calls)) == (case.text, list(case.tool_calls))
    assert read.finish_reasons == list(case.finish_reasons)
    if case.common_finish_reasons is not None:
        common = common_finish_reasons(read.finish_reasons)
        assert common == list(case.common_finish_reasons)
    assert (read.usage, read.model, read.id) == (case.usage, case.model, case.id_)


def _events(case: StreamCase) -> list[ServerSentEvent]:
    events: list[ServerSentEvent] = []
    for event in case.events:
        name, data = event if isinstance(event, tuple) else ("message", event)
        text = data if isinstance(data, str) else json.dumps(data)
        events.append(ServerSentEvent(name, text, None))
    return events


def _streamed(tool: {{ cookiecutter.__prefix }}Tool) -> ReadCall:
    call = tool.tool_call
    if isinstance(call, PartialToolCall):
        return ReadCall(call.name, tool.args, call.id, tool.delta)
    return ReadCall(call.name, json.loads(call.arguments), call.id, tool.delta)


def _index(read: list[tuple[int, Chunk]], chunk: Chunk) -> int | None:
    """Where `chunk` is among the chunks read (None: the package added it)."""
    return next((i for i, (_, known) in enumerate(read) if known is chunk), None)


@pytest.mark.parametrize("case", _rows("STREAMS"), ids=_id)
def test_stream(case: StreamCase) -> None:
    """A stream's events read as the row's text, tools, reasons and usage."""
    reader = WIRE.stream_reader()
    complete: list[bool] = []
    read: list[tuple[int, Chunk]] = []
    """Each chunk the reader gave, with the position of its event."""

    def chunks() -> Any:
        for position, event in enumerate(_events(case)):
            for chunk in reader.read(event):
                read.append((position, chunk))
                yield chunk
        for chunk in reader.finish():
            read.append((len(case.events), chunk))
            yield chunk
        complete.append(reader.complete)

    stream = {{ cookiecutter.__prefix }}Stream(
        stream=handle_stream(chunks(), [Lookup], partial_tools=case.partial_tools),
        metadata={},
        tool_types=[Lookup],
        call_response_type={{ cookiecutter.__prefix }}CallResponse,
        model="",
        prompt_template=None,
        fn_args={},
        dynamic_config=None,
        messages=[],
        call_params={},
        call_kwargs=cast(Any, {"model": "", "messages": []}),
    )
    if case.error is not None:
        with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match=case.error):
            list(stream)
        return
    pairs = [(c.chunk, tool, _index(read, c.chunk)) for c, tool in stream]
    assert [i for _, _, i in pairs if i is not None] == list(range(len(read)))
    added = [(chunk, tool) for chunk, tool, i in pairs if i is None]
    assert all(chunk == Chunk() and tool is not None for chunk, tool in added)
    tools = [(tool, i) for _, tool, i in pairs if tool is not None]
    assert [_streamed(tool) for tool, _ in tools] == list(case.tool_calls)
    if case.carried_by is not None:
        carriers = [None if i is None else read[i][0] for _, i in tools]
        assert carriers == list(case.carried_by)
    assert stream.content == case.text
    assert stream.finish_reasons == case.finish_reasons
    counts = (stream.input_tokens, stream.cached_tokens, stream.output_tokens)
    input_tokens, cached_tokens, output_tokens = (
        None if count is None else int(count) for count in counts
    )
    usage = Usage(
        input_tokens=input_tokens,
        cached_tokens=cached_tokens,
        output_tokens=output_tokens,
        cost=stream.cost_metadata.cost,
    )
    assert usage == (case.usage or Usage())
    assert complete == [case.complete]


@pytest.mark.parametrize("case", _rows("ERRORS"), ids=_id)
def test_error_body(case: ErrorCase) -> None:
    """An error body gives the row's message, and its status the row's error."""
    body = case.body if isinstance(case.body, str) else json.dumps(case.body)
    assert WIRE.error_message(body) == case.message
    if case.error is not None:
        status = WIRE.error_status(case.status, body.encode())
        assert status_error_class(status).__name__ == case.error
