"""The words and sentences that describe one evaluated step, shared by the CLI and the simulator.

Each readout is a ``(value, text)`` pair: ``value`` in SI base units (or a
word, or ``None`` when there is none) and ``text`` as a reader sees it. The
CLI prints the texts; the simulator (:mod:`roofline.web`) shows the same
texts and keeps the values in ``data-value``.

>>> from roofline.model import Params, evaluate
>>> p = Params(batch=128, active_params=8e9, compute_ops_per_s=80e12, total_params=12e9,
...            bandwidth_bytes_per_s=200e9, context_tokens=8192, kv_bytes_per_element=2)
>>> step_readouts(evaluate(p))["latency"][1]
'60.01 ms'
"""

from __future__ import annotations

from .model import Params, Regime, Step, evaluate
from .units import format_batch, format_percent, format_ratio, format_si, format_time

__all__ = ["READOUT_NAMES", "REGIME_TEXT", "batch_text", "crossover_text", "explanation", "step_readouts"]

#: The readouts of one step, in the order the CLI and the widget show them.
READOUT_NAMES: tuple[str, ...] = (
    "bottleneck",
    "crossover",
    "latency",
    "t_compute",
    "t_memory",
    "t_weights",
    "t_kv",
    "kv_share",
    "memory_slope",
    "compute_memory_ratio",
)

REGIME_TEXT = {
    Regime.MEMORY_BOUND: "Memory-bound",
    Regime.COMPUTE_BOUND: "Compute-bound",
    Regime.BALANCED: "Balanced",
}


def crossover_text(crossover: float | None) -> str:
    """B* for display: two decimals, or a sentence when the lines never cross.

    >>> crossover_text(1234.5678), crossover_text(None)
    ('≈ 1,234.57', 'none: memory-bound at every batch')
    """
    if crossover is None:
        return "none: memory-bound at every batch"
    if crossover < 1e5:
        return f"≈ {crossover:,.2f}"
    return f"≈ {format_si(crossover)}"


def batch_text(batch: float) -> str:
    """A batch for a summary beside :func:`crossover_text`: a whole batch as
    :func:`~roofline.units.format_batch` prints it, a fractional one (the
    crossover itself) as the crossover line does, so one number never shows
    two ways in one summary (``10,877.54`` and ``10,880``).

    >>> batch_text(1587), batch_text(10877.5449)
    ('1,587', '10,877.54')
    """
    return format_batch(batch) if batch == int(batch) else crossover_text(batch).removeprefix("≈ ")


def step_readouts(step: Step, crossover: float | str | None = "step") -> dict[str, tuple[float | str | None, str]]:
    """The readouts of :data:`READOUT_NAMES` for one step, as ``(value, text)`` pairs.

    ``crossover`` replaces ``step.crossover_batch`` when given (a deployment's,
    whose memory line bends with MoE, is found by the deployment model).
    """
    crossing = step.crossover_batch if crossover == "step" else crossover
    return {
        "bottleneck": (step.regime.value, REGIME_TEXT[step.regime]),
        "crossover": (crossing, crossover_text(crossing)),  # type: ignore[arg-type]
        "latency": (step.latency_s, format_time(step.latency_s)),
        "t_compute": (step.t_compute_s, format_time(step.t_compute_s)),
        "t_memory": (step.t_memory_s, format_time(step.t_memory_s)),
        "t_weights": (step.t_weights_s, format_time(step.t_weights_s)),
        "t_kv": (step.t_kv_s, format_time(step.t_kv_s)),
        "kv_share": (step.kv_share, format_percent(step.kv_share)),
        "memory_slope": (step.memory_slope_s, format_time(step.memory_slope_s)),
        "compute_memory_ratio": (step.compute_memory_ratio, format_ratio(step.compute_memory_ratio)),
    }


def explanation(params: Params) -> str:
    """A few sentences on how to read the two lines at ``params``; they change with the regime."""
    step: Step = evaluate(params)
    b = format_si(params.batch)
    kv = format_percent(step.kv_share)
    if step.crossover_batch is None:
        return (
            f"The memory line climbs {format_time(step.memory_slope_s)} per extra sequence (L × b / BW), "
            f"at least as steep as the compute line's {format_time(step.t_compute_s / params.batch)} (N_active / C), "
            "and it starts higher, so the lines never cross: every batch size is memory-bound. "
            "Batching cannot reach balance here; shorten L, shrink b, or add bandwidth."
        )
    crossover = crossover_text(step.crossover_batch)
    if step.regime is Regime.MEMORY_BOUND:
        head = (
            f"At B = {b} the memory line is on top: each step waits for {format_time(step.t_memory_s)} of reads "
            f"while compute needs only {format_time(step.t_compute_s)}. More sequences are almost free until "
            f"B* {crossover}, since each adds just {format_time(step.memory_slope_s)} of KV reads."
        )
    elif step.regime is Regime.COMPUTE_BOUND:
        head = (
            f"At B = {b} the compute line is on top: past B* {crossover} every extra sequence adds "
            f"{format_time(step.t_compute_s / params.batch)} of arithmetic, so latency grows in step with the batch."
        )
    else:
        head = (
            f"At B = {b} the two lines meet (B* {crossover}): memory and compute finish together, "
            "the most work per step before latency starts to climb."
        )
    if step.kv_share < 0.05:
        tail = f" KV is {kv} of memory time, so L and b barely move the memory line; the weight read (intercept) dominates."
    else:
        tail = (
            f" KV is {kv} of memory time: raising L or b, or lowering BW, tilts the memory line up and pushes B* right."
        )
    return head + tail
