"""The fake API itself: it refuses what the real API refuses.

The conformance suite relies on these refusals: a request the package sends
wrongly fails there as it would against the API.
"""

from typing import Any

import httpx
import pytest

from .conftest import FAKE_API_KEY
from .fake_server import FakeAPI

USER = {"role": "user", "content": "Hi"}
CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
TOOL = {"type": "function", "function": {"name": "f", "parameters": {}}}


def post(api: FakeAPI, body: dict[str, Any], key: str = FAKE_API_KEY) -> httpx.Response:
    """Posts a raw request body to the fake API."""
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.post(f"{api.url}/chat/completions", json=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"messages": [USER]}, "'model' is required"),
        ({"model": "m", "messages": []}, "non-empty array"),
        ({"model": "m", "messages": [{"role": "robot", "content": "x"}]}, "role"),
        ({"model": "m", "messages": [{"role": "user"}]}, "content is required"),
        (
            {
                "model": "m",
                "messages": [{"role": "tool", "content": "x", "tool_call_id": "c1"}],
            },
            "must be a response to a preceding message with 'tool_calls'",
        ),
        (
            {
                "model": "m",
                "messages": [{"role": "assistant", "tool_calls": [CALL]}, USER],
            },
            "must be followed by tool messages",
        ),
        (
            {
                "model": "m",
                "messages": [USER],
                "tools": [{"type": "function", "function": {"name": "bad name"}}],
            },
            "Invalid tool",
        ),
        (
            {"model": "m", "messages": [USER], "tool_choice": "auto"},
            "only allowed when 'tools'",
        ),
        (
            {
                "model": "m",
                "messages": [USER],
                "tools": [TOOL],
                "tool_choice": {"type": "function", "function": {"name": "g"}},
            },
            "undefined tool",
        ),
        (
            {
                "model": "m",
                "messages": [USER],
                "response_format": {"type": "json_object"},
            },
            "must contain the word 'json'",
        ),
        (
            {"model": "m", "messages": [USER], "stream_options": {}},
            "only allowed when 'stream'",
        ),
    ],
)
def test_invalid_requests_are_refused(
    fake_api: FakeAPI, body: dict[str, Any], message: str
) -> None:
    """A request the API reference forbids gets a 400 saying why."""
    response = post(fake_api, body)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_a_wrong_key_is_refused(fake_api: FakeAPI) -> None:
    """A request without the right key gets a 401."""
    response = post(fake_api, {"model": "m", "messages": [USER]}, key="wrong")
    assert response.status_code == 401


def test_an_unknown_path_is_not_found(fake_api: FakeAPI) -> None:
    """A request to another path gets a 404."""
    response = httpx.post(f"{fake_api.url}/completions", json={})
    assert response.status_code == 404


def test_a_valid_request_without_a_reply(fake_api: FakeAPI) -> None:
    """A valid request when no reply is queued says so."""
    response = post(fake_api, {"model": "m", "messages": [USER]})
    assert response.status_code == 400
    assert "no reply queued" in response.json()["error"]["message"]
