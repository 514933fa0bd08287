"""Weight and KV-cache precisions: bytes per stored number and the arithmetic that multiplies them.

The records are data, in ``precisions.toml`` beside this module (the file's
rules are :mod:`roofline.tables`), in the file's order.

>>> WEIGHT_PRECISIONS["fp8"].bytes_per_weight
1.0
>>> math_precision_of("w8a16")
'bf16'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tables import beside, records

__all__ = [
    "KV_PRECISIONS",
    "MATH_PRECISIONS",
    "WEIGHT_PRECISIONS",
    "KvPrecision",
    "WeightPrecision",
    "math_precision_of",
]

#: Arithmetic precisions a chip's tensor rate is quoted at.
MATH_PRECISIONS: tuple[str, ...] = ("bf16", "fp8")


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightPrecision:
    """How weights are stored and which arithmetic multiplies them.

    ``bytes_per_weight`` sets the weight read (the memory line's intercept) and
    ``math`` picks the chip's tensor rate (C), so the two move together.
    """

    key: str
    label: str
    bytes_per_weight: float
    math: str
    note: str

    @property
    def bits_per_weight(self) -> float:
        """Bits per stored weight, block scales included: ``8 · bytes_per_weight``.

        >>> WEIGHT_PRECISIONS["w4a16"].bits_per_weight
        4.25
        """
        return self.bytes_per_weight * 8


@dataclass(frozen=True, slots=True, kw_only=True)
class KvPrecision:
    """How the KV cache is stored: bytes per element (the article's ``b``)."""

    key: str
    label: str
    bytes_per_element: float


_FILE = beside(__file__, "precisions.toml")

WEIGHT_PRECISIONS: dict[str, WeightPrecision] = records(_FILE, "weight_precision", WeightPrecision)

KV_PRECISIONS: dict[str, KvPrecision] = records(_FILE, "kv_precision", KvPrecision)


def math_precision_of(precision: str) -> str:
    """The arithmetic ("bf16" or "fp8") that ``precision`` (a math or weight precision key) uses."""
    if precision in MATH_PRECISIONS:
        return precision
    if precision in WEIGHT_PRECISIONS:
        return WEIGHT_PRECISIONS[precision].math
    raise ValueError(
        f"precision must be one of {', '.join(sorted(set(MATH_PRECISIONS) | set(WEIGHT_PRECISIONS)))}, got {precision!r}"
    )
