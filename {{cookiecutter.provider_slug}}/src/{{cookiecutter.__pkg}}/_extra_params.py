"""The call params the package reads itself, whatever the API."""

from typing import Any

from mirascope.core.base import BaseCallParams
from typing_extensions import NotRequired

EXTRA_PARAMS = ("extra_body", "extra_headers")
"""The keys of `ExtraParams`: the adapter's body never holds them."""


class ExtraParams(BaseCallParams):
    """What every call may add to its request: `{{ cookiecutter.__prefix }}CallParams` has these too.

    Attributes:
        extra_body: Additional body fields for vendor-specific options, merged
            into the JSON body last.
        extra_headers: Additional HTTP headers for this call.
    """

    extra_body: NotRequired[dict[str, Any]]
    extra_headers: NotRequired[dict[str, str]]
