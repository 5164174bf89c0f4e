"""The Responses format checked by code nobody here wrote: openai-python's types.

A package rendered with `openai-responses` sends its requests to its own fake
API, in a subprocess (`DRIVER`): the request rows of its case table, and two
stateless tool round trips with reasoning (a call, and a stream). The bodies it
sent, and the fake API's answers and stream events for a range of replies, are
validated against `openai.types.responses` (`vendor_checks/responses.py`), in
a Python that sees only the pinned SDK (`vendor_types.py`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import render
from .vendor_types import check

DRIVER = r'''
import json
import os

from mirascope.core import prompt_template

from tests import fake_wire, wire_cases
from tests.fake_exchange import Reply, ToolCallReply
from tests.fake_server import FakeAPI

api = FakeAPI("sk-types")
api.start()
os.environ.update(
    ACME_API_KEY="sk-types", ACME_BASE_URL=api.url, ACME_MAX_RETRIES="0"
)

from mirascope_acme import acme_call  # noqa: E402  (reads the environment)


def lookup(word: str) -> str:
    """Looks a word up."""
    return f"{word}: a fluid"


REASONING = {"reasoning": {"effort": "low"}}


def round_trip(stream: bool) -> None:
    """A tool call after reasoning, its result, and the answer, without `store`."""

    @acme_call("gpt-5-mini", tools=[lookup], stream=stream, call_params=REASONING)
    @prompt_template("MESSAGES: {history}")
    def chat(history: list) -> None: ...

    api.reply(tool_calls=[ToolCallReply("lookup", {"word": "ink"})])
    api.reply("Ink is a fluid.")
    history: list = [{"role": "user", "content": "What is ink?"}]
    first = chat(history)
    if stream:
        done = [(tool, tool.call()) for _, tool in first if tool is not None]
    else:
        done = [(tool, tool.call()) for tool in first.tools]
    history += [first.message_param, *first.tool_message_params(done)]
    second = chat(history)
    if stream:
        list(second)  # a stream is sent as it is read


round_trip(stream=False)
round_trip(stream=True)
sent = [request.json for request in api.requests]
api.stop()

REQUEST = {"model": "gpt-5-mini", "input": [{"role": "user", "content": "Hi"}]}
REQUESTS = [
    REQUEST,
    {**REQUEST, **REASONING, "include": ["reasoning.encrypted_content"]},
]
REPLIES = [
    Reply("Dune."),
    Reply(tool_calls=[ToolCallReply("lookup", {"word": "ink"})] * 2),
    Reply("Dune, by Frank", finish_reason="length", cached_tokens=3),
    Reply("Du", finish_reason="content_filter", usage=False),
    Reply("Dune.", usage_every_chunk=True, model=""),
    Reply(tool_calls=[ToolCallReply("lookup", "{}")], closing_chunks=False),
]
answers = []
events = []
for request in REQUESTS:
    for reply in REPLIES:
        answers.append(fake_wire.completion(request, reply))
        frames = [*fake_wire.events(request, reply), fake_wire.error_event("Down.")]
        for frame in frames:
            name, data = frame.removesuffix("\n\n").split("\n")
            events.append(
                [name.removeprefix("event: "), json.loads(data.removeprefix("data: "))]
            )
print(
    json.dumps(
        {
            "rows": [case.body for case in wire_cases.REQUESTS],
            "sent": sent,
            "answers": answers,
            "events": events,
        }
    )
)
'''
"""Runs in the rendered project (default answers: the package `mirascope_acme`)."""


@pytest.fixture(scope="module")
def exchanges(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the rendered package sent, and what its fake API answered."""
    project = render(
        template,
        tmp_path_factory.mktemp("responses-types"),
        wire_format="openai-responses",
    )
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=project,
        env={**os.environ, "PYTHONPATH": f"{project / 'src'}{os.pathsep}{project}"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_request_rows_are_the_sdks_request(exchanges: Any) -> None:
    """Each request row's body (what the package sends, per its suite) is valid."""
    assert len(exchanges["rows"]) >= 10
    assert check("responses", {"requests": exchanges["rows"]}) == []


def test_a_stateless_round_trip_sends_its_reasoning_back(exchanges: Any) -> None:
    """The bodies of two tool round trips are valid, reasoning sent back whole."""
    sent = exchanges["sent"]
    assert check("responses", {"requests": sent}) == []
    assert [bool(body.get("stream")) for body in sent] == [False, False, True, True]
    for body in sent:
        assert body["store"] is False
        assert body["include"] == ["reasoning.encrypted_content"]
    for second in (sent[1], sent[3]):
        kinds = [item.get("type", item.get("role")) for item in second["input"]]
        assert kinds == ["user", "reasoning", "function_call", "function_call_output"]
        reasoning = second["input"][1]
        assert reasoning["encrypted_content"] == "gAAAA-fake-encrypted-reasoning"
        call, result = second["input"][2:]
        assert call["call_id"] == result["call_id"] == "call_1"
        assert result["output"] == "ink: a fluid"


def test_the_fake_apis_answers_and_events_are_the_sdks(exchanges: Any) -> None:
    """Every answer is a `Response`, every event a `ResponseStreamEvent`."""
    names = {name for name, _ in exchanges["events"]}
    assert {
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.output_item.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.delta",
        "response.output_text.done",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.completed",
        "response.incomplete",
        "error",
    } <= names
    payload = {"answers": exchanges["answers"], "events": exchanges["events"]}
    assert check("responses", payload) == []


TOOL = {"type": "function", "name": "f", "parameters": {}, "strict": False}
BAD = {
    "requests": [
        {"model": "m", "messages": [{"role": "user", "content": "Hi"}]},
        {"model": "m", "input": [{"type": "tool_result", "content": "x"}]},
        {"model": "m", "input": "Hi", "tools": [{"type": "function", "name": "f"}]},
        {"model": "m", "input": "Hi", "text": {"format": {"type": "json_schema"}}},
        {"model": "m", "input": [{"role": "user", "content": "Hi", "name": "ann"}]},
        {"model": "m", "input": "Hi", "tools": [{**TOOL, "oops": 1}]},
    ],
    "answers": [
        {"id": "r", "object": "response", "output": []},
        {
            "id": "r",
            "object": "response",
            "created_at": 0,
            "model": "m",
            "output": [
                {
                    "type": "message",
                    "id": "m",
                    "role": "assistant",
                    "status": "completed",
                    "content": [],
                    "surprise": 1,
                }
            ],
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
        },
    ],
    "events": [
        ["response.output_text.delta", {"type": "response.output_text.delta"}],
        ["response.completed", {"type": "error", "message": "x", "sequence_number": 1}],
    ],
}
"""One of each mistake the check must catch."""


def test_the_check_refuses_what_the_sdk_does() -> None:
    """A body with unknown keys or items, or a malformed answer or event, fails.

    Unknown keys fail in nested typed dicts too, and in those of an iterable.
    """
    problems = check("responses", BAD)
    for kind, count in (("request", 6), ("answer", 2), ("event", 2)):
        for i in range(count):
            assert any(p.startswith(f"{kind} {i}") for p in problems), (kind, i)
