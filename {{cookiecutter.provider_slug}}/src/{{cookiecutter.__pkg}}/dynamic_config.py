"""The dynamic config types of {{ cookiecutter.__name_doc }} calls: what a decorated function may return."""

from typing import TypeAlias

import httpx
from mirascope.core.base import BaseDynamicConfig, BaseMessageParam

from ._types import MessageParam
from .call_params import {{ cookiecutter.__prefix }}CallParams

{{ cookiecutter.__prefix }}MessageParam: TypeAlias = MessageParam | BaseMessageParam
"""A message for {{ cookiecutter.__name_doc }} calls: provider-native or provider-agnostic."""

{{ cookiecutter.__prefix }}DynamicConfig = BaseDynamicConfig[{{ cookiecutter.__prefix }}MessageParam, {{ cookiecutter.__prefix }}CallParams, httpx.Client]
"""The return type of a sync function decorated with `{{ cookiecutter.__call_fn }}`.

Example:
    ```python
    from mirascope.core import prompt_template
    from {{ cookiecutter.__pkg }} import {{ cookiecutter.__prefix }}DynamicConfig, {{ cookiecutter.__call_fn }}


    @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}")
    @prompt_template("Recommend a {capitalized_genre} book")
    def recommend_book(genre: str) -> {{ cookiecutter.__prefix }}DynamicConfig:
        return {"computed_fields": {"capitalized_genre": genre.capitalize()}}
    ```
"""

Async{{ cookiecutter.__prefix }}DynamicConfig = BaseDynamicConfig[
    {{ cookiecutter.__prefix }}MessageParam, {{ cookiecutter.__prefix }}CallParams, httpx.AsyncClient
]
"""The return type of an async function decorated with `{{ cookiecutter.__call_fn }}`."""
