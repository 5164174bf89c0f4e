"""The cost of a call, from the price list of the wire adapter (`_wire.py`).

Mirascope's own `calculate_cost` only knows its built-in providers (it raises
for any other name), so responses and streams of this package compute their
cost here.
"""

from mirascope.core.base import CostMetadata

from . import _wire


def calculate_cost(metadata: CostMetadata, model: str | None) -> float | None:
    """Returns the cost of a call in US dollars, or `None` if it is unknown.

    A cost reported by the API (`metadata.cost`) wins over the price list. A
    model missing from the prices, or a call without token counts, costs `None`.
    """
    if metadata.cost is not None:
        return metadata.cost
    price = _wire.WIRE.prices.get(model) if model else None
    if price is None or metadata.input_tokens is None or metadata.output_tokens is None:
        return None
    cached = metadata.cached_tokens or 0
    cached_price = price.input if price.cached_input is None else price.cached_input
    return (
        (metadata.input_tokens - cached) * price.input
        + cached * cached_price
        + metadata.output_tokens * price.output
    ) / 1_000_000
