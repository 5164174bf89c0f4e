"""Models of the {{ cookiecutter.__name_doc }} wire format: OpenAI-compatible chat completions.

The pydantic models parse what the API sends back; the typed dicts describe what
this package sends. Every model keeps unknown fields (`extra="allow"`), so a
vendor-specific field stays reachable through `model_extra`.
"""

# API-SPECIFIC: this whole module mirrors the API's JSON; change it first.

from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import NotRequired, Required, TypedDict


class _WireModel(BaseModel):
    model_config = ConfigDict(extra="allow")


class FunctionCall(_WireModel):
    """The function a tool call invokes, with its arguments as a JSON string."""

    name: str = ""
    arguments: str = ""


class ToolCall(_WireModel):
    """A tool call made by the assistant."""

    id: str
    type: Literal["function"] = "function"
    function: FunctionCall


class PartialToolCall(ToolCall):
    """A tool call whose arguments are still streaming in (`partial_tools`).

    Not part of the wire format: the stream marks the states it yields before a
    call is complete, so that the history keeps only complete calls.
    """


class Message(_WireModel):
    """The assistant message of a completion choice."""

    role: str = "assistant"
    content: str | None = None
    tool_calls: list[ToolCall] | None = None


class Choice(_WireModel):
    """One completion choice."""

    index: int = 0
    message: Message
    finish_reason: str | None = None


class PromptTokensDetails(_WireModel):
    """Breakdown of the prompt tokens."""

    cached_tokens: int | None = None


class Usage(_WireModel):
    """Token usage of a completion; `cost` is read when a gateway reports it."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    prompt_tokens_details: PromptTokensDetails | None = None
    cost: float | None = None


class ChatCompletion(_WireModel):
    """The response body of `POST /chat/completions`."""

    id: str = ""
    object: str = "chat.completion"
    created: int = 0
    model: str = ""
    choices: list[Choice]
    usage: Usage | None = None


class FunctionCallDelta(_WireModel):
    """A piece of a streamed function call."""

    name: str | None = None
    arguments: str | None = None


class ToolCallDelta(_WireModel):
    """A piece of a streamed tool call; pieces of one call share an `index`."""

    index: int = 0
    id: str | None = None
    type: str | None = None
    function: FunctionCallDelta | None = None


class Delta(_WireModel):
    """What one streamed chunk adds to the assistant message."""

    role: str | None = None
    content: str | None = None
    tool_calls: list[ToolCallDelta] | None = None


class ChunkChoice(_WireModel):
    """One choice of a streamed chunk."""

    index: int = 0
    delta: Delta = Field(default_factory=Delta)
    finish_reason: str | None = None


class ChatCompletionChunk(_WireModel):
    """One server-sent event of a streamed `POST /chat/completions`."""

    id: str = ""
    object: str = "chat.completion.chunk"
    created: int = 0
    model: str = ""
    choices: list[ChunkChoice]
    usage: Usage | None = None


class TextPartParam(TypedDict):
    """A text part of a message."""

    type: Literal["text"]
    text: str


class ImageURLParam(TypedDict, total=False):
    """An image given by URL, `data:` URLs included."""

    url: Required[str]
    detail: Literal["auto", "low", "high"]


class ImagePartParam(TypedDict):
    """An image part of a user message."""

    type: Literal["image_url"]
    image_url: ImageURLParam


ContentPartParam: TypeAlias = TextPartParam | ImagePartParam


class SystemMessageParam(TypedDict):
    """A system message."""

    role: Literal["system"]
    content: str | list[TextPartParam]
    name: NotRequired[str]


class UserMessageParam(TypedDict):
    """A user message; `name` tells participants of the same role apart."""

    role: Literal["user"]
    content: str | list[ContentPartParam]
    name: NotRequired[str]


class FunctionParam(TypedDict):
    """The function of a tool call sent back in the history."""

    name: str
    arguments: str


class ToolCallParam(TypedDict):
    """A tool call sent back in the history."""

    id: str
    type: Literal["function"]
    function: FunctionParam


class AssistantMessageParam(TypedDict, total=False):
    """An assistant message, possibly with tool calls."""

    role: Required[Literal["assistant"]]
    content: str | list[TextPartParam] | None
    name: str
    tool_calls: list[ToolCallParam]


class ToolMessageParam(TypedDict):
    """The result of a tool call."""

    role: Literal["tool"]
    content: str
    tool_call_id: str


MessageParam: TypeAlias = (
    SystemMessageParam | UserMessageParam | AssistantMessageParam | ToolMessageParam
)


class FunctionDefinition(TypedDict):
    """The function a tool exposes: name, description and JSON schema."""

    name: str
    description: str
    parameters: dict[str, Any]


class ToolParam(TypedDict):
    """A tool definition in the request body."""

    type: Literal["function"]
    function: FunctionDefinition


class NamedToolChoiceFunction(TypedDict):
    """The name of the function a named tool choice forces."""

    name: str


class NamedToolChoice(TypedDict):
    """A tool choice that forces one named function."""

    type: Literal["function"]
    function: NamedToolChoiceFunction


ToolChoice: TypeAlias = Literal["none", "auto", "required"] | NamedToolChoice


class ResponseFormat(TypedDict):
    """The `response_format` request field; `json_object` asks for JSON output."""

    type: Literal["text", "json_object", "json_schema"]
    json_schema: NotRequired[dict[str, Any]]


class StreamOptions(TypedDict, total=False):
    """Options of a streamed request; `include_usage` adds a final usage chunk."""

    include_usage: bool
