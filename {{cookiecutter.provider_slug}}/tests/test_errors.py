"""Failures: each class of API failure raises the package's error, sync and async."""

import copy
import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from mirascope.core import prompt_template
from mirascope.core.base import BaseMessageParam

from {{ cookiecutter.__pkg }} import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}AuthenticationError,
    {{ cookiecutter.__prefix }}BadRequestError,
    {{ cookiecutter.__prefix }}CallParams,
    {{ cookiecutter.__prefix }}ConnectionError,
    {{ cookiecutter.__prefix }}DynamicConfig,
    {{ cookiecutter.__prefix }}Error,
    {{ cookiecutter.__prefix }}MissingAPIKeyError,
    {{ cookiecutter.__prefix }}NotFoundError,
    {{ cookiecutter.__prefix }}RateLimitError,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}ServerError,
    {{ cookiecutter.__prefix }}TimeoutError,
    RetryPolicy,
    _wire,
    {{ cookiecutter.__call_fn }},
    use_retry_policy,
)
from {{ cookiecutter.__pkg }}._api import DRAIN_LIMIT
from {{ cookiecutter.__pkg }}._redaction import MESSAGE_LIMIT
from {{ cookiecutter.__pkg }}._settings import API_KEY_ENV, BASE_URL_ENV
from {{ cookiecutter.__pkg }}._types import MessageParam
from {{ cookiecutter.__pkg }}._utils._message_param_converter import {{ cookiecutter.__prefix }}MessageParamConverter
from {{ cookiecutter.__pkg }}._wire import WIRE

from . import fake_wire
from .conftest import FAKE_API_KEY, Runner
from .fake_server import FakeAPI
from .test_adapter_paths import TOY_KEY, start_toy_api
from .toy_wire import ToyWire

MODEL = "{{ cookiecutter.default_model }}"
BOOK = prompt_template("Recommend a {genre} book")
NO_WAIT = {"retry-after": "0"}
TIMEOUT_RULE = "{{ cookiecutter.__env_timeout }} must be a number of seconds, more than 0"


def recommend_book(genre: str) -> None:
    """The prompt function of these tests."""


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, {{ cookiecutter.__prefix }}BadRequestError),
        (401, {{ cookiecutter.__prefix }}AuthenticationError),
        (403, {{ cookiecutter.__prefix }}AuthenticationError),
        (404, {{ cookiecutter.__prefix }}NotFoundError),
        (422, {{ cookiecutter.__prefix }}BadRequestError),
    ],
)
def test_client_errors_are_raised_at_once(
    fake_api: FakeAPI, run: Runner, status: int, error: type[{{ cookiecutter.__prefix }}APIStatusError]
) -> None:
    """A 4xx the caller must fix is not retried, and says what the API said."""
    headers = {"x-request-id": "req_42"}
    fake_api.reply("You asked for too much.", status=status, headers=headers)

    with pytest.raises(error) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert len(fake_api.requests) == 1
    assert raised.value.status_code == status
    assert raised.value.request_id == "req_42"
    assert "You asked for too much." in str(raised.value)
    assert "req_42" in str(raised.value)
    assert (
        json.loads(raised.value.body)["error"]["message"] == "You asked for too much."
    )


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (408, {{ cookiecutter.__prefix }}APIStatusError),
        (409, {{ cookiecutter.__prefix }}APIStatusError),
        (429, {{ cookiecutter.__prefix }}RateLimitError),
        (500, {{ cookiecutter.__prefix }}ServerError),
        (503, {{ cookiecutter.__prefix }}ServerError),
    ],
)
def test_transient_errors_are_retried_twice(
    fake_api: FakeAPI, run: Runner, status: int, error: type[{{ cookiecutter.__prefix }}APIStatusError]
) -> None:
    """Rate limits and server errors are tried three times, then raised."""
    for _ in range(3):
        fake_api.reply("Busy.", status=status, headers=NO_WAIT)

    with pytest.raises(error, match="Busy"):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert len(fake_api.requests) == 3


def test_a_retry_can_succeed(fake_api: FakeAPI, run: Runner) -> None:
    """A server error followed by an answer is just an answer."""
    fake_api.reply("Busy.", status=503, headers=NO_WAIT)
    fake_api.reply("Dune.")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert response.content == "Dune."
    assert len(fake_api.requests) == 2


@pytest.mark.parametrize(("value", "tries"), [("0", 1), ("1", 2), ("4", 5)])
def test_retries_are_configurable(
    fake_api: FakeAPI,
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    tries: int,
) -> None:
    """`{{ cookiecutter.__env_max_retries }}` sets the default client's retries."""
    monkeypatch.setenv("{{ cookiecutter.__env_max_retries }}", value)
    for _ in range(tries):
        fake_api.reply("Busy.", status=500, headers=NO_WAIT)

    with pytest.raises({{ cookiecutter.__prefix }}ServerError):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert len(fake_api.requests) == tries


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("{{ cookiecutter.__env_max_retries }}", "two", "{{ cookiecutter.__env_max_retries }} must be a whole number"),
        ("{{ cookiecutter.__env_max_retries }}", "-1", "{{ cookiecutter.__env_max_retries }} must be a whole number"),
        *[
            ("{{ cookiecutter.__env_timeout }}", value, TIMEOUT_RULE)
            for value in ("soon", "-1", "0", "-0", "nan", "inf", "1e309", "86401")
        ],
    ],
)
def test_bad_settings_are_refused_clearly(
    fake_api: FakeAPI,
    run: Runner,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
    expected: str,
) -> None:
    """A setting not a number, or out of range, fails, naming the variable and value."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=expected) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    assert repr(value) in str(raised.value)
    assert fake_api.requests == []


def recording_policy(max_retries: int = 2) -> tuple[RetryPolicy, list[float]]:
    """A retry policy whose waits are recorded, not slept."""
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(
        max_retries=max_retries, sleep=waits.append, async_sleep=async_sleep
    )
    return policy, waits


@pytest.mark.parametrize("client", ["default", "yours"])
def test_waits_honour_retry_after(fake_api: FakeAPI, run: Runner, client: str) -> None:
    """The waits are the API's `Retry-After`, or backoff, whatever the client.

    A wait the API asks for beyond `max_retry_after` is replaced by backoff.
    """
    policy, waits = recording_policy(max_retries=4)
    yours = run.client(base_url=fake_api.url) if client == "yours" else None
    fake_api.reply("Slow down.", status=429, headers={"retry-after": "7"})
    fake_api.reply("Slow down.", status=429, headers={"retry-after-ms": "1250"})
    fake_api.reply("Oops.", status=502)
    fake_api.reply("Slow down.", status=429, headers={"retry-after": "3600"})
    fake_api.reply("Dune.")

    with use_retry_policy(policy):
        response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, client=yours))("sf")

    assert response.content == "Dune."
    assert waits[:2] == [7.0, 1.25]
    assert 1.5 <= waits[2] <= 2.0
    assert 3.0 <= waits[3] <= 4.0


def test_a_user_client_is_retried_once_over(fake_api: FakeAPI, run: Runner) -> None:
    """Your own client gets the package's retries, and no request is retried twice."""
    client = run.client(base_url=fake_api.url)
    fake_api.reply("Busy.", status=503, headers=NO_WAIT)
    fake_api.reply("Dune.")

    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, client=client))("sf")

    assert response.content == "Dune."
    assert len(fake_api.requests) == 2


@pytest.mark.parametrize("fault", ["drop", "stall"])
def test_a_call_whose_body_breaks_is_retried(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """A body that breaks off or stalls after the headers is retried like no answer."""
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "0.3")
    policy, waits = recording_policy()
    fake_api.reply("Dune.", body_fault=fault)
    fake_api.reply("Dune.")

    with use_retry_policy(policy):
        response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert response.content == "Dune."
    assert len(fake_api.requests) == 2
    assert len(waits) == 1


@pytest.mark.parametrize("fault", ["drop", "stall", "truncate"])
def test_a_stream_that_breaks_before_its_first_chunk_is_retried(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """A stream that drops, stalls or ends before anything reached the caller."""
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "0.3")
    policy, waits = recording_policy()
    fake_api.reply("Dune.", stream_fault=fault, fault_after=0)
    fake_api.reply("Dune, by Frank Herbert.")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, stream=True)
    with use_retry_policy(policy):
        stream, _ = run.stream(recommend_book, BOOK, decorator)("sf")

    assert stream.content == "Dune, by Frank Herbert."
    assert len(fake_api.requests) == 2
    assert len(waits) == 1


@pytest.mark.parametrize("fault", ["drop", "truncate"])
def test_a_stream_that_keeps_breaking_before_its_first_chunk(
    fake_api: FakeAPI, run: Runner, fault: str
) -> None:
    """When every try breaks before the first chunk, the last failure is raised."""
    policy, _ = recording_policy(max_retries=1)
    for _ in range(2):
        fake_api.reply("Dune.", stream_fault=fault, fault_after=0)

    with use_retry_policy(policy), pytest.raises({{ cookiecutter.__prefix }}Error):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")
    assert len(fake_api.requests) == 2


def test_connection_errors_are_retried_then_raised(run: Runner) -> None:
    """An API that cannot be reached is retried, then an `{{ cookiecutter.__prefix }}ConnectionError`."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    policy, waits = recording_policy()
    client = run.client(base_url=f"http://127.0.0.1:{port}/v1")

    with use_retry_policy(policy), pytest.raises({{ cookiecutter.__prefix }}ConnectionError):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, client=client))("sf")
    assert len(waits) == 2


def test_timeouts(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An API that does not answer in `{{ cookiecutter.__env_timeout }}` seconds raises a timeout."""
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "0.2")
    monkeypatch.setenv("{{ cookiecutter.__env_max_retries }}", "0")
    fake_api.reply(hang=True)

    with pytest.raises({{ cookiecutter.__prefix }}TimeoutError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    assert isinstance(raised.value, {{ cookiecutter.__prefix }}ConnectionError)


def test_a_malformed_answer(fake_api: FakeAPI, run: Runner) -> None:
    """An answer that is not the wire format's JSON raises `{{ cookiecutter.__prefix }}ResponseError`."""
    fake_api.reply(body='{"choices": [{"message": ')

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="answer is not a"):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    assert len(fake_api.requests) == 1


@pytest.mark.parametrize("answer", fake_wire.HOLLOW_ANSWERS)
def test_a_hollow_answer(fake_api: FakeAPI, run: Runner, answer: str) -> None:
    """An answer of the right shape but with nothing to read is no empty answer.

    It raises `{{ cookiecutter.__prefix }}ResponseError`, quoting what the API sent.
    """
    fake_api.reply(body=fake_wire.HOLLOW_ANSWERS[answer])

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert answer in str(raised.value)
    assert repr(fake_wire.HOLLOW_ANSWERS[answer]) in str(raised.value)


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_a_body_that_does_not_decode(
    fake_api: FakeAPI, run: Runner, stream: bool
) -> None:
    """A body that its `content-encoding` does not decode raises `{{ cookiecutter.__prefix }}ResponseError`."""
    fake_api.reply("Dune.", headers={"content-encoding": "gzip"})

    call = run.stream if stream else run
    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="could not be decoded"):
        call(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=stream))("sf")


def test_a_redirect_loop(fake_api: FakeAPI, run: Runner) -> None:
    """A client that follows redirects in circles gets `{{ cookiecutter.__prefix }}ConnectionError`."""
    client = run.client(base_url=fake_api.url, follow_redirects=True, max_redirects=2)
    for _ in range(3):
        location = f"{fake_wire.BASE_PATH}/{fake_wire.PATH}"
        fake_api.reply(status=307, headers={"location": location})

    with pytest.raises({{ cookiecutter.__prefix }}ConnectionError, match="redirected too many times"):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, client=client))("sf")
    assert len(fake_api.requests) == 3


def test_a_stream_that_is_not_utf8(fake_api: FakeAPI, run: Runner) -> None:
    """Bytes that are not UTF-8 in a stream raise, as in a call's answer.

    They are not replaced with U+FFFD, which would change the answer silently.
    """
    fake_api.reply("Dune, by Frank Herbert.", stream_fault="not_utf8", fault_after=3)

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match=r"not UTF-8 text: .*caf\\xe9"):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ("drop", {{ cookiecutter.__prefix }}ConnectionError, "connection to the API failed"),
        ("truncate", {{ cookiecutter.__prefix }}ResponseError, "ended before the API said it was complete"),
        ("malformed", {{ cookiecutter.__prefix }}ResponseError, "sent an event that is not a"),
        ("error_event", {{ cookiecutter.__prefix }}ResponseError, r"error mid-stream: 'The model crashed\.'"),
    ],
)
def test_a_broken_stream_raises(
    fake_api: FakeAPI,
    run: Runner,
    fault: str,
    error: type[{{ cookiecutter.__prefix }}Error],
    message: str,
) -> None:
    """A stream that breaks raises; it never ends quietly as if it were complete."""
    fake_api.reply("Dune, by Frank Herbert.", stream_fault=fault, fault_after=3)

    with pytest.raises(error, match=message):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")
    assert len(fake_api.requests) == 1


@pytest.mark.parametrize(
    "event",
    [
        'data: {"error": "Overloaded"}\n\n',
        'event: error\ndata: {"message": "Overloaded"}\n\n',
        'data: {"object": "error", "message": "Overloaded"}\n\n',
        'data: {"error": {"code": 500}}\n\n',
    ],
    ids=["error-string", "error-event-name", "object-error", "error-without-message"],
)
def test_error_events_of_other_shapes(
    fake_api: FakeAPI, run: Runner, event: str
) -> None:
    """Servers that report a failure mid-stream in their own shape are heard too."""
    fake_api.reply(
        "Dune, by Frank Herbert.", stream_fault="error_event", error_event=event
    )

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="error mid-stream"):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


def test_a_stream_that_stalls_times_out(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stream whose server stops sending midway raises a timeout."""
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "0.3")
    fake_api.reply("Dune, by Frank Herbert.", stream_fault="stall", fault_after=3)

    with pytest.raises({{ cookiecutter.__prefix }}TimeoutError):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


class _EndMarkedToy(ToyWire):
    """The toy format, its `stop` line the end mark: what follows is drained."""

    ends_with_connection = False


@pytest.fixture
def end_marked(fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """The fake API of a format whose streams end with a mark.

    This format's own; for a format whose streams have no end mark (read to
    the end of the body), the toy format of `test_adapter_paths.py` with its
    `stop` line as the end mark, which the package speaks meanwhile.
    """
    if not WIRE.ends_with_connection:
        yield fake_api
        return
    toy = start_toy_api(TOY_KEY)
    monkeypatch.setattr(_wire, "WIRE", _EndMarkedToy())
    monkeypatch.setenv(API_KEY_ENV, TOY_KEY)
    monkeypatch.setenv(BASE_URL_ENV, toy.url)
    yield toy
    toy.stop()


def test_a_complete_stream_survives_a_server_that_holds_on(
    end_marked: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that keeps the body open after the end mark costs no answer.

    The rest of the body is read so that the connection can be reused; here
    that read times out, which only loses the connection.
    """
    monkeypatch.setenv("{{ cookiecutter.__env_timeout }}", "0.3")
    end_marked.reply("Dune.", hold_open=True)

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")

    assert stream.content == "Dune."


def test_a_json_answer_to_a_stream_request(fake_api: FakeAPI, run: Runner) -> None:
    """A server that answers a stream request with plain JSON gets a clear error."""
    fake_api.reply(body='{"id": "x", "choices": []}')

    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="'application/json', not server-sent"):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


@pytest.mark.parametrize(
    "tail",
    [f"data: {json.dumps({'late': True})}\n\n", b"data: caf\xe9\n\n"],
    ids=["an event", "not UTF-8"],
)
def test_events_after_the_end_are_ignored(
    end_marked: FakeAPI, run: Runner, tail: str | bytes
) -> None:
    """Whatever follows the end-of-stream mark is read and dropped."""
    end_marked.reply("Dune.", after_done=tail)

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")

    assert stream.content == "Dune."


@pytest.mark.parametrize(
    ("tail", "reused"),
    [
        (": the end\n\n", True),
        (": padding\n" * (DRAIN_LIMIT // len(": padding") + 1) + "\n", False),
    ],
    ids=["short tail", "tail past DRAIN_LIMIT"],
)
def test_a_streams_connection_after_its_end(
    end_marked: FakeAPI, run: Runner, tail: str, reused: bool
) -> None:
    """The rest of a stream's body is read, so the next call reuses its connection.

    Past `DRAIN_LIMIT` characters after the end mark, the connection is dropped
    instead; the answer is complete either way.
    """
    client = run.client(base_url=end_marked.url)
    end_marked.reply("Dune.", after_done=tail)
    end_marked.reply("Dune again.")

    stream = run.stream(
        recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=True)
    )

    assert stream("sf")[0].content == "Dune."
    assert stream("sf")[0].content == "Dune again."
    first, second = end_marked.requests
    assert (first.connection == second.connection) is reused


def test_a_stream_is_retried_before_it_starts(fake_api: FakeAPI, run: Runner) -> None:
    """A stream refused with a 5xx is retried, since nothing reached the caller."""
    fake_api.reply("Busy.", status=503, headers=NO_WAIT)
    fake_api.reply("Dune.")

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")

    assert stream.content == "Dune."
    assert len(fake_api.requests) == 2


def test_stream_status_errors(fake_api: FakeAPI, run: Runner) -> None:
    """A stream refused with a 4xx raises the same error as a call."""
    fake_api.reply("No such model.", status=404)

    with pytest.raises({{ cookiecutter.__prefix }}NotFoundError, match=r"No such model\."):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


def test_missing_api_key(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key, the first call fails, naming the variable; nothing is sent."""
    monkeypatch.delenv("{{ cookiecutter.api_key_env_var }}")

    with pytest.raises({{ cookiecutter.__prefix }}MissingAPIKeyError, match="set the {{ cookiecutter.api_key_env_var }}"):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    assert fake_api.requests == []


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('["busy"]', '["busy"]'),
        ("<html>Bad gateway</html>", "<html>Bad gateway</html>"),
        ("", "(no body)"),
    ],
)
def test_an_error_body_of_another_shape(
    fake_api: FakeAPI, run: Runner, body: str, shown: str
) -> None:
    """An error body that is not the API's JSON object is quoted as it is."""
    fake_api.reply(status=400, body=body)

    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert str(raised.value) == f"400 Bad Request: {shown}"


def test_the_request_id_header_of_other_apis(fake_api: FakeAPI, run: Runner) -> None:
    """A `request-id` header (without `x-`) is the request id too."""
    fake_api.reply("Nope.", status=400, headers={"request-id": "req_7"})

    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert raised.value.request_id == "req_7"


def test_errors_quote_a_bounded_part_of_the_answer(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A huge error body gives a message of a few hundred characters.

    The body excerpt on the error keeps its first 1,000 characters.
    """
    fake_api.reply("x" * 100_000, status=400)

    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert len(str(raised.value)) < 600
    assert len(raised.value.body) == 1000


def test_the_key_never_shows(
    fake_api: FakeAPI, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in an error that echoes it, nor in reprs, logs or `model_dump()`."""
    caplog.set_level(logging.DEBUG)
    fake_api.reply(f"Bad key {FAKE_API_KEY}", status=401)
    fake_api.reply("Busy.", status=503, headers=NO_WAIT)
    fake_api.reply("Dune.")

    with pytest.raises({{ cookiecutter.__prefix }}AuthenticationError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    shown = [
        str(raised.value),
        repr(raised.value),
        raised.value.body,
        repr(response),
        response.model_dump_json(),
        caplog.text,
    ]
    assert "Retrying POST" in caplog.text
    assert all(FAKE_API_KEY not in text for text in shown)


def test_a_failed_call_leaves_the_history_as_it_was(
    fake_api: FakeAPI, run: Runner
) -> None:
    """A call that fails does not change the messages it was given."""
    # Messages in the API's own shape, whatever the format.
    history = {{ cookiecutter.__prefix }}MessageParamConverter.to_provider(
        [
            BaseMessageParam(role="user", content="A book?"),
            BaseMessageParam(role="assistant", content="Dune."),
        ]
    )
    before = copy.deepcopy(history)

    def ask(history: list[MessageParam]) -> None:
        """Prompt function."""

    fake_api.reply("Bad request.", status=400)
    template = prompt_template("MESSAGES: {history}\nUSER: Another?")
    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError):
        run(ask, template, {{ cookiecutter.__call_fn }}(MODEL, json_mode=True))(history)

    assert history == before


def _error_event(message: str) -> str:
    return "data: " + json.dumps({"error": message}) + "\n\n"


def echo_key(key: str) -> list[tuple[bool, dict[str, Any]]]:
    """Fake answers that echo the key back, each with whether it is streamed.

    In an error body and in the request id of an error; in a malformed body, an
    error event and a stream's answer that is not events, the key whole and
    across the point where a message stops quoting the answer.
    """
    across = "x" * (MESSAGE_LIMIT - 5) + key
    return [
        (False, {"text": f"Bad key {key}", "status": 401}),
        (False, {"status": 400, "headers": {"x-request-id": f"req_{key}"}}),
        (False, {"body": '{"echo": "' + key + '"'}),
        (False, {"body": across}),
        (True, {"stream_fault": "error_event", "error_event": _error_event(key)}),
        (True, {"stream_fault": "error_event", "error_event": _error_event(across)}),
        (True, {"body": across}),
    ]


def test_no_key_shows_in_httpcores_trace(
    fake_api: FakeAPI, run: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    """Nor in httpcore's DEBUG trace, which logs the response headers as received."""
    caplog.set_level(logging.DEBUG)
    fake_api.reply(status=400, headers={"x-request-id": f"req_{FAKE_API_KEY}"})

    with pytest.raises({{ cookiecutter.__prefix }}BadRequestError):
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    assert "receive_response_headers.complete" in caplog.text
    assert "req_[redacted]" in caplog.text
    assert FAKE_API_KEY not in caplog.text


@pytest.fixture
def no_wire_trace(caplog: pytest.LogCaptureFixture) -> None:
    """Keeps httpcore's DEBUG trace out of the logs of a test.

    It logs the response headers as they arrive: the package takes the
    configured key out, but cannot know a key set on your own client's headers
    (the README says so).
    """
    caplog.set_level(logging.INFO, logger="httpcore")


@pytest.mark.usefixtures("no_wire_trace")
@pytest.mark.parametrize("source", ["environment", "your client"])
def test_no_key_shows_in_errors_that_echo_it(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    """The key sent, from the environment or on a client of yours, never shows.

    Not even its start: what an error quotes is redacted before it is cut short;
    nor in what the error keeps (request id, body, the errors it came from).
    """
    key = FAKE_API_KEY if source == "environment" else "sk-user-client-secret-123"
    client = None
    if source == "your client":
        auth = fake_wire.auth_headers(key)
        client = run.client(base_url=fake_api.url, headers=auth)
    monkeypatch.setattr(fake_api, "api_key", key)

    errors: list[{{ cookiecutter.__prefix }}Error] = []
    for stream, fields in echo_key(key):
        fake_api.reply(**fields)
        decorator = {{ cookiecutter.__call_fn }}(MODEL, client=client, stream=stream)
        with pytest.raises({{ cookiecutter.__prefix }}Error) as raised:
            (run.stream if stream else run)(recommend_book, BOOK, decorator)("sf")
        errors.append(raised.value)

    assert "[redacted]" in str(errors[0])
    assert "[redacted]" in str(errors[1])
    shown = [
        str(text)
        for error in errors
        for text in (
            str(error),
            repr(error),
            repr(error.__cause__),
            repr(error.__context__),
            getattr(error, "request_id", None),
            getattr(error, "body", None),
        )
    ]
    assert not [text for text in shown if key[:5] in text]


def test_no_key_shows_from_an_answer_httpx_cannot_read(
    fake_api: FakeAPI, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nor in httpx's errors, which quote a malformed header line whole."""
    monkeypatch.setenv("{{ cookiecutter.__env_max_retries }}", "0")
    fake_api.reply(status=400, headers={"x-echo": f"{FAKE_API_KEY}\x00"})

    with pytest.raises({{ cookiecutter.__prefix }}ConnectionError) as raised:
        run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")

    chain: list[BaseException] = []
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert len(chain) > 1
    assert "[redacted]" in str(raised.value)
    assert not [error for error in chain if FAKE_API_KEY in f"{error} {error!r}"]


def test_no_key_shows_from_extra_headers(fake_api: FakeAPI, run: Runner) -> None:
    """A key passed in `extra_headers` is neither in dumps nor in the repr."""
    headers = {"X-Gateway-Key": "sk-in-extra-headers-42"}
    fake_api.reply("Dune.")

    decorator = {{ cookiecutter.__call_fn }}(MODEL, call_params={{ cookiecutter.__prefix }}CallParams(extra_headers=headers))
    response = run(recommend_book, BOOK, decorator)("sf")

    assert fake_api.last.headers["x-gateway-key"] == "sk-in-extra-headers-42"
    shown = [response.model_dump_json(), str(response.model_dump()), repr(response)]
    assert not [text for text in shown if "sk-in-extra-headers-42" in text]
    assert "X-Gateway-Key" in response.model_dump_json()


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_streams_whose_lines_end_otherwise(
    fake_api: FakeAPI, run: Runner, line_end: str
) -> None:
    """Lines ending in CR LF or CR alone are read as well, up to the very last one.

    With CR alone, the blank line that ends the last event is only known to be
    a line when the body ends.
    """
    fake_api.reply("Dune, by Frank Herbert.", line_end=line_end)
    fake_api.reply(
        "Dune, by Frank Herbert.",
        line_end=line_end,
        stream_fault="truncate",
        fault_after=3,
    )

    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")
    assert stream.content == "Dune, by Frank Herbert."
    with pytest.raises({{ cookiecutter.__prefix }}ResponseError, match="ended before"):
        run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")


def test_no_key_shows_from_a_dynamic_configs_extra_headers(
    fake_api: FakeAPI, run: Runner
) -> None:
    """Nor a key in the dynamic config's `call_params`, called or streamed."""
    key = "sk-in-dynamic-config-42"

    def recommend_book(genre: str) -> {{ cookiecutter.__prefix }}DynamicConfig:
        """The prompt function, with a key in its call params."""
        return {"call_params": {"extra_headers": {"X-Gateway-Key": key}}}

    fake_api.reply("Dune.")
    fake_api.reply("Dune.")
    response = run(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL))("sf")
    stream, _ = run.stream(recommend_book, BOOK, {{ cookiecutter.__call_fn }}(MODEL, stream=True))("sf")

    assert fake_api.last.headers["x-gateway-key"] == key
    shown = [
        text
        for dumped in (response, stream.construct_call_response())
        for text in (dumped.model_dump_json(), str(dumped.model_dump()), repr(dumped))
    ]
    shown.append(repr(stream))
    assert not [text for text in shown if key in text]
    assert "X-Gateway-Key" in response.model_dump_json()
