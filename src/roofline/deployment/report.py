"""Everything about a deployment at once, its prediction with a drafter, and the comparison with a serving system's published figures."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import BALANCE_TOLERANCE, Regime, Step
from ..presets import PublishedServing, model
from ..speculative import ACCEPTANCE_FIGURES, Speculation, mtp_speculation
from . import spec
from .economics import implied_batch, usd_per_million_tokens
from .layout import IDEAL, Layout, collectives, kv_copies
from .lines import best_batch, deployment_crossover_batch, kv_equals_weights_context, no_crossover_context, step_at
from .memory import (
    capacity_batch,
    capacity_problem,
    expert_coverage,
    held_kv_bytes_per_sequence,
    held_weight_bytes,
    kv_bytes_per_sequence,
    min_gpus,
    weight_bytes,
    weights_fit,
)
from .spec import Deployment

__all__ = [
    "CHECK_STAGES",
    "CITED",
    "Prediction",
    "PublishedComparison",
    "Report",
    "cited_speculation",
    "compare_with_published",
    "evaluate_deployment",
    "predict_deployment",
    "stated_layout",
]


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
    held_weight_bytes: float
    memory_bytes: float
    weights_fit: bool
    capacity_batch: int
    fits: bool
    min_gpus: int
    expert_coverage: float
    weight_bytes_read: float
    kv_bytes_per_token: float
    kv_bytes_per_sequence: float
    held_kv_bytes_per_sequence: float
    tokens_per_s: float | None
    tokens_per_s_per_gpu: float | None
    tokens_per_s_per_sequence: float | None
    usd_per_million_tokens: float | None
    kv_equals_weights_context: float | None
    no_crossover_context: float | None
    problem: str | None

    @property
    def weight_bytes_per_gpu(self) -> float:
        """Weight bytes each chip holds, copies included: ``held_weight_bytes / gpus``."""
        return self.held_weight_bytes / self.deployment.gpus

    def as_dict(self) -> dict[str, object]:
        """JSON-ready values: the article's step readouts, then the deployment's."""
        d = self.deployment
        layout = d.active_layout
        out: dict[str, object] = dict(self.step.as_dict())
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
                "compute_ops_per_s": spec.system_compute_ops_per_s(d),
                "bandwidth_bytes_per_s": spec.system_bandwidth_bytes_per_s(d),
                "memory_bytes": self.memory_bytes,
                "weight_bytes": self.weight_bytes,
                "layout": layout.key,
                "layout_description": layout.describe(),
                "layout_source": d.layout_source,
                "tp": None if layout.ideal else layout.tp,
                "ep": None if layout.ideal else layout.ep,
                "pp": None if layout.ideal else layout.pp,
                "dp_attention": layout.dp_attention,
                "kv_copies": kv_copies(layout, d.model),
                "held_weight_bytes": self.held_weight_bytes,
                "weight_bytes_per_gpu": self.weight_bytes_per_gpu,
                "held_kv_bytes_per_sequence": self.held_kv_bytes_per_sequence,
                "collectives": [c.as_dict() for c in collectives(layout, d.model, self.batch)]
                if d.model.hidden_size is not None
                else None,
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
                "attention_precision": spec.attention_math(d),
                "problem": self.problem,
            }
        )
        return out


def evaluate_deployment(d: Deployment, batch: float | None = None) -> Report:
    """All readouts at ``batch`` (default: :func:`best_batch` rounded down, or 1).

    >>> r = evaluate_deployment(spec.deployment("h100-sxm", "deepseek-v3", precision="fp8"))
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
        crossover_batch=deployment_crossover_batch(d),
        best_batch=best,
        weight_bytes=weight_bytes(d),
        held_weight_bytes=held_weight_bytes(d),
        memory_bytes=spec.system_memory_bytes(d),
        weights_fit=weights_fit(d),
        capacity_batch=wall,
        fits=step.params.batch <= wall,
        min_gpus=min_gpus(d),
        expert_coverage=expert_coverage(d.model, step.params.batch),
        weight_bytes_read=step.params.total_params,
        kv_bytes_per_token=step.params.kv_bytes_per_element,
        kv_bytes_per_sequence=per_sequence,
        held_kv_bytes_per_sequence=held_kv_bytes_per_sequence(d),
        tokens_per_s=tokens,
        tokens_per_s_per_gpu=None if tokens is None else tokens / d.gpus,
        tokens_per_s_per_sequence=1.0 / step.latency_s if any_fits else None,
        usd_per_million_tokens=(None if tokens is None else usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, tokens)),
        kv_equals_weights_context=kv_equals_weights_context(d, step.params.batch),
        no_crossover_context=no_crossover_context(d),
        problem=capacity_problem(d),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """What the model predicts for a deployment at one batch, speculative decoding included.

    With a drafter the step is ``T_draft + max(T_compute, T_memory)``, where
    T_compute is the verifying step's (``k + 1`` tokens per sequence) and the
    step gives each sequence ``E`` tokens (:mod:`roofline.speculative`);
    without one, ``E = 1``, ``T_draft = 0`` and this is :attr:`report`'s step.
    ``report`` holds the deployment's readouts for one token per step (the
    memory wall, the reads, the collectives).

    ``crossover_batch`` is the last whole batch whose (verifying) step is not
    compute-bound (:func:`roofline.frontier.crossover_limit`), None when the
    lines never cross.
    """

    report: Report
    speculation: Speculation | None
    tokens_per_step: float
    t_compute_s: float
    t_memory_s: float
    t_draft_s: float
    step_s: float
    crossover_batch: int | None
    tokens_per_s_per_gpu: float
    tokens_per_s_per_sequence: float
    usd_per_million_tokens: float

    @property
    def compute_gap(self) -> float:
        """How far the (verifying) step's compute time is past its memory time: ``T_compute / T_memory − 1``.

        Negative while memory-bound; 0.25 means compute takes a quarter longer.
        """
        return self.t_compute_s / self.t_memory_s - 1

    @property
    def regime(self) -> Regime:
        """Which ceiling sets the (verifying) step: balanced within :data:`~roofline.model.BALANCE_TOLERANCE`."""
        ratio = self.t_compute_s / self.t_memory_s
        if ratio < 1 - BALANCE_TOLERANCE:
            return Regime.MEMORY_BOUND
        if ratio > 1 + BALANCE_TOLERANCE:
            return Regime.COMPUTE_BOUND
        return Regime.BALANCED

    @property
    def time_per_token_s(self) -> float:
        """Seconds between one user's tokens, ``step / E``."""
        return self.step_s / self.tokens_per_step


def predict_deployment(d: Deployment, batch: float, speculation: Speculation | None = None) -> Prediction:
    """The model's step, rates and cost for ``d`` at batch B, with an optional drafter.

    Tokens per second per GPU are ``B · E / (T · N)``, per sequence ``E / T``.

    >>> d = spec.deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096, layout="ideal")
    >>> p = predict_deployment(d, 1024)
    >>> p.tokens_per_step, p.regime.value, round(p.step_s * 1e3, 2)
    (1.0, 'memory-bound', 21.31)
    """
    # Imported here: roofline.frontier builds on this package.
    from ..frontier import crossover_limit, deployment_lines, step_time_s

    lines = deployment_lines(d, speculation)
    step = step_time_s(lines, batch)
    tokens = lines.tokens_per_step * batch / step
    return Prediction(
        report=evaluate_deployment(d, batch),
        speculation=speculation,
        tokens_per_step=lines.tokens_per_step,
        t_compute_s=lines.t_compute_s(batch),
        t_memory_s=lines.t_memory_s(batch),
        t_draft_s=lines.t_draft_s(batch),
        step_s=step,
        crossover_batch=crossover_limit(lines),
        tokens_per_s_per_gpu=tokens / d.gpus,
        tokens_per_s_per_sequence=lines.tokens_per_step / step,
        usd_per_million_tokens=usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, tokens),
    )


def stated_layout(serving: PublishedServing) -> Layout:
    """The layout a published mixture-of-experts deployment states: DP attention with EP over every GPU of the unit.

    DeepSeek's inference-system overview (open-infra-index, day 6) runs its
    decode as "Routed Expert EP144, MLA/Shared Expert DP144": whole experts
    spread over the 144 GPUs, attention and the shared expert copied on each,
    every GPU running attention for its own requests.

    >>> from roofline.presets import DEEPSEEK_SERVING
    >>> stated_layout(DEEPSEEK_SERVING).key
    'tp144-ep144-dpa'

    Raises:
        ValueError: for a dense model, which has no experts to spread.
    """
    m = model(serving.model)
    if not m.is_moe:
        raise ValueError(f"{m.name} is dense: no expert-parallel layout is stated for it")
    return Layout(tp=serving.gpus, ep=serving.gpus, dp_attention=True)


def cited_speculation(model_key: str) -> Speculation | None:
    """The drafter a model ships with a cited acceptance (``<model>-mtp`` in
    :data:`~roofline.speculative.ACCEPTANCE_FIGURES`), or None.

    >>> round(cited_speculation("deepseek-v3").tokens_per_step, 2), cited_speculation("llama-3.1-70b")
    (1.85, None)
    """
    figure = ACCEPTANCE_FIGURES.get(f"{model_key}-mtp")
    return None if figure is None else mtp_speculation(figure)


#: The check made one correction at a time, from the article's idealisation to the deployment as
#: DeepSeek states it runs: stage name -> :func:`compare_with_published` keywords.
CHECK_STAGES: dict[str, dict[str, object]] = {
    "idealised": {"layout": IDEAL, "attention_flops": False, "speculation": None},
    "layout": {"attention_flops": False, "speculation": None},
    "attention": {"speculation": None},
    "stated": {},
}

#: ``speculation="cited"``: the model's own cited drafter (:func:`cited_speculation`).
CITED = "cited"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedComparison:
    """Published serving figures beside what the model predicts for the same deployment.

    The model is evaluated at the batch the publisher's own figures imply
    (total tokens/s over tokens/s per user: each sequence in flight makes
    the per-user rate, so speculation cancels), at their mean context.
    The publisher's service runs the model's cited drafter (DeepSeek-V3's
    multi-token prediction), so each of its decode steps gives a user ``E``
    tokens (``observed_tokens_per_step``) and the published step is ``E``
    over the per-user rate, not one over it, whatever the model is asked to
    assume.
    ``*_ratio`` fields are the model's over the published: how many times
    the tokens (and the fraction of the step time) the model promises.
    """

    serving: PublishedServing
    deployment: Deployment
    implied_batch: float
    observed_tokens_per_s_per_gpu: float
    observed_tokens_per_s_per_sequence: float
    observed_time_per_token_s: float
    observed_tokens_per_step: float
    observed_step_s: float
    observed_usd_per_million_tokens: float
    predicted: Prediction
    throughput_ratio: float
    speed_ratio: float
    step_ratio: float


def compare_with_published(
    serving: PublishedServing,
    *,
    layout: Layout | str | None = None,
    attention_flops: bool = True,
    speculation: Speculation | str | None = CITED,
) -> PublishedComparison:
    """Put a serving system's published figures beside the model's prediction.

    Uses the publisher's hardware (the closest preset), precision, GPU count,
    mean context and price; the per-user speed is the middle of the
    published range. By default the deployment is modelled as the publisher
    states it runs: the stated layout (:func:`stated_layout`), attention's
    arithmetic counted at the precision the model's makers state (DeepSeek:
    BF16), and the model's cited drafter (DeepSeek-V3's multi-token
    prediction, whose tokens the published rates include).
    :data:`CHECK_STAGES` names the article's idealisation (even split, no
    attention, no speculation) and the steps between.

    >>> from roofline.presets import DEEPSEEK_SERVING
    >>> c = compare_with_published(DEEPSEEK_SERVING)
    >>> round(c.implied_batch), round(c.observed_tokens_per_s_per_gpu), c.deployment.active_layout.key
    (12686, 1850, 'tp144-ep144-dpa')
    >>> round(c.throughput_ratio, 2), c.predicted.regime.value
    (4.04, 'compute-bound')
    >>> old = compare_with_published(DEEPSEEK_SERVING, **CHECK_STAGES["idealised"])
    >>> round(old.throughput_ratio, 1), round(old.step_ratio, 1)
    (4.5, 8.3)
    """
    chosen = stated_layout(serving) if layout is None else layout
    drafter = cited_speculation(serving.model) if speculation == CITED else speculation
    if isinstance(drafter, str):
        raise ValueError(f"speculation must be a Speculation, None or {CITED!r}, got {speculation!r}")
    d = spec.deployment(
        serving.hardware,
        serving.model,
        gpus=serving.gpus,
        precision=serving.weight_precision,
        kv_precision=serving.kv_precision,
        context_tokens=serving.mean_context_tokens,
        usd_per_gpu_hour=serving.usd_per_gpu_hour,
        attention_flops=attention_flops,
        layout=chosen,
    )
    per_user = (serving.tokens_per_s_per_user_low + serving.tokens_per_s_per_user_high) / 2
    nodes = serving.nodes
    batch = implied_batch(serving.output_tokens_per_s_per_node * nodes, per_user)
    predicted = predict_deployment(d, batch, drafter)
    per_gpu = serving.output_tokens_per_s_per_node / serving.gpus_per_node
    served = cited_speculation(serving.model)
    observed_tokens_per_step = 1.0 if served is None else served.tokens_per_step
    observed_step = observed_tokens_per_step / per_user
    return PublishedComparison(
        serving=serving,
        deployment=d,
        implied_batch=batch,
        observed_tokens_per_s_per_gpu=per_gpu,
        observed_tokens_per_s_per_sequence=per_user,
        observed_time_per_token_s=1.0 / per_user,
        observed_tokens_per_step=observed_tokens_per_step,
        observed_step_s=observed_step,
        observed_usd_per_million_tokens=usd_per_million_tokens(
            serving.usd_per_gpu_hour, serving.gpus_per_node, serving.output_tokens_per_s_per_node
        ),
        predicted=predicted,
        throughput_ratio=predicted.tokens_per_s_per_gpu / per_gpu,
        speed_ratio=predicted.tokens_per_s_per_sequence / per_user,
        step_ratio=observed_step / predicted.step_s,
    )
