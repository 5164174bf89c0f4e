"""The `{{ cookiecutter.__prefix }}MessageParamConverter`: {{ cookiecutter.__name_doc }} messages to and from Mirascope's."""

import base64
import json
from collections.abc import Sequence

from mirascope.core.base import (
    BaseMessageParam,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)

from .._mirascope_private import BaseMessageParamConverter
from .._types import ContentPartParam, MessageParam
from ._convert_message_params import Part, convert_message_params


class {{ cookiecutter.__prefix }}MessageParamConverter(BaseMessageParamConverter):
    """Converts between {{ cookiecutter.__name_doc }} message params and Mirascope's `BaseMessageParam`."""

    @staticmethod
    def to_provider(message_params: list[BaseMessageParam]) -> list[MessageParam]:
        """Returns the messages in the API's shape."""
        return convert_message_params(message_params)

    @staticmethod
    def from_provider(message_params: list[MessageParam]) -> list[BaseMessageParam]:
        """Returns the messages as provider-agnostic `BaseMessageParam`s.

        Tool calls are kept even when the assistant's content is empty, and a tool
        result gets the name of the tool from the call it answers.
        """
        # API-SPECIFIC: how each kind of message and part comes back.
        tool_names = {
            tool_call["id"]: tool_call["function"]["name"]
            for message in message_params
            if message["role"] == "assistant"
            for tool_call in message.get("tool_calls") or []
        }
        converted: list[BaseMessageParam] = []
        for message in message_params:
            if message["role"] == "tool":
                result = ToolResultPart(
                    type="tool_result",
                    name=tool_names.get(message["tool_call_id"], ""),
                    content=message["content"],
                    id=message["tool_call_id"],
                )
                converted.append(BaseMessageParam(role="tool", content=[result]))
                continue
            content = message.get("content")
            tool_calls = (
                message.get("tool_calls") or []
                if message["role"] == "assistant"
                else []
            )
            if not tool_calls:
                converted.append(
                    BaseMessageParam(
                        role=message["role"],
                        content=content
                        if isinstance(content, str)
                        else _parts(content) or "",
                    )
                )
                continue
            parts = _parts(content)
            parts += [
                ToolCallPart(
                    type="tool_call",
                    name=tool_call["function"]["name"],
                    id=tool_call["id"],
                    args=json.loads(tool_call["function"]["arguments"] or "{}"),
                )
                for tool_call in tool_calls
            ]
            converted.append(BaseMessageParam(role=message["role"], content=parts))
        return converted


def _parts(content: str | Sequence[ContentPartParam] | None) -> list[Part]:
    """Returns Mirascope parts; a base64 `data:` image URL becomes an `ImagePart`.

    A part of a type Mirascope has no equivalent for is left out.
    """
    if isinstance(content, str):
        return [TextPart(type="text", text=content)] if content else []
    parts: list[Part] = []
    for part in content or []:
        if part["type"] == "text":
            parts.append(TextPart(type="text", text=part["text"]))
            continue
        if part["type"] != "image_url":
            continue
        url, detail = part["image_url"]["url"], part["image_url"].get("detail")
        header, _, data = url.partition(";base64,")
        if header.startswith("data:") and data:
            parts.append(
                ImagePart(
                    type="image",
                    media_type=header.removeprefix("data:"),
                    image=base64.b64decode(data),
                    detail=detail,
                )
            )
        else:
            parts.append(ImageURLPart(type="image_url", url=url, detail=detail))
    return parts
