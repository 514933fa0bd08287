"""Figures quoted from sources that are not presets: the article's round numbers, kernels' published
rates, an older chip for comparison. Each carries its unit and where it is published.

>>> CITED_FIGURES["flashmla-bandwidth"].value
3000000000000.0
>>> cited("article-sparsity").unit
'total over active parameters'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..keyed import by_key, look_up

__all__ = ["CITED_FIGURES", "P100", "CitedChip", "CitedFigure", "cited"]

_ARTICLE = "the source article, section V"


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedFigure:
    """One number as a source gives it: ``value`` in ``unit``, published in ``source``."""

    key: str
    value: float
    unit: str
    source: str

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)) or not math.isfinite(self.value):
            raise ValueError(f"{self.key}: value must be a finite number, got {self.value!r}")
        if not self.source:
            raise ValueError(f"{self.key}: a cited figure needs its source")


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedChip:
    """An older accelerator, kept only to show how the ceilings grew (not a preset to serve on).

    Args:
        key: short name.
        name: the product's name.
        year: the year it shipped.
        dense_flops_per_s: its fastest dense rate for a 16-bit matrix product, FLOP/s.
        bandwidth_bytes_per_s: its memory bandwidth, bytes/s.
        source: the datasheet column the figures come from.
    """

    key: str
    name: str
    year: int
    dense_flops_per_s: float
    bandwidth_bytes_per_s: float
    source: str


#: NVIDIA's first HBM data-centre GPU (2016): the start of the decade the sweet-spot page looks back over.
P100 = CitedChip(
    key="p100-sxm2",
    name="NVIDIA Tesla P100 (SXM2)",
    year=2016,
    dense_flops_per_s=21.2e12,
    bandwidth_bytes_per_s=732e9,
    source=(
        "NVIDIA Tesla P100 datasheet, 'for NVLink-optimized servers' column: half-precision 21.2 TeraFLOPS "
        "(FP16, no tensor cores), CoWoS HBM2 at 732 GB/s"
    ),
)


def _article(key: str, value: float, unit: str, where: str) -> CitedFigure:
    """A round number the source article plugs in (section V): ``where`` says which and how it is rounded."""
    return CitedFigure(key=key, value=value, unit=unit, source=f"{_ARTICLE}: {where}")


_OPS_PER_BYTE = "multiply-adds per byte"  # the article's ops: one multiply and one add
_TOTAL_OVER_ACTIVE = "total over active parameters"

CITED_FIGURES: dict[str, CitedFigure] = by_key(
    _article("article-c-over-bw", 300, _OPS_PER_BYTE, "C/BW for an H100, rounded to 'about 300'"),
    _article("article-sparsity", 18, _TOTAL_OVER_ACTIVE, "DeepSeek-V3's N_total / N_active rounded to 18"),
    _article("article-sparser", 30, _TOTAL_OVER_ACTIVE, "sparser designs reach 30 and beyond"),
    _article("article-ratio-low", 200, _OPS_PER_BYTE, "A100, H100 and B100-class chips sit between 200 and 400"),
    _article("article-ratio-high", 400, _OPS_PER_BYTE, "A100, H100 and B100-class chips sit between 200 and 400"),
    CitedFigure(
        key="flashmla-bandwidth",
        value=3000e9,
        unit="bytes/s",
        source="deepseek-ai/FlashMLA README: up to 3000 GB/s in the memory-bound decode configuration on H800 SXM5",
    ),
    CitedFigure(
        key="deepgemm-fp8",
        value=1550e12,
        unit="FLOP/s",
        source="deepseek-ai/DeepGEMM README: up to 1550 TFLOPS of FP8 on H800",
    ),
    CitedFigure(
        key="b200-bandwidth-elsewhere",
        value=7.7e12,
        unit="bytes/s",
        source="B200 bandwidth as several other sources give it (NVIDIA's DGX B200 datasheet gives 8 TB/s)",
    ),
)


def cited(key: str) -> CitedFigure:
    """The cited figure called ``key`` (ValueError lists the valid keys)."""
    return look_up(CITED_FIGURES, key, "cited figure")
