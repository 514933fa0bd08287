"""The article's two lines for a deployment: its parameters at a batch, the crossover, the sweet spot, the critical contexts."""

from __future__ import annotations

import math

from ..checks import check_number
from ..model import (
    Params,
    Step,
    compute_slope_s,
    evaluate,
    memory_slope_s,
    sweet_spot_batch,
    t_compute_s,
    t_memory_s,
)
from ..model import crossover_batch as article_crossover_batch
from ..presets import (
    Hardware,
    Model,
)
from .layout import busy_fraction, kv_copies, routed_params
from .memory import (
    attention_ops_per_token,
    capacity_batch,
    held_weight_bytes,
    kv_bytes_per_token,
    weight_bytes_read,
)
from .spec import (
    Deployment,
    attention_compute_ops_per_s,
    deployment,
    system_bandwidth_bytes_per_s,
    system_compute_ops_per_s,
)

__all__ = [
    "best_batch",
    "deployment_crossover_batch",
    "kv_equals_weights_context",
    "kv_free_sweet_spot",
    "no_crossover_context",
    "params_at",
    "precision_sweet_spot",
    "step_at",
]


#: Bisection steps for the MoE crossover: halves a bracket 200 times, far
#: past a float's 53 bits, so the root is as exact as a float can say.
_BISECTION_STEPS = 200


def _context_for_layer_tokens(m: Model, layer_tokens: float) -> float | None:
    """The L at which :func:`context_layer_tokens` reaches ``layer_tokens`` (None if never)."""
    if not m.sliding_layers:
        return layer_tokens / m.layers
    window = float(m.sliding_window_tokens or 0)
    if layer_tokens <= m.layers * window:
        return layer_tokens / m.layers
    if m.full_layers == 0:
        return None
    return (layer_tokens - m.sliding_layers * window) / m.full_layers


def params_at(d: Deployment, batch: float, verified_tokens: int = 1) -> Params:
    """The article's inputs for this deployment at batch B (>= 1), summed over its chips.

    ``total_params`` is the *bytes* of weights read at B over all the chips,
    the layout's copies included (the article counts one byte per
    parameter), ``active_params`` the ops per token at the weights' rate C
    (plus attention's when switched on, scaled by ``C / C_attention`` so that
    ``B · active_params / C`` charges attention at its own rate),
    ``kv_bytes_per_element`` the KV bytes per token of context times the
    layout's KV copies. C and BW are the chips at work: all of them, or
    ``m / pp`` of them in a pipeline's bubble. With the ideal layout, one byte
    per weight, one KV element per token, no MoE discount and no attention
    FLOPs these are exactly the article's inputs.

    ``verified_tokens`` is ``k + 1`` for speculative decoding's verify step
    (:mod:`roofline.speculative`): each of the B sequences checks ``k + 1``
    tokens, so the step does ``k + 1`` times the arithmetic per sequence
    (``active_params`` scaled by it) and routes ``(k + 1) · B`` tokens
    through the experts (``total_params`` is the weight read at that many
    tokens), while each sequence's KV is read once. These are the lines
    :func:`roofline.frontier.deployment_lines` draws with speculation.

    >>> d = deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)
    >>> plain, verify = params_at(d, 64), params_at(d, 64, verified_tokens=2)
    >>> verify.active_params / plain.active_params, verify.total_params == weight_bytes_read(d, 128)
    (2.0, True)
    """
    b = check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    if isinstance(verified_tokens, bool) or not isinstance(verified_tokens, int) or verified_tokens < 1:
        raise ValueError(f"verified_tokens must be a whole number >= 1 tokens per sequence, got {verified_tokens!r}")
    busy = busy_fraction(d.active_layout, b)
    compute = system_compute_ops_per_s(d)
    kv_per_token = kv_bytes_per_token(d.model, d.context_tokens, d.kv_bytes_per_element)
    per_token = d.model.active_params + attention_ops_per_token(d) * (compute / attention_compute_ops_per_s(d))
    return Params(
        batch=b,
        active_params=verified_tokens * per_token,
        compute_ops_per_s=compute * busy,
        total_params=weight_bytes_read(d, verified_tokens * b),
        bandwidth_bytes_per_s=system_bandwidth_bytes_per_s(d) * busy,
        context_tokens=d.context_tokens,
        kv_bytes_per_element=kv_per_token * kv_copies(d.active_layout, d.model),
    )


def step_at(d: Deployment, batch: float, verified_tokens: int = 1) -> Step:
    """The article's readouts (:func:`roofline.model.evaluate`) at batch B (the verify step's with ``verified_tokens``)."""
    return evaluate(params_at(d, batch, verified_tokens))


def _coverage_varies(d: Deployment) -> bool:
    return d.moe_discount and d.model.is_moe and routed_params(d.model) > 0


def deployment_crossover_batch(d: Deployment) -> float | None:
    """The batch where T_compute = T_memory, or None if memory is on top at every B.

    Without an MoE discount the weight read does not depend on B and this is
    :func:`roofline.model.crossover_batch`. With it, T_memory bends (it reads
    more experts as B grows) and the crossing is found by bisection; it is
    still unique, because T_compute − T_memory is convex in B and starts
    negative. No crossover exists iff the KV slope ``L · b / BW`` is at least
    the compute slope ``N_active / C``.

    A pipeline's bubble idles compute and memory alike, so it moves neither
    line against the other; the lines are taken with every chip at work.

    >>> round(deployment_crossover_batch(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096,
    ...                                  layout="ideal", attention_flops=False)))
    18866
    >>> round(deployment_crossover_batch(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096,
    ...                                  layout="ideal")))
    1798
    >>> deployment_crossover_batch(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)) is None
    True
    """
    pp = 1 if d.active_layout.ideal else d.active_layout.pp
    p = _all_at_work(d, params_at(d, float(pp)))
    if not _coverage_varies(d):
        return article_crossover_batch(p)
    net_slope = compute_slope_s(p) - memory_slope_s(p)
    if net_slope <= 0:
        return None

    def gap(batch: float) -> float:
        # The article's two lines at B, with the weight read that B implies.
        read = weight_bytes_read(d, batch)
        if read <= 0:  # nothing but KV to read: compute (steeper) is on top
            return 1.0
        at = p.replace(total_params=read)
        return t_compute_s(at, batch) - t_memory_s(at, batch)

    # With every weight read the article's crossover is an upper bound.
    high = (pp * held_weight_bytes(d) / p.bandwidth_bytes_per_s) / net_slope
    low = 0.0
    if not math.isfinite(high):
        return None
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if gap(middle) >= 0:
            high = middle
        else:
            low = middle
    return high


def _all_at_work(d: Deployment, p: Params) -> Params:
    """``p`` with every chip's C and BW, as outside a pipeline's bubble."""
    return p.replace(
        compute_ops_per_s=system_compute_ops_per_s(d), bandwidth_bytes_per_s=system_bandwidth_bytes_per_s(d)
    )


def kv_free_sweet_spot(d: Deployment) -> float:
    """Section V's sweet spot for this deployment, KV dropped and every weight read.

    ``(held weight bytes / N_active) · (C / BW)``: the article's formula
    with the weight read in bytes, so the precision pairing shows, and the
    layout's copies of weights counted. N GPUs scale C and BW alike and
    leave it unchanged.

    >>> round(kv_free_sweet_spot(deployment("h100-sxm", "deepseek-v3", precision="fp8")))
    5356
    >>> round(kv_free_sweet_spot(deployment("h100-sxm", "deepseek-v3", precision="w8a16")))
    2678
    """
    return sweet_spot_batch(
        held_weight_bytes(d), d.model.active_params, system_compute_ops_per_s(d), system_bandwidth_bytes_per_s(d)
    )


def precision_sweet_spot(hardware_key: str | Hardware, model_key: str | Model, precision: str) -> float:
    """The KV-free sweet spot of a model on one chip at a weight precision (:func:`kv_free_sweet_spot`).

    Every page that prints a sweet spot per precision calls this one function,
    so two tables cannot disagree about what "BF16" means: BF16 weights (2
    bytes each) with BF16 arithmetic.

    >>> round(precision_sweet_spot("h100-sxm", "deepseek-v3", "bf16"))
    5356
    >>> round(precision_sweet_spot("h100-sxm", "deepseek-v3", "w8a16"))
    2678
    """
    return kv_free_sweet_spot(deployment(hardware_key, model_key, precision=precision))


def best_batch(d: Deployment) -> float | None:
    """The largest batch worth running: the crossover if it fits, else the memory wall.

    Past the crossover a bigger batch only adds latency (throughput is flat
    at ``C / N_active``); past the wall it does not fit. Returns None when
    not even one sequence fits, and never less than 1 otherwise.

    >>> best_batch(deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=4096))
    198.0
    """
    wall = capacity_batch(d)
    if wall < 1:
        return None
    crossover = deployment_crossover_batch(d)
    if crossover is None:
        return float(wall)
    return float(min(max(crossover, 1.0), wall))


def kv_equals_weights_context(d: Deployment, batch: float) -> float | None:
    """The context L at which, at batch B, the KV read equals the weight read.

    Solves ``B · KV bytes per sequence(L) = weight bytes read(B)``. Below it the
    weights dominate T_memory, above it the KV does ("weight-bound" turns
    "KV-bound"). None if sliding windows cap the KV below that.

    >>> round(kv_equals_weights_context(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", layout="ideal"), 512))
    37299
    >>> round(kv_equals_weights_context(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8"), 512))
    4662
    """
    b = check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    per_layer_token = d.model.kv_elements_per_layer_token * d.kv_bytes_per_element * kv_copies(d.active_layout, d.model)
    return _context_for_layer_tokens(d.model, weight_bytes_read(d, b) / (b * per_layer_token))


def no_crossover_context(d: Deployment) -> float | None:
    """The context L past which the lines never cross: memory-bound at every batch.

    Solves ``KV bytes per sequence(L) / BW = ops per token(L) / C``: the KV
    slope of T_memory reaches the slope of T_compute, the KV counted as
    often as the layout copies it. With attention FLOPs on, the compute
    slope grows with L too; if it grows at least as fast as the KV slope, a
    crossover exists at every L and the answer is None (absorbed MLA on an
    even split or under DP attention).

    >>> round(no_crossover_context(deployment("h100-sxm", "deepseek-v3", kv_precision="bf16", attention_flops=False)))
    1783
    >>> no_crossover_context(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", layout="tp8-ep8-dpa")) is None
    True
    """
    m = d.model
    bandwidth = system_bandwidth_bytes_per_s(d)
    compute = system_compute_ops_per_s(d)
    copies = kv_copies(d.active_layout, m)
    kv_per_layer_token_s = m.kv_elements_per_layer_token * d.kv_bytes_per_element * copies / bandwidth
    attention_ops = m.attention_ops_per_layer_token if d.attention_flops else 0
    attention_per_layer_token_s = attention_ops / attention_compute_ops_per_s(d)
    net = kv_per_layer_token_s - attention_per_layer_token_s
    if net <= 0:
        return None
    return _context_for_layer_tokens(m, (m.active_params / compute) / net)
