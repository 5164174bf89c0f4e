"""The `{{ cookiecutter.__prefix }}CallResponseChunk` class: one chunk of a streamed {{ cookiecutter.__name_doc }} call."""

from mirascope.core.base import BaseCallResponseChunk, CostMetadata
from mirascope.core.base.types import FinishReason

from ._types import ChatCompletionChunk, Usage
from ._utils._convert_finish_reasons import convert_finish_reasons


class {{ cookiecutter.__prefix }}CallResponseChunk(BaseCallResponseChunk[ChatCompletionChunk, str]):
    """A chunk of a streamed {{ cookiecutter.__name_doc }} call, with convenient access to its fields.

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

    # API-SPECIFIC: every property below reads the chunk's JSON.

    @property
    def content(self) -> str:
        """Returns the text this chunk adds (first choice), or `""`."""
        choices = self.chunk.choices
        return (choices[0].delta.content or "") if choices else ""

    @property
    def finish_reasons(self) -> list[str] | None:
        """Returns the finish reasons in this chunk, or `None` if it has none.

        `None`, not `[]`: the stream keeps the last non-`None` value, and the
        usage chunk that ends a stream must not erase the real reason.
        """
        reasons = [c.finish_reason for c in self.chunk.choices if c.finish_reason]
        return reasons or None

    @property
    def model(self) -> str | None:
        """Returns the model name the API reported, if any."""
        return self.chunk.model or None

    @property
    def id(self) -> str | None:
        """Returns the id of the completion this chunk belongs to, if any."""
        return self.chunk.id or None

    @property
    def usage(self) -> Usage | None:
        """Returns the token usage; the API sends it once, in the last chunk."""
        return self.chunk.usage

    @property
    def input_tokens(self) -> int | None:
        """Returns the number of input tokens, if this chunk reports usage."""
        return self.usage.prompt_tokens if self.usage else None

    @property
    def cached_tokens(self) -> int | None:
        """Returns the number of cached input tokens, if this chunk reports usage."""
        if self.usage is None:
            return None
        details = self.usage.prompt_tokens_details
        return (details.cached_tokens or 0) if details else 0

    @property
    def output_tokens(self) -> int | None:
        """Returns the number of output tokens, if this chunk reports usage."""
        return self.usage.completion_tokens if self.usage else None

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
        return convert_finish_reasons(self.finish_reasons)
