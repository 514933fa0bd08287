"""The article's roofline model of one decode step, written once.

One decode step produces one token for each of ``B`` sequences. Two things
take time, on separate hardware that runs in parallel:

* compute: ``T_compute = B · N_active / C`` seconds, where ``C`` is the
  effective compute rate in ops/s (the datasheet FLOP/s divided by 2, because
  each parameter costs one multiply and one add per token);
* memory traffic: ``T_memory = N_total / BW + B · L · b / BW`` seconds. The
  first term reads every weight once per step; the article's model counts one
  byte per parameter, so ``N_total`` parameters are ``N_total`` bytes. The
  second reads each sequence's KV cache: ``L`` tokens of context times ``b``
  bytes per KV element (the per-token element count is folded into ``b``).
  Both share one memory bus, so they add.

Because the two run in parallel the step takes ``T = max(T_compute,
T_memory)``. The lines cross at

    B* = (N_total / BW) / (N_active / C − L · b / BW)

if and only if ``N_active / C > L · b / BW``; otherwise memory grows at least
as fast as compute and the step is memory-bound at every batch size.

>>> step = evaluate(SEED_DEFAULTS)
>>> round(step.latency_s * 1e3, 2), step.regime.value
(60.01, 'memory-bound')
>>> round(step.crossover_batch, 2)
600.49
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass, fields
from typing import Self

from .checks import check_number

__all__ = [
    "BALANCE_TOLERANCE",
    "SEED_DEFAULTS",
    "SEED_MAX_BATCH",
    "Params",
    "Regime",
    "Step",
    "compute_memory_ratio",
    "compute_slope_s",
    "crossover_batch",
    "evaluate",
    "hardware_ratio",
    "kv_share",
    "latency_s",
    "memory_slope_s",
    "regime",
    "sparsity_ratio",
    "sweet_spot_batch",
    "t_compute_s",
    "t_kv_s",
    "t_memory_s",
    "t_weights_s",
]

#: Relative gap under which the two ceilings count as equal: the step is
#: "balanced" when T_compute / T_memory lies within 1 ± 1%. Closer than that,
#: neither resource is meaningfully waiting on the other.
BALANCE_TOLERANCE = 0.01


class Regime(enum.StrEnum):
    """Which ceiling sets the step time."""

    MEMORY_BOUND = "memory-bound"
    COMPUTE_BOUND = "compute-bound"
    BALANCED = "balanced"


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Inputs of the article's model, in SI base units.

    Args:
        batch: B, sequences decoded together in one step (>= 1).
        active_params: N_active, parameters each token multiplies through.
        compute_ops_per_s: C, effective compute in ops/s (datasheet FLOP/s ÷ 2).
        total_params: N_total, parameters read from memory each step; the
            model counts one byte per parameter.
        bandwidth_bytes_per_s: BW, memory bandwidth in bytes/s.
        context_tokens: L, tokens of context (KV length) per sequence.
        kv_bytes_per_element: b, bytes per KV element (BF16 2, FP8 1, FP32 4).

    Raises:
        ValueError: if any value is not finite, is <= 0, or the batch is < 1.

    >>> Params(batch=0, active_params=1, compute_ops_per_s=1, total_params=1,
    ...        bandwidth_bytes_per_s=1, context_tokens=1, kv_bytes_per_element=1)
    Traceback (most recent call last):
    ...
    ValueError: batch must be >= 1 sequences, got 0
    """

    batch: float
    active_params: float
    compute_ops_per_s: float
    total_params: float
    bandwidth_bytes_per_s: float
    context_tokens: float
    kv_bytes_per_element: float

    def __post_init__(self) -> None:
        checks = (
            ("batch", "sequences", 1.0, True),
            ("active_params", "parameters", 0.0, False),
            ("compute_ops_per_s", "ops/s", 0.0, False),
            ("total_params", "parameters", 0.0, False),
            ("bandwidth_bytes_per_s", "bytes/s", 0.0, False),
            ("context_tokens", "tokens", 0.0, False),
            ("kv_bytes_per_element", "bytes", 0.0, False),
        )
        for name, unit, minimum, inclusive in checks:
            object.__setattr__(self, name, check_number(name, getattr(self, name), unit, minimum=minimum, inclusive=inclusive))

    def replace(self, **changes: float) -> Self:
        """A copy with some fields changed (and validated again), of the same type."""
        return dataclasses.replace(self, **changes)


#: The article's simulator defaults: a mid-range inference GPU chosen so that
#: L and b visibly move T_memory (N_active 8G, C 80T ops/s, N_total 12G,
#: BW 200 GB/s, L 8192, b 2, B 128).
SEED_DEFAULTS = Params(
    batch=128,
    active_params=8e9,
    compute_ops_per_s=80e12,
    total_params=12e9,
    bandwidth_bytes_per_s=200e9,
    context_tokens=8192,
    kv_bytes_per_element=2,
)
#: The right end of the article's batch axis (sequences): where its chart and simulator stop.
SEED_MAX_BATCH = 2048.0


def _batch(p: Params, batch: float | None) -> float:
    # Charts evaluate the lines at B = 0 (the intercept), which Params forbids.
    return p.batch if batch is None else batch


def compute_slope_s(p: Params) -> float:
    """Growth of T_compute per extra sequence, ``N_active / C`` seconds.

    >>> compute_slope_s(SEED_DEFAULTS)
    0.0001
    """
    return p.active_params / p.compute_ops_per_s


def t_compute_s(p: Params, batch: float | None = None) -> float:
    """Compute time, ``B · N_active / C`` seconds (``batch`` overrides ``p.batch``).

    >>> t_compute_s(SEED_DEFAULTS)
    0.0128
    """
    return _batch(p, batch) * compute_slope_s(p)


def t_weights_s(p: Params) -> float:
    """Weight-read term of T_memory, ``N_total / BW`` seconds (one byte per parameter).

    >>> t_weights_s(SEED_DEFAULTS)
    0.06
    """
    return p.total_params / p.bandwidth_bytes_per_s


def memory_slope_s(p: Params) -> float:
    """Growth of T_memory per extra sequence, ``L · b / BW`` seconds.

    >>> memory_slope_s(SEED_DEFAULTS)
    8.192e-08
    """
    return p.context_tokens * p.kv_bytes_per_element / p.bandwidth_bytes_per_s


def t_kv_s(p: Params, batch: float | None = None) -> float:
    """KV-read term of T_memory, ``B · L · b / BW`` seconds.

    >>> round(t_kv_s(SEED_DEFAULTS), 15)
    1.048576e-05
    """
    return _batch(p, batch) * memory_slope_s(p)


def t_memory_s(p: Params, batch: float | None = None) -> float:
    """Memory time, ``N_total / BW + B · L · b / BW`` seconds (one bus, so a sum)."""
    return t_weights_s(p) + t_kv_s(p, batch)


def latency_s(p: Params, batch: float | None = None) -> float:
    """Step time, ``max(T_compute, T_memory)`` seconds (separate units overlap)."""
    return max(t_compute_s(p, batch), t_memory_s(p, batch))


def kv_share(p: Params) -> float:
    """Fraction of T_memory spent reading KV, ``T_kv / T_memory`` (0 to 1)."""
    return t_kv_s(p) / t_memory_s(p)


def compute_memory_ratio(p: Params) -> float:
    """``T_compute / T_memory``: below 1 memory-bound, above 1 compute-bound."""
    return t_compute_s(p) / t_memory_s(p)


def regime(p: Params, tolerance: float = BALANCE_TOLERANCE) -> Regime:
    """Which ceiling binds: balanced when T_compute / T_memory is within 1 ± ``tolerance``.

    >>> regime(SEED_DEFAULTS).value
    'memory-bound'
    >>> regime(SEED_DEFAULTS.replace(batch=2000)).value
    'compute-bound'
    """
    ratio = compute_memory_ratio(p)
    if ratio < 1 - tolerance:
        return Regime.MEMORY_BOUND
    if ratio > 1 + tolerance:
        return Regime.COMPUTE_BOUND
    return Regime.BALANCED


def crossover_batch(p: Params) -> float | None:
    """The batch where the lines cross, ``(N_total/BW) / (N_active/C − L·b/BW)``.

    Returns ``None`` when there is no crossover: if ``L · b / BW >= N_active / C``
    the memory line rises at least as fast as the compute line and starts
    above it, so the step is memory-bound at every batch size. The batch in
    ``p`` is ignored. The result can be below 1 (compute-bound from B = 1).

    Raises:
        ValueError: if the crossover is so close to zero that it underflows a
            float (inputs hundreds of orders of magnitude from any chip or
            model); 0 would claim a crossover at no batch at all.

    >>> round(crossover_batch(SEED_DEFAULTS), 2)
    600.49
    >>> crossover_batch(SEED_DEFAULTS.replace(context_tokens=1e6, bandwidth_bytes_per_s=10e9)) is None
    True
    """
    net_slope = compute_slope_s(p) - memory_slope_s(p)
    if net_slope <= 0:
        return None
    weights_s = t_weights_s(p)
    batch = weights_s / net_slope
    if batch == 0:
        raise ValueError(
            f"the crossover batch N_total/BW / (N_active/C - L*b/BW) = {weights_s!r} s / {net_slope!r} s"
            " underflows a float: these inputs are far outside any real chip or model"
        )
    return batch if math.isfinite(batch) else None


def hardware_ratio(compute_ops_per_s: float, bandwidth_bytes_per_s: float) -> float:
    """``C / BW``: ops the chip can do in the time it reads one byte.

    Raises:
        ValueError: if either is not a finite number > 0, or the ratio
            overflows or underflows a float.

    >>> round(hardware_ratio(1e15, 3e12), 1)
    333.3
    """
    return _ratio(
        "C / BW",
        ("compute_ops_per_s", compute_ops_per_s, "ops/s"),
        ("bandwidth_bytes_per_s", bandwidth_bytes_per_s, "bytes/s"),
    )


def sparsity_ratio(total_params: float, active_params: float) -> float:
    """``N_total / N_active``, the inverse of the model's sparsity (1 for a dense model).

    Raises:
        ValueError: as :func:`hardware_ratio`.

    >>> round(sparsity_ratio(671e9, 37e9), 3)
    18.135
    """
    return _ratio(
        "N_total / N_active",
        ("total_params", total_params, "parameters"),
        ("active_params", active_params, "parameters"),
    )


def sweet_spot_batch(
    total_params: float, active_params: float, compute_ops_per_s: float, bandwidth_bytes_per_s: float
) -> float:
    """Section V's sweet spot with the KV term dropped: ``(N_total/N_active) · (C/BW)``.

    Raises:
        ValueError: as :func:`sparsity_ratio` and :func:`hardware_ratio`, or
            if the product overflows a float.

    >>> round(sweet_spot_batch(671e9, 37e9, 1e15, 3e12))
    6045
    """
    product = sparsity_ratio(total_params, active_params) * hardware_ratio(compute_ops_per_s, bandwidth_bytes_per_s)
    if not math.isfinite(product):
        raise ValueError(f"sweet spot overflows a float (got {product!r}); check the inputs' units")
    return product


def _ratio(what: str, numerator: tuple[str, object, str], denominator: tuple[str, object, str]) -> float:
    """``numerator / denominator``, each ``(name, value, unit)`` checked a finite number > 0, the quotient too."""
    top = check_number(*numerator)
    bottom = check_number(*denominator)
    ratio = top / bottom
    if not math.isfinite(ratio) or ratio == 0:
        raise ValueError(f"{what} is outside the range a float can hold ({top!r} / {bottom!r})")
    return ratio


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """Every readout of the model at one operating point (seconds, ratios, a batch).

    ``crossover_batch`` is ``None`` when the lines never cross.
    """

    params: Params
    t_compute_s: float
    t_memory_s: float
    t_weights_s: float
    t_kv_s: float
    latency_s: float
    kv_share: float
    memory_slope_s: float
    compute_memory_ratio: float
    crossover_batch: float | None
    regime: Regime

    def as_dict(self) -> dict[str, float | str | None]:
        """The readouts as plain JSON-ready values: every field but ``params``, in order, the regime by its value."""
        out: dict[str, float | str | None] = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "params"}
        out["regime"] = self.regime.value
        return out


def evaluate(p: Params) -> Step:
    """All readouts at ``p``.

    Raises:
        ValueError: if a time, or T_compute / T_memory, over/underflows a
            float (inputs of absurd size), so that no result ever holds inf,
            NaN or a zero time.
    """
    values = {
        "t_compute_s": t_compute_s(p),
        "t_weights_s": t_weights_s(p),
        "t_kv_s": t_kv_s(p),
        "memory_slope_s": memory_slope_s(p),
    }
    for name, value in values.items():
        if not math.isfinite(value) or value <= 0:
            raise ValueError(
                f"{name} = {value!r} is outside the range a float can hold; the inputs are of absurd size: {p}"
            )
    memory = values["t_weights_s"] + values["t_kv_s"]
    if not math.isfinite(memory):
        raise ValueError(f"t_memory_s overflows a float; the inputs are of absurd size: {p}")
    # The two ceilings can each be representable while their ratio is not
    # (e.g. 1e154 s against 1e-155 s): no regime or share can be stated then.
    ratio = values["t_compute_s"] / memory
    if not math.isfinite(ratio) or ratio <= 0:
        raise ValueError(
            f"T_compute / T_memory = {ratio!r} is outside the range a float can hold; "
            f"the inputs are of absurd size: {p}"
        )
    return Step(
        params=p,
        t_compute_s=values["t_compute_s"],
        t_memory_s=memory,
        t_weights_s=values["t_weights_s"],
        t_kv_s=values["t_kv_s"],
        latency_s=max(values["t_compute_s"], memory),
        kv_share=values["t_kv_s"] / memory,
        memory_slope_s=values["memory_slope_s"],
        compute_memory_ratio=ratio,
        crossover_batch=crossover_batch(p),
        regime=regime(p),
    )
