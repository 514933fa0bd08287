"""The article's model applied to a real deployment: chips, a model, precision, memory, money.

The article's two lines stay exactly as :mod:`roofline.model` writes them;
this module only works out, from presets, what to feed them, and adds what
the article leaves out. Each effect is one named function below, with its
assumption:

* **Precision ties bytes to arithmetic** (:func:`weight_bytes`,
  :func:`system_compute_ops_per_s`): a :class:`~roofline.presets.WeightPrecision`
  sets both the bytes per weight and which tensor rate C comes from, so FP8
  weights come with FP8 math and 8-bit weights with BF16 math halve C/byte.
* **KV from the architecture** (:func:`kv_bytes_per_sequence`,
  :func:`kv_bytes_per_token`): GQA keeps ``2 · kv_heads · head_dim`` elements
  per layer and token, MLA ``kv_lora_rank + rope_head_dim``; sliding-window
  layers keep at most the window. Times the KV precision's bytes per element.
* **MoE expert coverage** (:func:`expert_coverage`, :func:`weight_bytes_read`):
  with ``E`` routed experts, ``k`` per token and uniform, independent
  routing, a batch of ``B`` touches a fraction ``1 − (1 − k/E)^B`` of them,
  so only that share of the routed weights is read in a step.
* **Memory capacity** (:func:`capacity_batch`): the largest batch whose KV
  fits beside the weights, ``⌊(HBM − weight bytes) / KV bytes per sequence⌋``.
* **Several GPUs** (:func:`system_compute_ops_per_s`,
  :func:`system_bandwidth_bytes_per_s`, :func:`system_memory_bytes`): N GPUs
  scale FLOP/s, bandwidth and capacity by exactly N. This is *ideal*
  scaling: no communication time, no replicated weights, perfect balance.
* **Throughput and cost** (:func:`throughput_tokens_per_s`,
  :func:`cost_usd_per_million_tokens`): ``B / T`` tokens/s, and the GPUs'
  hourly price spread over the tokens they make in an hour.
* **Two critical context lengths** (:func:`kv_equals_weights_context`,
  :func:`no_crossover_context`): where the KV read equals the weight read
  at a given batch, and past which the lines never cross.
* **Attention FLOPs** (:func:`attention_ops_per_token`): off by default, as in
  the article; when on, each token also pays for attention over its context,
  at attention's own arithmetic rate (:func:`attention_math`): a model preset
  may cite the precision its attention runs in (DeepSeek runs its MLA in BF16
  while its matrix multiplies run in FP8), otherwise attention runs at the
  weights' rate.

Everything is in SI base units; C is in ops/s (FLOP/s ÷ 2), as in the article.

>>> d = deployment("h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=32768)
>>> capacity_batch(d)
396
>>> crossover_batch(d) is None, round(no_crossover_context(d))
(True, 5108)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .checks import check_number, check_whole_number
from .model import (
    Params,
    Step,
    compute_slope_s,
    evaluate,
    latency_s,
    memory_slope_s,
    sweet_spot_batch,
    t_compute_s,
    t_memory_s,
)
from .model import crossover_batch as article_crossover_batch
from .presets import (
    MATH_PRECISIONS,
    WEIGHT_PRECISIONS,
    Hardware,
    Model,
    PublishedServing,
    WeightPrecision,
    hardware,
    kv_precision,
    model,
    weight_precision,
)
from .units import format_batch, format_bytes, format_si, format_tokens

__all__ = [
    "Comparison",
    "Deployment",
    "Report",
    "attention_compute_ops_per_s",
    "attention_flop_per_kv_byte",
    "attention_math",
    "attention_ops_per_token",
    "best_batch",
    "capacity_batch",
    "capacity_problem",
    "compare_with_published",
    "context_layer_tokens",
    "cost_usd_per_million_tokens",
    "crossover_batch",
    "deployment",
    "evaluate_deployment",
    "expert_coverage",
    "implied_batch",
    "kv_bytes_per_sequence",
    "kv_bytes_per_token",
    "kv_equals_weights_context",
    "kv_free_sweet_spot",
    "min_gpus",
    "no_crossover_context",
    "params_at",
    "precision_sweet_spot",
    "routed_params",
    "step_at",
    "system_bandwidth_bytes_per_s",
    "system_compute_ops_per_s",
    "system_memory_bytes",
    "throughput_tokens_per_s",
    "tokens_per_s_per_gpu",
    "tokens_per_s_per_sequence",
    "usd_per_million_tokens",
    "weight_bytes",
    "weight_bytes_read",
    "weight_params_read",
    "weights_fit",
]

#: Bisection steps for the MoE crossover: halves a bracket 200 times, far
#: past a float's 53 bits, so the root is as exact as a float can say.
_BISECTION_STEPS = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class Deployment:
    """A model served on ``gpus`` identical chips at one precision and context.

    Args:
        hardware: the chip (one GPU's figures; N GPUs scale them ideally).
        model: the model served.
        gpus: how many chips, N >= 1.
        precision: bytes per weight and the arithmetic C comes from.
        kv_bytes_per_element: the KV cache's bytes per element (BF16 2, FP8 1).
        context_tokens: L, tokens of context per sequence.
        usd_per_gpu_hour: rental price of one chip for an hour, in US dollars.
        moe_discount: read only the routed experts a batch touches
            (:func:`expert_coverage`); ``False`` reads all weights every step.
        attention_flops: count attention's multiply-adds over the context in
            T_compute (the article leaves them out).
        attention_precision: the arithmetic attention runs in, ``"bf16"`` or
            ``"fp8"``; None takes the model preset's cited precision, or the
            weights' arithmetic where the preset cites none
            (:func:`attention_math`).

    Raises:
        ValueError: naming the field, for a count below 1, a non-finite or
            non-positive size, or a precision the chip has no tensor rate for.
    """

    hardware: Hardware
    model: Model
    gpus: int = 1
    precision: WeightPrecision = WEIGHT_PRECISIONS["fp8"]
    kv_bytes_per_element: float = 2.0
    context_tokens: float = 8192.0
    usd_per_gpu_hour: float = 2.0
    moe_discount: bool = True
    attention_flops: bool = False
    attention_precision: str | None = None

    def __post_init__(self) -> None:
        check_whole_number("gpus", self.gpus)
        object.__setattr__(
            self, "kv_bytes_per_element", check_number("kv_bytes_per_element", self.kv_bytes_per_element, "bytes")
        )
        object.__setattr__(self, "context_tokens", check_number("context_tokens", self.context_tokens, "tokens"))
        object.__setattr__(
            self,
            "usd_per_gpu_hour",
            check_number("usd_per_gpu_hour", self.usd_per_gpu_hour, "US dollars per GPU-hour", inclusive=True),
        )
        check_number("bytes_per_weight", self.precision.bytes_per_weight, "bytes")
        if not self.hardware.supports(self.precision.math):
            raise ValueError(
                f"{self.hardware.name} has no FP8 tensor rate, so precision {self.precision.key!r} "
                "(FP8 math) cannot run on it; use 'bf16', 'w8a16' or 'w4a16'"
            )
        if self.attention_precision is not None and self.attention_precision not in MATH_PRECISIONS:
            raise ValueError(
                f"attention_precision must be one of {', '.join(MATH_PRECISIONS)}, got {self.attention_precision!r}"
            )
        if not self.hardware.supports(attention_math(self)):
            raise ValueError(
                f"{self.hardware.name} has no FP8 tensor rate, so attention cannot run in FP8 on it; use 'bf16'"
            )

    def describe(self) -> str:
        """One line naming the deployment.

        >>> deployment("h100-sxm", "llama-3.1-70b", gpus=2, precision="bf16").describe()
        '2 × NVIDIA H100 SXM, Llama-3.1-70B, BF16 weights, BF16 math, KV at 2 bytes, L = 8,192 tokens'
        """
        return (
            f"{format_batch(self.gpus)} × {self.hardware.name}, {self.model.name}, {self.precision.label}, "
            f"KV at {format_si(self.kv_bytes_per_element)} byte{'s' if self.kv_bytes_per_element != 1 else ''}, "
            f"L = {format_tokens(self.context_tokens)} tokens"
        )


def deployment(
    hardware_key: str | Hardware,
    model_key: str | Model,
    *,
    gpus: int = 1,
    precision: str | WeightPrecision | None = None,
    kv_precision: str | float = "bf16",
    context_tokens: float = 8192.0,
    usd_per_gpu_hour: float = 2.0,
    moe_discount: bool = True,
    attention_flops: bool = False,
    attention_precision: str | None = None,
) -> Deployment:
    """A :class:`Deployment` from preset keys (or preset objects).

    ``precision`` defaults to the precision the model's weights were released
    in; ``kv_precision`` is a key of :data:`~roofline.presets.KV_PRECISIONS`
    or a number of bytes per element.

    >>> deployment("h100-sxm", "gpt-oss-120b").precision.key
    'w4a16'
    """
    chip = hardware_key if isinstance(hardware_key, Hardware) else hardware(hardware_key)
    served = model_key if isinstance(model_key, Model) else model(model_key)
    if precision is None:
        precision = served.released_precision
    weights = precision if isinstance(precision, WeightPrecision) else weight_precision(precision)
    kv_bytes = _kv_bytes(kv_precision) if isinstance(kv_precision, str) else kv_precision
    return Deployment(
        hardware=chip,
        model=served,
        gpus=gpus,
        precision=weights,
        kv_bytes_per_element=kv_bytes,
        context_tokens=context_tokens,
        usd_per_gpu_hour=usd_per_gpu_hour,
        moe_discount=moe_discount,
        attention_flops=attention_flops,
        attention_precision=attention_precision,
    )


def _kv_bytes(key: str) -> float:
    # Module level: inside deployment() the name kv_precision is the argument.
    return kv_precision(key).bytes_per_element


# ---------------------------------------------------------------- scaling


def system_compute_ops_per_s(d: Deployment) -> float:
    """C of the whole deployment: ``N · FLOP/s(precision) / 2`` ops/s (ideal scaling).

    >>> system_compute_ops_per_s(deployment("h200", "deepseek-v3", gpus=8, precision="fp8"))
    7916000000000000.0
    """
    return d.gpus * d.hardware.compute_ops_per_s(d.precision.math)


def system_bandwidth_bytes_per_s(d: Deployment) -> float:
    """BW of the whole deployment: ``N · BW`` bytes/s (ideal scaling).

    >>> system_bandwidth_bytes_per_s(deployment("h200", "deepseek-v3", gpus=8))
    38400000000000.0
    """
    return d.gpus * d.hardware.bandwidth_bytes_per_s


def system_memory_bytes(d: Deployment) -> float:
    """Memory of the whole deployment: ``N · HBM`` bytes (ideal: nothing replicated).

    >>> system_memory_bytes(deployment("h200", "deepseek-v3", gpus=8))
    1128000000000.0
    """
    return d.gpus * d.hardware.memory_bytes


def attention_math(d: Deployment) -> str:
    """The arithmetic attention runs in: the deployment's setting, else the model's cited one, else the weights'.

    >>> attention_math(deployment("h200", "deepseek-v3", precision="fp8"))
    'bf16'
    >>> attention_math(deployment("h200", "llama-3.1-70b", precision="fp8"))
    'fp8'
    """
    return d.attention_precision or d.model.attention_precision or d.precision.math


def attention_compute_ops_per_s(d: Deployment) -> float:
    """C for attention's arithmetic: ``N · FLOP/s(attention precision) / 2`` ops/s.

    >>> attention_compute_ops_per_s(deployment("h200", "deepseek-v3", gpus=8, precision="fp8"))
    3958000000000000.0
    """
    return d.gpus * d.hardware.compute_ops_per_s(attention_math(d))


# ---------------------------------------------------------------- weights


def weight_bytes(d: Deployment) -> float:
    """Bytes the weights occupy: ``N_total · bytes per weight`` (every expert is resident).

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


def routed_params(m: Model) -> float:
    """Parameters in routed experts, ``(N_total − N_active) / (1 − k/E)``.

    Derived rather than looked up: the parameters a token skips are exactly
    the ``(1 − k/E)`` share of the routed experts it does not pick, so
    ``N_total − N_active = R · (1 − k/E)``. Capped at ``N_total`` (figures
    with ``N_active < N_total · k/E`` would make it larger). 0 for a dense model.

    >>> round(routed_params(model("deepseek-v3")) / 1e9, 1)
    654.5
    """
    if not m.is_moe:
        return 0.0
    skipped = m.total_params - m.active_params
    return min(skipped / (1.0 - m.experts_per_token / m.routed_experts), m.total_params)


def weight_params_read(m: Model, batch: float, moe_discount: bool = True) -> float:
    """Parameters read in a step of B: ``N_total − R · (1 − coverage(B))``.

    Shared weights (attention, embeddings, shared experts, dense layers) are
    always read; of the routed experts ``R`` only the covered share is.

    >>> ds = model("deepseek-v3")
    >>> round(weight_params_read(ds, 1) / 1e9, 1), weight_params_read(ds, 1, moe_discount=False) / 1e9
    (37.0, 671.0)
    """
    if not moe_discount or not m.is_moe:
        return m.total_params
    return m.total_params - routed_params(m) * (1.0 - expert_coverage(m, batch))


def weight_bytes_read(d: Deployment, batch: float) -> float:
    """Weight bytes read in a step of B: :func:`weight_params_read` × bytes per weight."""
    return weight_params_read(d.model, batch, d.moe_discount) * d.precision.bytes_per_weight


# ---------------------------------------------------------------- KV cache


def context_layer_tokens(m: Model, context_tokens: float) -> float:
    """Layer-tokens of context held per sequence, ``full · L + sliding · min(L, W)``.

    Each full-attention layer keeps all ``L`` tokens, each sliding-window
    layer at most its window ``W``. KV bytes and attention ops are both
    proportional to it.

    >>> context_layer_tokens(model("gpt-oss-120b"), 8192)
    149760.0
    """
    length = check_number("context_tokens", context_tokens, "tokens", inclusive=True)
    windowed = min(length, m.sliding_window_tokens) if m.sliding_layers else 0.0
    return m.full_layers * length + m.sliding_layers * windowed


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


def kv_bytes_per_sequence(m: Model, context_tokens: float, kv_bytes_per_element: float) -> float:
    """KV cache of one sequence of L tokens: elements per layer-token × b × layer-tokens.

    >>> kv_bytes_per_sequence(model("deepseek-v3"), 4096, 2)
    287834112.0
    """
    return m.kv_elements_per_layer_token * kv_bytes_per_element * context_layer_tokens(m, context_tokens)


def kv_bytes_per_token(m: Model, context_tokens: float, kv_bytes_per_element: float) -> float:
    """KV bytes per token of context, averaged over the sequence: the article's ``b``.

    Without sliding windows it is ``layers · elements per layer-token · b``,
    the same at every L; with them it falls as L passes the window.

    >>> kv_bytes_per_token(model("deepseek-v3"), 32768, 2)
    70272.0
    >>> kv_bytes_per_token(model("gpt-oss-120b"), 8192, 2)
    37440.0
    """
    length = check_number("context_tokens", context_tokens, "tokens")
    if not m.sliding_layers:
        return m.kv_elements_per_token * check_number("kv_bytes_per_element", kv_bytes_per_element, "bytes")
    return kv_bytes_per_sequence(m, length, kv_bytes_per_element) / length


def attention_ops_per_token(d: Deployment) -> float:
    """Multiply-adds of attention per generated token: ops per layer-token × layer-tokens.

    0 unless ``d.attention_flops`` is on (the article's T_compute has none).

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

    >>> attention_flop_per_kv_byte(model("llama-3.1-70b"), 2)
    8.0
    >>> round(attention_flop_per_kv_byte(model("deepseek-v3"), 2), 1)
    241.8
    """
    size = check_number("kv_bytes_per_element", kv_bytes_per_element, "bytes")
    return 2 * m.attention_ops_per_layer_token / (m.kv_elements_per_layer_token * size)


# ---------------------------------------------------------------- the article's lines


def params_at(d: Deployment, batch: float) -> Params:
    """The article's inputs for this deployment at batch B (>= 1).

    ``total_params`` is the *bytes* of weights read at B (the article counts
    one byte per parameter), ``active_params`` the ops per token at the
    weights' rate C (plus attention's when switched on, scaled by
    ``C / C_attention`` so that ``B · active_params / C`` charges attention at
    its own rate), ``kv_bytes_per_element`` the KV bytes per
    token of context. With one byte per weight, one KV element per token and
    no MoE discount these are exactly the article's inputs.
    """
    b = check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    return Params(
        batch=b,
        active_params=d.model.active_params
        + attention_ops_per_token(d) * system_compute_ops_per_s(d) / attention_compute_ops_per_s(d),
        compute_ops_per_s=system_compute_ops_per_s(d),
        total_params=weight_bytes_read(d, b),
        bandwidth_bytes_per_s=system_bandwidth_bytes_per_s(d),
        context_tokens=d.context_tokens,
        kv_bytes_per_element=kv_bytes_per_token(d.model, d.context_tokens, d.kv_bytes_per_element),
    )


def step_at(d: Deployment, batch: float) -> Step:
    """The article's readouts (:func:`roofline.model.evaluate`) at batch B."""
    return evaluate(params_at(d, batch))


def _coverage_varies(d: Deployment) -> bool:
    return d.moe_discount and d.model.is_moe and routed_params(d.model) > 0


def crossover_batch(d: Deployment) -> float | None:
    """The batch where T_compute = T_memory, or None if memory is on top at every B.

    Without an MoE discount the weight read does not depend on B and this is
    :func:`roofline.model.crossover_batch`. With it, T_memory bends (it reads
    more experts as B grows) and the crossing is found by bisection; it is
    still unique, because T_compute − T_memory is convex in B and starts
    negative. No crossover exists iff the KV slope ``L · b / BW`` is at least
    the compute slope ``N_active / C``.

    >>> round(crossover_batch(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)))
    18866
    """
    p = params_at(d, 1.0)
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
    high = (d.model.total_params * d.precision.bytes_per_weight / p.bandwidth_bytes_per_s) / net_slope
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


def kv_free_sweet_spot(d: Deployment) -> float:
    """Section V's sweet spot for this deployment, KV dropped and every weight read.

    ``(N_total · bytes per weight / N_active) · (C / BW)``: the article's
    formula with the weight read in bytes, so the precision pairing shows.
    N GPUs scale C and BW alike and leave it unchanged.

    >>> round(kv_free_sweet_spot(deployment("h100-sxm", "deepseek-v3", precision="fp8")))
    5356
    >>> round(kv_free_sweet_spot(deployment("h100-sxm", "deepseek-v3", precision="w8a16")))
    2678
    """
    return sweet_spot_batch(
        weight_bytes(d), d.model.active_params, system_compute_ops_per_s(d), system_bandwidth_bytes_per_s(d)
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


# ---------------------------------------------------------------- memory capacity


def weights_fit(d: Deployment) -> bool:
    """Whether the weights alone fit in the deployment's memory."""
    return weight_bytes(d) <= system_memory_bytes(d)


def capacity_batch(d: Deployment, *, memory_fraction: float = 1.0) -> int:
    """The memory wall: the most sequences of L tokens whose KV fits beside the weights.

    ``⌊(memory_fraction · N · HBM − weight bytes) / KV bytes per sequence⌋``, never negative:
    0 when the weights alone do not fit, or leave no room for one sequence.
    Nothing else is assumed to take memory (activations, CUDA graphs and
    allocator slack are left out, so a real engine fits somewhat fewer;
    ``memory_fraction`` < 1 reserves the rest for them, as engines do).

    >>> capacity_batch(deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=4096))
    1587
    >>> capacity_batch(deployment("h100-sxm", "deepseek-v3", gpus=1, precision="fp8"))
    0
    """
    fraction = check_number("memory_fraction", memory_fraction, "of HBM")
    free = fraction * system_memory_bytes(d) - weight_bytes(d)
    if free <= 0:
        return 0
    return math.floor(free / kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element))


def min_gpus(d: Deployment) -> int:
    """Fewest GPUs of this kind whose memory holds the weights and one sequence of L tokens.

    >>> min_gpus(deployment("h100-sxm", "deepseek-v3", precision="fp8"))
    9
    """
    need = weight_bytes(d) + kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
    return max(1, math.ceil(need / d.hardware.memory_bytes))


def capacity_problem(d: Deployment) -> str | None:
    """A sentence saying why nothing fits, or None when at least one sequence does.

    >>> print(capacity_problem(deployment("h100-sxm", "deepseek-v3", precision="fp8")))
    DeepSeek-V3 does not fit: its weights take 671 GB (FP8 weights, FP8 math) but 1 × NVIDIA H100 SXM hold 80 GB; it needs at least 9 of them.
    """
    if capacity_batch(d) >= 1:
        return None
    memory = format_bytes(system_memory_bytes(d))
    where = f"{format_batch(d.gpus)} × {d.hardware.name} hold {memory}"
    if not weights_fit(d):
        return (
            f"{d.model.name} does not fit: its weights take {format_bytes(weight_bytes(d))} "
            f"({d.precision.label}) but {where}; it needs at least {format_batch(min_gpus(d))} of them."
        )
    per_sequence = format_bytes(kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element))
    return (
        f"{d.model.name} fits, but leaves no room for one sequence of {format_tokens(d.context_tokens)} tokens "
        f"({per_sequence} of KV): {where}; it needs at least {format_batch(min_gpus(d))} of them."
    )


def best_batch(d: Deployment) -> float | None:
    """The largest batch worth running: the crossover if it fits, else the memory wall.

    Past the crossover a bigger batch only adds latency (throughput is flat
    at ``C / N_active``); past the wall it does not fit. Returns None when
    not even one sequence fits, and never less than 1 otherwise.

    >>> best_batch(deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=4096))
    1587.0
    """
    wall = capacity_batch(d)
    if wall < 1:
        return None
    crossover = crossover_batch(d)
    if crossover is None:
        return float(wall)
    return float(min(max(crossover, 1.0), wall))


# ---------------------------------------------------------------- throughput and cost


def throughput_tokens_per_s(d: Deployment, batch: float) -> float:
    """Output tokens per second of the whole deployment, ``B / T``."""
    p = params_at(d, batch)
    return p.batch / latency_s(p)


def tokens_per_s_per_gpu(d: Deployment, batch: float) -> float:
    """Output tokens per second per GPU, ``B / (T · N)``."""
    return throughput_tokens_per_s(d, batch) / d.gpus


def tokens_per_s_per_sequence(d: Deployment, batch: float) -> float:
    """What one user sees: one token per step, ``1 / T`` tokens/s."""
    return 1.0 / latency_s(params_at(d, batch))


def usd_per_million_tokens(usd_per_gpu_hour: float, gpus: float, tokens_per_s: float) -> float:
    """Cost of a million output tokens: ``price · N / 3600 / (tokens/s) · 10^6`` dollars.

    >>> round(usd_per_million_tokens(2.0, 8, 14.8e3), 4)
    0.3003
    """
    price = check_number("usd_per_gpu_hour", usd_per_gpu_hour, "US dollars per GPU-hour", inclusive=True)
    count = check_number("gpus", gpus, "GPUs")
    rate = check_number("tokens_per_s", tokens_per_s, "tokens/s")
    return price * count / 3600.0 / rate * 1e6


def cost_usd_per_million_tokens(d: Deployment, batch: float) -> float:
    """Dollars per million output tokens at batch B (every GPU-hour billed, none idle)."""
    return usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, throughput_tokens_per_s(d, batch))


def implied_batch(tokens_per_s: float, tokens_per_s_per_sequence: float) -> float:
    """Sequences in flight implied by a total rate and a per-user rate (each gets one token a step).

    >>> implied_batch(14.8e3 * 18, 21)
    12685.714285714286
    """
    total = check_number("tokens_per_s", tokens_per_s, "tokens/s")
    each = check_number("tokens_per_s_per_sequence", tokens_per_s_per_sequence, "tokens/s")
    return total / each


# ---------------------------------------------------------------- critical context lengths


def kv_equals_weights_context(d: Deployment, batch: float) -> float | None:
    """The context L at which, at batch B, the KV read equals the weight read.

    Solves ``B · KV bytes per sequence(L) = weight bytes read(B)``. Below it the
    weights dominate T_memory, above it the KV does ("weight-bound" turns
    "KV-bound"). None if sliding windows cap the KV below that.

    >>> round(kv_equals_weights_context(deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8"), 512))
    37299
    """
    b = check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    per_layer_token = d.model.kv_elements_per_layer_token * d.kv_bytes_per_element
    return _context_for_layer_tokens(d.model, weight_bytes_read(d, b) / (b * per_layer_token))


def no_crossover_context(d: Deployment) -> float | None:
    """The context L past which the lines never cross: memory-bound at every batch.

    Solves ``KV bytes per sequence(L) / BW = ops per token(L) / C``: the KV
    slope of T_memory reaches the slope of T_compute. With attention FLOPs
    on, the compute slope grows with L too; if it grows at least as fast as
    the KV slope, a crossover exists at every L and the answer is None.

    >>> round(no_crossover_context(deployment("h100-sxm", "deepseek-v3", kv_precision="bf16")))
    1783
    """
    m = d.model
    bandwidth = system_bandwidth_bytes_per_s(d)
    compute = system_compute_ops_per_s(d)
    kv_per_layer_token_s = m.kv_elements_per_layer_token * d.kv_bytes_per_element / bandwidth
    attention_ops = m.attention_ops_per_layer_token if d.attention_flops else 0
    attention_per_layer_token_s = attention_ops / attention_compute_ops_per_s(d)
    net = kv_per_layer_token_s - attention_per_layer_token_s
    if net <= 0:
        return None
    return _context_for_layer_tokens(m, (m.active_params / compute) / net)


# ---------------------------------------------------------------- everything at once


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Every readout of a deployment at one batch.

    ``step`` holds the article's readouts at B (its own ``crossover_batch``
    assumes the weight read stays what it is at B); ``crossover_batch`` here
    lets the MoE weight read grow with B. Throughput and cost are None when
    nothing fits.
    """

    deployment: Deployment
    batch: float
    step: Step
    crossover_batch: float | None
    best_batch: float | None
    weight_bytes: float
    memory_bytes: float
    weights_fit: bool
    capacity_batch: int
    fits: bool
    min_gpus: int
    expert_coverage: float
    weight_bytes_read: float
    kv_bytes_per_token: float
    kv_bytes_per_sequence: float
    tokens_per_s: float | None
    tokens_per_s_per_gpu: float | None
    tokens_per_s_per_sequence: float | None
    usd_per_million_tokens: float | None
    kv_equals_weights_context: float | None
    no_crossover_context: float | None
    problem: str | None

    def as_dict(self) -> dict[str, float | int | str | bool | None]:
        """JSON-ready values: the article's step readouts, then the deployment's."""
        d = self.deployment
        out: dict[str, float | int | str | bool | None] = dict(self.step.as_dict())
        out.update(
            {
                "crossover_batch": self.crossover_batch,
                "hardware": d.hardware.key,
                "model": d.model.key,
                "gpus": d.gpus,
                "precision": d.precision.key,
                "kv_bytes_per_element": d.kv_bytes_per_element,
                "context_tokens": d.context_tokens,
                "batch": self.batch,
                "compute_ops_per_s": system_compute_ops_per_s(d),
                "bandwidth_bytes_per_s": system_bandwidth_bytes_per_s(d),
                "memory_bytes": self.memory_bytes,
                "weight_bytes": self.weight_bytes,
                "weights_fit": self.weights_fit,
                "capacity_batch": self.capacity_batch,
                "fits": self.fits,
                "min_gpus": self.min_gpus,
                "best_batch": self.best_batch,
                "expert_coverage": self.expert_coverage,
                "weight_bytes_read": self.weight_bytes_read,
                "kv_bytes_per_token": self.kv_bytes_per_token,
                "kv_bytes_per_sequence": self.kv_bytes_per_sequence,
                "tokens_per_s": self.tokens_per_s,
                "tokens_per_s_per_gpu": self.tokens_per_s_per_gpu,
                "tokens_per_s_per_sequence": self.tokens_per_s_per_sequence,
                "usd_per_gpu_hour": d.usd_per_gpu_hour,
                "usd_per_million_tokens": self.usd_per_million_tokens,
                "kv_equals_weights_context": self.kv_equals_weights_context,
                "no_crossover_context": self.no_crossover_context,
                "moe_discount": d.moe_discount,
                "attention_flops": d.attention_flops,
                "attention_precision": attention_math(d),
                "problem": self.problem,
            }
        )
        return out


def evaluate_deployment(d: Deployment, batch: float | None = None) -> Report:
    """All readouts at ``batch`` (default: :func:`best_batch` rounded down, or 1).

    >>> r = evaluate_deployment(deployment("h100-sxm", "deepseek-v3", precision="fp8"))
    >>> r.capacity_batch, r.tokens_per_s, r.problem.split(":")[0]
    (0, None, 'DeepSeek-V3 does not fit')
    """
    best = best_batch(d)
    if batch is None:
        batch = float(max(1, math.floor(best))) if best is not None else 1.0
    step = step_at(d, batch)
    wall = capacity_batch(d)
    any_fits = wall >= 1
    per_sequence = kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
    tokens = step.params.batch / step.latency_s if any_fits else None
    return Report(
        deployment=d,
        batch=step.params.batch,
        step=step,
        crossover_batch=crossover_batch(d),
        best_batch=best,
        weight_bytes=weight_bytes(d),
        memory_bytes=system_memory_bytes(d),
        weights_fit=weights_fit(d),
        capacity_batch=wall,
        fits=step.params.batch <= wall,
        min_gpus=min_gpus(d),
        expert_coverage=expert_coverage(d.model, step.params.batch),
        weight_bytes_read=step.params.total_params,
        kv_bytes_per_token=step.params.kv_bytes_per_element,
        kv_bytes_per_sequence=per_sequence,
        tokens_per_s=tokens,
        tokens_per_s_per_gpu=None if tokens is None else tokens / d.gpus,
        tokens_per_s_per_sequence=1.0 / step.latency_s if any_fits else None,
        usd_per_million_tokens=(None if tokens is None else usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, tokens)),
        kv_equals_weights_context=kv_equals_weights_context(d, step.params.batch),
        no_crossover_context=no_crossover_context(d),
        problem=capacity_problem(d),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Published serving figures beside what the model predicts for the same deployment.

    The model is evaluated at the batch the publisher's own figures imply
    (total tokens/s over tokens/s per user), at their mean context.
    ``*_ratio`` fields are predicted over observed.
    """

    serving: PublishedServing
    deployment: Deployment
    implied_batch: float
    observed_tokens_per_s_per_gpu: float
    observed_tokens_per_s_per_sequence: float
    observed_step_s: float
    observed_usd_per_million_tokens: float
    predicted: Report
    predicted_with_attention: Report
    throughput_ratio: float
    speed_ratio: float


def compare_with_published(serving: PublishedServing) -> Comparison:
    """Put a serving system's published figures beside the model's prediction.

    Uses the publisher's hardware (the closest preset), precision, GPU count,
    mean context and price; the per-user speed is the middle of the
    published range.

    >>> from roofline.presets import DEEPSEEK_SERVING
    >>> c = compare_with_published(DEEPSEEK_SERVING)
    >>> round(c.implied_batch), round(c.observed_tokens_per_s_per_gpu)
    (12686, 1850)
    >>> round(c.throughput_ratio, 1)
    4.5
    """
    d = deployment(
        serving.hardware,
        serving.model,
        gpus=serving.gpus,
        precision=serving.weight_precision,
        kv_precision=serving.kv_precision,
        context_tokens=serving.mean_context_tokens,
        usd_per_gpu_hour=serving.usd_per_gpu_hour,
    )
    per_user = (serving.tokens_per_s_per_user_low + serving.tokens_per_s_per_user_high) / 2
    nodes = serving.gpus / serving.gpus_per_node
    batch = implied_batch(serving.output_tokens_per_s_per_node * nodes, per_user)
    predicted = evaluate_deployment(d, batch)
    with_attention = evaluate_deployment(replace(d, attention_flops=True), batch)
    per_gpu = serving.output_tokens_per_s_per_node / serving.gpus_per_node
    return Comparison(
        serving=serving,
        deployment=d,
        implied_batch=batch,
        observed_tokens_per_s_per_gpu=per_gpu,
        observed_tokens_per_s_per_sequence=per_user,
        observed_step_s=1.0 / per_user,
        observed_usd_per_million_tokens=usd_per_million_tokens(
            serving.usd_per_gpu_hour, serving.gpus_per_node, serving.output_tokens_per_s_per_node
        ),
        predicted=predicted,
        predicted_with_attention=with_attention,
        throughput_ratio=(predicted.tokens_per_s_per_gpu or 0.0) / per_gpu,
        speed_ratio=(predicted.tokens_per_s_per_sequence or 0.0) / per_user,
    )
