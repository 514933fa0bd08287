"""A serving estimate: what a real engine adds on top of the article's two lines.

The article's step time is ``max(T_compute, T_memory)`` at datasheet rates.
A server under load spends more than that on every step. This module adds
each missing piece as its own term, in seconds per decode step, so a reader
(and a test) can see which one matters where:

* **weights** and **KV**: the memory line, read at an *attainable* fraction
  of the datasheet bandwidth; the KV read at the *mean* context a sequence
  carries over its life, ``input + output / 2`` tokens.
* **compute**: the compute line, at an attainable fraction of the datasheet
  FLOP/s, with attention's multiply-adds over that context counted.
* **overhead**: a fixed cost per layer per step (kernel launches, scheduling)
  plus a cost per running sequence (sampling, detokenizing, streaming).
* **communication**: tensor-parallel all-reduces (two per layer) or
  expert-parallel dispatch and combine (one of each per MoE layer), from the
  chips' link bandwidth and a latency per collective.
* **prefill**: under continuous batching each finished request is replaced
  by a new one whose prompt is prefilled on the same chips, so every decode
  step also pays for ``B · input / output`` prompt tokens (0 when prefill runs
  on separate chips).

The step is ``memory + compute − overlap · min(memory, compute) + overhead +
communication``, where ``overlap`` says how much of the shorter job hides
under the longer: 1 is the article's ``max``, 0 a plain sum. It is fitted,
and on every published source it comes out 0: in a whole serving step the
two do not overlap the way one pipelined kernel does. The
time per output token a user sees (``tpot_s``) adds the prefill share. The
running batch is the requested concurrency capped by the memory wall: the
sequences whose KV at full length (``input + output`` tokens) fits in the
share of memory the engine gives to weights and KV. Memory, weights, KV
bytes and MoE expert coverage all come from :mod:`roofline.deployment`.

The constants are :data:`FITTED`: the attainable fractions and the
collective latency sourced, the overheads and the overlap fitted by
:func:`roofline.calibration.fit` on the sources named in :data:`FITTED_ON`; ``scripts/fit_serving.py`` refits them and prints the
leave-one-source-out table.

>>> e = estimate("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
...              input_tokens=1000, output_tokens=1000, concurrency=1)
>>> e.running_batch, e.mean_context_tokens
(1, 1500.0)
>>> round(e.tpot_s * 1e3, 1) > round(e.article_step_s * 1e3, 1)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import deployment as dep
from .checks import check_number
from .presets import Hardware
from .units import format_tokens

__all__ = [
    "FITTED",
    "FITTED_ON",
    "PARALLELISMS",
    "Constants",
    "DoesNotFit",
    "Estimate",
    "Terms",
    "all_reduce_time_s",
    "communication_time_s",
    "compute_time_s",
    "default_parallelism",
    "estimate",
    "expert_parallel_time_s",
    "kv_time_s",
    "mean_context_tokens",
    "memory_wall_batch",
    "overhead_time_s",
    "prefill_share_time_s",
    "prefill_time_s",
    "step_terms",
    "tensor_parallel_time_s",
    "weights_time_s",
    "workload_for_mean_context",
]


class DoesNotFit(ValueError):
    """The deployment is valid but cannot hold one whole sequence beside its weights."""

#: How the chips split the model: ``tp`` shards every layer (all-reduces);
#: ``ep`` puts whole experts on each chip and runs attention data-parallel
#: (all-to-all dispatch and combine).
PARALLELISMS: tuple[str, ...] = ("tp", "ep")

#: Bytes per activation element moved by an all-reduce or a combine (BF16).
_ACTIVATION_BYTES = 2.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Constants:
    """The serving estimate's constants: each fitted or sourced (see :data:`FITTED`).

    Args:
        bandwidth_fraction: attainable share of the datasheet memory bandwidth.
        compute_fraction: attainable share of the datasheet dense FLOP/s.
        overhead_per_layer_s: fixed time per layer per decode step, seconds.
        overhead_per_sequence_s: time per running sequence per step, seconds.
        collective_latency_s: fixed time of one collective (all-reduce,
            dispatch or combine) beyond its bytes, seconds.
        overlap: share of the shorter of memory and compute hidden under the
            longer: 1 is the article's ``max``, 0 the plain sum.
        memory_fraction: share of the chips' memory the engine gives to
            weights and KV cache (the rest: activations, CUDA graphs, slack).
    """

    bandwidth_fraction: float
    compute_fraction: float
    overhead_per_layer_s: float
    overhead_per_sequence_s: float
    collective_latency_s: float
    overlap: float = 1.0
    memory_fraction: float = 0.9

    def __post_init__(self) -> None:
        for name in ("bandwidth_fraction", "compute_fraction", "memory_fraction"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
        value = self.overlap
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"overlap must be a number in [0, 1], got {value!r}")
        for name in ("overhead_per_layer_s", "overhead_per_sequence_s", "collective_latency_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0 seconds, got {value!r}")


#: The constants. Three are fitted by :func:`roofline.calibration.fit` on the
#: sources in :data:`FITTED_ON` (``scripts/fit_serving.py`` refits them):
#: ``overhead_per_layer_s``, ``overhead_per_sequence_s`` and ``overlap``
#: (which lands on 0, the sum, on every source). The rest are sourced, not
#: fitted:
#:
#: * ``bandwidth_fraction`` 0.9: a copy on an H100 80GB reaches about 3.0 of
#:   3.35 TB/s, and FlashMLA's decode kernel about 3,000 GB/s on an H800
#:   (deepseek-ai/FlashMLA README);
#: * ``compute_fraction`` 0.8: a large BF16 matrix product reaches about 792
#:   to 798 of 989 TFLOP/s on an H100 (stas00/ml-engineering, compute/accelerator;
#:   measured here), DeepGEMM's FP8 about 1,550 of 1,979 (deepseek-ai/DeepGEMM README);
#: * ``collective_latency_s`` 10 µs: an assumption, the order of one small
#:   all-reduce inside an NVLink node; it only matters for many layers of
#:   tiny messages;
#: * ``memory_fraction`` 0.9: the default share of GPU memory vLLM
#:   (``gpu_memory_utilization``) and TensorRT-LLM (``free_gpu_memory_fraction``)
#:   hand to weights and KV cache.
FITTED = Constants(
    bandwidth_fraction=0.9,
    compute_fraction=0.8,
    overhead_per_layer_s=5.8593750000000005e-05,
    overhead_per_sequence_s=8.203125000000001e-06,
    collective_latency_s=10e-6,
    overlap=0.0,
    memory_fraction=0.9,
)

#: The published sources (ids in ``docs/data/published/``) :data:`FITTED` was fitted on: all of them.
FITTED_ON: tuple[str, ...] = (
    "deepseek-v3-production-h800",
    "nim-1.8.0-llama-3.1-8b-h100",
    "nim-1.8.0-llama-3.3-70b-2xh100",
    "rtp-llm-deepseek-v3-h800",
)


def _count(name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if value != int(value) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def mean_context_tokens(input_tokens: float, output_tokens: float) -> float:
    """Context a sequence carries on average over its decode: ``input + output / 2`` tokens.

    Its context grows by one token a step from ``input`` to ``input + output``.

    >>> mean_context_tokens(1000, 1000)
    1500.0
    """
    return float(input_tokens) + float(output_tokens) / 2


def workload_for_mean_context(mean_context: float, output_share: float) -> tuple[float, float]:
    """The ``(input, output)`` tokens whose mean context is ``mean_context``, ``output_share`` of them generated.

    The inverse of :func:`mean_context_tokens` for a given share ``s`` of a
    sequence's ``T = input + output`` tokens that are output: the mean context
    is ``input + output / 2 = T · (1 − s / 2)``, so ``T = L / (1 − s / 2)``,
    ``input = (1 − s) · T`` and ``output = s · T`` tokens. The simulator reads
    its context L this way when it adds the serving estimate.

    Raises:
        ValueError: naming the value, for a context that is not a positive
            finite number of tokens, or a share outside (0, 1).

    >>> workload_for_mean_context(1500, 0.5)
    (1000.0, 1000.0)
    >>> mean_context_tokens(*workload_for_mean_context(32768, 0.25)) == 32768
    True
    """
    context = check_number("mean_context", mean_context, "tokens")
    share = check_number("output_share", output_share, "(a fraction of the tokens)")
    if share >= 1:
        raise ValueError(f"output_share must be < 1 (a fraction of the tokens), got {output_share!r}")
    total = context / (1 - share / 2)
    return (1 - share) * total, share * total


# ---------------------------------------------------------------- memory wall


def memory_wall_batch(d: dep.Deployment, full_length_tokens: float, c: Constants = FITTED) -> int:
    """The memory wall for sequences of ``full_length_tokens``, with ``memory_fraction`` of HBM usable.

    :func:`roofline.deployment.capacity_batch` at that context: a full
    length, not the mean, since an engine that never evicts reserves room for
    each sequence to finish. 0 when nothing fits.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8")
    >>> memory_wall_batch(d, 22000)
    44
    """
    return dep.capacity_batch(replace(d, context_tokens=full_length_tokens), memory_fraction=c.memory_fraction)


# ---------------------------------------------------------------- the article's lines, attainable


def weights_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """Weight read per step: ``weight bytes read(B) / (N · BW · bandwidth_fraction)`` seconds.

    MoE models read only the experts a batch of B touches (:func:`roofline.deployment.weight_bytes_read`).

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8")
    >>> round(weights_time_s(d, 1, replace(FITTED, bandwidth_fraction=1.0)) * 1e3, 3)
    2.397
    """
    return dep.weight_bytes_read(d, batch) / (dep.system_bandwidth_bytes_per_s(d) * c.bandwidth_fraction)


def kv_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """KV read per step: ``B · KV bytes per sequence(L) / (N · BW · bandwidth_fraction)`` seconds.

    ``L`` is ``d.context_tokens``; the estimate sets it to the mean context.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", kv_precision="fp8", context_tokens=1000)
    >>> round(kv_time_s(d, 10, replace(FITTED, bandwidth_fraction=1.0)) * 1e6, 1)
    195.6
    """
    per_sequence = dep.kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element)
    return batch * per_sequence / (dep.system_bandwidth_bytes_per_s(d) * c.bandwidth_fraction)


def _ops_per_token(d: dep.Deployment, context_tokens: float) -> float:
    """Multiply-adds per token: ``N_active`` plus attention over ``context_tokens``."""
    with_attention = replace(d, attention_flops=True, context_tokens=max(context_tokens, 1.0))
    return d.model.active_params + dep.attention_ops_per_token(with_attention)


def compute_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """Arithmetic per step: ``B · (N_active + attention ops(L)) / (C · compute_fraction)`` seconds.

    C is the deployment's ops/s (FLOP/s ÷ 2) at its precision's arithmetic.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", context_tokens=1000)
    >>> round(compute_time_s(d, 100, replace(FITTED, compute_fraction=1.0)) * 1e3, 3)
    0.838
    """
    ops = _ops_per_token(d, d.context_tokens)
    return batch * ops / (dep.system_compute_ops_per_s(d) * c.compute_fraction)


def overhead_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED, replicas: int = 1) -> float:
    """Fixed cost per step: ``layers · overhead_per_layer + (B / replicas) · overhead_per_sequence`` seconds.

    ``replicas`` is how many engine ranks share the batch in parallel (the
    chips under expert parallelism with data-parallel attention; 1 under
    tensor parallelism, where every chip steps through the whole batch).

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b")
    >>> overhead_time_s(d, 10, replace(FITTED, overhead_per_layer_s=1e-5, overhead_per_sequence_s=1e-6))
    0.00033
    """
    return d.model.layers * c.overhead_per_layer_s + batch / replicas * c.overhead_per_sequence_s


# ---------------------------------------------------------------- communication


def _link_bytes_per_s(hw: Hardware, chips: int) -> float:
    """Bytes/s each way per chip for a collective over ``chips``: the scale-up link inside a domain, else the network."""
    if chips <= hw.scale_up_chips:
        if hw.link_bandwidth_bytes_per_s is None:
            raise ValueError(f"{hw.name} has no chip-to-chip link figure, so {chips} chips cannot be estimated")
        return hw.link_bandwidth_bytes_per_s
    if hw.network_bandwidth_bytes_per_s is None:
        raise ValueError(
            f"{chips} chips span more than one {hw.name} domain of {hw.scale_up_chips}, and no network figure is known"
        )
    return hw.network_bandwidth_bytes_per_s


def all_reduce_time_s(hw: Hardware, chips: int, message_bytes: float, c: Constants = FITTED) -> float:
    """One ring all-reduce: ``latency + 2 · (n − 1) / n · bytes / link bandwidth`` seconds (0 for one chip).

    Each chip sends and receives ``2 · (n − 1) / n`` of the message
    (reduce-scatter then all-gather).

    >>> from roofline.presets import hardware
    >>> all_reduce_time_s(hardware("h100-sxm"), 2, 450e6, replace(FITTED, collective_latency_s=0.0))
    0.001
    """
    if chips <= 1:
        return 0.0
    return c.collective_latency_s + 2 * (chips - 1) / chips * message_bytes / _link_bytes_per_s(hw, chips)


def tensor_parallel_time_s(d: dep.Deployment, batch: float, chips: int, c: Constants = FITTED) -> float:
    """Tensor parallelism: two all-reduces per layer of ``B · hidden`` BF16 activations, seconds.

    One after attention, one after the MLP (Megatron-style sharding).

    >>> d = dep.deployment("h100-sxm", "llama-3.3-70b", gpus=2)
    >>> t = tensor_parallel_time_s(d, 100, 2, replace(FITTED, collective_latency_s=0.0))
    >>> round(t * 1e6, 2)
    582.54
    """
    hidden = _hidden(d)
    message = batch * hidden * _ACTIVATION_BYTES
    return 2 * d.model.layers * all_reduce_time_s(d.hardware, chips, message, c)


def expert_parallel_time_s(d: dep.Deployment, batch: float, chips: int, c: Constants = FITTED) -> float:
    """Expert parallelism: a dispatch and a combine per MoE layer, seconds.

    Each chip holds ``B / n`` of the batch and sends each token's hidden
    vector to its ``k`` experts, ``(n − 1) / n`` of them on other chips:
    ``B / n · k · hidden · (dispatch + combine bytes) · (n − 1) / n`` bytes
    each way per chip, plus two collective latencies. Dispatch moves FP8 (1
    byte) with FP8 math, else BF16; combine moves BF16.

    >>> d = dep.deployment("h800", "deepseek-v3", gpus=144, precision="fp8")
    >>> t = expert_parallel_time_s(d, 14400, 144, replace(FITTED, collective_latency_s=0.0))
    >>> round(t * 1e3, 2)
    19.82
    """
    m = d.model
    if not m.is_moe or chips <= 1:
        return 0.0
    dispatch = 1.0 if d.precision.math == "fp8" else _ACTIVATION_BYTES
    per_chip = batch / chips * m.experts_per_token * _hidden(d) * (dispatch + _ACTIVATION_BYTES) * (chips - 1) / chips
    moe_layers = m.layers - m.dense_layers
    return moe_layers * (2 * c.collective_latency_s + per_chip / _link_bytes_per_s(d.hardware, chips))


def _hidden(d: dep.Deployment) -> int:
    if d.model.hidden_size is None:
        raise ValueError(f"{d.model.name} has no hidden_size, so its communication cannot be estimated")
    return d.model.hidden_size


def default_parallelism(d: dep.Deployment) -> str:
    """``ep`` for a mixture of experts on more chips than one scale-up domain holds, else ``tp``."""
    return "ep" if d.model.is_moe and d.gpus > d.hardware.scale_up_chips else "tp"


def communication_time_s(d: dep.Deployment, batch: float, parallelism: str, c: Constants = FITTED) -> float:
    """The step's communication: :func:`tensor_parallel_time_s` or :func:`expert_parallel_time_s` over all the chips."""
    if parallelism == "tp":
        return tensor_parallel_time_s(d, batch, d.gpus, c)
    if parallelism == "ep":
        return expert_parallel_time_s(d, batch, d.gpus, c)
    raise ValueError(f"parallelism must be one of {', '.join(PARALLELISMS)}, got {parallelism!r}")


# ---------------------------------------------------------------- prefill


def prefill_share_time_s(
    d: dep.Deployment, batch: float, input_tokens: float, output_tokens: float, c: Constants = FITTED
) -> float:
    """Prefill's share of each decode step under continuous batching, seconds.

    In steady state B sequences finish every ``output`` steps and as many
    new prompts of ``input`` tokens are prefilled on the same chips: per
    step ``B · input / output`` prompt tokens, each costing ``N_active``
    plus attention over half the prompt (its mean causal context) at the
    attainable compute rate.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8")
    >>> t = prefill_share_time_s(d, 100, 5000, 500, replace(FITTED, compute_fraction=1.0))
    >>> round(t * 1e3, 2)
    8.78
    """
    tokens = batch * input_tokens / output_tokens
    return tokens * _ops_per_token(d, input_tokens / 2) / (dep.system_compute_ops_per_s(d) * c.compute_fraction)


def prefill_time_s(d: dep.Deployment, input_tokens: float, parallelism: str, c: Constants = FITTED) -> float:
    """One prompt's prefill alone: its arithmetic, one weight read, the overhead and communication for its tokens."""
    arithmetic = input_tokens * _ops_per_token(d, input_tokens / 2)
    arithmetic_s = arithmetic / (dep.system_compute_ops_per_s(d) * c.compute_fraction)
    return (
        max(arithmetic_s, weights_time_s(d, input_tokens, c))
        + overhead_time_s(d, 1, c)
        + communication_time_s(d, input_tokens, parallelism, c)
    )


# ---------------------------------------------------------------- the estimate


@dataclass(frozen=True, slots=True, kw_only=True)
class Terms:
    """One decode step's terms, seconds each (see the module docstring)."""

    weights_s: float
    kv_s: float
    compute_s: float
    overhead_s: float
    communication_s: float
    prefill_s: float
    overlap: float = 1.0

    @property
    def memory_s(self) -> float:
        """Weights plus KV: the attainable memory line."""
        return self.weights_s + self.kv_s

    @property
    def hidden_s(self) -> float:
        """The part of the shorter of memory and compute that runs under the longer: ``overlap · min``."""
        return self.overlap * min(self.memory_s, self.compute_s)

    @property
    def roofline_s(self) -> float:
        """``memory + compute − overlap · min(memory, compute)``: the article's max when overlap is 1."""
        return self.memory_s + self.compute_s - self.hidden_s

    @property
    def step_s(self) -> float:
        """One decode step: roofline + overhead + communication."""
        return self.roofline_s + self.overhead_s + self.communication_s

    @property
    def tpot_s(self) -> float:
        """Time per output token a user sees: the step plus prefill's share."""
        return self.step_s + self.prefill_s

    def as_dict(self) -> dict[str, float]:
        """Every term and sum, by name, in seconds."""
        return {
            "weights_s": self.weights_s,
            "kv_s": self.kv_s,
            "compute_s": self.compute_s,
            "overhead_s": self.overhead_s,
            "communication_s": self.communication_s,
            "prefill_s": self.prefill_s,
            "memory_s": self.memory_s,
            "hidden_s": self.hidden_s,
            "roofline_s": self.roofline_s,
            "step_s": self.step_s,
        }


def step_terms(
    d: dep.Deployment,
    batch: float,
    *,
    input_tokens: float,
    output_tokens: float,
    parallelism: str | None = None,
    disaggregated: bool = False,
    c: Constants = FITTED,
) -> Terms:
    """The terms of one decode step at batch B, with ``d.context_tokens`` as the mean context.

    The simulator's "serving estimate" stacks these terms on its step-time chart.
    """
    mode = default_parallelism(d) if parallelism is None else parallelism
    return Terms(
        weights_s=weights_time_s(d, batch, c),
        kv_s=kv_time_s(d, batch, c),
        compute_s=compute_time_s(d, batch, c),
        overhead_s=overhead_time_s(d, batch, c, replicas=d.gpus if mode == "ep" else 1),
        communication_s=communication_time_s(d, batch, mode, c),
        prefill_s=0.0 if disaggregated else prefill_share_time_s(d, batch, input_tokens, output_tokens, c),
        overlap=c.overlap,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """The serving estimate for one deployment and workload (all times in seconds)."""

    deployment: dep.Deployment
    input_tokens: float
    output_tokens: float
    concurrency: int
    parallelism: str
    disaggregated: bool
    mean_context_tokens: float
    capacity_batch: int
    running_batch: int
    terms: Terms
    tpot_s: float
    ttft_s: float
    output_tokens_per_s: float
    input_tokens_per_s: float
    usd_per_million_input_tokens: float
    usd_per_million_output_tokens: float
    article_step_s: float
    constants: Constants

    def as_dict(self) -> dict[str, float | int | str | bool]:
        """JSON-ready: the headline figures, then each term."""
        d = self.deployment
        out: dict[str, float | int | str | bool] = {
            "hardware": d.hardware.key,
            "model": d.model.key,
            "gpus": d.gpus,
            "precision": d.precision.key,
            "kv_bytes_per_element": d.kv_bytes_per_element,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "concurrency": self.concurrency,
            "parallelism": self.parallelism,
            "disaggregated": self.disaggregated,
            "mean_context_tokens": self.mean_context_tokens,
            "capacity_batch": self.capacity_batch,
            "running_batch": self.running_batch,
            "tpot_s": self.tpot_s,
            "ttft_s": self.ttft_s,
            "output_tokens_per_s": self.output_tokens_per_s,
            "input_tokens_per_s": self.input_tokens_per_s,
            "usd_per_gpu_hour": d.usd_per_gpu_hour,
            "usd_per_million_input_tokens": self.usd_per_million_input_tokens,
            "usd_per_million_output_tokens": self.usd_per_million_output_tokens,
            "article_step_s": self.article_step_s,
        }
        out.update(self.terms.as_dict())
        return out


def estimate(
    hardware: str | Hardware,
    model: str,
    *,
    gpus: int,
    precision: str | None = None,
    kv_precision: str | float = "bf16",
    input_tokens: float,
    output_tokens: float,
    concurrency: int,
    usd_per_gpu_hour: float = 2.0,
    parallelism: str | None = None,
    disaggregated: bool = False,
    c: Constants = FITTED,
) -> Estimate:
    """The serving estimate: time per output token, TTFT, throughput and cost.

    Args:
        hardware, model, gpus, precision, kv_precision, usd_per_gpu_hour: as
            :func:`roofline.deployment.deployment`.
        input_tokens: prompt length, tokens (>= 1).
        output_tokens: tokens generated per request (>= 1).
        concurrency: requests kept in flight by the clients (>= 1).
        parallelism: ``tp`` or ``ep`` (default :func:`default_parallelism`).
        disaggregated: prefill runs on other chips (no prefill share).
        c: the constants (default :data:`FITTED`).

    Raises:
        ValueError: naming the value, for a bad count or length, or when not
            one full-length sequence fits beside the weights.
    """
    prompt = check_number("input_tokens", input_tokens, "tokens", minimum=1.0, inclusive=True)
    generated = check_number("output_tokens", output_tokens, "tokens", minimum=1.0, inclusive=True)
    users = _count("concurrency", concurrency)
    context = mean_context_tokens(prompt, generated)
    d = dep.deployment(
        hardware,
        model,
        gpus=gpus,
        precision=precision,
        kv_precision=kv_precision,
        context_tokens=context,
        usd_per_gpu_hour=usd_per_gpu_hour,
        # The estimate was fitted on the even split with its own parallelism
        # terms; moving it onto the deployment's layout is its own change.
        layout=dep.IDEAL,
        attention_flops=False,
    )
    mode = default_parallelism(d) if parallelism is None else parallelism
    if mode not in PARALLELISMS:
        raise ValueError(f"parallelism must be one of {', '.join(PARALLELISMS)}, got {mode!r}")
    if mode == "ep" and not d.model.is_moe:
        raise ValueError(f"parallelism 'ep' needs a mixture of experts; {d.model.name} is dense")
    wall = memory_wall_batch(d, prompt + generated, c)
    if wall < 1:
        raise DoesNotFit(
            f"{d.model.name} on {d.gpus} × {d.hardware.name} has no room for one sequence of "
            f"{format_tokens(prompt + generated)} beside its weights"
        )
    batch = min(users, wall)
    terms = step_terms(
        d, batch, input_tokens=prompt, output_tokens=generated, parallelism=mode, disaggregated=disaggregated, c=c
    )
    tpot = terms.tpot_s
    # Closed loop (Little's law): each client waits for a slot while the
    # running batch turns over, then for its own prefill and one step.
    queue_s = max(0.0, users / batch - 1.0) * generated * tpot
    ttft = queue_s + prefill_time_s(d, prompt, mode, c) + terms.step_s
    output_rate = batch / tpot
    input_rate = output_rate * prompt / generated
    # Bill the GPU-hours by how the chips spend their time: the prefill share to input tokens.
    dollars_per_s = d.usd_per_gpu_hour * d.gpus / 3600.0
    prefill_fraction = terms.prefill_s / tpot
    return Estimate(
        deployment=d,
        input_tokens=prompt,
        output_tokens=generated,
        concurrency=users,
        parallelism=mode,
        disaggregated=disaggregated,
        mean_context_tokens=context,
        capacity_batch=wall,
        running_batch=batch,
        terms=terms,
        tpot_s=tpot,
        ttft_s=ttft,
        output_tokens_per_s=output_rate,
        input_tokens_per_s=input_rate,
        usd_per_million_input_tokens=dollars_per_s * prefill_fraction / input_rate * 1e6,
        usd_per_million_output_tokens=dollars_per_s * (1 - prefill_fraction) / output_rate * 1e6,
        article_step_s=dep.step_at(d, batch).latency_s,
        constants=c,
    )
