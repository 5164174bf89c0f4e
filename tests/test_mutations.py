"""The generated suite can fail: break one behaviour, and it must go red.

Each mutation below undoes one behaviour the conformance suite is there to
guard (most of them an upstream trap the generated code avoids). The test
applies it to a copy of the default render and runs the generated suite, which
must fail. A mutation whose text is no longer found fails too, so this list is
kept in step with the template.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PKG = "src/mirascope_acme"
Edit = tuple[str, str, str]
"""A file of the generated package, a text in it, and what replaces the text."""

MUTATIONS: dict[str, tuple[str, list[Edit]]] = {
    # behaviour broken: (the test module that must fail, the edits that break it)
    "chunk finish reasons of [] erase the stream's": (
        "tests/conformance/test_streams.py",
        [
            (
                f"{PKG}/call_response_chunk.py",
                "return self.chunk.finish_reasons or None",
                "return self.chunk.finish_reasons or []",
            )
        ],
    ),
    "partial tools duplicated in the history": (
        "tests/conformance/test_streamed_tools.py",
        [
            (
                f"{PKG}/stream.py",
                "if not isinstance(tool_call, PartialToolCall)",
                "if tool_call is not None",
            )
        ],
    ),
    "a tool call that ends the stream is lost": (
        "tests/conformance/test_streamed_tools.py",
        [
            (
                f"{PKG}/_utils/_handle_stream.py",
                "return [tool for call in list(self._open.values())"
                " for tool in self._end(call)]",
                "return []",
            )
        ],
    ),
    "JSON with prose around it is not extracted": (
        "tests/conformance/test_structured_output.py",
        [
            (
                f"{PKG}/_utils/_get_json_output.py",
                "return first_json_object(response.content)",
                "return response.content",
            )
        ],
    ),
    "a dynamic-config client sticks to later calls": (
        "tests/conformance/test_dynamic_config.py",
        [
            (
                f"{PKG}/_utils/_setup_call.py",
                "client = chosen_client(dynamic_config)",
                "client = client or chosen_client(dynamic_config)",
            )
        ],
    ),
    "the decorator's client is not used": (
        "tests/test_client.py",
        [
            (
                f"{PKG}/_utils/_setup_call.py",
                "    return DECORATOR_CLIENT.get()",
                "    return None",
            )
        ],
    ),
    "zeros in common params are dropped": (
        "tests/test_wire.py",
        [
            (
                f"{PKG}/_neutral.py",
                "if key in names and value is not None",
                "if key in names and value",
            )
        ],
    ),
    "streams do not ask for usage": (
        "tests/conformance/test_streams.py",
        [(f"{PKG}/_wire.py", '"include_usage": True', '"include_usage": False')],
    ),
    "a cost reported by the API is ignored": (
        "tests/conformance/test_calls.py",
        [(f"{PKG}/_costs.py", "if metadata.cost is not None:", "if False:")],
    ),
    "an incomplete stream ends quietly": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_api.py",
                "raise _incomplete() if yielded else _CutShortError()\n"
                "                finally:\n                    response.close()",
                "return\n"
                "                finally:\n                    response.close()",
            )
        ],
    ),
    "rate limits are not retried": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_retry.py",
                "return status in RETRYABLE_STATUSES or status >= 500",
                "return status >= 500",
            )
        ],
    ),
    "Retry-After is ignored": (
        "tests/test_retry.py",
        [
            (
                f"{PKG}/_retry.py",
                "if wait is not None and wait <= self.max_retry_after:",
                "if False:",
            )
        ],
    ),
    "a Retry-After past the cap is cut to the cap": (
        "tests/test_retry.py",
        [
            (
                f"{PKG}/_retry.py",
                "if wait is not None and wait <= self.max_retry_after:\n"
                "                return wait",
                "if wait is not None:\n"
                "                return min(wait, self.max_retry_after)",
            )
        ],
    ),
    "a stream cut before its first chunk is not retried": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_api.py",
                "raise _incomplete() if yielded else _CutShortError()\n"
                "                finally:\n                    response.close()",
                "raise _incomplete()\n"
                "                finally:\n                    response.close()",
            )
        ],
    ),
    "an API key echoed in an error shows": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_redaction.py",
                'text = text.replace(secret, "[redacted]")',
                "pass",
            )
        ],
    ),
    "tool results lose their tool's name": (
        "tests/test_wire.py",
        [
            (
                f"{PKG}/_wire.py",
                'name=tool_names.get(message["tool_call_id"], ""),',
                'name="",',
            )
        ],
    ),
    "native messages are sent as the caller's own dicts": (
        "tests/test_wire.py",
        [
            (
                f"{PKG}/_neutral.py",
                "converted.append(dict(message))",
                "converted.append(message)",
            )
        ],
    ),
    "JSON mode changes the caller's history": (
        "tests/test_wire.py",
        [
            (
                f"{PKG}/_utils/_setup_call.py",
                "return [*messages[:-1],"
                ' BaseMessageParam(role="user", content=content)]',
                "last.content = content\n    return messages",
            )
        ],
    ),
    "base types crash JSON mode": (
        "tests/conformance/test_structured_output.py",
        [
            (
                f"{PKG}/_mirascope_private.py",
                "return _convert_base_type_to_base_tool(response_model, BaseModel)",
                "return response_model",
            )
        ],
    ),
    "async streams are not timed": (
        "tests/conformance/test_streams.py",
        [
            (
                f"{PKG}/_stream_lifecycle.py",
                "self.start_time = datetime.datetime.now().timestamp() * 1000",
                "pass",
            )
        ],
    ),
    "the default read timeout is not 600 s": (
        "tests/test_http.py",
        [(f"{PKG}/_settings.py", "DEFAULT_TIMEOUT = 600.0", "DEFAULT_TIMEOUT = 5.0")],
    ),
    "connecting may take as long as reading": (
        "tests/test_http.py",
        [
            (
                f"{PKG}/_settings.py",
                "MAX_CONNECT_TIMEOUT = 5.0",
                "MAX_CONNECT_TIMEOUT = 600.0",
            )
        ],
    ),
    "a timeout of 0, nan or inf seconds is taken": (
        "tests/test_errors.py",
        [(f"{PKG}/_settings.py", "(0 < number <= MAX_TIMEOUT)", "(number >= 0)")],
    ),
    "waits have no jitter": (
        "tests/test_retry.py",
        [
            (
                f"{PKG}/_retry.py",
                "return wait * (1 - self.jitter * self.rng())",
                "return wait",
            )
        ],
    ),
    "4xx the caller must fix are retried when the API says so": (
        "tests/test_retry.py",
        [
            (
                f"{PKG}/_retry.py",
                "if response.status_code in NEVER_RETRIED:",
                "if False:",
            )
        ],
    ),
    "the body on an error is unbounded": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/errors.py",
                "self.body = body[: self.BODY_EXCERPT]",
                "self.body = body",
            )
        ],
    ),
    "the message of an error is unbounded": (
        "tests/test_errors.py",
        [(f"{PKG}/_http.py", "message += said[:MESSAGE_LIMIT]", "message += said")],
    ),
    "a key echoed in a malformed answer shows": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_http.py",
                "error.args = (quoted(str(error), secrets_of(request)),)",
                "pass",
            )
        ],
    ),
    "bytes that are not UTF-8 in a stream become U+FFFD": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_sse.py",
                'codecs.getincrementaldecoder("utf-8")()',
                'codecs.getincrementaldecoder("utf-8")("replace")',
            )
        ],
    ),
    "a body that does not decode raises httpx's error": (
        "tests/test_errors.py",
        [(f"{PKG}/_http.py", "except httpx.DecodingError", "except ZeroDivisionError")],
    ),
    "a completion without choices is an empty answer": (
        "tests/test_errors.py",
        [(f"{PKG}/_wire.py", 'return "has no choices"', "return None")],
    ),
    "JSON cut off in JSON mode is not pydantic's error": (
        "tests/conformance/test_structured_output.py",
        [
            (
                f"{PKG}/_utils/_json_object.py",
                "raise invalid_json(ANSWER, content, reason)",
                "raise ValueError(reason)",
            )
        ],
    ),
    "a new tool call cuts off the one at its index": (
        "tests/test_wire.py",
        [
            (
                f"{PKG}/_wire.py",
                """raise _misfit(delta, f"call {call.id!r} there is not complete")""",
                "pass",
            )
        ],
    ),
    "an answer quoted in an error is cut before it is redacted": (
        "tests/test_errors.py",
        [(f"{PKG}/_redaction.py", "text[: 2 * MESSAGE_LIMIT]", "text[:MESSAGE_LIMIT]")],
    ),
    "the error behind a malformed answer keeps the key": (
        "tests/test_errors.py",
        [(f"{PKG}/_http.py", "error.__cause__ = error.__context__ = None", "pass")],
    ),
    "httpx's errors behind a connection error keep the key": (
        "tests/test_errors.py",
        [(f"{PKG}/_redaction.py", "while current is not None:", "while False:")],
    ),
    "a stream's connection is not reused": (
        "tests/test_errors.py",
        [(f"{PKG}/_api.py", "                                _drain(body)\n", "")],
    ),
    "the default client is built for every call": (
        "tests/test_client.py",
        [
            (
                f"{PKG}/_clients.py",
                "client = _shared_clients.get(key)\n"
                "        if client is None or client.is_closed:",
                "client = None\n        if True:",
            )
        ],
    ),
    "the async default client is built for every call": (
        "tests/test_client.py",
        [
            (
                f"{PKG}/_clients.py",
                "client = self.clients.get(key)\n"
                "        if client is None or client.is_closed:",
                "client = None\n        if True:",
            )
        ],
    ),
    "async default clients outlive their loop": (
        "tests/test_http.py",
        [(f"{PKG}/_clients.py", "await anext(self._closer)", "pass")],
    ),
    "only the environment's key is hidden": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/_redaction.py",
                "    for name in (*SENSITIVE_HEADERS, *names):",
                "    for name in ():",
            )
        ],
    ),
    "the key is sent over http to an API configured on https": (
        "tests/test_client.py",
        [
            (
                f"{PKG}/_http.py",
                "return url.scheme, url.host, url.port",
                "return '', url.host, url.port",
            )
        ],
    ),
    "a redirect to another origin takes the key along": (
        "tests/test_client.py",
        [
            (
                f"{PKG}/_http.py",
                "if origin(hop.url) != origin(request.url):",
                "if False:",
            )
        ],
    ),
    "httpcore's trace shows a key the API echoes": (
        "tests/test_errors.py",
        [(f"{PKG}/_redaction.py", "record.msg, record.args = redacted, None", "pass")],
    ),
    "keys in extra_headers show in dumps": (
        "tests/test_errors.py",
        [
            (
                f"{PKG}/call_response.py",
                "hidden = without_header_values(value)",
                "hidden = value",
            )
        ],
    ),
    "keys in a dynamic config's extra_headers show in dumps": (
        "tests/test_errors.py",
        [(f"{PKG}/_serialize.py", "else without_header_values(inner)", "else inner")],
    ),
    "the request-id header of other APIs is not read": (
        "tests/test_errors.py",
        [(f"{PKG}/_http.py", '"request-id"', '"x-other-request-id"')],
    ),
    "running usage is summed": (
        "tests/conformance/test_streams.py",
        [
            (
                f"{PKG}/stream.py",
                'if so_far is None or _wire.WIRE.usage_in_stream == "totals":',
                "if so_far is None:",
            )
        ],
    ),
    "recorded request headers keep the key": (
        "tests/test_live_mode.py",
        [
            (
                "tests/live.py",
                "request.headers[name] = redact(value, secrets)",
                "request.headers[name] = value",
            )
        ],
    ),
    "recorded responses keep their cookies": (
        "tests/test_live_mode.py",
        [
            (
                "tests/live.py",
                'DROPPED_RESPONSE_HEADERS = ("set-cookie",)',
                "DROPPED_RESPONSE_HEADERS = ()",
            )
        ],
    ),
    "replay matches recordings on their full path": (
        "tests/test_live_mode.py",
        [
            (
                "tests/live.py",
                'request["uri"] = rebased(request["uri"], recorded_base, configured)',
                'request["uri"] = request["uri"]',
            )
        ],
    ),
    "live expectations accept a value of any type": (
        "tests/test_live_mode.py",
        [
            (
                "tests/fake_exchange.py",
                "return IsInstance(type(value))",
                "return IsInstance(object)",
            )
        ],
    ),
    "live requests are not captured": (
        "tests/test_live_mode.py",
        [
            (
                "tests/live.py",
                "        self.requests.append(\n",
                "        list().append(\n",
            )
        ],
    ),
}


@pytest.mark.parametrize("behaviour", sorted(MUTATIONS))
def test_breaking_a_behaviour_fails_the_suite(
    default_project: Path, tmp_path: Path, behaviour: str
) -> None:
    """With the behaviour broken, the tests that guard it fail."""
    guard, edits = MUTATIONS[behaviour]
    project = tmp_path / "acme"
    shutil.copytree(default_project, project)
    for path, old, new in edits:
        source = project / path
        text = source.read_text()
        assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
        source.write_text(text.replace(old, new))

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", guard],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1, result.stdout[-2000:]
