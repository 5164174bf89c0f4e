"""What the benchmark times: the scenarios, and one way per contender to run them.

A contender turns a scenario into a function that makes one call and returns
the answer's whole text (a stream is consumed to its end), so that the runner
can check every contender got the same answer before timing it:

- `raw`: an `httpx.Client` (or `httpx.AsyncClient`) posting the JSON body and
  parsing the JSON answer; for a stream, reading the lines and parsing each
  event's `data:` JSON. The floor: no Mirascope, no validation.
- `generated`: the generated package's decorator (`acme_call`) with an httpx
  client given through `client=`; `generated (default client)` lets the package
  build its client from `ACME_API_KEY` and `ACME_BASE_URL`.
- `built-in`: Mirascope's own provider for the wire format (`openai_call` with
  an `openai.OpenAI` client, `anthropic_call` with an `anthropic.Anthropic`
  client) given through `client=`; `built-in (default client)` lets Mirascope
  build the SDK client from the SDK's environment variables. They need the
  vendor SDK (the `bench` extra); without it, the runner skips them.

Each contender builds its client once, outside the timed calls.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

import httpx

PROMPT = "Recommend a fantasy book"
API_KEY = "sk-bench-not-a-real-key"
"""The key every contender sends; the fake server does not check it."""

SyncCall = Callable[[], str]
AsyncCall = Callable[[], Awaitable[str]]
Call = SyncCall | AsyncCall


@dataclass(frozen=True)
class Scenario:
    """One kind of call: plain or streamed, sync or async, and the answer's length."""

    key: str
    label: str
    pieces: int
    stream: bool
    is_async: bool

    @property
    def model(self) -> str:
        """The model name that makes the fake server answer `pieces` pieces."""
        return f"bench-{self.pieces}"


SCENARIOS = (
    Scenario("call", "call", 8, stream=False, is_async=False),
    Scenario("async_call", "async call", 8, stream=False, is_async=True),
    Scenario("stream_short", "stream, 8 chunks", 8, stream=True, is_async=False),
    Scenario("stream_long", "stream, 1,000 chunks", 1000, stream=True, is_async=False),
    Scenario(
        "async_stream_short", "async stream, 8 chunks", 8, stream=True, is_async=True
    ),
)
DEFAULT_CLIENT_SCENARIOS = frozenset({"call", "async_call", "stream_short"})
"""Where the default-client rows are timed: a client per call costs per call,
not per chunk, so the long stream would only repeat what the short one shows."""


class WireFormat(Protocol):
    """What the benchmark needs to know of a wire format."""

    name: str
    """The `--format` value."""
    template_choice: str
    """The start of the template's `wire_format` choice for this format."""
    raw_path: str
    """The endpoint, relative to `{origin}/v1/`."""
    builtin_label: str
    sdk: str
    """The vendor SDK the built-in provider needs (the `bench` extra has it)."""

    def raw_headers(self) -> dict[str, str]:
        """The headers that authenticate a raw request."""
        ...

    def raw_body(self, scenario: Scenario) -> dict[str, Any]:
        """The JSON body of a raw request."""
        ...

    def raw_text(self, answer: Any) -> str:
        """The text of a parsed non-streamed answer."""
        ...

    def event_text(self, data: str) -> str | None:
        """The text an event's `data:` adds (maybe ""), or None at the end."""
        ...

    def builtin_decorator(self, scenario: Scenario, client: Any) -> Any:
        """Mirascope's decorator for this format, with `client` (None: default)."""
        ...

    def builtin_client(self, origin: str, is_async: bool) -> Any:
        """The vendor SDK's client, pointed at the fake server."""
        ...

    def builtin_env(self, origin: str) -> dict[str, str]:
        """The SDK's environment variables for its default client."""
        ...

    def close_builtin_client(self, client: Any) -> Awaitable[None] | None:
        """Closes an SDK client; returns the awaitable for an async one."""
        ...


class OpenAIChat:
    """OpenAI chat completions: `POST /v1/chat/completions`, `data:` events."""

    name = "openai-chat"
    template_choice = "openai-chat"
    raw_path = "chat/completions"
    builtin_label = "openai_call (openai SDK)"
    sdk = "openai"

    def raw_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {API_KEY}"}

    def raw_body(self, scenario: Scenario) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": scenario.model,
            "messages": [{"role": "user", "content": PROMPT}],
        }
        if scenario.stream:
            body |= {"stream": True, "stream_options": {"include_usage": True}}
        return body

    def raw_text(self, answer: Any) -> str:
        return answer["choices"][0]["message"]["content"]

    def event_text(self, data: str) -> str | None:
        if data == "[DONE]":
            return None
        choices = json.loads(data)["choices"]
        return (choices[0]["delta"].get("content") or "") if choices else ""

    def builtin_decorator(self, scenario: Scenario, client: Any) -> Any:
        from mirascope.core.openai import openai_call

        call: Any = openai_call  # its overloads leave the decorator untyped
        return call(scenario.model, stream=scenario.stream, client=client)

    def builtin_client(self, origin: str, is_async: bool) -> Any:
        import openai

        sdk = openai.AsyncOpenAI if is_async else openai.OpenAI
        return sdk(base_url=f"{origin}/v1", api_key=API_KEY)

    def builtin_env(self, origin: str) -> dict[str, str]:
        return {"OPENAI_BASE_URL": f"{origin}/v1", "OPENAI_API_KEY": API_KEY}

    def close_builtin_client(self, client: Any) -> Awaitable[None] | None:
        return client.close()


class AnthropicMessages:
    """Anthropic messages: `POST /v1/messages`, named events."""

    name = "anthropic-messages"
    template_choice = "anthropic-messages"
    raw_path = "messages"
    builtin_label = "anthropic_call (anthropic SDK)"
    sdk = "anthropic"

    def raw_headers(self) -> dict[str, str]:
        return {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}

    def raw_body(self, scenario: Scenario) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": scenario.model,
            "max_tokens": 1024,
            "messages": [{"role": "user", "content": PROMPT}],
        }
        if scenario.stream:
            body["stream"] = True
        return body

    def raw_text(self, answer: Any) -> str:
        return "".join(b["text"] for b in answer["content"] if b["type"] == "text")

    def event_text(self, data: str) -> str | None:
        event = json.loads(data)
        kind = event["type"]
        if kind == "message_stop":
            return None
        if kind == "content_block_delta" and event["delta"]["type"] == "text_delta":
            return event["delta"]["text"]
        return ""

    def builtin_decorator(self, scenario: Scenario, client: Any) -> Any:
        from mirascope.core.anthropic import anthropic_call

        call: Any = anthropic_call  # its overloads leave the decorator untyped
        return call(scenario.model, stream=scenario.stream, client=client)

    def builtin_client(self, origin: str, is_async: bool) -> Any:
        import anthropic

        sdk = anthropic.AsyncAnthropic if is_async else anthropic.Anthropic
        return sdk(base_url=origin, api_key=API_KEY)

    def builtin_env(self, origin: str) -> dict[str, str]:
        return {"ANTHROPIC_BASE_URL": origin, "ANTHROPIC_API_KEY": API_KEY}

    def close_builtin_client(self, client: Any) -> Awaitable[None] | None:
        return client.close()


WIRE_FORMATS: dict[str, WireFormat] = {
    wire.name: wire for wire in (OpenAIChat(), AnthropicMessages())
}


def _texts(wire: WireFormat, lines: Iterator[str]) -> Iterator[str]:
    """The text of each `data:` line's event, until the stream's last event.

    It stops at the last event, leaving the rest of the lines (the end of the
    body) to be read so that the connection can be reused.
    """
    for line in lines:
        if line.startswith("data:"):
            text = wire.event_text(line[5:].lstrip())
            if text is None:
                return
            yield text


async def _atexts(wire: WireFormat, lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """Async version of `_texts`."""
    async for line in lines:
        if line.startswith("data:"):
            text = wire.event_text(line[5:].lstrip())
            if text is None:
                return
            yield text


def raw_call(
    wire: WireFormat, scenario: Scenario, client: httpx.Client | httpx.AsyncClient
) -> Call:
    """The floor: httpx and `json` only."""
    body = wire.raw_body(scenario)
    path = wire.raw_path
    if isinstance(client, httpx.AsyncClient):
        aclient = client
        if scenario.stream:

            async def astream() -> str:
                async with aclient.stream("POST", path, json=body) as response:
                    response.raise_for_status()
                    lines = response.aiter_lines()
                    text = "".join([t async for t in _atexts(wire, lines)])
                    async for _ in lines:  # the end: the connection can be reused
                        pass
                    return text

            return astream

        async def acall() -> str:
            response = await aclient.post(path, json=body)
            response.raise_for_status()
            return wire.raw_text(response.json())

        return acall

    sclient = client
    if scenario.stream:

        def stream() -> str:
            with sclient.stream("POST", path, json=body) as response:
                response.raise_for_status()
                lines = response.iter_lines()
                text = "".join(_texts(wire, lines))
                for _ in lines:  # the end: the connection goes back to the pool
                    pass
                return text

        return stream

    def call() -> str:
        response = sclient.post(path, json=body)
        response.raise_for_status()
        return wire.raw_text(response.json())

    return call


def decorated_call(decorator: Any, scenario: Scenario) -> Call:
    """A Mirascope-decorated prompt function, run to the end of its answer.

    `decorator` is `acme_call(...)` or `openai_call(...)`: both return a
    response with `.content`, or a stream that accumulates `.content`.
    """
    if scenario.is_async:

        @decorator
        async def aprompt() -> str:
            return PROMPT

        if scenario.stream:

            async def astream() -> str:
                stream = await aprompt()
                async for _chunk, _tool in stream:
                    pass
                return stream.content

            return astream

        async def acall() -> str:
            return (await aprompt()).content

        return acall

    @decorator
    def prompt() -> str:
        return PROMPT

    if scenario.stream:

        def stream() -> str:
            stream = prompt()
            for _chunk, _tool in stream:
                pass
            return stream.content

        return stream

    def call() -> str:
        return prompt().content

    return call


@dataclass(frozen=True)
class Generated:
    """The generated package, imported, and the names its answers gave it."""

    module: ModuleType
    decorator_name: str

    def decorator(self, scenario: Scenario, client: Any) -> Any:
        """`acme_call(model, stream=..., client=...)`."""
        call_fn = getattr(self.module, self.decorator_name)
        kwargs = {"client": client} if client is not None else {}
        return call_fn(scenario.model, stream=scenario.stream, **kwargs)
