"""Everything about a deployment at once, and the comparison with a serving system's published figures."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..model import (
    Step,
)
from ..presets import (
    PublishedServing,
)
from .economics import implied_batch, usd_per_million_tokens
from .layout import IDEAL, collectives, kv_copies
from .lines import best_batch, crossover_batch, kv_equals_weights_context, no_crossover_context, step_at
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
from .spec import (
    Deployment,
    attention_math,
    deployment,
    system_bandwidth_bytes_per_s,
    system_compute_ops_per_s,
    system_memory_bytes,
)

__all__ = ["Comparison", "Report", "compare_with_published", "evaluate_deployment"]


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
                "compute_ops_per_s": system_compute_ops_per_s(d),
                "bandwidth_bytes_per_s": system_bandwidth_bytes_per_s(d),
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
                "weight_bytes_per_gpu": self.held_weight_bytes / d.gpus,
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
        held_weight_bytes=held_weight_bytes(d),
        memory_bytes=system_memory_bytes(d),
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
    published range. The article's even split over the GPUs (layout
    ``ideal``), as the deployment page's check has always been made.

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
        layout=IDEAL,
    )
    per_user = (serving.tokens_per_s_per_user_low + serving.tokens_per_s_per_user_high) / 2
    nodes = serving.gpus / serving.gpus_per_node
    batch = implied_batch(serving.output_tokens_per_s_per_node * nodes, per_user)
    predicted = evaluate_deployment(replace(d, attention_flops=False), batch)
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
