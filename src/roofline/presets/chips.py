"""Hardware presets: one cited record per accelerator chip (dense tensor rates, HBM size and bandwidth).

The records are data, in ``chips.toml`` beside this module (each figure with
its source; the file's rules are :mod:`roofline.tables`): :data:`HARDWARE`
in the file's order, and :data:`ARTICLE_H100`.
"""

from __future__ import annotations

from ..tables import beside, record, records
from .schema import Hardware

__all__ = ["ARTICLE_H100", "HARDWARE"]

_FILE = beside(__file__, "chips.toml")

HARDWARE: dict[str, Hardware] = records(_FILE, "hardware", Hardware, Hardware.cited, Hardware.FIGURES)

#: The round figures section V of the article plugs in for an H100:
#: C ≈ 10^15 ops/s (half the dense FP8 rate, rounded) and BW ≈ 3 TB/s.
ARTICLE_H100: Hardware = record(_FILE, "article_h100", Hardware)
