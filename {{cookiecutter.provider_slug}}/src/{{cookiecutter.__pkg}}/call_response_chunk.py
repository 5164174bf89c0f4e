"""The `{{ cookiecutter.__prefix }}CallResponseChunk` class: one chunk of a streamed {{ cookiecutter.__name_doc }} call."""

from mirascope.core.base import BaseCallResponseChunk, CostMetadata
from mirascope.core.base.types import FinishReason

from ._neutral import Chunk, Usage
from ._utils._message_param_converter import common_finish_reasons


class {{ cookiecutter.__prefix }}CallResponseChunk(BaseCallResponseChunk[Chunk, str]):
    """A chunk of a streamed {{ cookiecutter.__name_doc }} call, with convenient access to its fields.

    `chunk` holds what the event adds, read (`Chunk`); `chunk.raw` the API's
    event as parsed.

    Example:
        ```python
        from mirascope.core import prompt_template
        from {{ cookiecutter.__pkg }} import {{ cookiecutter.__call_fn }}


        @{{ cookiecutter.__call_fn }}("{{ cookiecutter.default_model }}", stream=True)
        @prompt_template("Recommend a {genre} book")
        def recommend_book(genre: str): ...


        for chunk, _ in recommend_book("fantasy"):
            print(chunk.content, end="", flush=True)
        ```
    """

    @property
    def content(self) -> str:
        """Returns the text this chunk adds, or `""`."""
        return self.chunk.text

    @property
    def finish_reasons(self) -> list[str] | None:
        """Returns the finish reasons in this chunk, or `None` if it has none.

        `None`, not `[]`: the stream keeps the last non-`None` value, and a
        chunk that only reports usage must not erase the real reason.
        """
        return self.chunk.finish_reasons or None

    @property
    def model(self) -> str | None:
        """Returns the model name the API reported, if any."""
        return self.chunk.model

    @property
    def id(self) -> str | None:
        """Returns the id of the answer this chunk belongs to, if any."""
        return self.chunk.id

    @property
    def usage(self) -> Usage | None:
        """Returns the token usage this chunk reports, if any."""
        return self.chunk.usage

    @property
    def input_tokens(self) -> int | None:
        """Returns the number of input tokens, if this chunk reports them."""
        return self.usage.input_tokens if self.usage else None

    @property
    def cached_tokens(self) -> int | None:
        """Returns the number of cached input tokens, if this chunk reports them."""
        return self.usage.cached_tokens if self.usage else None

    @property
    def output_tokens(self) -> int | None:
        """Returns the number of output tokens, if this chunk reports them."""
        return self.usage.output_tokens if self.usage else None

    @property
    def cost_metadata(self) -> CostMetadata:
        """Returns the data cost is computed from, with a cost the API reported."""
        metadata = super().cost_metadata
        if self.usage is not None and self.usage.cost is not None:
            metadata.cost = self.usage.cost
        return metadata

    @property
    def common_finish_reasons(self) -> list[FinishReason] | None:
        """Returns the finish reasons as Mirascope's common finish reasons."""
        return common_finish_reasons(self.finish_reasons)
