"""Macros for the page "From the whiteboard to a deployment" (docs/deployment.md).

The page's cases are simulator states (:class:`roofline.web.realistic.RealState`),
so every number it prints is what the simulator shows for the same link. Each
macro looks a number up in :mod:`roofline.deployment` or
:mod:`roofline.web.realistic`, formats it with :mod:`roofline.units` and
wraps it with :func:`roofline_site.macros.number_span`; no arithmetic here.

Page calls look like ``{{ case("deepseek-h200x8-4k", "capacity") }}`` and
``{{ deployment_link("deepseek-h200x8-4k") }}``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from roofline import comparisons, presets
from roofline import deployment as dep
from roofline.units import (
    format_batch,
    format_bytes,
    format_number,
    format_percent,
    format_time,
    format_tokens,
    format_usd,
)
from roofline.web import realistic as real

from .macros import number_span, plain_number, spelled
from .widget import relative_root

__all__ = ["CASES", "MACROS", "PAGE_MACROS", "case_state"]

#: The page's deployments, as the simulator would hold them (B is set to the
#: best batch by :func:`case_state`).
CASES: dict[str, real.RealState] = {
    "deepseek-h200x8-4k": real.RealState(
        hardware="h200", model="deepseek-v3", gpus=8, weight_precision="fp8", kv_precision="fp8", context_tokens=4096
    ),
    "deepseek-h200x8-4k-bf16kv": real.RealState(
        hardware="h200", model="deepseek-v3", gpus=8, weight_precision="fp8", kv_precision="bf16", context_tokens=4096
    ),
    "deepseek-h200x8-32k": real.RealState(
        hardware="h200", model="deepseek-v3", gpus=8, weight_precision="fp8", kv_precision="fp8", context_tokens=32768
    ),
    "deepseek-h100x1": real.RealState(
        hardware="h100-sxm",
        model="deepseek-v3",
        gpus=1,
        weight_precision="fp8",
        kv_precision="fp8",
        context_tokens=4096,
    ),
    "deepseek-h100x1-4bit": real.RealState(
        hardware="h100-sxm",
        model="deepseek-v3",
        gpus=1,
        weight_precision="w4a16",
        kv_precision="fp8",
        context_tokens=4096,
    ),
    "llama70b-h100x2-bf16": real.RealState(
        hardware="h100-sxm",
        model="llama-3.1-70b",
        gpus=2,
        weight_precision="bf16",
        kv_precision="bf16",
        context_tokens=8192,
    ),
    "llama70b-h100x2-fp8": real.RealState(
        hardware="h100-sxm",
        model="llama-3.1-70b",
        gpus=2,
        weight_precision="fp8",
        kv_precision="fp8",
        context_tokens=8192,
    ),
    "gptoss-h100x1": real.RealState(
        hardware="h100-sxm",
        model="gpt-oss-120b",
        gpus=1,
        weight_precision="w4a16",
        kv_precision="bf16",
        context_tokens=8192,
    ),
    "gptoss-h100x1-32k": real.RealState(
        hardware="h100-sxm",
        model="gpt-oss-120b",
        gpus=1,
        weight_precision="w4a16",
        kv_precision="bf16",
        context_tokens=32768,
    ),
}


def case_state(name: str) -> real.RealState:
    """The state of case ``name`` at its best batch (what its simulator link opens)."""
    try:
        state = CASES[name]
    except KeyError:
        raise ValueError(f"unknown case {name!r}; choose one of: {', '.join(sorted(CASES))}") from None
    return real.at_best_batch(state)


def _tokens_text(value: float) -> str:
    return format_number(value, 3)


def _exact_tokens(value: float) -> str:
    # A context is a count of tokens: printed exactly, so "4K" cannot be read as 4,000 or 4,096.
    return format_tokens(value)


def _about(value: float) -> str:
    return format_number(value, about=True)


#: figure name -> (function of (Deployment, batch) giving a float or None, formatter)
_FIGURES: dict[str, tuple[Callable[[dep.Deployment, float], float | int | None], Callable[[float], str]]] = {
    "weights": (lambda d, b: dep.weight_bytes(d), format_bytes),
    "memory": (lambda d, b: dep.system_memory_bytes(d), format_bytes),
    "capacity": (lambda d, b: dep.capacity_batch(d) or None, format_batch),
    "crossover": (lambda d, b: dep.crossover_batch(d), lambda v: format_number(v, 3)),
    "sweet_spot": (lambda d, b: dep.kv_free_sweet_spot(d), lambda v: format_number(v, 3)),
    "best_batch": (lambda d, b: dep.best_batch(d), format_batch),
    "batch": (lambda d, b: b, format_batch),
    "min_gpus": (lambda d, b: dep.min_gpus(d), format_batch),
    "gpus": (lambda d, b: float(d.gpus), format_batch),
    "context": (lambda d, b: d.context_tokens, _exact_tokens),
    "price": (lambda d, b: d.usd_per_gpu_hour, format_usd),
    "no_crossover_context": (lambda d, b: dep.no_crossover_context(d), _tokens_text),
    "kv_context": (lambda d, b: dep.kv_equals_weights_context(d, b), _tokens_text),
    "kv_per_token": (
        lambda d, b: dep.kv_bytes_per_token(d.model, d.context_tokens, d.kv_bytes_per_element),
        format_bytes,
    ),
    "kv_per_sequence": (
        lambda d, b: dep.kv_bytes_per_sequence(d.model, d.context_tokens, d.kv_bytes_per_element),
        format_bytes,
    ),
    "coverage": (lambda d, b: dep.expert_coverage(d.model, b), format_percent),
    "latency": (lambda d, b: dep.step_at(d, b).latency_s, format_time),
    "t_compute": (lambda d, b: dep.step_at(d, b).t_compute_s, format_time),
    "t_weights": (lambda d, b: dep.step_at(d, b).t_weights_s, format_time),
    "t_kv": (lambda d, b: dep.step_at(d, b).t_kv_s, format_time),
    "throughput": (lambda d, b: dep.tokens_per_s_per_gpu(d, b), lambda v: format_number(v, 3)),
    "per_user": (lambda d, b: dep.tokens_per_s_per_sequence(d, b), lambda v: format_number(v, 3)),
    "cost": (lambda d, b: dep.cost_usd_per_million_tokens(d, b), format_usd),
}


def case(name: str, figure: str, none: str = "none") -> str:
    """One figure of a case at its best batch; ``none`` is shown when there is no such number."""
    if figure not in _FIGURES:
        raise ValueError(f"figure must be one of {sorted(_FIGURES)}, got {figure!r}")
    state = case_state(name)
    value = _FIGURES[figure][0](real.deployment_of(state), state.batch)
    if value is None:
        return number_span(f"case_{figure}", float("nan"), none)
    return number_span(f"case_{figure}", float(value), _FIGURES[figure][1](float(value)))


def expert_coverage(model: str, batch: float) -> str:
    """Expected share of routed experts a batch reads, as a percentage."""
    value = dep.expert_coverage(presets.model(model), batch)
    return number_span("expert_coverage", value, format_percent(value, 0))


def attention_flop_per_kv_byte(model: str, kv_precision: str = "bf16") -> str:
    """FLOP of attention per KV byte read, for a model at a KV precision."""
    value = dep.attention_flop_per_kv_byte(presets.model(model), presets.kv_precision(kv_precision).bytes_per_element)
    return number_span("attention_flop_per_kv_byte", value, format_number(value, 2))


def weight_share(model: str, batch: float) -> str:
    """Share of the parameters read in a step of ``batch`` (MoE discount on)."""
    m = presets.model(model)
    value = dep.weight_params_read(m, batch) / m.total_params
    return number_span("weight_share", value, format_percent(value, 0))


_COMPARISON: dict[str, tuple[Callable[[dep.Comparison], float | None], Callable[[float], str]]] = {
    "gpus": (lambda c: float(c.serving.gpus), format_batch),
    "nodes": (lambda c: c.serving.gpus / c.serving.gpus_per_node, format_batch),
    "per_node": (lambda c: c.serving.output_tokens_per_s_per_node, format_batch),
    "per_user_low": (lambda c: c.serving.tokens_per_s_per_user_low, format_batch),
    "per_user_high": (lambda c: c.serving.tokens_per_s_per_user_high, format_batch),
    "price": (lambda c: c.serving.usd_per_gpu_hour, format_usd),
    "context": (lambda c: c.serving.mean_context_tokens, _exact_tokens),
    "implied_batch": (lambda c: c.implied_batch, _about),
    "observed_per_gpu": (lambda c: c.observed_tokens_per_s_per_gpu, lambda v: format_number(v, 3)),
    "predicted_per_gpu": (lambda c: c.predicted.tokens_per_s_per_gpu, lambda v: format_number(v, 3)),
    "observed_per_user": (lambda c: c.observed_tokens_per_s_per_sequence, lambda v: format_number(v, 3)),
    "predicted_per_user": (lambda c: c.predicted.tokens_per_s_per_sequence, lambda v: format_number(v, 3)),
    "observed_step": (lambda c: c.observed_step_s, format_time),
    "predicted_step": (lambda c: c.predicted.step.latency_s, format_time),
    "observed_cost": (lambda c: c.observed_usd_per_million_tokens, format_usd),
    "predicted_cost": (lambda c: c.predicted.usd_per_million_tokens, format_usd),
    "throughput_ratio": (lambda c: c.throughput_ratio, lambda v: format_number(v, 2)),
    "throughput_ratio_attention": (
        lambda c: (c.predicted_with_attention.tokens_per_s_per_gpu or 0.0) / c.observed_tokens_per_s_per_gpu,
        lambda v: format_number(v, 2),
    ),
    "capacity": (lambda c: float(c.predicted.capacity_batch), format_batch),
    "no_crossover_context": (lambda c: c.predicted.no_crossover_context, _tokens_text),
    "t_weights": (lambda c: c.predicted.step.t_weights_s, format_time),
    "t_kv": (lambda c: c.predicted.step.t_kv_s, format_time),
    "t_compute": (lambda c: c.predicted.step.t_compute_s, format_time),
    "t_compute_attention": (lambda c: c.predicted_with_attention.step.t_compute_s, format_time),
    "t_memory": (lambda c: c.predicted.step.t_memory_s, format_time),
    "attention_gap": (
        lambda c: c.predicted_with_attention.step.t_compute_s / c.predicted_with_attention.step.t_memory_s - 1,
        lambda v: format_percent(v, 0),
    ),
    "crossover_attention": (lambda c: c.predicted_with_attention.crossover_batch, _about),
    "no_crossover_context_attention": (lambda c: c.predicted_with_attention.no_crossover_context, _tokens_text),
}

#: word name -> the word, from the comparison (regimes and precisions are the core's words, not typed).
_COMPARISON_WORDS: dict[str, Callable[[dep.Comparison], str]] = {
    "regime": lambda c: c.predicted.step.regime.value,
    "regime_attention": lambda c: c.predicted_with_attention.step.regime.value,
    "attention_precision": lambda c: dep.attention_math(c.predicted_with_attention.deployment).upper(),
}


def published_word(word: str) -> str:
    """A word the comparison with DeepSeek's figures decides (its regime with or without attention's FLOPs)."""
    if word not in _COMPARISON_WORDS:
        raise ValueError(f"word must be one of {sorted(_COMPARISON_WORDS)}, got {word!r}")
    text = _COMPARISON_WORDS[word](dep.compare_with_published(presets.DEEPSEEK_SERVING))
    return f'<span class="rl-word" data-macro="published_{html.escape(word)}">{html.escape(text)}</span>'


def kernel_fraction(figure: str, hardware: str, precision: str = "fp8") -> str:
    """The share of a chip's datasheet peak a published kernel rate reaches (a cited figure over a preset's)."""
    cited = presets.cited(figure)
    chip = presets.hardware(hardware)
    peaks = {"bytes/s": chip.bandwidth_bytes_per_s, "FLOP/s": chip.flops_per_s(precision)}
    if cited.unit not in peaks:
        raise ValueError(f"{figure} is in {cited.unit}; a kernel fraction needs bytes/s or FLOP/s")
    value = comparisons.fraction_of_peak(cited.value, peaks[cited.unit])
    return number_span(f"kernel_fraction_{figure}", value, format_percent(value, 0))


def model_count(model: str, field: str) -> str:
    """A whole-number field of a model preset (``layers``, ``kv_heads``, ``routed_experts``, …), as cited."""
    m = presets.model(model)
    allowed = (
        "layers",
        "kv_heads",
        "attention_heads",
        "head_dim",
        "routed_experts",
        "experts_per_token",
        "kv_lora_rank",
        "rope_head_dim",
        "sliding_window_tokens",
    )
    if field not in allowed:
        raise ValueError(f"field must be one of {sorted(allowed)}, got {field!r}")
    value = getattr(m, field)
    if value is None:
        raise ValueError(f"{model} has no {field}")
    return number_span(f"model_{field}", float(value), f"{value:,}")


def kv_element_bytes(kv_precision: str) -> str:
    """Bytes per KV element of a KV precision preset."""
    value = presets.kv_precision(kv_precision).bytes_per_element
    return number_span("kv_element_bytes", value, plain_number(value))


def weight_bits(precision: str) -> str:
    """Bits per stored weight of a weight precision preset (block scales included)."""
    value = presets.weight_precision(precision).bytes_per_weight * 8
    return number_span("weight_bits", value, plain_number(value))


def published(figure: str) -> str:
    """One figure of the comparison with DeepSeek's published serving numbers."""
    if figure not in _COMPARISON:
        raise ValueError(f"figure must be one of {sorted(_COMPARISON)}, got {figure!r}")
    value = _COMPARISON[figure][0](dep.compare_with_published(presets.DEEPSEEK_SERVING))
    if value is None:
        return number_span(f"published_{figure}", float("nan"), "none")
    return number_span(f"published_{figure}", float(value), _COMPARISON[figure][1](float(value)))


def deployment_link(env, name: str, text: str = "Open this case in the simulator") -> str:  # type: ignore[no-untyped-def]
    """A link that opens the simulator's realistic mode on case ``name``."""
    href = f"{relative_root(env)}simulator/?{real.REALISTIC.encode(case_state(name))}"
    return f'<a class="rl-sim-link" data-case="{html.escape(name)}" href="{html.escape(href)}">{html.escape(text)}</a>'


#: layout figure name -> (function of a Deployment giving a float or None, formatter)
_LAYOUT_FIGURES: dict[str, tuple[Callable[[dep.Deployment], float | int | None], Callable[[float], str]]] = {
    "wall": (lambda d: dep.capacity_batch(d) or None, format_batch),
    "crossover": (lambda d: dep.crossover_batch(d), lambda v: format_number(v, 3)),
    "no_crossover_context": (lambda d: dep.no_crossover_context(d), _tokens_text),
    "kv_copies": (lambda d: dep.kv_copies(d.active_layout, d.model), plain_number),
    "weights_per_gpu": (lambda d: dep.held_weight_bytes(d) / d.gpus, format_bytes),
    "t_weights": (lambda d: dep.step_at(d, dep.capacity_batch(d) or 1).t_weights_s, format_time),
}


def layout_figure(layout: str, context: float, figure: str, none: str = "none") -> str:
    """A figure of DeepSeek-V3 on 8 × H200 (FP8 weights and cache) under ``layout``, attention counted.

    ``layout`` is a key of :func:`roofline.deployment.parse_layout` (``ideal``,
    ``tp8``, ``tp8-ep8-dpa``); ``t_weights`` is the weight read at the wall.
    """
    if figure not in _LAYOUT_FIGURES:
        raise ValueError(f"figure must be one of {sorted(_LAYOUT_FIGURES)}, got {figure!r}")
    d = dep.deployment(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=context, layout=layout
    )
    value = _LAYOUT_FIGURES[figure][0](d)
    macro = spelled("layout_figure", layout, int(context), figure)
    if value is None:
        return number_span(macro, float("nan"), none)
    return number_span(macro, float(value), _LAYOUT_FIGURES[figure][1](float(value)))


MACROS: dict[str, Callable[..., str]] = {
    "case": case,
    "layout_figure": layout_figure,
    "expert_coverage": expert_coverage,
    "weight_share": weight_share,
    "attention_flop_per_kv_byte": attention_flop_per_kv_byte,
    "published": published,
    "published_word": published_word,
    "kernel_fraction": kernel_fraction,
    "model_count": model_count,
    "kv_element_bytes": kv_element_bytes,
    "weight_bits": weight_bits,
}

PAGE_MACROS: dict[str, Callable[..., str]] = {
    "deployment_link": deployment_link,
}
