"""The `{{ cookiecutter.__call_fn }}` decorator: turns a prompt function into an {{ cookiecutter.__name_doc }} call."""

from mirascope.core.base import call_factory

from ._utils._get_json_output import get_json_output
from ._utils._handle_stream import handle_stream, handle_stream_async
from ._utils._keep_decorator_client import keep_decorator_client
from ._utils._setup_call import setup_call
from .call_params import {{ cookiecutter.__prefix }}CallParams
from .call_response import {{ cookiecutter.__prefix }}CallResponse
from .call_response_chunk import {{ cookiecutter.__prefix }}CallResponseChunk
from .stream import {{ cookiecutter.__prefix }}Stream
from .tool import {{ cookiecutter.__prefix }}Tool

_{{ cookiecutter.__call_fn }} = call_factory(
    TCallResponse={{ cookiecutter.__prefix }}CallResponse,
    TCallResponseChunk={{ cookiecutter.__prefix }}CallResponseChunk,
    TToolType={{ cookiecutter.__prefix }}Tool,
    TStream={{ cookiecutter.__prefix }}Stream,
    default_call_params={{ cookiecutter.__prefix }}CallParams(),
    setup_call=setup_call,
    get_json_output=get_json_output,
    handle_stream=handle_stream,
    handle_stream_async=handle_stream_async,
)
{{ cookiecutter.__call_fn }} = keep_decorator_client(_{{ cookiecutter.__call_fn }})
"""A decorator that turns a prompt function into an {{ cookiecutter.__name_doc }} call.

It takes everything Mirascope's decorators take: `stream`, `tools`,
`response_model`, `output_parser`, `json_mode`, `client` (an `httpx.Client`, or
an `httpx.AsyncClient` for async functions; never closed by this package) and
`call_params` (`{{ cookiecutter.__prefix }}CallParams` or Mirascope's `CommonCallParams`).

Example:
    ```python
    from mirascope.core import prompt_template
    from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}


    @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}")
    @prompt_template("Recommend a {genre} book")
    def recommend_book(genre: str): ...


    response = recommend_book("fantasy")
    print(response.content)
    ```
"""
