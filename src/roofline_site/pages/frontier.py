"""Macros for the page "What sets the batch" (docs/what-sets-the-batch.md).

The page's cases are configurations of :mod:`roofline.frontier`: a deployment
(or the article's seed inputs), an optional latency target and an optional
drafter. Every number the page prints comes from
:func:`roofline.frontier.evaluate_frontier` on one of them, formatted by
:mod:`roofline.units` and wrapped by :func:`roofline_site.pages.common.number_span`;
the page's charts (:mod:`roofline_site.charts.catalog`) draw the same reports.

Page calls look like ``{{ frontier_figure("deepseek-4k", "batch") }}`` and
``{{ frontier_sentence("llama70b-bf16-fast") }}``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from roofline import deployment as dep
from roofline import frontier as fr
from roofline import presets
from roofline import speculative as spec
from roofline.model import SEED_DEFAULTS, SEED_MAX_BATCH, Params
from roofline.units import format_batch, format_number, format_percent, format_si, format_time, format_tokens

from .common import number_span

__all__ = ["CASES", "DPA_EP8", "FAST_TARGET_S", "MACROS", "SERVICE_TARGET_S", "FrontierCase", "report"]

#: The pace DeepSeek's own service gives each user (the low end of its
#: published 20-22 tokens/s), as a time-per-token target: 50 ms.
SERVICE_TARGET_S = fr.target_for_rate_s(presets.DEEPSEEK_SERVING.tokens_per_s_per_user_low)
#: A faster, illustrative product: 20 ms per token (50 tokens/s per user).
#: Not a published figure; the simulator lets a reader pick any other.
FAST_TARGET_S = 0.020


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontierCase:
    """One configuration the page discusses: what runs, the target, the drafter."""

    label: str
    deployment: dep.Deployment | None = None
    params: Params | None = None
    max_batch: float | None = None
    target_s: float | None = None
    speculation: spec.Speculation | None = None

    def lines(self) -> fr.Lines:
        """The frontier's view of the case."""
        if self.deployment is not None:
            return fr.deployment_lines(self.deployment, self.speculation)
        if self.params is None:
            raise ValueError(f"case {self.label!r} has neither a deployment nor the article's inputs")
        return fr.article_lines(self.params, self.speculation)


def _llama(precision: str, target_s: float | None) -> FrontierCase:
    # The engines' default layout (TP over both GPUs) with attention counted, as the core defaults.
    d = dep.deployment(
        "h100-sxm",
        "llama-3.1-70b",
        gpus=2,
        precision=precision,
        kv_precision=precision,
        context_tokens=8192,
    )
    return FrontierCase(label=f"Llama-3.1-70B, {d.precision.label}, 8K", deployment=d, target_s=target_s)


def _layout_label(d: dep.Deployment) -> str:
    # The layout's own key (tp8, tp8-ep8-dpa), and the article's idealisation named as such.
    key = d.active_layout.key
    return "the article's even split" if key == "ideal" else key


def _deepseek(
    context: float,
    target_s: float | None,
    mtp: bool = False,
    layout: str | None = None,
    attention_flops: bool = True,
) -> FrontierCase:
    """DeepSeek-V3 on 8 × H200, FP8 weights and cache: the engines' default layout (``None``, TP8 on
    one node) or a named one, attention counted at its cited BF16 rate unless ``attention_flops`` is off
    (the article's lines)."""
    d = dep.deployment(
        "h200",
        "deepseek-v3",
        gpus=8,
        precision="fp8",
        kv_precision="fp8",
        context_tokens=context,
        layout=layout,
        attention_flops=attention_flops,
    )
    label = (
        f"DeepSeek-V3, {_layout_label(d)}"
        + ("" if attention_flops else ", attention left out")
        + f", {context / 1024:.0f}K"
        + (", MTP" if mtp else "")
    )
    return FrontierCase(
        label=label, deployment=d, target_s=target_s, speculation=spec.mtp_speculation() if mtp else None
    )


#: DeepSeek's own production layout on one node: DP attention, experts split over all eight (EP8).
DPA_EP8 = "tp8-ep8-dpa"

#: The page's cases, by the name its macros use. The DeepSeek-V3 cases without a layout in their name
#: run the engines' default (TP8, what SGLang launches on one node); ``-dpa`` ones DP attention with EP8;
#: ``-even`` ones the article's even split, with attention counted, and ``-article`` ones the article's
#: lines (even split, attention left out), kept to show where that picture stops holding.
CASES: dict[str, FrontierCase] = {
    "article": FrontierCase(
        label="the article's mid-range accelerator",
        params=SEED_DEFAULTS,
        max_batch=SEED_MAX_BATCH,
    ),
    "llama70b-fp8": _llama("fp8", None),
    "llama70b-fp8-service": _llama("fp8", SERVICE_TARGET_S),
    "llama70b-fp8-fast": _llama("fp8", FAST_TARGET_S),
    "llama70b-bf16-fast": _llama("bf16", FAST_TARGET_S),
    "deepseek-4k": _deepseek(4096, None),
    "deepseek-4k-service": _deepseek(4096, SERVICE_TARGET_S),
    "deepseek-4k-fast": _deepseek(4096, FAST_TARGET_S),
    "deepseek-4k-mtp": _deepseek(4096, None, mtp=True),
    "deepseek-4k-mtp-fast": _deepseek(4096, FAST_TARGET_S, mtp=True),
    "deepseek-32k": _deepseek(32768, None),
    "deepseek-32k-fast": _deepseek(32768, FAST_TARGET_S),
    "deepseek-128k": _deepseek(131072, None),
    "deepseek-128k-fast": _deepseek(131072, FAST_TARGET_S),
    "deepseek-dpa-4k": _deepseek(4096, None, layout=DPA_EP8),
    "deepseek-dpa-4k-service": _deepseek(4096, SERVICE_TARGET_S, layout=DPA_EP8),
    "deepseek-dpa-4k-fast": _deepseek(4096, FAST_TARGET_S, layout=DPA_EP8),
    "deepseek-dpa-4k-mtp": _deepseek(4096, None, mtp=True, layout=DPA_EP8),
    "deepseek-dpa-4k-mtp-fast": _deepseek(4096, FAST_TARGET_S, mtp=True, layout=DPA_EP8),
    "deepseek-dpa-32k": _deepseek(32768, None, layout=DPA_EP8),
    "deepseek-dpa-32k-mtp": _deepseek(32768, None, mtp=True, layout=DPA_EP8),
    "deepseek-even-4k": _deepseek(4096, None, layout="ideal"),
    "deepseek-even-32k": _deepseek(32768, None, layout="ideal"),
    "deepseek-article-4k": _deepseek(4096, None, layout="ideal", attention_flops=False),
    "deepseek-article-32k": _deepseek(32768, None, layout="ideal", attention_flops=False),
}


def case(name: str) -> FrontierCase:
    """Case ``name``, or a ValueError listing the names."""
    try:
        return CASES[name]
    except KeyError:
        raise ValueError(f"unknown frontier case {name!r}; choose one of: {', '.join(sorted(CASES))}") from None


@cache
def report(name: str) -> fr.FrontierReport:
    """The frontier report of case ``name`` (cached: the page and its charts ask often)."""
    c = case(name)
    return fr.evaluate_frontier(c.lines(), c.target_s, c.max_batch)


def _rate(value: float) -> str:
    # Per-user speeds read best short (16.7, 34, 1.03K); per-GPU throughput with separators.
    return format_si(value)


def _throughput(value: float) -> str:
    return format_number(value, 3)


def _chosen(name: str, field: str) -> float | None:
    chosen = report(name).chosen
    return None if chosen is None else getattr(chosen, field)


def _target(name: str) -> float | None:
    return case(name).target_s


def _context(name: str) -> float:
    c = case(name)
    if c.deployment is not None:
        return c.deployment.context_tokens
    if c.params is None:
        raise ValueError(f"case {c.label!r} has neither a deployment nor the article's inputs")
    return c.params.context_tokens


#: figure -> (value of the case, or None when there is no such number; format)
_FIGURES: dict[str, tuple[Callable[[str], float | None], Callable[[float], str]]] = {
    "batch": (lambda n: report(n).choice.batch, format_batch),
    "wall": (lambda n: report(n).choice.memory_batch, format_batch),
    "crossover": (lambda n: report(n).choice.crossover_batch, format_batch),
    "latency_batch": (lambda n: report(n).choice.latency_batch, format_batch),
    "context": (_context, format_tokens),
    "target": (_target, format_time),
    "target_rate": (lambda n: None if _target(n) is None else fr.rate_for_target(_target(n)), _rate),
    "tpot": (lambda n: _chosen(n, "time_per_token_s"), format_time),
    "per_user": (lambda n: _chosen(n, "tokens_per_s_per_user"), _rate),
    "per_gpu": (lambda n: _chosen(n, "tokens_per_s_per_gpu"), _throughput),
    "fastest": (lambda n: report(n).choice.fastest_time_per_token_s, format_time),
    "fastest_rate": (lambda n: fr.tokens_per_s_per_user(case(n).lines(), 1.0), _rate),
    "tokens_per_step": (lambda n: report(n).choice.tokens_per_step, lambda v: format_number(v, 3)),
    "ceiling": (lambda n: fr.compute_ceiling_tokens_per_s_per_chip(case(n).lines()), _throughput),
    "sweet_spot": (
        lambda n: None if case(n).deployment is None else dep.kv_free_sweet_spot(case(n).deployment),
        lambda v: format_number(v, 3),
    ),
    # The context past which the lines never cross, with attention counted or not as the case says.
    "no_crossover_context": (
        lambda n: None if case(n).deployment is None else dep.no_crossover_context(case(n).deployment),
        lambda v: format_number(v, 3),
    ),
}


def frontier_figure(name: str, figure: str, none: str = "none") -> str:
    """One number of case ``name``; ``none`` is shown where there is no such number."""
    if figure not in _FIGURES:
        raise ValueError(f"figure must be one of {sorted(_FIGURES)}, got {figure!r}")
    value = _FIGURES[figure][0](name)
    macro = f"frontier:{name}:{figure}"
    if value is None:
        return number_span(macro, float("nan"), none)
    return number_span(macro, float(value), _FIGURES[figure][1](float(value)))


def frontier_limit(name: str) -> str:
    """The binding limit of case ``name`` as the word the CLI and the simulator use."""
    limit = report(name).choice.limit.value
    return f'<span class="rl-limit" data-macro="frontier:{html.escape(name)}:limit">{html.escape(limit)}</span>'


def frontier_sentence(name: str) -> str:
    """The sentence naming case ``name``'s binding limit (:func:`roofline.frontier.limit_sentence`)."""
    return (
        f'<span class="rl-sentence" data-macro="frontier:{html.escape(name)}:sentence">'
        f"{html.escape(report(name).sentence)}</span>"
    )


def mtp_gain(plain: str, speculative: str, batch: str = "wall") -> str:
    """Per-user speed of ``speculative`` over ``plain`` at ``plain``'s memory wall (or chosen batch)."""
    at = report(plain).choice.memory_batch if batch == "wall" else report(plain).choice.batch
    if at is None:
        raise ValueError(f"case {plain!r} has no {batch} batch to compare at")
    value = fr.speedup_per_user(case(plain).lines(), case(speculative).lines(), at)
    return number_span(f"frontier:{speculative}:gain", value, format_number(value, 3))


def acceptance(which: str = "low") -> str:
    """The cited MTP acceptance rate (``low`` is the default the site offers, ``high`` the range's top)."""
    figure = spec.DEFAULT_ACCEPTANCE
    values = {"low": figure.acceptance_low, "high": figure.acceptance_high}
    if which not in values:
        raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
    return number_span(f"acceptance_{which}", values[which], format_percent(values[which], 0))


def mtp_reported_speedup() -> str:
    """The decoding speed-up DeepSeek's report quotes for its MTP module (cited)."""
    value = spec.DEFAULT_ACCEPTANCE.reported_speedup
    if value is None:
        raise ValueError("the default acceptance figure quotes no speed-up")
    return number_span("mtp_reported_speedup", value, format_number(value, 2))


def draft_tokens() -> str:
    """Tokens DeepSeek-V3's MTP module drafts per step (cited)."""
    k = spec.DEFAULT_ACCEPTANCE.draft_tokens
    return number_span("draft_tokens", float(k), str(k))


MACROS: dict[str, Callable[..., str]] = {
    "frontier_figure": frontier_figure,
    "frontier_limit": frontier_limit,
    "frontier_sentence": frontier_sentence,
    "mtp_gain": mtp_gain,
    "mtp_acceptance": acceptance,
    "mtp_draft_tokens": draft_tokens,
    "mtp_reported_speedup": mtp_reported_speedup,
}
