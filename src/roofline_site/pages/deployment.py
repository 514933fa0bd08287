"""Macros for the page "From the whiteboard to a deployment" (docs/deployment.md).

The page's cases are simulator states (:class:`roofline.web.realistic.RealState`),
so every number it prints is what the simulator shows for the same link. Each
macro looks a number up in :mod:`roofline.deployment` or
:mod:`roofline.web.realistic`, formats it with :mod:`roofline.units` and
wraps it with :func:`roofline_site.pages.common.number_span`; no arithmetic here.

Page calls look like ``{{ case("deepseek-h200x8-4k", "capacity") }}`` and
``{{ deployment_link("deepseek-h200x8-4k") }}``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace

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

from ..simulator.widget import relative_root
from .common import number_span, plain_number, spelled, word_span

__all__ = ["CASES", "LAYOUT_CASES", "MACROS", "PAGE_MACROS", "case_state", "layout_deployment"]


def _case(hardware: str, model: str, gpus: int, weights: str, kv: str, context: int) -> real.RealState:
    """A simulator state: ``gpus`` × ``hardware`` serving ``model`` with ``weights`` and ``kv`` precisions at ``context``."""
    return real.RealState(
        hardware=hardware, model=model, gpus=gpus, weight_precision=weights, kv_precision=kv, context_tokens=context
    )


#: DeepSeek-V3 on eight H200s, attention's arithmetic left out as in the article.
_DEEPSEEK_H200X8: dict[str, real.RealState] = {
    "deepseek-h200x8-4k": _case("h200", "deepseek-v3", 8, "fp8", "fp8", 4096),
    "deepseek-h200x8-4k-bf16kv": _case("h200", "deepseek-v3", 8, "fp8", "bf16", 4096),
    "deepseek-h200x8-32k": _case("h200", "deepseek-v3", 8, "fp8", "fp8", 32768),
}

#: The page's deployments, as the simulator would hold them (B is set to the
#: best batch by :func:`case_state`).
CASES: dict[str, real.RealState] = {
    **_DEEPSEEK_H200X8,
    # The same three with attention's arithmetic counted (the simulator's attn=1, BF16 as DeepSeek states).
    **{f"{name}-attn": replace(state, attention_flops=True) for name, state in _DEEPSEEK_H200X8.items()},
    "deepseek-h100x1": _case("h100-sxm", "deepseek-v3", 1, "fp8", "fp8", 4096),
    "deepseek-h100x1-4bit": _case("h100-sxm", "deepseek-v3", 1, "w4a16", "fp8", 4096),
    "llama70b-h100x2-bf16": _case("h100-sxm", "llama-3.1-70b", 2, "bf16", "bf16", 8192),
    "llama70b-h100x2-fp8": _case("h100-sxm", "llama-3.1-70b", 2, "fp8", "fp8", 8192),
    "gptoss-h100x1": _case("h100-sxm", "gpt-oss-120b", 1, "w4a16", "bf16", 8192),
    "gptoss-h100x1-32k": _case("h100-sxm", "gpt-oss-120b", 1, "w4a16", "bf16", 32768),
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
    "crossover": (lambda d, b: dep.deployment_crossover_batch(d), lambda v: format_number(v, 3)),
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
    value = dep.weight_share_read(m, batch)
    return number_span("weight_share", value, format_percent(value, 0))


def _comparison(stage: str) -> dep.PublishedComparison:
    """The check with DeepSeek's figures at one of :data:`roofline.deployment.CHECK_STAGES`."""
    if stage not in dep.CHECK_STAGES:
        raise ValueError(f"stage must be one of {sorted(dep.CHECK_STAGES)}, got {stage!r}")
    return dep.compare_with_published(presets.DEEPSEEK_SERVING, **dep.CHECK_STAGES[stage])  # type: ignore[arg-type]


_COMPARISON: dict[str, tuple[Callable[[dep.PublishedComparison], float | None], Callable[[float], str]]] = {
    "gpus": (lambda c: float(c.serving.gpus), format_batch),
    "nodes": (lambda c: c.serving.nodes, format_batch),
    "per_node": (lambda c: c.serving.output_tokens_per_s_per_node, format_batch),
    "per_user_low": (lambda c: c.serving.tokens_per_s_per_user_low, format_batch),
    "per_user_high": (lambda c: c.serving.tokens_per_s_per_user_high, format_batch),
    "price": (lambda c: c.serving.usd_per_gpu_hour, format_usd),
    "context": (lambda c: c.serving.mean_context_tokens, _exact_tokens),
    "implied_batch": (lambda c: c.implied_batch, _about),
    "observed_per_gpu": (lambda c: c.observed_tokens_per_s_per_gpu, lambda v: format_number(v, 3)),
    "observed_per_user": (lambda c: c.observed_tokens_per_s_per_sequence, lambda v: format_number(v, 3)),
    "observed_time_per_token": (lambda c: c.observed_time_per_token_s, format_time),
    "observed_tokens_per_step": (lambda c: c.observed_tokens_per_step, lambda v: format_number(v, 3)),
    "observed_step": (lambda c: c.observed_step_s, format_time),
    "observed_cost": (lambda c: c.observed_usd_per_million_tokens, format_usd),
    "predicted_per_gpu": (lambda c: c.predicted.tokens_per_s_per_gpu, lambda v: format_number(v, 3)),
    "predicted_per_user": (lambda c: c.predicted.tokens_per_s_per_sequence, lambda v: format_number(v, 3)),
    "predicted_tokens_per_step": (lambda c: c.predicted.tokens_per_step, lambda v: format_number(v, 3)),
    "predicted_step": (lambda c: c.predicted.step_s, format_time),
    "predicted_cost": (lambda c: c.predicted.usd_per_million_tokens, format_usd),
    "throughput_ratio": (lambda c: c.throughput_ratio, lambda v: format_number(v, 2)),
    "step_ratio": (lambda c: c.step_ratio, lambda v: format_number(v, 2)),
    "capacity": (lambda c: float(c.predicted.report.capacity_batch), format_batch),
    "weights_per_gpu": (lambda c: c.predicted.report.weight_bytes_per_gpu, format_bytes),
    "t_weights": (lambda c: c.predicted.report.step.t_weights_s, format_time),
    "t_kv": (lambda c: c.predicted.report.step.t_kv_s, format_time),
    "t_compute": (lambda c: c.predicted.t_compute_s, format_time),
    "t_memory": (lambda c: c.predicted.t_memory_s, format_time),
    "t_draft": (lambda c: c.predicted.t_draft_s, format_time),
    "compute_gap": (lambda c: c.predicted.compute_gap, lambda v: format_percent(v, 0)),
    "crossover": (lambda c: c.predicted.crossover_batch, _about),
    "acceptance": (
        lambda c: None if c.predicted.speculation is None else c.predicted.speculation.acceptance,
        lambda v: format_percent(v, 0),
    ),
}

#: word name -> the word, from the comparison (regimes, layouts and precisions are the core's words, not typed).
_COMPARISON_WORDS: dict[str, Callable[[dep.PublishedComparison], str]] = {
    "regime": lambda c: c.predicted.regime.value,
    "attention_precision": lambda c: dep.attention_math(c.deployment).upper(),
    "layout": lambda c: c.deployment.active_layout.key,
}


def published_word(word: str, stage: str = "stated") -> str:
    """A word the comparison with DeepSeek's figures decides at ``stage`` (its regime, layout, attention precision)."""
    if word not in _COMPARISON_WORDS:
        raise ValueError(f"word must be one of {sorted(_COMPARISON_WORDS)}, got {word!r}")
    text = _COMPARISON_WORDS[word](_comparison(stage))
    return word_span(spelled(f"published_{word}", None if stage == "stated" else stage), text)


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
    value = presets.weight_precision(precision).bits_per_weight
    return number_span("weight_bits", value, plain_number(value))


def published(figure: str, stage: str = "stated") -> str:
    """One figure of the comparison with DeepSeek's published serving numbers, at a check stage.

    ``stage`` is a key of :data:`roofline.deployment.CHECK_STAGES`: ``stated``
    (DeepSeek's layout, attention at its stated precision, MTP), ``idealised``
    (the article's even split, no attention, no MTP) or a step between.
    """
    if figure not in _COMPARISON:
        raise ValueError(f"figure must be one of {sorted(_COMPARISON)}, got {figure!r}")
    value = _COMPARISON[figure][0](_comparison(stage))
    macro = spelled(f"published_{figure}", None if stage == "stated" else stage)
    if value is None:
        return number_span(macro, float("nan"), "none")
    return number_span(macro, float(value), _COMPARISON[figure][1](float(value)))


def deployment_link(env, name: str, text: str = "Open this case in the simulator") -> str:  # type: ignore[no-untyped-def]
    """A link that opens the simulator's realistic mode on case ``name``."""
    href = f"{relative_root(env)}simulator/?{real.REALISTIC.encode(case_state(name))}"
    return f'<a class="rl-sim-link" data-case="{html.escape(name)}" href="{html.escape(href)}">{html.escape(text)}</a>'


#: layout figure name -> (function of a Deployment giving a float or None, formatter)
_LAYOUT_FIGURES: dict[str, tuple[Callable[[dep.Deployment], float | int | None], Callable[[float], str]]] = {
    "wall": (lambda d: dep.capacity_batch(d) or None, format_batch),
    "crossover": (lambda d: dep.deployment_crossover_batch(d), lambda v: format_number(v, 3)),
    "no_crossover_context": (lambda d: dep.no_crossover_context(d), _tokens_text),
    "kv_copies": (lambda d: dep.kv_copies(d.active_layout, d.model), plain_number),
    "weights_per_gpu": (lambda d: dep.held_weight_bytes_per_gpu(d), format_bytes),
    "t_weights": (lambda d: dep.step_at(d, dep.capacity_batch(d) or 1).t_weights_s, format_time),
    "best_batch": (lambda d: dep.best_batch(d), format_batch),
    "per_gpu": (lambda d: _at_best(d, dep.tokens_per_s_per_gpu), lambda v: format_number(v, 3)),
    "cost": (lambda d: _at_best(d, dep.cost_usd_per_million_tokens), format_usd),
    "gpus": (lambda d: float(d.gpus), format_batch),
    "context": (lambda d: d.context_tokens, _exact_tokens),
}


def _at_best(d: dep.Deployment, figure: Callable[[dep.Deployment, float], float]) -> float | None:
    best = dep.best_batch(d)
    return None if best is None else figure(d, best)


#: The deployments whose layouts the pages compare (attention counted, as the core does by default):
#: name -> (hardware, model, GPUs, weight and KV precision, context).
LAYOUT_CASES: dict[str, tuple[str, str, int, str, float]] = {
    "deepseek-h200x8-4k": ("h200", "deepseek-v3", 8, "fp8", 4096),
    "deepseek-h200x8-32k": ("h200", "deepseek-v3", 8, "fp8", 32768),
    "llama70b-h100x2-8k": ("h100-sxm", "llama-3.1-70b", 2, "fp8", 8192),
    "llama70b-h100x16-8k": ("h100-sxm", "llama-3.1-70b", 16, "fp8", 8192),
}


def layout_deployment(name: str, layout: str) -> dep.Deployment:
    """Layout case ``name`` under ``layout``: a :func:`~roofline.deployment.parse_layout` key, or
    ``default`` for what the engines launch."""
    try:
        hardware, model, gpus, precision, context = LAYOUT_CASES[name]
    except KeyError:
        raise ValueError(f"unknown layout case {name!r}; choose one of: {', '.join(sorted(LAYOUT_CASES))}") from None
    return dep.deployment(
        hardware,
        model,
        gpus=gpus,
        precision=precision,
        kv_precision=precision,
        context_tokens=context,
        layout=None if layout == "default" else layout,
    )


def _layout_number(d: dep.Deployment, macro: str, figure: str, none: str) -> str:
    if figure not in _LAYOUT_FIGURES:
        raise ValueError(f"figure must be one of {sorted(_LAYOUT_FIGURES)}, got {figure!r}")
    value = _LAYOUT_FIGURES[figure][0](d)
    if value is None:
        return number_span(macro, float("nan"), none)
    return number_span(macro, float(value), _LAYOUT_FIGURES[figure][1](float(value)))


def layout_figure(layout: str, context: float, figure: str, none: str = "none") -> str:
    """A figure of DeepSeek-V3 on 8 × H200 (FP8 weights and cache) under ``layout``, attention counted.

    ``layout`` is a key of :func:`roofline.deployment.parse_layout` (``ideal``,
    ``tp8``, ``tp8-ep8-dpa``); ``t_weights`` is the weight read at the wall.
    """
    d = dep.deployment(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=context, layout=layout
    )
    return _layout_number(d, spelled("layout_figure", layout, int(context), figure), figure, none)


def layout_case(name: str, layout: str, figure: str, none: str = "none") -> str:
    """A figure of layout case ``name`` (:data:`LAYOUT_CASES`) under ``layout`` (``default``: the engines')."""
    return _layout_number(layout_deployment(name, layout), spelled("layout_case", name, layout, figure), figure, none)


#: layout word name -> the words, from the deployment's layout (keys, descriptions and sources are the core's).
_LAYOUT_WORDS: dict[str, Callable[[dep.Deployment], str]] = {
    "key": lambda d: d.active_layout.key,
    "description": lambda d: d.active_layout.describe(),
    "source": lambda d: dep.LAYOUT_SOURCES.get(d.layout_source, "chosen, not a default"),
}


def layout_word(name: str, layout: str, word: str) -> str:
    """Words about layout case ``name`` under ``layout``: its ``key``, its ``description``, or the
    ``source`` of the engines' default (:data:`roofline.deployment.LAYOUT_SOURCES`)."""
    if word not in _LAYOUT_WORDS:
        raise ValueError(f"word must be one of {sorted(_LAYOUT_WORDS)}, got {word!r}")
    text = _LAYOUT_WORDS[word](layout_deployment(name, layout))
    return word_span(spelled("layout_word", name, layout, word), text)


#: attention figure name -> (function of a Deployment, formatter): attention on its own roofline.
_ATTENTION_FIGURES: dict[str, tuple[Callable[[dep.Deployment], float], Callable[[float], str]]] = {
    "ops_per_kv_byte": (lambda d: dep.attention_intensity(d).ops_per_kv_byte, plain_number),
    "ridge": (lambda d: dep.attention_intensity(d).ridge_ops_per_byte, lambda v: format_number(v, 3)),
    "ops_per_layer_token": (lambda d: float(d.model.attention_ops_per_layer_token), plain_number),
    "kv_elements_per_layer_token": (lambda d: float(d.model.kv_elements_per_layer_token), plain_number),
}


def attention_figure(
    model: str, hardware: str, kv_precision: str, figure: str, layout: str = "ideal", gpus: int = 1
) -> str:
    """Attention's multiply-adds per byte of cache read (``ops_per_kv_byte``), the chip's ``ridge`` at
    attention's precision (both in multiply-adds per byte), or the per-layer-token counts behind them.

    The weights are FP8 where the chip has an FP8 rate; attention runs at the model's cited precision
    (:func:`roofline.deployment.attention_math`).
    """
    if figure not in _ATTENTION_FIGURES:
        raise ValueError(f"figure must be one of {sorted(_ATTENTION_FIGURES)}, got {figure!r}")
    chip = presets.hardware(hardware)
    d = dep.deployment(
        chip,
        model,
        gpus=gpus,
        precision="fp8" if chip.supports("fp8") else "bf16",
        kv_precision=kv_precision,
        layout=layout,
    )
    value = _ATTENTION_FIGURES[figure][0](d)
    macro = spelled("attention_figure", model, hardware, kv_precision, figure, None if layout == "ideal" else layout)
    return number_span(macro, value, _ATTENTION_FIGURES[figure][1](value))


def long_context_line(
    model: str, hardware: str, kv_precision: str, context: float, figure: str, attention: bool
) -> str:
    """The crossover (``crossover``) or the context past which the lines never cross
    (``no_crossover_context``) of ``model`` on one chip, FP8 weights and arithmetic, split as the
    article does (no MoE discount), with attention's arithmetic counted or not (``attention``).

    With ``attention=False`` these are the article's lines, as the long-context page's tables draw them.
    """
    d = dep.deployment(
        hardware,
        model,
        precision="fp8",
        kv_precision=kv_precision,
        context_tokens=context,
        layout="ideal",
        moe_discount=False,
        attention_flops=attention,
    )
    if figure == "crossover":
        value, text = dep.deployment_crossover_batch(d), lambda v: format_number(v, 3)
    elif figure == "no_crossover_context":
        value, text = dep.no_crossover_context(d), _tokens_text
    else:
        raise ValueError(f"figure must be 'crossover' or 'no_crossover_context', got {figure!r}")
    macro = spelled(
        "long_context_line",
        model,
        hardware,
        kv_precision,
        int(context),
        figure,
        "attention" if attention else "article",
    )
    if value is None:
        # A word, not a number: the explainer pages print no NaN (their audit refuses it).
        return word_span(macro, "none" if figure == "crossover" else "never")
    return number_span(macro, float(value), text(float(value)))


MACROS: dict[str, Callable[..., str]] = {
    "case": case,
    "layout_figure": layout_figure,
    "layout_case": layout_case,
    "layout_word": layout_word,
    "attention_figure": attention_figure,
    "long_context_line": long_context_line,
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
