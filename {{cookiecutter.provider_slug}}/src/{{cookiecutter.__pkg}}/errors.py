"""The errors this package raises, in the spirit of the vendor SDKs.

```
{{ cookiecutter.__prefix }}Error
├── {{ cookiecutter.__prefix }}MissingAPIKeyError     no API key configured (raised at the first call)
├── {{ cookiecutter.__prefix }}ConnectionError        the API could not be reached, hung up, or
│                              redirected in circles
│   └── {{ cookiecutter.__prefix }}TimeoutError       connect, read, write or pool timeout
├── {{ cookiecutter.__prefix }}APIStatusError         the API answered 4xx or 5xx
│   ├── {{ cookiecutter.__prefix }}BadRequestError    400, 422
│   ├── {{ cookiecutter.__prefix }}AuthenticationError  401, 403
│   ├── {{ cookiecutter.__prefix }}NotFoundError      404
│   ├── {{ cookiecutter.__prefix }}RateLimitError     429
│   └── {{ cookiecutter.__prefix }}ServerError        5xx
└── {{ cookiecutter.__prefix }}ResponseError          an answer that cannot be read: malformed JSON or
                               server-sent events, a body that does not decode,
                               text that is not UTF-8, an answer without what
                               the wire format says it holds, an error event in
                               a stream, a stream that ends before the API said
                               it was done
```

No error shows the API key: what the API echoes of it is redacted, in messages,
`request_id`, `body` and the errors an error came from.

Besides these, the model's JSON that does not fit what was asked (a response
model, a tool's arguments) raises pydantic's `ValidationError`, as in Mirascope
(see `_utils/_json_object.py`).
"""

from __future__ import annotations


class {{ cookiecutter.__prefix }}Error(Exception):
    """The base of every error this package raises."""


class {{ cookiecutter.__prefix }}MissingAPIKeyError({{ cookiecutter.__prefix }}Error):
    """No API key is configured; the message names the variable to set."""


class {{ cookiecutter.__prefix }}ConnectionError({{ cookiecutter.__prefix }}Error):
    """The API could not be reached, or the connection broke."""


class {{ cookiecutter.__prefix }}TimeoutError({{ cookiecutter.__prefix }}ConnectionError):
    """The API did not answer in time."""


class {{ cookiecutter.__prefix }}ResponseError({{ cookiecutter.__prefix }}Error):
    """The API's answer could not be read as the wire format says it should."""


class {{ cookiecutter.__prefix }}APIStatusError({{ cookiecutter.__prefix }}Error):
    """The API answered with a 4xx or 5xx status.

    Attributes:
        status_code: The HTTP status.
        request_id: The request id the API sent back, if any; give it to the
            API's support to trace the request.
        body: The start of the response body (at most `BODY_EXCERPT` characters).
    """

    BODY_EXCERPT = 1000

    def __init__(
        self, message: str, *, status_code: int, request_id: str | None, body: str
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id
        self.body = body[: self.BODY_EXCERPT]


class {{ cookiecutter.__prefix }}BadRequestError({{ cookiecutter.__prefix }}APIStatusError):
    """400 or 422: the API refused the request as malformed or invalid."""


class {{ cookiecutter.__prefix }}AuthenticationError({{ cookiecutter.__prefix }}APIStatusError):
    """401 or 403: the API key is missing, wrong, or not allowed this."""


class {{ cookiecutter.__prefix }}NotFoundError({{ cookiecutter.__prefix }}APIStatusError):
    """404: no such endpoint or model."""


class {{ cookiecutter.__prefix }}RateLimitError({{ cookiecutter.__prefix }}APIStatusError):
    """429: too many requests; retried automatically before this is raised."""


class {{ cookiecutter.__prefix }}ServerError({{ cookiecutter.__prefix }}APIStatusError):
    """5xx: the API failed; retried automatically before this is raised."""


def status_error_class(status_code: int) -> type[{{ cookiecutter.__prefix }}APIStatusError]:
    """Returns the error class for a 4xx or 5xx status."""
    if status_code >= 500:
        return {{ cookiecutter.__prefix }}ServerError
    return _BY_STATUS.get(status_code, {{ cookiecutter.__prefix }}APIStatusError)


_BY_STATUS: dict[int, type[{{ cookiecutter.__prefix }}APIStatusError]] = {
    400: {{ cookiecutter.__prefix }}BadRequestError,
    401: {{ cookiecutter.__prefix }}AuthenticationError,
    403: {{ cookiecutter.__prefix }}AuthenticationError,
    404: {{ cookiecutter.__prefix }}NotFoundError,
    422: {{ cookiecutter.__prefix }}BadRequestError,
    429: {{ cookiecutter.__prefix }}RateLimitError,
}
