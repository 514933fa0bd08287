"""roofline: the article's model of LLM decode as two ceilings, compute and memory.

The public API is re-exported here; see :mod:`roofline.model` for the
equations and their units.
"""

from __future__ import annotations

from .model import (
    BALANCE_TOLERANCE,
    SEED_DEFAULTS,
    Params,
    Regime,
    Step,
    compute_memory_ratio,
    compute_slope_s,
    crossover_batch,
    evaluate,
    hardware_ratio,
    kv_share,
    latency_s,
    memory_slope_s,
    regime,
    sparsity_ratio,
    sweet_spot_batch,
    t_compute_s,
    t_kv_s,
    t_memory_s,
    t_weights_s,
)
from .sweep import SweepPoint, breakpoints, sweep
from .units import format_percent, format_ratio, format_si, format_si_exact, format_time, parse_si

__version__ = "0.1.0"

__all__ = [
    "BALANCE_TOLERANCE",
    "SEED_DEFAULTS",
    "Params",
    "Regime",
    "Step",
    "SweepPoint",
    "__version__",
    "breakpoints",
    "compute_memory_ratio",
    "compute_slope_s",
    "crossover_batch",
    "evaluate",
    "format_percent",
    "format_ratio",
    "format_si",
    "format_si_exact",
    "format_time",
    "hardware_ratio",
    "kv_share",
    "latency_s",
    "memory_slope_s",
    "parse_si",
    "regime",
    "sparsity_ratio",
    "sweep",
    "sweet_spot_batch",
    "t_compute_s",
    "t_kv_s",
    "t_memory_s",
    "t_weights_s",
]
