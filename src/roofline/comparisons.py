"""Ratios between cited figures: how a chip's ceilings grew, and how close a kernel gets to a peak.

Both are plain quotients; they live here, tested once, so pages print them
through macros rather than dividing in their prose.

>>> from roofline.presets import P100, hardware
>>> g = growth(P100, hardware("b200"))
>>> round(g.bandwidth_ratio, 1), round(g.compute_ratio)
(10.9, 106)
>>> round(fraction_of_peak(3000e9, 3.35e12), 3)
0.896
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .presets import CitedChip, Hardware

__all__ = ["Growth", "fraction_of_peak", "growth"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Growth:
    """How much an accelerator's two ceilings grew from ``old`` to ``new`` (new over old)."""

    old: CitedChip
    new: Hardware
    bandwidth_ratio: float
    compute_ratio: float

    @property
    def balance_ratio(self) -> float:
        """How much FLOP per byte grew: ``compute_ratio / bandwidth_ratio``."""
        return self.compute_ratio / self.bandwidth_ratio


def growth(old: CitedChip, new: Hardware, precision: str = "bf16") -> Growth:
    """Bandwidth and dense 16-bit compute of ``new`` over ``old``.

    The old chip's figure is its fastest dense 16-bit rate (the P100's FP16);
    the new chip's is its dense rate at ``precision`` (BF16 by default, the
    like-for-like 16-bit figure).
    """
    return Growth(
        old=old,
        new=new,
        bandwidth_ratio=new.bandwidth_bytes_per_s / old.bandwidth_bytes_per_s,
        compute_ratio=new.flops_per_s(precision) / old.dense_flops_per_s,
    )


def fraction_of_peak(achieved: float, peak: float) -> float:
    """``achieved / peak``: the share of a datasheet ceiling a kernel reaches.

    Raises:
        ValueError: naming the value, for a non-finite or non-positive figure.
    """
    for name, value in (("achieved", achieved), ("peak", peak)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return achieved / peak
