"""Converts Mirascope messages into {{ cookiecutter.__name_doc }} message params."""

import base64
import json
from collections.abc import Sequence
from typing import TypeAlias, cast

from mirascope.core.base import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)

from .._http import PROVIDER_NAME
from .._types import (
    AssistantMessageParam,
    ContentPartParam,
    FunctionParam,
    ImagePartParam,
    ImageURLParam,
    MessageParam,
    TextPartParam,
    ToolCallParam,
    ToolMessageParam,
)

Part: TypeAlias = (
    TextPart
    | ImagePart
    | ImageURLPart
    | AudioPart
    | AudioURLPart
    | CacheControlPart
    | DocumentPart
    | DocumentURLPart
    | ToolCallPart
    | ToolResultPart
)

IMAGE_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
"""The image media types the API accepts."""


def convert_message_params(
    message_params: Sequence[BaseMessageParam | MessageParam],
) -> list[MessageParam]:
    """Returns the messages in the API's shape.

    Provider-native messages (dicts) are copied, never changed in place, so the
    caller's history stays as it was.

    Raises:
        ValueError: for a part the API cannot carry (audio, documents, ...), or a
            `tool` message whose content is not `ToolResultPart`s.
    """
    # API-SPECIFIC: how each kind of message and part is sent.
    converted: list[MessageParam] = []
    for message in message_params:
        if not isinstance(message, BaseMessageParam):
            converted.append(cast(MessageParam, dict(message)))
        elif isinstance(message.content, str):
            if message.role == "tool":
                raise ValueError(
                    "A 'tool' message needs its content as ToolResultParts: each "
                    "carries the id of the tool call it answers."
                )
            converted.append(
                cast(MessageParam, {"role": message.role, "content": message.content})
            )
        else:
            converted.extend(_convert_parts(message.role, message.content))
    return converted


def _convert_parts(role: str, parts: Sequence[Part]) -> list[MessageParam]:
    """Converts the parts of one message.

    Tool results become `tool` messages of their own, placed first: the API
    wants them right after the assistant message whose calls they answer.
    """
    converted: list[MessageParam] = []
    content: list[ContentPartParam] = []
    tool_calls: list[ToolCallParam] = []
    for part in parts:
        if isinstance(part, TextPart):
            content.append(TextPartParam(type="text", text=part.text))
        elif isinstance(part, ImagePart):
            content.append(_image_url(_data_url(part), part.detail))
        elif isinstance(part, ImageURLPart):
            content.append(_image_url(part.url, part.detail))
        elif isinstance(part, ToolCallPart):
            tool_calls.append(_tool_call(part))
        elif isinstance(part, ToolResultPart):
            converted.append(
                ToolMessageParam(
                    role="tool", content=part.content, tool_call_id=part.id or ""
                )
            )
        else:
            raise ValueError(
                f"{PROVIDER_NAME} cannot take a {part.type!r} part (in a {role!r} message); "
                "the parts it takes are text, image, image_url, tool_call and "
                "tool_result."
            )
    if tool_calls:
        assistant = AssistantMessageParam(role="assistant", tool_calls=tool_calls)
        assistant["content"] = cast(str | None, _compact(content) if content else None)
        converted.append(assistant)
    elif content or not converted:
        converted.append(_message(role, content))
    return converted


def _message(role: str, content: list[ContentPartParam]) -> MessageParam:
    return cast(MessageParam, {"role": role, "content": _compact(content)})


def _compact(content: list[ContentPartParam]) -> str | list[ContentPartParam]:
    """A single text part (or none) is sent as a string, which every server takes."""
    if not content:
        return ""
    if len(content) == 1 and content[0]["type"] == "text":
        return content[0]["text"]
    return content


def _data_url(part: ImagePart) -> str:
    if part.media_type not in IMAGE_MEDIA_TYPES:
        raise ValueError(
            f"{PROVIDER_NAME} cannot take an image of media type {part.media_type!r}; the "
            f"media types it takes are {', '.join(IMAGE_MEDIA_TYPES)}."
        )
    return f"data:{part.media_type};base64,{base64.b64encode(part.image).decode()}"


def _image_url(url: str, detail: str | None) -> ImagePartParam:
    image_url = ImageURLParam(url=url)
    if detail in ("auto", "low", "high"):
        image_url["detail"] = detail
    return ImagePartParam(type="image_url", image_url=image_url)


def _tool_call(part: ToolCallPart) -> ToolCallParam:
    return ToolCallParam(
        id=part.id or "",
        type="function",
        function=FunctionParam(
            name=part.name,
            arguments=json.dumps(part.args or {}),  # pyright: ignore[reportUnknownMemberType]  # Mirascope types `args` as a bare dict
        ),
    )
