"""Live mode's machinery, offline: the closed network, expectations, recordings."""

import json
from pathlib import Path

import httpx
import pytest
from mirascope.core import prompt_template
from pydantic import BaseModel
from vcr import VCR
from vcr.request import Request as VCRRequest

from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}BadRequestError, {{ cookiecutter.__call_fn }}
from {{ cookiecutter.__pkg }}._settings import API_KEY_ENV, BASE_URL_ENV

from . import fake_wire
from .conftest import FAKE_API_KEY
from .fake_exchange import (
    SentMessage,
    SentRequest,
    SentText,
    ToolCallReply,
    example_of,
    improvise,
    loose,
)
from .fake_server import FakeAPI
from .live import (
    LiveAPI,
    ReadableJSONSerializer,
    configure_vcr,
    rebased,
    scrub_request,
    scrub_response,
    vcr_settings,
)

MODEL = "{{ cookiecutter.default_model }}"
RECORDED_KEY = "sk-a-key-to-keep-out-of-recordings"
"""The key of the recording tests: they pass it around on purpose, and VCR.py
logs requests as they are, so it is not the suite's own key."""


@{{ cookiecutter.__call_fn }}(MODEL)
@prompt_template("Recommend a {genre} book")
def recommend_book(genre: str): ...


# pytest-recording refuses the connection with a RuntimeError, and the standard
# library closes a socket whose connection fails only on OSError: the socket is
# left for the garbage collector, which warns.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_accidental_real_request_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline, a request anywhere but the loopback never leaves the machine."""
    monkeypatch.setenv(API_KEY_ENV, FAKE_API_KEY)
    # An address reserved for documentation (RFC 5737): no DNS lookup first.
    monkeypatch.setenv(BASE_URL_ENV, "https://192.0.2.1/v1")

    with pytest.raises(RuntimeError, match=r"Network is disabled for host '192\.0"):
        recommend_book("fantasy")


class Book(BaseModel):
    """A book."""

    title: str
    pages: int


def test_loose_values_match_any_value_of_the_same_type() -> None:
    """A loose value equals values of its type, dicts with its keys, and no other."""
    assert loose("Dune") == "Emma"
    assert loose("Dune") != 3
    assert loose({"title": "Dune", "pages": 412}) == {"title": "Emma", "pages": 1}
    assert loose({"title": "Dune"}) != {"name": "Emma"}
    assert loose(("A", 1)) == ("B", 2)
    assert loose(Book(title="Dune", pages=412)) == Book(title="Emma", pages=1)
    assert loose(Book(title="Dune", pages=412)) != {"title": "Dune", "pages": 412}


def test_a_loose_reply_expects_answers_of_the_scripted_kind() -> None:
    """Text if text was scripted, the scripted tool, positive token counts."""
    expected = LiveAPI().reply(
        "Dune.", tool_calls=[ToolCallReply("format_book", {"title": "Dune"})]
    )

    assert expected.text == "Hyperion."
    assert expected.text != ""
    [call] = expected.tool_calls
    assert (call.name, call.id, call.arguments) == ("format_book", "c1", {"title": "x"})
    assert call.id != ""
    assert (expected.input_tokens, expected.output_tokens) == (7, 1)
    assert expected.input_tokens != 0
    assert expected.cached_tokens == 0
    assert LiveAPI().reply(tool_calls=[]).text == ""


def test_the_live_api_captures_requests_with_the_key_masked(
    fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the package sends is recorded on its way out, the key masked."""
    fake_api.reply("Dune.")
    live = LiveAPI()
    live.capture(monkeypatch)

    recommend_book("fantasy")

    assert live.last.path == f"{fake_wire.BASE_PATH}/{fake_wire.PATH}"
    assert live.last.sent.messages == (
        SentMessage("user", (SentText("Recommend a fantasy book"),)),
    )
    assert FAKE_API_KEY not in json.dumps(live.last.headers)
    for name in fake_wire.auth_headers(FAKE_API_KEY):
        assert live.last.headers[name.lower()] == "[redacted]"


def test_recorded_requests_lose_their_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key leaves the URL, every header and the body before it is written."""
    monkeypatch.setenv(API_KEY_ENV, RECORDED_KEY)
    request = VCRRequest(
        "POST",
        f"https://api.test/v1/chat?key={RECORDED_KEY}",
        json.dumps({"note": f"key {RECORDED_KEY}"}).encode(),
        {"Authorization": f"Bearer {RECORDED_KEY}", "X-Other": RECORDED_KEY},
    )

    scrubbed = scrub_request(request)

    assert RECORDED_KEY not in scrubbed.uri
    assert RECORDED_KEY not in json.dumps(dict(scrubbed.headers))
    assert isinstance(scrubbed.body, bytes)
    assert RECORDED_KEY not in scrubbed.body.decode()
    assert json.loads(scrubbed.body) == {"note": "key [redacted]"}


def test_recorded_responses_lose_cookies_and_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cookies are dropped; the key, if the API echoes it, is masked."""
    monkeypatch.setenv(API_KEY_ENV, RECORDED_KEY)
    response = {
        "status": {"code": 401, "message": "Unauthorized"},
        "headers": {"Set-Cookie": ["session=1"], "X-Echo": [RECORDED_KEY]},
        "body": {"string": f"bad key {RECORDED_KEY}".encode()},
    }

    scrubbed = scrub_response(response)

    assert scrubbed["headers"] == {"X-Echo": ["[redacted]"]}
    assert scrubbed["body"]["string"] == b"bad key [redacted]"


def test_binary_bodies_are_recorded_untouched() -> None:
    """A body that is not text is kept as it is."""
    response = {"status": {}, "headers": {}, "body": {"string": b"\xff\xfe"}}
    assert scrub_response(response)["body"]["string"] == b"\xff\xfe"


STREAM = 'data: {"choices": [{"delta": {"content": "Du"}}]}\n\ndata: [DONE]\n\n'


def cassette(request_body: str, response_body: str) -> dict[str, object]:
    """A cassette of one exchange, as VCR.py hands it to a serializer."""
    return {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "https://api.test/v1/chat/completions",
                    "body": request_body,
                    "headers": {"content-type": ["application/json"]},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Length": ["1"]},
                    "body": {"string": response_body},
                },
            }
        ],
    }


def test_recordings_are_readable_json() -> None:
    """JSON bodies are written as JSON; a stream as its lines, events' data as JSON."""
    text = ReadableJSONSerializer.serialize(cassette('{"model": "m"}', STREAM))

    [interaction] = json.loads(text)["interactions"]
    assert interaction["request"]["body"] == {"json": {"model": "m"}}
    assert interaction["response"]["body"] == {
        "lines": [
            {"data": {"choices": [{"delta": {"content": "Du"}}]}},
            "",
            "data: [DONE]",
            "",
            "",
        ]
    }
    assert text.endswith("}\n")


@pytest.mark.parametrize(
    ("request_body", "response_body"),
    [
        ('{"model": "m"}', '{"id": "x", "choices": []}'),
        ('{"model": "m", "stream": true}', STREAM),
        ("", "plain text, not JSON"),
        ("", "data: {not json\n\n"),
    ],
    ids=["json", "stream", "text", "malformed-event"],
)
def test_recordings_read_back_as_the_same_bodies(
    request_body: str, response_body: str
) -> None:
    """Reading a recording gives back the bodies, and a true Content-Length."""
    text = ReadableJSONSerializer.serialize(cassette(request_body, response_body))

    [interaction] = ReadableJSONSerializer.deserialize(text)["interactions"]

    body = interaction["response"]["body"]["string"]
    assert interaction["request"]["body"] == request_body
    if response_body.startswith("{"):
        assert json.loads(body) == json.loads(response_body)
    else:
        assert body == response_body
    assert interaction["response"]["headers"]["Content-Length"] == [
        str(len(body.encode()))
    ]


def test_recordings_replay_at_another_base_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A recording made through a gateway's path prefix replays under another.

    It is matched on the path relative to the base URL: recorded at
    `.../gateway/llm`, it replays at `.../v2/proxy`, on another host.
    """
    gateway = FakeAPI(RECORDED_KEY, base_path="/gateway/llm")
    gateway.start()
    gateway.reply("Dune.")
    recorder = configure_vcr(VCR(**vcr_settings()))
    path = str(tmp_path / "recommend_book.json")
    monkeypatch.setenv(API_KEY_ENV, RECORDED_KEY)
    monkeypatch.setenv(BASE_URL_ENV, gateway.url)
    try:
        with recorder.use_cassette(path, record_mode="once"):
            recorded = recommend_book("fantasy")
    finally:
        gateway.stop()
    monkeypatch.setenv(BASE_URL_ENV, "https://192.0.2.1/v2/proxy")
    with recorder.use_cassette(path, record_mode="none") as cassette:
        replayed = recommend_book("fantasy")

    assert [request.path for request in gateway.requests] == [
        f"/gateway/llm/{fake_wire.PATH}"
    ]
    assert json.loads(Path(path).read_text())["base_url"] == gateway.url
    assert replayed.content == recorded.content == "Dune."
    assert cassette.play_count == 1


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        ("https://gw.test/openai/v1/chat?a=1", "https://api.test/v2/chat?a=1"),
        ("https://own.test/openai/v1/chat", "https://own.test/openai/v1/chat"),
        ("https://gw.test/openai/v10/chat", "https://gw.test/openai/v10/chat"),
    ],
    ids=["under-the-base", "other-host", "other-prefix"],
)
def test_a_recorded_request_keeps_its_path_relative_to_the_base_url(
    recorded: str, expected: str
) -> None:
    """Moved to another base URL; kept if it was not under the recorded one."""
    gateway, proxy = "https://gw.test/openai/v1", "https://api.test/v2"
    assert rebased(recorded, gateway, f"{proxy}/") == expected
    assert rebased(recorded, f"{gateway}/", proxy) == expected
    assert rebased("https://gw.test/v1/m", "https://gw.test", proxy) == f"{proxy}/v1/m"


def test_the_stand_in_model_calls_the_tool_it_must_call() -> None:
    """A forced or required tool is called with arguments drawn from its schema."""
    schema = Book.model_json_schema()
    user = SentMessage("user", (SentText("Recommend a book"),))
    forced = SentRequest(
        MODEL,
        (user,),
        tools=("Book",),
        forced_tool="Book",
        tool_schemas={"Book": schema},
    )
    required = SentRequest(
        MODEL, (user,), tools=("Book",), must_call_a_tool=True, tool_schemas={}
    )
    optional = SentRequest(MODEL, (user,), tools=("Book",))

    [call] = improvise(forced).tool_calls
    assert (call.name, call.arguments) == (
        "Book",
        {"title": "Example title", "pages": 1},
    )
    assert [call.name for call in improvise(required).tool_calls] == ["Book"]
    assert improvise(optional).tool_calls == []
    assert improvise(optional).text == "The stand-in model was asked: Recommend a book"


def test_the_stand_in_model_answers_json_when_asked() -> None:
    """JSON output gets an example of the schema in the last message."""
    schema = json.dumps(Book.model_json_schema())
    asked = SentMessage("user", (SentText("Answer in JSON: {oops} " + schema),))

    reply = improvise(SentRequest(MODEL, (asked,), json_output=True))

    assert json.loads(reply.text) == {"title": "Example title", "pages": 1}
    plain = SentMessage("user", (SentText("Reply in json, please."),))
    assert improvise(SentRequest(MODEL, (plain,))).text == "{}"


class Shelf(BaseModel):
    """Books, and maybe a label."""

    books: list[Book]
    label: str | None = None
    kind: str = "fiction"


@pytest.mark.parametrize(
    ("schema", "example"),
    [
        (
            Shelf.model_json_schema(),
            {
                "books": [{"title": "Example title", "pages": 1}],
                "label": None,
                "kind": "fiction",
            },
        ),
        ({"enum": ["a", "b"]}, "a"),
        ({"const": 3}, 3),
        ({"type": ["null", "number"]}, 1.5),
        ({"type": "boolean"}, True),
        ({"anyOf": [{"type": "null"}, {"type": "integer"}]}, 1),
        ({"type": "array"}, [{}]),
    ],
    ids=[
        "refs-and-defaults",
        "enum",
        "const",
        "type-list",
        "boolean",
        "any-of",
        "array",
    ],
)
def test_examples_of_schemas(schema: dict[str, object], example: object) -> None:
    """The stand-in's arguments follow pydantic's schemas."""
    assert example_of(schema) == example


def test_the_stand_in_api_improvises_only_when_asked(fake_api: FakeAPI) -> None:
    """The test fixture refuses unscripted requests; a stand-in answers them."""
    stand_in = FakeAPI(FAKE_API_KEY, improvised=True)
    stand_in.start()
    auth = fake_wire.auth_headers(FAKE_API_KEY)
    try:
        with (
            httpx.Client(base_url=stand_in.url, headers=auth) as client,
            httpx.Client(base_url=fake_api.url, headers=auth) as refusing,
        ):
            answer = {{ cookiecutter.__call_fn }}(MODEL, client=client)(prompt_template("Hi")(hi))()
            with pytest.raises({{ cookiecutter.__prefix }}BadRequestError) as refused:
                {{ cookiecutter.__call_fn }}(MODEL, client=refusing)(prompt_template("Hi")(hi))()
    finally:
        stand_in.stop()

    assert answer.content == "The stand-in model was asked: Hi"
    assert refused.value.status_code == 400


def hi() -> None:
    """A prompt function."""
