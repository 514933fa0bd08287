"""Long context in the article's model: when the KV term catches up.

Section V of the article drops the KV term ``B · L · b / BW`` from T_memory;
section VII puts it back. Everything here follows from the same two lines as
:mod:`roofline.model` (times in seconds, ``b`` in bytes per token of context):

* at a fixed batch ``B`` the KV read equals the weight read when
  ``B · L · b = N_total``, i.e. at ``L = N_total / (B · b)``;
* the lines stop crossing once the memory slope ``L · b / BW`` reaches the
  compute slope ``N_active / C``, i.e. from ``L = (N_active / C) · BW / b``;
* at the crossover itself the KV read equals the weight read at half that
  context, ``L = N_active · BW / (2 · C · b)``, where ``B*`` is exactly twice
  its short-context value: past it, a step run at its sweet spot moves more KV
  than weights (KV-bound rather than weight-bound).

The article folds the number of KV elements per token into ``b``. To use real
cache sizes, unfold it: ``b`` becomes the bytes one token of context occupies
in the cache, which :func:`roofline.deployment.kv_bytes_per_token` computes
from a model's attention shape.

>>> from roofline.model import Params
>>> p = Params(batch=1, active_params=37e9, compute_ops_per_s=989.45e12, total_params=671e9,
...            bandwidth_bytes_per_s=3.35e12, context_tokens=1, kv_bytes_per_element=70_272)
>>> round(article_no_crossover_context(p))
1783
>>> round(balance_flip_context(p))
891
"""

from __future__ import annotations

from collections.abc import Iterable

from .checks import check_number
from .model import Params, compute_slope_s, crossover_batch, latency_s, memory_slope_s

__all__ = [
    "article_kv_bytes_per_sequence",
    "article_no_crossover_context",
    "balance_flip_context",
    "crossover_at_context",
    "crossover_curve",
    "kv_compute_slope_ratio",
    "kv_weight_parity_context",
    "machine_time_per_token_s",
]


def article_kv_bytes_per_sequence(p: Params) -> float:
    """Bytes of KV cache one sequence holds and reads every step in the article's model, ``L · b``.

    ``b`` folds the elements per token in; for a real model's cache, with
    layers and sliding windows, see :func:`roofline.deployment.kv_bytes_per_sequence`.

    >>> from roofline.model import SEED_DEFAULTS
    >>> article_kv_bytes_per_sequence(SEED_DEFAULTS)
    16384.0
    """
    return p.context_tokens * p.kv_bytes_per_element


def kv_weight_parity_context(p: Params, batch: float | None = None) -> float:
    """Context where the KV read equals the weight read at a fixed batch, ``N_total / (B · b)`` tokens.

    ``batch`` overrides ``p.batch``. Past this context the KV term is the
    larger part of T_memory at that batch.

    >>> from roofline.model import SEED_DEFAULTS
    >>> kv_weight_parity_context(SEED_DEFAULTS)
    46875000.0
    """
    b = p.batch if batch is None else check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    return p.total_params / (b * p.kv_bytes_per_element)


def article_no_crossover_context(p: Params) -> float:
    """Context from which the article's lines never cross, ``(N_active / C) · BW / b`` tokens.

    At this context the memory line climbs exactly as fast as the compute
    line; beyond it, faster. Since the memory line starts higher (at
    ``N_total / BW``), every batch is then memory-bound. For a deployment,
    whose ``b`` changes with L past a sliding window and whose compute can
    grow with L, see :func:`roofline.deployment.no_crossover_context`.

    >>> from roofline.model import SEED_DEFAULTS
    >>> article_no_crossover_context(SEED_DEFAULTS)
    10000000.0
    """
    return compute_slope_s(p) * p.bandwidth_bytes_per_s / p.kv_bytes_per_element


def balance_flip_context(p: Params) -> float:
    """Context where, at the crossover, KV read = weight read: ``N_active · BW / (2 · C · b)`` tokens.

    Setting ``B* · L · b = N_total`` with ``B* = (N_total/BW) / (N_active/C − L·b/BW)``
    gives ``L · b / BW = N_active / (2C)``: half of :func:`article_no_crossover_context`.
    There ``B*`` is twice the KV-free sweet spot.

    >>> from roofline.model import SEED_DEFAULTS
    >>> balance_flip_context(SEED_DEFAULTS)
    5000000.0
    """
    return article_no_crossover_context(p) / 2


def crossover_at_context(p: Params, context_tokens: float) -> float | None:
    """``B*`` of ``p`` with its context replaced by ``context_tokens`` (None: no crossover).

    >>> from roofline.model import SEED_DEFAULTS
    >>> round(crossover_at_context(SEED_DEFAULTS, 5e6))
    1200
    >>> crossover_at_context(SEED_DEFAULTS, 1e7) is None
    True
    """
    return crossover_batch(p.replace(context_tokens=context_tokens))


def crossover_curve(p: Params, contexts: Iterable[float]) -> list[tuple[float, float | None]]:
    """``(L, B*)`` for each context in ``contexts`` (B* is None where the lines never cross).

    >>> from roofline.model import SEED_DEFAULTS
    >>> [(L, round(b)) for L, b in crossover_curve(SEED_DEFAULTS, [1e6, 5e6])]
    [(1000000.0, 667), (5000000.0, 1200)]
    """
    return [(float(L), crossover_at_context(p, L)) for L in contexts]


def machine_time_per_token_s(p: Params, batch: float | None = None) -> float:
    """Seconds of machine time per generated token, ``max(T_compute, T_memory) / B``.

    A step makes one token per sequence, so this is what a token costs in
    accelerator time: the quantity a price per token has to cover.

    >>> from roofline.model import SEED_DEFAULTS
    >>> round(machine_time_per_token_s(SEED_DEFAULTS) * 1e3, 4)
    0.4688
    """
    b = p.batch if batch is None else check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    return latency_s(p, b) / b


def kv_compute_slope_ratio(p: Params) -> float:
    """``(L · b / BW) / (N_active / C)``: KV read time per sequence over compute time per sequence.

    Equal to ``L`` divided by :func:`article_no_crossover_context`. Below 1 the lines
    cross; at or above 1 they never do, and even an unlimited batch leaves each
    token costing at least this many times its arithmetic.

    >>> from roofline.model import SEED_DEFAULTS
    >>> kv_compute_slope_ratio(SEED_DEFAULTS)
    0.0008192
    """
    return memory_slope_s(p) / compute_slope_s(p)


# The view code (roofline_site.charts) still calls the old name; it goes once that is moved.
no_crossover_context = article_no_crossover_context
