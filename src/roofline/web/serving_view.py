"""The serving estimate as the realistic mode shows it: its terms stacked on the step-time chart.

Every number comes from :mod:`roofline.serving`; this module only decides
what to ask it and how to name the answers. The simulator has one context
slider, L, and the estimate wants a workload (input and output tokens). The
rule: **L is the mean context** a sequence carries over its decode (what
:func:`roofline.serving.step_terms` reads from the deployment), and the
reader sets the share of a sequence's tokens that are output (``out``, in
percent, default :data:`DEFAULT_OUTPUT_PERCENT`);
:func:`roofline.serving.workload_for_mean_context` turns the two into input
and output tokens. The parallel layout is the deployment's
(:attr:`roofline.deployment.Deployment.active_layout`: what the engines
launch unless one is chosen), and prefill shares the chips (not disaggregated).

>>> from roofline import deployment as dep
>>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8", context_tokens=1500)
>>> workload(d, 50)
(1000.0, 1000.0)
>>> stack = terms_at(d, 50, [1.0, 10.0])
>>> [term.role for term in stack][:3]
['term_weights', 'term_kv', 'term_compute']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .. import band, frontier, serving
from .. import deployment as dep
from ..speculative import Speculation
from ..units import format_batch, format_number, format_time, format_tokens
from .mode import Readout

__all__ = [
    "DEFAULT_OUTPUT_PERCENT",
    "READOUT_NAMES",
    "TERMS",
    "WORDS",
    "Stack",
    "band_text",
    "estimate_at",
    "estimate_of",
    "lines",
    "output_percent",
    "readouts",
    "sentence",
    "terms_at",
    "workload",
]

#: The readouts of the serving estimate, by ``data-readout`` name.
READOUT_NAMES: tuple[str, ...] = ("serving_tpot", "serving_ratio", "serving_workload", "serving_wall")

#: Output tokens as a percentage of a sequence's tokens when the reader sets
#: none: equal input and output, like NVIDIA NIM's 1,000-in, 1,000-out tables.
DEFAULT_OUTPUT_PERCENT = 50.0

#: The terms in stacking order (bottom first): the field of
#: :class:`roofline.serving.Terms`, the legend's name and the palette role.
TERMS: tuple[tuple[str, str, str], ...] = (
    ("weights_s", "weights", "term_weights"),
    ("kv_s", "KV", "term_kv"),
    ("compute_s", "compute", "term_compute"),
    ("overhead_s", "overhead", "term_overhead"),
    ("communication_s", "comms", "term_communication"),
    ("prefill_s", "prefill", "term_prefill"),
    ("draft_s", "drafting", "term_draft"),
)


#: Each term in words, for the chart's explanation.
WORDS: dict[str, str] = {
    "weights_s": "the weight read",
    "kv_s": "the KV read",
    "compute_s": "compute (attention counted)",
    "overhead_s": "per-step overhead",
    "communication_s": "communication",
    "prefill_s": "prefill's share",
    "draft_s": "drafting",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Stack:
    """One stacked term of the chart: its legend name, palette role and seconds at each batch."""

    name: str
    role: str
    batches: tuple[float, ...]
    seconds: tuple[float, ...]


def workload(d: dep.Deployment, output_percent: float) -> tuple[float, float]:
    """``(input, output)`` tokens behind the deployment's context L read as the mean context."""
    return serving.workload_for_mean_context(d.context_tokens, output_percent / 100)


def _workload(d: dep.Deployment, output_percent: float, speculation: Speculation | None) -> serving.Workload:
    """The :class:`roofline.serving.Workload` behind L: :func:`workload`'s lengths, prefill on the same chips."""
    prompt, generated = workload(d, output_percent)
    return serving.Workload(input_tokens=prompt, output_tokens=generated, speculation=speculation)


def estimate_at(
    d: dep.Deployment, batch: float, output_percent: float, speculation: Speculation | None = None
) -> serving.Terms:
    """:func:`roofline.serving.step_terms` at batch B for the workload behind L (ValueError when it cannot)."""
    return serving.step_terms(d, batch, _workload(d, output_percent, speculation))


def estimate_of(
    d: dep.Deployment, batch: float, output_percent: float, speculation: Speculation | None = None
) -> serving.Estimate:
    """:func:`roofline.serving.estimate_deployment` with B requests in flight for the workload behind L.

    What ``roofline serving --concurrency B`` prints for the same deployment:
    the running batch is B capped by the estimate's memory wall.

    Raises:
        ValueError: where the estimate cannot be made (as :class:`roofline.serving.DoesNotFit`
            when not one sequence fits).
    """
    return serving.estimate_deployment(
        d, _workload(d, output_percent, speculation), concurrency=max(1, math.floor(batch))
    )


def lines(d: dep.Deployment, output_percent: float, speculation: Speculation | None = None) -> frontier.Lines:
    """:func:`roofline.serving.serving_lines` for the workload behind L: the frontier the estimate draws."""
    return serving.serving_lines(d, _workload(d, output_percent, speculation))


def terms_at(
    d: dep.Deployment, output_percent: float, batches: Sequence[float], speculation: Speculation | None = None
) -> tuple[Stack, ...]:
    """Each term of :data:`TERMS` at each batch; stacked, they add up to one step and its prefill share.

    That is the estimate's time per output token times the tokens a step
    yields (1 without speculation), as the step-time chart they sit on.

    The part of the shorter of memory and compute that overlaps the longer
    (``hidden_s``: the fitted overlap's share of the shorter) comes off the compute term,
    so the top of the stack is always :attr:`roofline.serving.Terms.tpot_s`.
    """
    rows = [estimate_at(d, b, output_percent, speculation) for b in batches]
    stacks = []
    for field, name, role in TERMS:
        values = [getattr(t, field) - (t.hidden_s if field == "compute_s" else 0.0) for t in rows]
        label = name if field != "compute_s" or not any(t.hidden_s for t in rows) else f"{name}, less overlap"
        stacks.append(Stack(name=label, role=role, batches=tuple(batches), seconds=tuple(values)))
    return tuple(stacks)


def readouts(
    d: dep.Deployment,
    batch: float,
    output_percent: float,
    article_s: float,
    speculation: Speculation | None = None,
) -> dict[str, Readout]:
    """The estimate at batch B beside the article's max ``article_s`` (seconds per step), by name.

    ``serving_tpot`` is the time per output token in seconds, ``serving_ratio``
    that over the article's max; both ``None`` (with the reason in the text)
    where the estimate cannot be made, e.g. chips past one scale-up domain with
    no network figure. ``serving_workload`` holds the input tokens and
    ``serving_wall`` the memory wall for sequences at full length
    (:func:`roofline.serving.memory_wall_batch`).
    """
    prompt, generated = workload(d, output_percent)
    full = prompt + generated
    wall = serving.memory_wall_batch(d, full)
    shown = {
        "serving_workload": Readout(
            value=prompt, text=f"{format_tokens(round(prompt))} in + {format_tokens(round(generated))} out tokens"
        ),
        "serving_wall": Readout(
            value=float(wall),
            text=(
                f"{format_batch(wall)} sequence{'s' if wall != 1 else ''} of {format_tokens(round(full))} tokens"
                + ("; B is past it" if batch > wall else "")
                if wall >= 1
                else f"none: not one sequence of {format_tokens(round(full))} tokens fits"
            ),
        ),
    }
    try:
        terms = estimate_at(d, batch, output_percent, speculation)
    except ValueError as error:
        reason = f"none: {error}"
        return {"serving_tpot": Readout(value=None, text=reason), "serving_ratio": Readout(value=None, text=reason), **shown}
    ratio = terms.tpot_s / article_s
    return {
        "serving_tpot": Readout(value=terms.tpot_s, text=f"{format_time(terms.tpot_s)} per token; {band_text(d, terms.tpot_s)}"),
        "serving_ratio": Readout(value=ratio, text=f"{format_number(ratio, 3)}× the article's max ({format_time(article_s)})"),
        **shown,
    }


def band_text(d: dep.Deployment, tpot_s: float) -> str:
    """The estimate's band in words: the interval, the regime, and where the band comes from when wider.

    >>> d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8")
    >>> band_text(d, 0.005).startswith("measured likely ")
    True
    """
    b = band.tpot_band(tpot_s, band.regime_of(d.hardware, d.model, d.gpus))
    where = b.regime.label + ("" if not b.fallback else f"; too few held-out points, so the band of {b.band.label}")
    return f"measured likely {format_time(b.tpot_s_low)} to {format_time(b.tpot_s_high)} ({where})"


def sentence(d: dep.Deployment, batch: float, output_percent: float, speculation: Speculation | None = None) -> str:
    """A sentence for the chart's explanation: the workload behind L and the estimate at B, its largest term named."""
    prompt, generated = workload(d, output_percent)
    head = (
        f" The shaded areas stack the serving estimate's terms, with L read as the mean context of "
        f"{format_tokens(round(prompt))} tokens in and {format_tokens(round(generated))} out"
    )
    try:
        terms = estimate_at(d, batch, output_percent, speculation)
    except ValueError as error:
        return f"{head}; it cannot be made here: {error}."
    values = {WORDS[field]: getattr(terms, field) for field, _, _ in TERMS}
    largest = max(values, key=values.__getitem__)
    if terms.tokens_per_step == 1.0:
        timing = f"a token takes {format_time(terms.tpot_s)}"
    else:
        timing = (
            f"a step and its prefill share take {format_time(terms.step_s + terms.prefill_s)} and yield "
            f"{format_number(terms.tokens_per_step, 3)} tokens per sequence, so a token takes {format_time(terms.tpot_s)}"
        )
    return (
        f"{head}: at B = {format_batch(batch)} {timing}, "
        f"the largest term of the step being {largest} ({format_time(values[largest])})."
    )


def output_percent(input_tokens: float, output_tokens: float) -> float:
    """The ``out`` control for a workload: :func:`roofline.serving.output_share` in whole percent (the control's step).

    With L at :func:`roofline.serving.mean_context_tokens`, :func:`workload`
    reads the workload back (to that rounding).

    >>> output_percent(1000, 1000), output_percent(128, 2048)
    (50.0, 94.0)
    """
    return float(round(100 * serving.output_share(input_tokens, output_tokens)))
