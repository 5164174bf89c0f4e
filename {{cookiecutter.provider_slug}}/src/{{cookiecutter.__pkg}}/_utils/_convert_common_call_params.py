"""Converts Mirascope's provider-agnostic call params into {{ cookiecutter.__name_doc }}'s."""

from typing import cast

from mirascope.core.base import CommonCallParams

from ..call_params import {{ cookiecutter.__prefix }}CallParams

# API-SPECIFIC: the API's name for each common parameter.
PARAM_NAMES = {
    "frequency_penalty": "frequency_penalty",
    "max_tokens": "max_tokens",
    "presence_penalty": "presence_penalty",
    "seed": "seed",
    "stop": "stop",
    "temperature": "temperature",
    "top_p": "top_p",
}


def convert_common_call_params(common_params: CommonCallParams) -> {{ cookiecutter.__prefix }}CallParams:
    """Returns the common params under the API's names.

    `None` means "not set" and is left out; `0` and `False` are kept.
    """
    return cast(
        {{ cookiecutter.__prefix }}CallParams,
        {
            PARAM_NAMES[key]: value
            for key, value in common_params.items()
            if key in PARAM_NAMES and value is not None
        },
    )
