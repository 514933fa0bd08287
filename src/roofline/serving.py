"""A serving estimate: what a real engine adds on top of the article's two lines.

The article's step time is ``max(T_compute, T_memory)`` at datasheet rates,
on chips that split everything evenly. A server under load spends more than
that on every step, and its parallel layout (:mod:`roofline.deployment.layout`:
TP, EP, DP attention, PP; by default what the engines launch) copies some
of what it holds. This module adds each missing piece as its own term, in
seconds per decode step, so a reader (and a test) can see which one matters
where:

* **weights** and **KV**: the memory line, read at an *attainable* fraction
  of the datasheet bandwidth, with the layout's copies counted (the
  non-expert weights on every chip under DP attention, MLA's latent cache
  on every TP chip); the KV read at the *mean* context a sequence carries
  over its life, ``input + output / 2`` tokens.
* **compute**: the compute line, at an attainable fraction of the datasheet
  FLOP/s: the weights' multiply-adds at the weights' arithmetic, and
  attention's over that context at attention's own (the model's cited
  precision: DeepSeek-V3 runs its MLA in BF16). Never copied.
* **overhead**: a fixed cost per layer per step (kernel launches, scheduling)
  plus a cost per running sequence (sampling, detokenizing, streaming), the
  sequences shared by the ``tp`` ranks under DP attention.
* **communication**: the layout's collectives
  (:func:`roofline.deployment.collectives`): TP all-reduces (two per layer),
  EP dispatch and combine (all-to-all, one of each per MoE layer), PP
  hand-offs, from the chips' link bandwidth and a latency per collective.
* **prefill**: under continuous batching each finished request is replaced
  by a new one whose prompt is prefilled on the same chips, so every decode
  step also pays for ``B · input / output`` prompt tokens (0 when prefill runs
  on separate chips).
* **drafting** (speculative decoding only, :class:`~roofline.speculative.Speculation`):
  the drafter's ``k`` passes before the verify step, which then does
  ``k + 1`` times the arithmetic, routes ``(k + 1) · B`` tokens (for expert
  coverage and the collectives) and reads each sequence's KV once; a step
  yields ``E`` tokens per sequence (:attr:`~roofline.speculative.Speculation.tokens_per_step`).

The step is ``memory + compute − overlap · min(memory, compute) + overhead +
communication + drafting``, where ``overlap`` says how much of the shorter
job hides under the longer: 1 is the article's ``max``, 0 a plain sum. It is
fitted, and on the published sources (each source weighted equally) it
comes out at 0: in a whole serving step the shorter job hides under the
longer not at all, far from the way one pipelined kernel overlaps. The time per
output token a user sees (``tpot_s``) adds the prefill share and divides by
``E``. The running batch is the requested concurrency capped by the memory
wall: the sequences whose KV at full length (``input + output`` tokens) fits
in the share of memory the engine gives to weights and KV. Memory, weights,
KV bytes, the layout and MoE expert coverage all come from
:mod:`roofline.deployment`.

On AMD's ROCm stack the memory, compute, overhead and drafting terms carry
a fitted factor (:func:`stack_factor`), and routed experts' weights stream
at their own fitted share of the bandwidth (:func:`routed_weights_time_s`).

The constants are :data:`FITTED`: the attainable fractions and the
collective latency sourced, the overheads, the overlap, the experts' share,
the ROCm factor and the acceptance of runs that state none fitted by
:func:`roofline.calibration.fit` on the sources named in :data:`FITTED_ON`;
``scripts/fit_serving.py`` refits them and prints the leave-one-source-out
table.

>>> e = estimate("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
...              input_tokens=1000, output_tokens=1000, concurrency=1)
>>> e.running_batch, e.mean_context_tokens, e.layout.key
(1, 1500.0, 'tp1')
>>> round(e.tpot_s * 1e3, 1) > round(e.article_step_s * 1e3, 1)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import deployment as dep
from . import frontier as fr
from .checks import check_number
from .deployment.layout import busy_fraction
from .presets import Hardware
from .speculative import Speculation
from .units import format_tokens

__all__ = [
    "BINDING_LIMITS",
    "FITTED",
    "FITTED_ON",
    "Constants",
    "DoesNotFit",
    "Estimate",
    "Terms",
    "Workload",
    "all_reduce_time_s",
    "all_to_all_time_s",
    "batch_for_target",
    "collective_time_s",
    "communication_time_s",
    "compute_time_s",
    "draft_time_s",
    "estimate",
    "estimate_deployment",
    "kv_time_s",
    "lines_of",
    "mean_context_tokens",
    "memory_wall_batch",
    "output_share",
    "overhead_replicas",
    "overhead_time_s",
    "prefill_share_time_s",
    "prefill_time_s",
    "routed_weights_time_s",
    "send_time_s",
    "serving_lines",
    "stack_factor",
    "step_terms",
    "term_share",
    "weights_time_s",
    "workload_for_mean_context",
]


class DoesNotFit(ValueError):
    """The deployment is valid but cannot hold one whole sequence beside its weights."""


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
        expert_bandwidth_fraction: attainable share of the datasheet
            bandwidth while reading routed experts' weights (a grouped GEMM
            over many thin expert slices, a few tokens each, streams worse
            than one large matrix); ``None``: ``bandwidth_fraction``.
        unstated_acceptance: the acceptance per drafted token assumed for a
            published run whose source states none (fitted on such runs by
            :func:`roofline.calibration.fit`); ``None``: DeepSeek-V3's cited
            one (:data:`roofline.speculative.DEFAULT_ACCEPTANCE`). Only the
            check against published runs reads it: a reader's ``--mtp``
            uses the cited figure or ``--acceptance``.
        rocm_step_factor: how many times as long the same decode step
            (memory, compute, overhead, drafting) takes on a chip whose
            engines run on AMD's ROCm stack (:attr:`roofline.presets.Hardware.software_stack`);
            1 elsewhere.
    """

    bandwidth_fraction: float
    compute_fraction: float
    overhead_per_layer_s: float
    overhead_per_sequence_s: float
    collective_latency_s: float
    overlap: float = 1.0
    memory_fraction: float = 0.9
    expert_bandwidth_fraction: float | None = None
    rocm_step_factor: float = 1.0
    unstated_acceptance: float | None = None

    @property
    def experts_bandwidth_fraction(self) -> float:
        """The share routed experts' weights are read at: :attr:`expert_bandwidth_fraction`, else :attr:`bandwidth_fraction`."""
        return self.bandwidth_fraction if self.expert_bandwidth_fraction is None else self.expert_bandwidth_fraction

    def __post_init__(self) -> None:
        for name in ("bandwidth_fraction", "compute_fraction", "memory_fraction", "expert_bandwidth_fraction"):
            value = getattr(self, name)
            if name == "expert_bandwidth_fraction" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
        value = self.unstated_acceptance
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1):
            raise ValueError(f"unstated_acceptance must be None or a number from 0 to 1, got {value!r}")
        value = self.rocm_step_factor
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 10:
            raise ValueError(f"rocm_step_factor must be a number from 1 to 10, got {value!r}")
        value = self.overlap
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"overlap must be a number in [0, 1], got {value!r}")
        for name in ("overhead_per_layer_s", "overhead_per_sequence_s", "collective_latency_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0 seconds, got {value!r}")


#: The constants. Six are fitted by :func:`roofline.calibration.fit` on the
#: sources in :data:`FITTED_ON` (``scripts/fit_serving.py`` refits them),
#: each source weighted equally:
#:
#: * on the runs without speculation, ``overhead_per_layer_s``,
#:   ``overhead_per_sequence_s``, ``overlap`` (which lands at 0: the plain sum
#:   of memory and compute, not the article's max),
#:   ``expert_bandwidth_fraction`` (0.73 against 0.9 for everything else: the
#:   grouped GEMMs over thin expert slices stream worse) and
#:   ``rocm_step_factor`` (1.83: the same step takes that much longer on the
#:   MI300X and MI325X runs, all SGLang on ROCm, than the chips' datasheets
#:   predict; a software stack's maturity, not a law);
#: * then, with those fixed, on the speculative runs whose source states no
#:   acceptance (all InferenceX's, random-token prompts), ``unstated_acceptance``
#:   0.44 per drafted token, far below the 0.85 DeepSeek reports for its own
#:   service.
#:
#: The rest are sourced, not fitted:
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
    overhead_per_layer_s=8.86932373046875e-05,
    overhead_per_sequence_s=8.80126953125e-06,
    collective_latency_s=10e-6,
    overlap=0.0,
    memory_fraction=0.9,
    expert_bandwidth_fraction=0.7277023315429687,
    rocm_step_factor=1.8257598876953125,
    unstated_acceptance=0.44,
)

#: The published sources (ids in ``src/roofline/data/published/``) :data:`FITTED` was fitted on: all of them
#: (their speculative points are in the data but never in the fit).
FITTED_ON: tuple[str, ...] = (
    "deepseek-v3-production-h800",
    "inferencex-dsr1-fp8-b200-sglang-0.5.6",
    "inferencex-dsr1-fp8-b200-trtllm-1.1.0rc2.post2-mtp",
    "inferencex-dsr1-fp8-b200-trtllm-1.2.0rc6.post2",
    "inferencex-dsr1-fp8-b200-trtllm-1.2.0rc6.post3-mtp",
    "inferencex-dsr1-fp8-h100x16-dynamo-sglang-0.5.8-dep16-mtp",
    "inferencex-dsr1-fp8-h100x16-dynamo-sglang-0.5.8-tp16-mtp",
    "inferencex-dsr1-fp8-h100x16-dynamo-trtllm-dep16",
    "inferencex-dsr1-fp8-h200-sglang-0.5.12",
    "inferencex-dsr1-fp8-h200-sglang-0.5.12-mtp",
    "inferencex-dsr1-fp8-h200-sglang-0.5.9",
    "inferencex-dsr1-fp8-h200-trtllm-1.1.0rc2.post2-mtp",
    "inferencex-dsr1-fp8-h200-trtllm-1.3.0rc14",
    "inferencex-dsr1-fp8-mi300x-sglang-0.5.12",
    "inferencex-dsr1-fp8-mi300x-sglang-0.5.9",
    "inferencex-dsr1-fp8-mi325x-sglang-0.5.12",
    "inferencex-dsr1-fp8-mi325x-sglang-0.5.12-mtp",
    "inferencex-dsr1-fp8-mi325x-sglang-0.5.9",
    "inferencex-issue870-dsr1-fp8-h200-sglang-0.5.7",
    "inferencex-pr1053-gptoss120b-mi300x-vllm-0.17.0",
    "nim-1.8.0-llama-3.1-8b-h100",
    "nim-1.8.0-llama-3.3-70b-2xh100",
    "rtp-llm-deepseek-v3-h800",
    "vllm-pr23151-qwen3-30b-a3b-h100",
)

#: What can bind the batch :func:`batch_for_target` chooses: the latency target, or the memory wall.
BINDING_LIMITS: tuple[str, ...] = ("latency", "memory")


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

    :func:`roofline.deployment.capacity_batch` at that context, the layout's
    copies of weights and KV counted: a full length, not the mean, since an
    engine that never evicts reserves room for each sequence to finish. 0
    when nothing fits.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8")
    >>> memory_wall_batch(d, 22000)
    44
    >>> ds = dep.deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8")
    >>> memory_wall_batch(ds, 4096), memory_wall_batch(replace(ds, layout=dep.IDEAL), 4096)
    (298, 2391)
    """
    return dep.capacity_batch(replace(d, context_tokens=full_length_tokens), memory_fraction=c.memory_fraction)


# ---------------------------------------------------------------- the article's lines, attainable


def _bandwidth(d: dep.Deployment, batch: float, c: Constants) -> float:
    """Attainable bytes/s of the chips at work: ``N · BW · bandwidth_fraction``, less a pipeline's bubble."""
    return dep.system_bandwidth_bytes_per_s(d) * c.bandwidth_fraction * busy_fraction(d.active_layout, batch)


def weights_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """Weight read per step: ``shared bytes / (N · BW · bandwidth_fraction) + routed bytes / (N · BW · expert fraction)`` seconds.

    The bytes are :func:`roofline.deployment.weight_bytes_read`: over all the
    chips, the layout's copies included (each chip reads what it holds), a
    mixture of experts reading only the experts a batch of B touches; of
    them the routed experts' (:func:`roofline.deployment.routed_weight_bytes_read`)
    stream at :attr:`Constants.experts_bandwidth_fraction`. A
    pipeline's micro-batches each read their stage again, over the chips at
    work (``m / pp`` of them in the bubble, as :func:`roofline.deployment.params_at`).

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8")
    >>> round(weights_time_s(d, 1, replace(FITTED, bandwidth_fraction=1.0)) * 1e3, 3)
    2.397
    """
    shared = dep.weight_bytes_read(d, batch) - dep.routed_weight_bytes_read(d, batch)
    return shared / _bandwidth(d, batch, c) + routed_weights_time_s(d, batch, c)


def routed_weights_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """The routed experts' part of :func:`weights_time_s`: ``routed bytes(B) / (N · BW · expert fraction)`` seconds.

    0 for a dense model.

    >>> d = dep.deployment("h200", "deepseek-v3", gpus=8, precision="fp8")
    >>> round(routed_weights_time_s(d, 1, replace(FITTED, expert_bandwidth_fraction=1.0)) * 1e3, 3)
    0.533
    """
    at_work = dep.system_bandwidth_bytes_per_s(d) * busy_fraction(d.active_layout, batch)
    return dep.routed_weight_bytes_read(d, batch) / (at_work * c.experts_bandwidth_fraction)


def stack_factor(d: dep.Deployment, c: Constants = FITTED) -> float:
    """The software stack's factor on a decode step: ``rocm_step_factor`` on ROCm chips, else 1.

    >>> stack_factor(dep.deployment("mi300x", "deepseek-v3", gpus=8)) == FITTED.rocm_step_factor
    True
    >>> stack_factor(dep.deployment("h200", "deepseek-v3", gpus=8))
    1.0
    """
    return c.rocm_step_factor if d.hardware.software_stack == "rocm" else 1.0


def kv_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """KV read per step: ``B · held KV bytes per sequence(L) / (N · BW · bandwidth_fraction)`` seconds.

    ``L`` is ``d.context_tokens``; the estimate sets it to the mean context.
    Held bytes count the layout's copies
    (:func:`roofline.deployment.held_kv_bytes_per_sequence`): MLA's latent is
    read by every TP chip.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", kv_precision="fp8", context_tokens=1000)
    >>> round(kv_time_s(d, 10, replace(FITTED, bandwidth_fraction=1.0)) * 1e6, 1)
    195.6
    """
    return batch * dep.held_kv_bytes_per_sequence(d) / _bandwidth(d, batch, c)


def _compute_s_per_token(d: dep.Deployment, context_tokens: float, c: Constants) -> float:
    """Seconds of the whole deployment's attainable arithmetic per token, every chip at work.

    ``N_active`` at the weights' rate plus attention over ``context_tokens``
    at attention's rate (:func:`roofline.deployment.attention_compute_ops_per_s`).
    Attention is always counted here, whatever ``d.attention_flops`` says.
    """
    with_attention = replace(d, attention_flops=True, context_tokens=max(context_tokens, 1.0))
    weights_s = d.model.active_params / dep.system_compute_ops_per_s(d)
    attention_s = dep.attention_ops_per_token(with_attention) / dep.attention_compute_ops_per_s(d)
    return (weights_s + attention_s) / c.compute_fraction


def compute_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """Arithmetic per step: ``B · (N_active / C + attention ops(L) / C_attention) / compute_fraction`` seconds.

    C is the deployment's ops/s (FLOP/s ÷ 2) at its weights' arithmetic,
    C_attention at attention's (DeepSeek-V3's MLA in BF16 even with FP8
    weights), both over the chips at work. Attention is not copied by any
    layout: each chip does its heads' or its requests' share.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", context_tokens=1000)
    >>> round(compute_time_s(d, 100, replace(FITTED, compute_fraction=1.0)) * 1e3, 3)
    0.838
    """
    return batch * _compute_s_per_token(d, d.context_tokens, c) / busy_fraction(d.active_layout, batch)


def overhead_replicas(d: dep.Deployment) -> int:
    """Engine ranks that share the batch's per-sequence work: the stage's ``tp`` under DP attention, else 1.

    >>> overhead_replicas(dep.deployment("h800", "deepseek-v3", gpus=16, layout="tp16-ep16-dpa"))
    16
    """
    layout = d.active_layout
    return layout.tp if layout.dp_attention and not layout.ideal else 1


def overhead_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED, replicas: int = 1) -> float:
    """Fixed cost per step: ``layers · overhead_per_layer + (B / replicas) · overhead_per_sequence`` seconds.

    ``replicas`` is how many engine ranks share the batch in parallel
    (:func:`overhead_replicas`: the chips under DP attention; 1 under tensor
    parallelism, where every chip steps through the whole batch).

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


def all_to_all_time_s(hw: Hardware, chips: int, message_bytes: float, c: Constants = FITTED) -> float:
    """One all-to-all (EP dispatch or combine): ``latency + (n − 1) / n · bytes / link bandwidth`` seconds.

    Each chip sends its ``message_bytes`` (its tokens' copies for their
    experts), of which ``(n − 1) / n`` go to other chips. 0 for one chip.

    >>> from roofline.presets import hardware
    >>> all_to_all_time_s(hardware("h800"), 16, 800e6, replace(FITTED, collective_latency_s=0.0))
    0.015
    """
    if chips <= 1:
        return 0.0
    return c.collective_latency_s + (chips - 1) / chips * message_bytes / _link_bytes_per_s(hw, chips)


def send_time_s(hw: Hardware, span_chips: int, message_bytes: float, c: Constants = FITTED) -> float:
    """One point-to-point hand-off (PP): ``latency + bytes / link bandwidth`` seconds.

    The link is the scale-up one when the whole deployment of ``span_chips``
    sits in one domain, else the network (pipeline stages are cut across
    domains).

    >>> from roofline.presets import hardware
    >>> send_time_s(hardware("h100-sxm"), 16, 50e6, replace(FITTED, collective_latency_s=0.0))
    0.001
    """
    return c.collective_latency_s + message_bytes / _link_bytes_per_s(hw, span_chips)


def collective_time_s(d: dep.Deployment, collective: dep.Collective, c: Constants = FITTED) -> float:
    """All of one kind of collective in a step: ``count ·`` one's time, by its kind."""
    hw = d.hardware
    if collective.kind == "all-reduce":
        one = all_reduce_time_s(hw, collective.chips, collective.message_bytes, c)
    elif collective.kind == "all-to-all":
        one = all_to_all_time_s(hw, collective.chips, collective.message_bytes, c)
    elif collective.kind == "send":
        one = send_time_s(hw, d.gpus, collective.message_bytes, c)
    else:
        raise ValueError(f"unknown collective kind {collective.kind!r}")
    return collective.count * one


def _dispatch_bytes(d: dep.Deployment) -> float:
    """Bytes per element an EP dispatch moves: FP8 (1) with FP8 math, else BF16 (2)."""
    return 1.0 if d.precision.math == "fp8" else 2.0


def communication_time_s(d: dep.Deployment, batch: float, c: Constants = FITTED) -> float:
    """The step's communication: every collective of the deployment's layout (:func:`roofline.deployment.collectives`).

    TP: two ring all-reduces of ``B · hidden`` BF16 activations per layer;
    DP attention with EP: a dispatch (FP8 with FP8 math) and a BF16 combine
    per MoE layer, all-to-all; PP: ``pp − 1`` hand-offs. None for one chip
    or the ideal split.

    >>> d = dep.deployment("h100-sxm", "llama-3.3-70b", gpus=2)
    >>> round(communication_time_s(d, 100, replace(FITTED, collective_latency_s=0.0)) * 1e6, 2)
    582.54
    >>> ds = dep.deployment("h800", "deepseek-v3", gpus=144, precision="fp8")
    >>> ds.active_layout.key, round(communication_time_s(ds, 14400, replace(FITTED, collective_latency_s=0.0)) * 1e3, 2)
    ('tp144-ep144-dpa', 19.82)
    """
    found = dep.collectives(d.active_layout, d.model, batch, dispatch_bytes=_dispatch_bytes(d))
    return sum(collective_time_s(d, one, c) for one in found)


# ---------------------------------------------------------------- speculative decoding


def draft_time_s(d: dep.Deployment, batch: float, speculation: Speculation | None, c: Constants = FITTED) -> float:
    """The drafter's ``k`` passes before the verify step, seconds (0 without speculation).

    Each pass takes the slower of its read, ``draft params · bytes per
    weight / (N · BW · bandwidth_fraction)``, and its arithmetic, ``B ·
    draft active params / (N · C · compute_fraction)``, as
    :func:`roofline.frontier.deployment_lines` charges it at datasheet rates.

    >>> from roofline.speculative import mtp_speculation
    >>> d = dep.deployment("h200", "deepseek-v3", gpus=8, precision="fp8")
    >>> round(draft_time_s(d, 1, mtp_speculation(), replace(FITTED, bandwidth_fraction=1.0)) * 1e3, 3)
    0.323
    """
    if speculation is None:
        return 0.0
    read_s = (
        speculation.draft_params
        * d.precision.bytes_per_weight
        / (dep.system_bandwidth_bytes_per_s(d) * c.bandwidth_fraction)
    )
    arithmetic_s = batch * speculation.draft_active_params / (dep.system_compute_ops_per_s(d) * c.compute_fraction)
    return speculation.draft_tokens * max(read_s, arithmetic_s)


# ---------------------------------------------------------------- prefill


def prefill_share_time_s(
    d: dep.Deployment, batch: float, input_tokens: float, output_tokens: float, c: Constants = FITTED
) -> float:
    """Prefill's share of each decode step under continuous batching, seconds.

    In steady state B sequences finish every ``output`` steps and as many
    new prompts of ``input`` tokens are prefilled on the same chips: per
    step ``B · input / output`` prompt tokens, each costing ``N_active`` at
    the weights' rate plus attention over half the prompt (its mean causal
    context) at attention's, at the attainable compute rate. (With
    speculation a step makes ``E`` tokens per sequence, so pass ``E · B``.)

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8")
    >>> t = prefill_share_time_s(d, 100, 5000, 500, replace(FITTED, compute_fraction=1.0))
    >>> round(t * 1e3, 2)
    8.78
    """
    tokens = batch * input_tokens / output_tokens
    return tokens * _compute_s_per_token(d, input_tokens / 2, c)


def prefill_time_s(d: dep.Deployment, input_tokens: float, c: Constants = FITTED) -> float:
    """One prompt's prefill alone: its arithmetic, one weight read, the overhead and communication for its tokens."""
    arithmetic_s = input_tokens * _compute_s_per_token(d, input_tokens / 2, c)
    return (
        max(arithmetic_s, weights_time_s(d, input_tokens, c))
        + overhead_time_s(d, 1, c)
        + communication_time_s(d, input_tokens, c)
    )


# ---------------------------------------------------------------- the estimate


@dataclass(frozen=True, slots=True, kw_only=True)
class Workload:
    """What each request asks of a deployment and how the engine runs it.

    Args:
        input_tokens: prompt length, tokens (>= 1).
        output_tokens: tokens generated per request (>= 1).
        disaggregated: prefill runs on other chips (no prefill share).
        speculation: speculative decoding (:mod:`roofline.speculative`), or None.

    Raises:
        ValueError: naming the value, for a length below 1 token or a
            speculation that is not a :class:`~roofline.speculative.Speculation`.
    """

    input_tokens: float
    output_tokens: float
    disaggregated: bool = False
    speculation: Speculation | None = None

    def __post_init__(self) -> None:
        for name in ("input_tokens", "output_tokens"):
            object.__setattr__(
                self, name, check_number(name, getattr(self, name), "tokens", minimum=1.0, inclusive=True)
            )
        if self.speculation is not None and not isinstance(self.speculation, Speculation):
            raise ValueError(f"speculation must be a Speculation or None, got {self.speculation!r}")

    @property
    def full_length_tokens(self) -> float:
        """``input + output``: what one sequence's KV holds when it finishes, tokens."""
        return self.input_tokens + self.output_tokens

    @property
    def mean_context_tokens(self) -> float:
        """:func:`mean_context_tokens` of the two lengths: ``input + output / 2``, tokens."""
        return mean_context_tokens(self.input_tokens, self.output_tokens)


@dataclass(frozen=True, slots=True, kw_only=True)
class Terms:
    """One decode step's terms, seconds each (see the module docstring).

    ``draft_s`` and ``tokens_per_step`` (``E``) are speculative decoding's:
    0 and 1 without it.
    """

    weights_s: float
    kv_s: float
    compute_s: float
    overhead_s: float
    communication_s: float
    prefill_s: float
    overlap: float = 1.0
    draft_s: float = 0.0
    tokens_per_step: float = 1.0

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
        """One decode step: roofline + overhead + communication + drafting."""
        return self.roofline_s + self.overhead_s + self.communication_s + self.draft_s

    @property
    def tpot_s(self) -> float:
        """Time per output token a user sees: the step plus prefill's share, over the tokens a step makes."""
        return (self.step_s + self.prefill_s) / self.tokens_per_step

    def as_dict(self) -> dict[str, float]:
        """Every term and sum, by name, in seconds (and ``tokens_per_step``)."""
        return {
            "weights_s": self.weights_s,
            "kv_s": self.kv_s,
            "compute_s": self.compute_s,
            "overhead_s": self.overhead_s,
            "communication_s": self.communication_s,
            "prefill_s": self.prefill_s,
            "draft_s": self.draft_s,
            "memory_s": self.memory_s,
            "hidden_s": self.hidden_s,
            "roofline_s": self.roofline_s,
            "step_s": self.step_s,
            "tokens_per_step": self.tokens_per_step,
        }


def step_terms(d: dep.Deployment, batch: float, workload: Workload, c: Constants = FITTED) -> Terms:
    """The terms of one decode step at batch B for ``workload``, with ``d.context_tokens`` as the mean context.

    The layout is the deployment's (:attr:`roofline.deployment.Deployment.active_layout`).
    With ``speculation`` the verify step runs ``k + 1`` tokens per sequence:
    ``k + 1`` times the arithmetic, the experts and collectives of ``(k + 1)
    · B`` routed tokens, each sequence's KV once, plus the drafting. On a
    ROCm chip the memory, compute, overhead and drafting terms carry the
    stack's factor (:func:`stack_factor`); communication and prefill do not.
    The simulator's "serving estimate" stacks these terms on its step-time chart.
    """
    speculation = workload.speculation
    verified = 1 if speculation is None else speculation.verified_tokens
    tokens = 1.0 if speculation is None else speculation.tokens_per_step
    routed = verified * batch
    stack = stack_factor(d, c)
    return Terms(
        weights_s=stack * weights_time_s(d, routed, c),
        kv_s=stack * kv_time_s(d, batch, c),
        compute_s=stack * verified * compute_time_s(d, batch, c),
        overhead_s=stack * overhead_time_s(d, batch, c, replicas=overhead_replicas(d)),
        communication_s=communication_time_s(d, routed, c),
        prefill_s=0.0
        if workload.disaggregated
        else prefill_share_time_s(d, tokens * batch, workload.input_tokens, workload.output_tokens, c),
        overlap=c.overlap,
        draft_s=stack * draft_time_s(d, batch, speculation, c),
        tokens_per_step=tokens,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """The serving estimate for one deployment and workload (all times in seconds)."""

    deployment: dep.Deployment
    workload: Workload
    concurrency: int
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

    @property
    def input_tokens(self) -> float:
        """The workload's prompt length, tokens."""
        return self.workload.input_tokens

    @property
    def output_tokens(self) -> float:
        """The workload's tokens generated per request."""
        return self.workload.output_tokens

    @property
    def disaggregated(self) -> bool:
        """Whether prefill runs on other chips (the workload's)."""
        return self.workload.disaggregated

    @property
    def speculation(self) -> Speculation | None:
        """The workload's speculative decoding, or None."""
        return self.workload.speculation

    @property
    def layout(self) -> dep.Layout:
        """The parallel layout the estimate ran (the deployment's)."""
        return self.deployment.active_layout

    @property
    def parallelism(self) -> str:
        """``ep`` when the layout spreads experts over more than one chip, else ``tp`` (the older, coarser name)."""
        return "ep" if self.layout.ep > 1 else "tp"

    @property
    def tokens_per_s_per_user(self) -> float:
        """What one user sees: ``1 / tpot_s`` tokens/s."""
        return 1.0 / self.tpot_s

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
            "layout": self.layout.key,
            "parallelism": self.parallelism,
            "disaggregated": self.disaggregated,
            "mean_context_tokens": self.mean_context_tokens,
            "capacity_batch": self.capacity_batch,
            "running_batch": self.running_batch,
            "tpot_s": self.tpot_s,
            "ttft_s": self.ttft_s,
            "tokens_per_s_per_user": self.tokens_per_s_per_user,
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
    layout: dep.Layout | str | None = None,
    disaggregated: bool = False,
    speculation: Speculation | None = None,
    c: Constants = FITTED,
) -> Estimate:
    """The serving estimate: time per output token, TTFT, throughput and cost.

    Args:
        hardware, model, gpus, precision, kv_precision, usd_per_gpu_hour: as
            :func:`roofline.deployment.deployment`.
        input_tokens: prompt length, tokens (>= 1).
        output_tokens: tokens generated per request (>= 1).
        concurrency: requests kept in flight by the clients (>= 1).
        layout: the parallel layout, a :class:`roofline.deployment.Layout` or
            its key (``"tp8"``, ``"tp144-ep144-dpa"``, ``"ideal"``); None for
            what the engines launch (:func:`roofline.deployment.default_layout`).
        disaggregated: prefill runs on other chips (no prefill share).
        speculation: speculative decoding (:mod:`roofline.speculative`), or None.
        c: the constants (default :data:`FITTED`).

    Raises:
        ValueError: naming the value, for a bad count or length, a layout
            that cannot run the model on ``gpus`` chips, or (as
            :class:`DoesNotFit`) when not one full-length sequence fits
            beside the weights.
    """
    w = Workload(
        input_tokens=input_tokens, output_tokens=output_tokens, disaggregated=disaggregated, speculation=speculation
    )
    # No context here: estimate_deployment sets it to the workload's mean.
    d = dep.deployment(
        hardware,
        model,
        gpus=gpus,
        precision=precision,
        kv_precision=kv_precision,
        usd_per_gpu_hour=usd_per_gpu_hour,
        layout=layout,
    )
    return estimate_deployment(d, w, concurrency=concurrency, c=c)


def _at_mean_context(d: dep.Deployment, workload: Workload) -> dep.Deployment:
    """``d`` with ``context_tokens`` replaced by the workload's mean context (:attr:`Workload.mean_context_tokens`)."""
    if not isinstance(d, dep.Deployment):
        raise ValueError(f"d must be a roofline.deployment.Deployment, got {d!r}")
    if not isinstance(workload, Workload):
        raise ValueError(f"workload must be a roofline.serving.Workload, got {workload!r}")
    return replace(d, context_tokens=workload.mean_context_tokens)


def estimate_deployment(d: dep.Deployment, workload: Workload, *, concurrency: int, c: Constants = FITTED) -> Estimate:
    """:func:`estimate` for a deployment already made (its figures edited, as the simulator's may be).

    ``d.context_tokens`` is replaced by the workload's mean context,
    :attr:`Workload.mean_context_tokens`; everything else (chips, layout,
    precisions, price) is ``d``'s. Raises as :func:`estimate` does.
    """
    d = _at_mean_context(d, workload)
    users = _count("concurrency", concurrency)
    prompt, generated, context = workload.input_tokens, workload.output_tokens, d.context_tokens
    wall = memory_wall_batch(d, workload.full_length_tokens, c)
    if wall < 1:
        raise DoesNotFit(
            f"{d.model.name} on {d.gpus} × {d.hardware.name} ({d.active_layout.key}) has no room for one sequence of "
            f"{format_tokens(workload.full_length_tokens)} beside its weights"
        )
    batch = min(users, wall)
    terms = step_terms(d, batch, workload, c)
    tpot = terms.tpot_s
    # Closed loop (Little's law): each client waits for a slot while the
    # running batch turns over, then for its own prefill and one step.
    queue_s = max(0.0, users / batch - 1.0) * generated * tpot
    ttft = queue_s + prefill_time_s(d, prompt, c) + terms.step_s
    output_rate = batch / tpot
    input_rate = output_rate * prompt / generated
    # Bill the GPU-hours by how the chips spend their time: the prefill share to input tokens.
    dollars_per_s = d.usd_per_gpu_hour * d.gpus / 3600.0
    prefill_fraction = terms.prefill_s / (terms.step_s + terms.prefill_s)
    return Estimate(
        deployment=d,
        workload=workload,
        concurrency=users,
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


def serving_lines(d: dep.Deployment, workload: Workload, c: Constants = FITTED) -> fr.Lines:
    """The serving estimate as the frontier's :class:`roofline.frontier.Lines`: one time per token for every readout.

    The step at batch B is :attr:`Terms.step_s` plus prefill's share (so
    ``T(B) / E`` is :attr:`Terms.tpot_s`); the two lines are the estimate's
    attainable compute and memory terms, the wall is :func:`memory_wall_batch`
    at full length. There is no crossover limit: with the overhead and only
    part of the shorter term hidden, ``T(B)`` keeps a part that does not
    grow with B, so ``B · E / T(B)`` still rises past the point where compute
    overtakes memory, and the batch runs up to the wall or the target.
    ``d.context_tokens`` is replaced by the workload's mean context.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8")
    >>> w = Workload(input_tokens=1000, output_tokens=1000)
    >>> lines = serving_lines(d, w)
    >>> e = estimate_deployment(d, w, concurrency=50)
    >>> fr.time_per_token_s(lines, 50) == e.tpot_s, lines.memory_wall == e.capacity_batch
    (True, True)
    """
    mean = _at_mean_context(d, workload)
    wall = memory_wall_batch(mean, workload.full_length_tokens, c)
    speculation = workload.speculation

    def terms(batch: float) -> Terms:
        return step_terms(mean, batch, workload, c)

    return fr.Lines(
        t_compute_s=lambda b: terms(b).compute_s,
        t_memory_s=lambda b: terms(b).memory_s,
        t_draft_s=lambda b: terms(b).draft_s,
        t_step_s=lambda b: (lambda t: t.step_s + t.prefill_s)(terms(b)),
        tokens_per_step=1.0 if speculation is None else speculation.tokens_per_step,
        chips=d.gpus,
        memory_wall=wall,
        has_crossover=False,
        describe_wall=(
            None
            if wall >= 1
            else f"not one sequence of {format_tokens(workload.full_length_tokens)} fits beside the weights "
            f"({mean.active_layout.key})"
        ),
    )


def lines_of(e: Estimate) -> fr.Lines:
    """:func:`serving_lines` for ``e``'s deployment, workload and constants."""
    return serving_lines(e.deployment, e.workload, e.constants)


def batch_for_target(e: Estimate, target_s: float) -> tuple[int | None, str]:
    """The largest running batch up to ``e``'s memory wall whose time per output token meets ``target_s``.

    Returns ``(batch, limit)``: ``limit`` is ``"memory"`` when the wall
    itself meets the target (the batch is the wall), ``"latency"`` when the
    target stops it earlier, or when not even one sequence meets it (then
    the batch is None). It is :func:`roofline.frontier.choose_batch` on
    :func:`lines_of` ``e``, so the simulator's serving readouts choose the
    same batch.

    >>> e = estimate("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
    ...              input_tokens=1000, output_tokens=1000, concurrency=1)
    >>> batch, limit = batch_for_target(e, 0.02)
    >>> limit, _tpot(e, batch) <= 0.02 < _tpot(e, batch + 1)
    ('latency', True)
    """
    target = check_number("target_s", target_s, "s")
    choice = fr.choose_batch(lines_of(e), target)
    if choice.batch is not None and choice.batch == e.capacity_batch:
        return choice.batch, "memory"  # the wall meets the target: the wall is what stops it
    return choice.batch, choice.limit.value


def _tpot(e: Estimate, batch: int) -> float:
    """``tpot_s`` of ``e``'s deployment and workload at running batch ``batch``."""
    return fr.time_per_token_s(lines_of(e), batch)


def term_share(e: Estimate, term: str) -> float:
    """Term ``term``'s share of ``e``'s time per output token: ``terms[term] / tpot_s``, a fraction.

    ``term`` names a time of :meth:`Terms.as_dict` (``"weights_s"``,
    ``"kv_s"``, ``"step_s"``, …). The shares of the seven terms need not sum
    to 1: overlap hides part of memory and compute, and with speculation a
    step yields more than one token.

    Raises:
        ValueError: naming the times, for a name that is not one.

    >>> e = estimate("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
    ...              input_tokens=1000, output_tokens=1000, concurrency=1)
    >>> round(term_share(e, "step_s") + term_share(e, "prefill_s"), 12)
    1.0
    """
    times = {name: seconds for name, seconds in e.terms.as_dict().items() if name.endswith("_s")}
    if term not in times:
        raise ValueError(f"term must be one of {sorted(times)}, got {term!r}")
    return times[term] / e.tpot_s


def output_share(input_tokens: float, output_tokens: float) -> float:
    """The share of a sequence's tokens that are output: ``output / (input + output)``, a fraction.

    The ``output_share`` :func:`workload_for_mean_context` takes back to the same workload.

    >>> output_share(1000, 3000)
    0.75
    >>> workload_for_mean_context(mean_context_tokens(1000, 3000), output_share(1000, 3000))
    (1000.0, 3000.0)
    """
    return output_tokens / (input_tokens + output_tokens)
