"""Mirascope messages in the API's shape, and back again."""

from typing import cast

import pytest
from mirascope.core.base import (
    AudioPart,
    BaseMessageParam,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)

from {{ cookiecutter.__pkg }}._types import MessageParam
from {{ cookiecutter.__pkg }}._utils._convert_message_params import convert_message_params
from {{ cookiecutter.__pkg }}._utils._message_param_converter import {{ cookiecutter.__prefix }}MessageParamConverter

PNG = b"\x89PNG\r\n\x1a\n"


def test_native_messages_are_copied() -> None:
    """A provider-native dict is sent as is, as a copy, never the caller's object."""
    native: MessageParam = {"role": "user", "content": "hi"}
    [converted] = convert_message_params([native])
    assert converted == native
    assert converted is not native


def test_parts_become_content_parts() -> None:
    """Text and images (bytes as a data URL) become the API's content parts."""
    message = BaseMessageParam(
        role="user",
        content=[
            TextPart(type="text", text="Look:"),
            ImagePart(type="image", media_type="image/png", image=PNG, detail="low"),
            ImageURLPart(type="image_url", url="https://x.test/a.jpg", detail=None),
        ],
    )
    assert convert_message_params([message]) == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look:"},
                {
                    "type": "image_url",
                    "image_url": {
                        "url": "data:image/png;base64,iVBORw0KGgo=",
                        "detail": "low",
                    },
                },
                {"type": "image_url", "image_url": {"url": "https://x.test/a.jpg"}},
            ],
        }
    ]


def test_tool_calls_join_one_assistant_message() -> None:
    """Text and tool calls of one message become one assistant message."""
    message = BaseMessageParam(
        role="assistant",
        content=[
            TextPart(type="text", text="Looking."),
            ToolCallPart(
                type="tool_call", name="lookup", args={"word": "ink"}, id="c1"
            ),
            ToolCallPart(type="tool_call", name="lookup", args=None, id="c2"),
        ],
    )
    assert convert_message_params([message]) == [
        {
            "role": "assistant",
            "content": "Looking.",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"word": "ink"}'},
                },
                {
                    "id": "c2",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": "{}"},
                },
            ],
        }
    ]


def test_tool_results_come_first() -> None:
    """Tool results become tool messages, before any text of the same message."""
    message = BaseMessageParam(
        role="user",
        content=[
            TextPart(type="text", text="Thanks."),
            ToolResultPart(
                type="tool_result", name="lookup", content="ink: a fluid", id="c1"
            ),
        ],
    )
    assert convert_message_params([message]) == [
        {"role": "tool", "content": "ink: a fluid", "tool_call_id": "c1"},
        {"role": "user", "content": "Thanks."},
    ]


def test_empty_content_is_kept() -> None:
    """A message with no parts is sent with empty content, not dropped."""
    message = BaseMessageParam(role="assistant", content=[])
    assert convert_message_params([message]) == [{"role": "assistant", "content": ""}]


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (
            BaseMessageParam(
                role="user",
                content=[
                    AudioPart(type="audio", media_type="audio/wav", audio=b"RIFF")
                ],
            ),
            "cannot take a 'audio' part",
        ),
        (
            BaseMessageParam(
                role="user",
                content=[
                    ImagePart(
                        type="image", media_type="image/tiff", image=b"II*", detail=None
                    )
                ],
            ),
            "media type 'image/tiff'",
        ),
        (
            BaseMessageParam(role="tool", content="42"),
            "needs its content as ToolResultParts",
        ),
    ],
)
def test_what_the_api_cannot_carry_is_refused(
    message: BaseMessageParam, error: str
) -> None:
    """A part or message the API cannot take fails, saying what is allowed."""
    with pytest.raises(ValueError, match=error):
        convert_message_params([message])


def test_round_trip_through_the_converter() -> None:
    """Provider messages come back as Mirascope messages with the same meaning."""
    native: list[MessageParam] = [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="},
                },
                {
                    "type": "image_url",
                    "image_url": {"url": "https://x.test/a.jpg", "detail": "high"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"word": "ink"}'},
                }
            ],
        },
        {"role": "tool", "content": "ink: a fluid", "tool_call_id": "c1"},
    ]
    common = {{ cookiecutter.__prefix }}MessageParamConverter.from_provider(native)
    assert common == [
        BaseMessageParam(role="system", content="Be brief."),
        BaseMessageParam(
            role="user",
            content=[
                TextPart(type="text", text="What is this?"),
                ImagePart(type="image", media_type="image/png", image=PNG, detail=None),
                ImageURLPart(
                    type="image_url", url="https://x.test/a.jpg", detail="high"
                ),
            ],
        ),
        BaseMessageParam(
            role="assistant",
            content=[
                ToolCallPart(
                    type="tool_call", name="lookup", args={"word": "ink"}, id="c1"
                )
            ],
        ),
        BaseMessageParam(
            role="tool",
            content=[
                ToolResultPart(
                    type="tool_result", name="lookup", content="ink: a fluid", id="c1"
                )
            ],
        ),
    ]
    assert {{ cookiecutter.__prefix }}MessageParamConverter.to_provider(common) == native


def test_converter_tolerates_null_tool_calls_and_unknown_parts() -> None:
    """`"tool_calls": null`, and parts Mirascope cannot represent, do not crash."""
    native = cast(
        list[MessageParam],  # off-type on purpose: what other SDKs' dumps look like
        [
            {"role": "assistant", "content": "Hi.", "tool_calls": None},
            {"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]},
        ],
    )
    assert {{ cookiecutter.__prefix }}MessageParamConverter.from_provider(native) == [
        BaseMessageParam(role="assistant", content="Hi."),
        BaseMessageParam(role="user", content=""),
    ]
