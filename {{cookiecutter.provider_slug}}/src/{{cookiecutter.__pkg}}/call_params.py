"""The `{{ cookiecutter.__prefix }}CallParams` class: every parameter of an {{ cookiecutter.__name_doc }} call."""

from typing import Any

from mirascope.core.base import BaseCallParams
from typing_extensions import NotRequired

from ._types import ResponseFormat, StreamOptions, ToolChoice


class {{ cookiecutter.__prefix }}CallParams(BaseCallParams):
    """The parameters to use when calling the {{ cookiecutter.__name_doc }} API.

    Each key is sent as a top-level field of the JSON request body, unchanged, so
    a `0` or `False` is sent as given. Two keys are not sent as fields:
    `extra_headers` becomes HTTP headers and `extra_body` is merged into the body.

    Attributes:
        extra_body: Additional body fields for vendor-specific options.
        extra_headers: Additional HTTP headers for this call.
        frequency_penalty: Penalty for tokens by how often they appeared, -2 to 2.
        logit_bias: Map of token id to a bias from -100 to 100.
        logprobs: Whether to return the log probabilities of the output tokens.
        max_tokens: Maximum number of tokens to generate.
        n: Number of choices to generate.
        parallel_tool_calls: Whether the model may call several tools at once.
        presence_penalty: Penalty for tokens that already appeared, -2 to 2.
        response_format: The output format, e.g. `{"type": "json_object"}`.
        seed: Seed for best-effort deterministic sampling.
        stop: Up to four sequences at which generation stops.
        stream_options: Options of streamed calls; usage is always requested.
        temperature: Sampling temperature, 0 to 2.
        tool_choice: `"none"`, `"auto"`, `"required"` or one named function.
        top_logprobs: Number of most likely tokens to return at each position.
        top_p: Nucleus sampling probability mass, 0 to 1.
        user: An identifier of the end user, for abuse monitoring.

    Example:
        ```python
        from mirascope.core import prompt_template
        from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}CallParams, {{ cookiecutter.__call_fn }}


        @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}", call_params={{ cookiecutter.__prefix }}CallParams(temperature=0.0))
        @prompt_template("Recommend a {genre} book")
        def recommend_book(genre: str): ...
        ```
    """

    # API-SPECIFIC: the request parameters your API accepts.
    extra_body: NotRequired[dict[str, Any]]
    extra_headers: NotRequired[dict[str, str]]
    frequency_penalty: NotRequired[float]
    logit_bias: NotRequired[dict[str, int]]
    logprobs: NotRequired[bool]
    max_tokens: NotRequired[int]
    n: NotRequired[int]
    parallel_tool_calls: NotRequired[bool]
    presence_penalty: NotRequired[float]
    response_format: NotRequired[ResponseFormat]
    seed: NotRequired[int]
    stop: NotRequired[str | list[str]]
    stream_options: NotRequired[StreamOptions | None]
    temperature: NotRequired[float]
    tool_choice: NotRequired[ToolChoice]
    top_logprobs: NotRequired[int]
    top_p: NotRequired[float]
    user: NotRequired[str]
