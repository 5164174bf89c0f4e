"""The Gemini format, checked against google-genai's own types.

The provider's request bodies (the rows of the rendered package's case table,
which its suite checks against what a call sends) and the fake API's answers
and stream events (for scripted replies, and the table's rows of answers and
events) are validated by the SDK's pydantic models (`vendor_checks/gemini.py`),
in a Python that sees only the SDKs.
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

WIRE_FORMAT = "gemini-generate-content"

EXPORT = r'''
import json

from tests import fake_wire, wire_cases
from tests.fake_exchange import Reply, ToolCallReply

replies = [
    Reply("Dune, by Frank Herbert."),
    Reply("Dune.", cached_tokens=4, model="gemini-2.5-flash"),
    Reply("Du", finish_reason="length"),
    Reply("", finish_reason="content_filter", usage=False),
    Reply("Let me see.", tool_calls=[ToolCallReply("format_book", {"title": "Dune"})]),
    Reply(tool_calls=[
        ToolCallReply("f", {"x": [1, {"y": None}]}, "fc-9"),
        ToolCallReply("g", {}),
    ]),
    Reply("Dune.", usage_every_chunk=True),
]


def plain(value):
    """Rows without what gateways add (`cost`, `"error": null`), not Gemini's."""
    return "cost" not in json.dumps(value) and "error" not in value


events = []
for reply in replies:
    for frame in fake_wire.events({}, reply):
        events.append(json.loads(frame.removeprefix("data: ")))
events += [
    event
    for case in wire_cases.STREAMS
    if case.error is None
    for event in case.events
    if isinstance(event, dict) and plain(event)
]
print(json.dumps({
    "requests": [case.body for case in wire_cases.REQUESTS]
    + [case.body for case in wire_cases.FAKE_API if case.status == 200],
    "responses": [fake_wire.completion({}, reply) for reply in replies]
    + [
        case.payload
        for case in wire_cases.ANSWERS
        if case.error is None and isinstance(case.payload, dict) and plain(case.payload)
    ],
    "events": events,
}))
'''
"""Run in the rendered project: prints its requests, answers and events as JSON."""


@pytest.fixture(scope="module")
def payloads(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the rendered Gemini package sends, and what its fake API answers."""
    project = render(
        template, tmp_path_factory.mktemp("gemini"), wire_format=WIRE_FORMAT
    )
    done = subprocess.run(
        [sys.executable, "-c", EXPORT],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_requests_answers_and_events_fit_the_sdks_types(payloads: Any) -> None:
    """Every request body, answer and event is what google-genai's types describe."""
    result = check("gemini", payloads)
    assert result["failures"] == [], json.dumps(result["failures"], indent=1)
    assert result["checked"] == {kind: len(payloads[kind]) for kind in payloads}
    assert min(result["checked"].values()) >= 10


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        (
            "requests",
            {"model": "m", "contents": []},
            "unknown request fields ['model']",
        ),
        ("requests", {"contents": [{"role": "assistant", "parts": []}]}, "roles"),
        (
            "requests",
            {"contents": [{"role": "user", "parts": [{"type": "text"}]}]},
            "contents",
        ),
        (
            "responses",
            {"candidates": [{"content": {"parts": [{"functionCall": {"args": "{"}}]}}]},
            "args",
        ),
        ("events", {"candidates": [], "choices": []}, "choices"),
    ],
    ids=["a field", "a role", "a part", "arguments of text", "another format's"],
)
def test_the_sdks_types_refuse_what_gemini_refuses(
    kind: str, value: Any, error: str
) -> None:
    """The check can fail: the SDK refuses what is not Gemini's JSON."""
    [failure] = check("gemini", {kind: [value]})["failures"]
    assert error in failure["error"]
