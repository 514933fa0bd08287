"""roofline: the article's model of LLM decode as two ceilings, compute and memory.

The public API is re-exported here; see :mod:`roofline.model` for the
equations and their units. What each module holds:

- :mod:`~roofline.model`: the equations and the article's example;
  :mod:`~roofline.checks` the one validator for named numbers;
  :mod:`~roofline.keyed` tables of records by key and the one look-up;
  :mod:`~roofline.tables` the record tables read from the TOML files beside
  their modules (the presets, the price steps, the acceptance figures);
  :mod:`~roofline.sweep` sweeps for charts; :mod:`~roofline.units` SI units,
  token counts and every formatter; :mod:`~roofline.sentences` the sentences
  that describe a step (shared by the CLI and the simulator);
- :mod:`~roofline.presets`: chips, models and precisions with their sources
  (the records in ``chips.toml``, ``models.toml``, ``precisions.toml``;
  ``schema`` the record shapes, ``cited`` figures quoted from sources that are
  not presets, ``published`` a serving system's own figures, read from its table);
- :mod:`~roofline.deployment`: a model served on N chips in a parallel layout
  (``spec``, ``layout`` what each chip holds, reads and sends, ``memory``,
  ``lines``, ``attention``, ``economics``, ``report``);
- :mod:`~roofline.longcontext`, :mod:`~roofline.frontier` (the
  throughput–interactivity frontier and the batch you would run),
  :mod:`~roofline.speculative` (speculative decoding with its cited acceptance);
- :mod:`~roofline.serving`: the serving estimate; :mod:`~roofline.calibration`
  the published data, the fit and the held-out protocols; :mod:`~roofline.band`
  the estimate's band; :mod:`~roofline.sizing` the estimate at the batch you
  would run, shared by ``roofline serving`` and the compare page;
- :mod:`~roofline.explainer`, :mod:`~roofline.comparisons`,
  :mod:`~roofline.measurement`: the explainer's answers and measured machines;
- :mod:`~roofline.cli`: the command line; :mod:`~roofline.data` the published
  serving tables (one JSON per source, in the source tree, not the wheel);
- :mod:`~roofline.web`: the simulator's view (nothing above imports it).

Pure Python, no dependencies; runs on CPython 3.11+ and Pyodide.
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
