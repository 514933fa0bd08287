"""Weight and KV-cache precisions: bytes per stored number and the arithmetic that multiplies them.

>>> WEIGHT_PRECISIONS["fp8"].bytes_per_weight
1.0
>>> math_precision_of("w8a16")
'bf16'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..keyed import by_key

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


WEIGHT_PRECISIONS: dict[str, WeightPrecision] = by_key(
    WeightPrecision(
        key="bf16",
        label="BF16 weights, BF16 math",
        bytes_per_weight=2.0,
        math="bf16",
        note="2 bytes per weight; C from the dense BF16 tensor rate",
    ),
    WeightPrecision(
        key="fp8",
        label="FP8 weights, FP8 math",
        bytes_per_weight=1.0,
        math="fp8",
        note="1 byte per weight; C from the dense FP8 tensor rate (per-block scales ignored)",
    ),
    WeightPrecision(
        key="w8a16",
        label="8-bit weights, BF16 math",
        bytes_per_weight=1.0,
        math="bf16",
        note="weight-only INT8/FP8: 1 byte per weight, widened to BF16 before the multiply",
    ),
    WeightPrecision(
        key="w4a16",
        label="4-bit weights (MXFP4), BF16 math",
        bytes_per_weight=4.25 / 8,
        math="bf16",
        note="4 bits per weight plus one 8-bit scale per 32 weights (the OCP MX block layout), widened to BF16",
    ),
)

KV_PRECISIONS: dict[str, KvPrecision] = by_key(
    KvPrecision(key="bf16", label="BF16 KV cache (2 bytes)", bytes_per_element=2.0),
    KvPrecision(key="fp8", label="FP8 KV cache (1 byte)", bytes_per_element=1.0),
    KvPrecision(key="fp32", label="FP32 KV cache (4 bytes)", bytes_per_element=4.0),
)


def math_precision_of(precision: str) -> str:
    """The arithmetic ("bf16" or "fp8") that ``precision`` (a math or weight precision key) uses."""
    if precision in MATH_PRECISIONS:
        return precision
    if precision in WEIGHT_PRECISIONS:
        return WEIGHT_PRECISIONS[precision].math
    raise ValueError(
        f"precision must be one of {', '.join(sorted(set(MATH_PRECISIONS) | set(WEIGHT_PRECISIONS)))}, got {precision!r}"
    )
