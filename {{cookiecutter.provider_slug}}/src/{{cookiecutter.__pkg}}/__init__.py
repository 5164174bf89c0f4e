"""{{ cookiecutter.__name_doc }} for Mirascope v1: the `{{ cookiecutter.__call_fn }}` decorator and its types."""

from ._call import {{ cookiecutter.__call_fn }}
from ._call import {{ cookiecutter.__call_fn }} as call
from ._retry import RetryPolicy, use_retry_policy
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .call_response import {{ cookiecutter.__prefix }}CallResponse
from .call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from .dynamic_config import (
    {{ cookiecutter.__prefix }}DynamicConfig,
    {{ cookiecutter.__prefix }}MessageParam,
    Async{{ cookiecutter.__prefix }}DynamicConfig,
)
from .errors import (
    {{ cookiecutter.__prefix }}APIStatusError,
    {{ cookiecutter.__prefix }}AuthenticationError,
    {{ cookiecutter.__prefix }}BadRequestError,
    {{ cookiecutter.__prefix }}ConnectionError,
    {{ cookiecutter.__prefix }}Error,
    {{ cookiecutter.__prefix }}MissingAPIKeyError,
    {{ cookiecutter.__prefix }}NotFoundError,
    {{ cookiecutter.__prefix }}RateLimitError,
    {{ cookiecutter.__prefix }}ResponseError,
    {{ cookiecutter.__prefix }}ServerError,
    {{ cookiecutter.__prefix }}TimeoutError,
)
from .stream import {{ cookiecutter.__prefix }}Stream
from .tool import {{ cookiecutter.__prefix }}Tool

__all__ = [
    "{{ cookiecutter.__prefix }}APIStatusError",
    "{{ cookiecutter.__prefix }}AuthenticationError",
    "{{ cookiecutter.__prefix }}BadRequestError",
    "{{ cookiecutter.__prefix }}CallParams",
    "{{ cookiecutter.__prefix }}CallResponse",
    "{{ cookiecutter.__prefix }}CallResponseChunk",
    "{{ cookiecutter.__prefix }}ConnectionError",
    "{{ cookiecutter.__prefix }}DynamicConfig",
    "{{ cookiecutter.__prefix }}Error",
    "{{ cookiecutter.__prefix }}MessageParam",
    "{{ cookiecutter.__prefix }}MissingAPIKeyError",
    "{{ cookiecutter.__prefix }}NotFoundError",
    "{{ cookiecutter.__prefix }}RateLimitError",
    "{{ cookiecutter.__prefix }}ResponseError",
    "{{ cookiecutter.__prefix }}ServerError",
    "{{ cookiecutter.__prefix }}Stream",
    "{{ cookiecutter.__prefix }}TimeoutError",
    "{{ cookiecutter.__prefix }}Tool",
    "Async{{ cookiecutter.__prefix }}DynamicConfig",
    "RetryPolicy",
    "{{ cookiecutter.__call_fn }}",
    "call",
    "use_retry_policy",
]
