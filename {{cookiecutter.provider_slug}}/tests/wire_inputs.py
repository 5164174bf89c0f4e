"""The neutral inputs the wire formats' case tables share (`wire_cases.py`).

Mirascope's side of a row: the prompts, messages, tools and response model a
row gives the package. A format's table imports this module as `given` and
writes only its API's side (the exact JSON, the error a refusal names), so an
input reads the same in every format. Adapting the package to another API
leaves this module as it is.
"""

import json
from typing import Any

from mirascope.core.base import (
    AudioPart,
    BaseMessageParam,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from pydantic import BaseModel

PROMPT = BaseMessageParam(role="user", content="Recommend a fantasy book")
"""The user message a request row sends unless it gives `messages`."""
LIBRARIAN = BaseMessageParam(role="system", content="You are a librarian.")
"""A system prompt."""
BE_BRIEF = BaseMessageParam(role="system", content="Be brief.")
"""A shorter system prompt."""
EXTRACT_DUNE = BaseMessageParam(role="user", content="Extract the book: Dune")
"""The prompt of a call with a response model."""
PNG = b"\x89PNG\r\n\x1a\n"
"""An image's bytes: the PNG signature."""
IMAGE_URL = "https://x.test/a.jpg"
"""An image given by URL."""


def format_book(title: str, author: str) -> str:
    """Returns the title and author of a book nicely formatted."""
    return f"{title} by {author}"


class Book(BaseModel):
    """A book."""

    title: str
    author: str


BOOK_SCHEMA = {
    "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
    "required": ["title", "author"],
    "type": "object",
}
"""The JSON schema of `format_book`'s parameters, and of `Book`."""
ASK_FOR_JSON = "For your final response, output ONLY a valid JSON dict"
"""Mirascope's JSON-mode instructions, appended to the last user message."""
ASK_FOR_ANY_JSON = f"{ASK_FOR_JSON} that adheres to the schema"
"""The instructions without a response model."""
ASK_FOR_BOOK = (
    f"{ASK_FOR_JSON} (NOT THE SCHEMA) from the content that adheres to this"
    f" schema:\n{json.dumps(BOOK_SCHEMA, indent=2)}"
)
"""The instructions with the response model `Book`."""


def lookup_call(call_id: str, args: dict[str, Any] | None) -> ToolCallPart:
    """Mirascope's call of the `lookup` tool."""
    return ToolCallPart(type="tool_call", name="lookup", args=args, id=call_id)


def lookup_result(
    call_id: str, content: str, *, is_error: bool = False
) -> ToolResultPart:
    """Mirascope's result of the `lookup` tool call `call_id`."""
    return ToolResultPart(
        type="tool_result",
        name="lookup",
        content=content,
        id=call_id,
        is_error=is_error,
    )


def question_about_images(url_detail: str | None = None) -> BaseMessageParam:
    """The user asks what two images are: PNG bytes, and one by URL."""
    return BaseMessageParam(
        role="user",
        content=[
            TextPart(type="text", text="What is this?"),
            ImagePart(type="image", media_type="image/png", image=PNG, detail=None),
            ImageURLPart(type="image_url", url=IMAGE_URL, detail=url_detail),
        ],
    )


# Messages of `MessageCase` rows.

ONE_TEXT_PART = [
    BaseMessageParam(role="user", content=[TextPart(type="text", text="Hi")])
]
"""A user message of one text part."""
IMAGES = [
    BaseMessageParam(
        role="user",
        content=[
            TextPart(type="text", text="Look:"),
            ImagePart(type="image", media_type="image/png", image=PNG, detail="low"),
            ImageURLPart(type="image_url", url=IMAGE_URL, detail=None),
        ],
    )
]
"""A text, an image of bytes (detail "low") and one by URL (no detail)."""
TOOL_CALLS = [
    BaseMessageParam(
        role="assistant",
        content=[
            TextPart(type="text", text="Looking."),
            lookup_call("c1", {"word": "ink"}),
            lookup_call("c2", None),
        ],
    )
]
"""An assistant's text and two tool calls, the second without arguments."""
TOOL_CALL_ALONE_AND_ITS_RESULT = [
    BaseMessageParam(
        role="assistant",
        content=[ToolCallPart(type="tool_call", name="f", args={}, id="c1")],
    ),
    BaseMessageParam(
        role="tool",
        content=[ToolResultPart(type="tool_result", name="f", content="ok", id="c1")],
    ),
]
"""Mirascope trap 28: a tool call without text, and its result (named for its
call's tool)."""
EMPTY_CONTENT = [BaseMessageParam(role="assistant", content=[])]
"""An assistant message of no parts."""

# Messages the built-in formats refuse.

AUDIO = [
    BaseMessageParam(
        role="user",
        content=[AudioPart(type="audio", media_type="audio/wav", audio=b"RIFF")],
    )
]
"""A user message of audio."""
TIFF_IMAGE = [
    BaseMessageParam(
        role="user",
        content=[
            ImagePart(type="image", media_type="image/tiff", image=b"II*", detail=None)
        ],
    )
]
"""A user message of a TIFF image."""
TOOL_MESSAGE_OF_TEXT = [BaseMessageParam(role="tool", content="42")]
"""A tool message of plain text, not of results."""
