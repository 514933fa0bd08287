"""Bytes: the weights a step reads (MoE expert coverage), the KV cache from the architecture, and what fits in memory."""

from __future__ import annotations

import math

from ..checks import check_number
from ..presets import (
    Model,
)
from ..units import format_batch, format_bytes, format_tokens
from .layout import copied_params, kv_copies, micro_batches, routed_params
from .spec import Deployment, system_memory_bytes

__all__ = [
    "attention_flop_per_kv_byte",
    "attention_ops_per_token",
    "capacity_batch",
    "capacity_problem",
    "context_layer_tokens",
    "expert_coverage",
    "held_kv_bytes_per_sequence",
    "held_weight_bytes",
    "kv_bytes_per_sequence",
    "kv_bytes_per_token",
    "min_gpus",
    "routed_weight_bytes_read",
    "weight_bytes",
    "weight_bytes_read",
    "weight_params_read",
    "weights_fit",
]


def weight_bytes(d: Deployment) -> float:
    """Bytes the weights occupy: ``N_total · bytes per weight`` (every expert is resident).

    >>> from roofline.deployment import deployment
    >>> weight_bytes(deployment("h200", "deepseek-v3", precision="fp8"))
    671000000000.0
    """
    return d.model.total_params * d.precision.bytes_per_weight


def expert_coverage(m: Model, batch: float) -> float:
    """Expected fraction of routed experts a batch reads, ``1 − (1 − k/E)^B``.

    Assumes each token picks its ``k`` of ``E`` experts uniformly and
    independently of the others (real routers are skewed, which lowers
    coverage at a given B). A dense model reads all its weights: 1.

    Args:
        m: the model (``E`` = ``routed_experts``, ``k`` = ``experts_per_token``).
        batch: B >= 0, sequences in the step (fractions allowed for curves).

    >>> from roofline.presets import model
    >>> ds = model("deepseek-v3")
    >>> [round(expert_coverage(ds, b), 2) for b in (1, 32, 128)]
    [0.03, 0.64, 0.98]
    >>> expert_coverage(model("llama-3.1-8b"), 1)
    1.0
    """
    b = check_number("batch", batch, "sequences", inclusive=True)
    if not m.is_moe:
        return 1.0
    miss = 1.0 - m.experts_per_token / m.routed_experts
    return 1.0 - miss**b


def weight_params_read(m: Model, batch: float, moe_discount: bool = True) -> float:
    """Parameters read in a step of B: ``N_total − R · (1 − coverage(B))``.

    Shared weights (attention, embeddings, shared experts, dense layers) are
    always read; of the routed experts ``R`` only the covered share is.

    >>> from roofline.presets import model
    >>> ds = model("deepseek-v3")
    >>> round(weight_params_read(ds, 1) / 1e9, 1), weight_params_read(ds, 1, moe_discount=False) / 1e9
    (37.0, 671.0)
    """
    if not moe_discount or not m.is_moe:
        return m.total_params
    return m.total_params - routed_params(m) * (1.0 - expert_coverage(m, batch))


def weight_share_read(m: Model, batch: float) -> float:
    """Share of the parameters read in a step of B (MoE discount on): ``weight_params_read / N_total``.

    >>> from roofline.presets import model
    >>> round(weight_share_read(model("deepseek-v3"), 1), 3)
    0.055
    """
    return weight_params_read(m, batch) / m.total_params


def held_weight_bytes_per_gpu(d: Deployment) -> float:
    """Weight bytes each chip holds, the layout's copies included: ``held_weight_bytes / gpus``.

    >>> from roofline.deployment import deployment
    >>> round(held_weight_bytes_per_gpu(deployment("h200", "deepseek-v3", gpus=8, layout="tp8-ep8-dpa")) / 1e9, 1)
    98.4
    """
    return held_weight_bytes(d) / d.gpus


def held_weight_bytes(d: Deployment) -> float:
    """Weight bytes held over all the chips: ``(N_total + copied) · bytes per weight``.

    The layout's copies (:func:`~roofline.deployment.layout.copied_params`)
    come on top of one copy of the model.

    >>> from roofline.deployment import deployment
    >>> round(held_weight_bytes(deployment("h200", "deepseek-v3", gpus=8, layout="tp8-ep8-dpa")) / 1e9, 1)
    786.8
    """
    return (d.model.total_params + copied_params(d.active_layout, d.model)) * d.precision.bytes_per_weight


def weight_bytes_read(d: Deployment, batch: float) -> float:
    """Weight bytes read over all the chips in a step of B, copies included.

    ``m · (params read by B / m tokens + copied) · bytes per weight``, with
    ``m`` the pipeline's micro-batches (:func:`~roofline.deployment.layout.micro_batches`,
    1 without PP): each micro-batch reads its stage's weights again, and each
    copy of a weight is read by the chip that holds it.

    >>> from roofline.deployment import deployment
    >>> round(weight_bytes_read(deployment("h200", "deepseek-v3", gpus=8, layout="tp8-ep8-dpa"), 4096) / 1e9, 1)
    786.8
    """
    layout = d.active_layout
    m = micro_batches(layout, batch)
    read = weight_params_read(d.model, batch / m, d.moe_discount) + copied_params(layout, d.model)
    return m * read * d.precision.bytes_per_weight


def routed_weight_bytes_read(d: Deployment, batch: float) -> float:
    """The part of :func:`weight_bytes_read` that is routed experts' weights, bytes.

    ``m · R · coverage(B / m) · bytes per weight`` (``R`` the routed
    parameters, every one of them without the MoE discount), ``m`` the
    pipeline's micro-batches. Layouts copy no routed expert, so none of the
    copies is here. 0 for a dense model.

    >>> from roofline.deployment import deployment
    >>> d = deployment("h200", "deepseek-v3", gpus=8, precision="fp8")
    >>> round(routed_weight_bytes_read(d, 1) / 1e9, 1), round(weight_bytes_read(d, 1) / 1e9, 1)
    (20.5, 37.0)
    """
    if not d.model.is_moe:
        return 0.0
    m = micro_batches(d.active_layout, batch)
    coverage = expert_coverage(d.model, batch / m) if d.moe_discount else 1.0
    return m * routed_params(d.model) * coverage * d.precision.bytes_per_weight


def context_layer_tokens(m: Model, context_tokens: float) -> float:
    """Layer-tokens of context held per sequence, ``full · L + sliding · min(L, W)``.

    Each full-attention layer keeps all ``L`` tokens, each sliding-window
    layer at most its window ``W``. KV bytes and attention ops are both
    proportional to it.

    >>> from roofline.presets import model
    >>> context_layer_tokens(model("gpt-oss-120b"), 8192)
    149760.0
    """
    length = check_number("context_tokens", context_tokens, "tokens", inclusive=True)
    windowed = min(length, m.sliding_window_tokens) if m.sliding_layers else 0.0
    return m.full_layers * length + m.sliding_layers * windowed


def kv_bytes_per_sequence(m: Model, context_tokens: float, kv_bytes_per_element: float) -> float:
    """KV cache of one sequence of L tokens: elements per layer-token × b × layer-tokens.

    >>> from roofline.presets import model
    >>> kv_bytes_per_sequence(model("deepseek-v3"), 4096, 2)
    287834112.0
    """
    return m.kv_elements_per_layer_token * kv_bytes_per_element * context_layer_tokens(m, context_tokens)


def kv_bytes_per_token(m: Model, context_tokens: float, kv_bytes_per_element: float) -> float:
    """KV bytes per token of context, averaged over the sequence: the article's ``b``.

    Without sliding windows it is ``layers · elements per layer-token · b``,
    the same at every L; with them it falls as L passes the window.

    >>> from roofline.presets import model
    >>> kv_bytes_per_token(model("deepseek-v3"), 32768, 2)
    70272.0
    >>> kv_bytes_per_token(model("gpt-oss-120b"), 8192, 2)
    37440.0
    """
    length = check_number("context_tokens", context_tokens, "tokens")
    if not m.sliding_layers:
        return m.kv_elements_per_token * check_number("kv_bytes_per_element", kv_bytes_per_element, "bytes")
    return kv_bytes_per_sequence(m, length, kv_bytes_per_element) / length


def held_kv_bytes_per_sequence(d: Deployment) -> float:
    """KV bytes one sequence takes over all the chips: :func:`kv_bytes_per_sequence` × the layout's copies.

    >>> from roofline.deployment import deployment
    >>> held_kv_bytes_per_sequence(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)) / 1e6
    1151.336448
    """
    per_sequence = kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
    return per_sequence * kv_copies(d.active_layout, d.model)


def attention_ops_per_token(d: Deployment) -> float:
    """Multiply-adds of attention per generated token: ops per layer-token × layer-tokens.

    0 unless ``d.attention_flops`` is on (the article's T_compute has none).

    >>> from roofline.deployment import deployment
    >>> d = deployment("h100-sxm", "llama-3.1-70b", context_tokens=8192, attention_flops=True)
    >>> attention_ops_per_token(d) / 1e9
    10.73741824
    """
    if not d.attention_flops:
        return 0.0
    return d.model.attention_ops_per_layer_token * context_layer_tokens(d.model, d.context_tokens)


def attention_flop_per_kv_byte(m: Model, kv_bytes_per_element: float) -> float:
    """Attention's arithmetic intensity: FLOP per KV byte read, ``2 · ops per layer-token / KV bytes per layer-token``.

    Set it beside the chip's FLOP/s ÷ BW: far below, attention is bound by
    reading the cache; near or above, by arithmetic.

    >>> from roofline.presets import model
    >>> attention_flop_per_kv_byte(model("llama-3.1-70b"), 2)
    8.0
    >>> round(attention_flop_per_kv_byte(model("deepseek-v3"), 2), 1)
    241.8
    """
    size = check_number("kv_bytes_per_element", kv_bytes_per_element, "bytes")
    return 2 * m.attention_ops_per_layer_token / (m.kv_elements_per_layer_token * size)


def weights_fit(d: Deployment) -> bool:
    """Whether the weights alone, with the layout's copies, fit in the deployment's memory."""
    return held_weight_bytes(d) <= system_memory_bytes(d)


def capacity_batch(d: Deployment, *, memory_fraction: float = 1.0) -> int:
    """The memory wall: the most sequences of L tokens whose KV fits beside the weights.

    ``⌊(memory_fraction · N · HBM − held weight bytes) / held KV bytes per sequence⌋``,
    never negative, with the layout's copies of weights and KV counted
    (:func:`held_weight_bytes`, :func:`held_kv_bytes_per_sequence`): 0 when
    the weights alone do not fit, or leave no room for one sequence. Under
    DP attention each of a stage's ``tp`` chips holds whole sequences, so
    the wall is ``tp`` times what one chip's column of stages holds.
    Nothing else is assumed to take memory (activations, CUDA graphs and
    allocator slack are left out, so a real engine fits somewhat fewer;
    ``memory_fraction`` < 1 reserves the rest for them, as engines do).

    >>> from roofline.deployment import deployment
    >>> capacity_batch(deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=4096, layout="ideal"))
    1587
    >>> capacity_batch(deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=4096))
    198
    >>> capacity_batch(deployment("h100-sxm", "deepseek-v3", gpus=1, precision="fp8"))
    0
    """
    fraction = check_number("memory_fraction", memory_fraction, "of HBM")
    free = fraction * system_memory_bytes(d) - held_weight_bytes(d)
    if free <= 0:
        return 0
    layout = d.active_layout
    if layout.dp_attention and not layout.ideal:
        per_column = kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
        return layout.tp * math.floor(free / layout.tp / per_column)
    return math.floor(free / held_kv_bytes_per_sequence(d))


def min_gpus(d: Deployment) -> int:
    """Fewest GPUs of this kind whose memory holds the weights and one sequence of L tokens.

    >>> from roofline.deployment import deployment
    >>> min_gpus(deployment("h100-sxm", "deepseek-v3", precision="fp8"))
    9
    """
    need = weight_bytes(d) + kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
    return max(1, math.ceil(need / d.hardware.memory_bytes))


def capacity_problem(d: Deployment) -> str | None:
    """A sentence saying why nothing fits, or None when at least one sequence does.

    >>> from roofline.deployment import deployment
    >>> print(capacity_problem(deployment("h100-sxm", "deepseek-v3", precision="fp8")))
    DeepSeek-V3 does not fit: its weights take 671 GB (FP8 weights, FP8 math) but 1 × NVIDIA H100 SXM hold 80 GB; it needs at least 9 of them.
    """
    if capacity_batch(d) >= 1:
        return None
    memory = format_bytes(system_memory_bytes(d))
    where = f"{format_batch(d.gpus)} × {d.hardware.name} hold {memory}"
    held = held_weight_bytes(d)
    copies = (
        f", {format_bytes(held)} with the copies layout {d.active_layout.key} makes" if held > weight_bytes(d) else ""
    )
    if not weights_fit(d):
        return (
            f"{d.model.name} does not fit: its weights take {format_bytes(weight_bytes(d))} "
            f"({d.precision.label}{copies}) but {where}; it needs at least {format_batch(min_gpus(d))} of them."
        )
    per_sequence = format_bytes(held_kv_bytes_per_sequence(d))
    return (
        f"{d.model.name} fits, but leaves no room for one sequence of {format_tokens(d.context_tokens)} tokens "
        f"({per_sequence} of KV): {where}; it needs at least {format_batch(min_gpus(d))} of them."
    )
