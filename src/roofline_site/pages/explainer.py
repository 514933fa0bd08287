"""Macros for the explainer pages (sections I-IX of the article).

Thin by design: each macro picks a named scenario or figure from
:mod:`roofline.explainer`, calls one core function, and formats the result
with :mod:`roofline.units`. Every number goes out through
:func:`~roofline_site.pages.common.number_span`, whose ``data-macro`` name spells the
call (``sv:deepseek-h100:crossover:L=1024`` for :func:`scenario_value`) so that tests and the golden
snapshot can name each number a page prints.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from roofline import explainer, longcontext, units
from roofline import model as core
from roofline.model import Params
from roofline.web.article import ARTICLE, State

from ..charts import catalog as charts
from ..runtime.assets import VENDOR
from .common import macro_block, number_span, spelled, table_row, word_span

__all__ = ["MACROS", "PAGE_MACROS", "QUANTITIES"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One readout a page can ask of a scenario: the core call and how to show it."""

    compute: Callable[[Params], float | None]
    kind: str  # "time", "count", "whole", "bytes", "percent" or "si"


def _at_crossover(p: Params, function: Callable[[Params, float], float]) -> float | None:
    crossover = core.crossover_batch(p)
    return None if crossover is None else function(p, crossover)


def _band(p: Params, end: int) -> float | None:
    band = explainer.near_balance_band(p, charts.BALANCE_BAND_TOLERANCE)
    return None if band is None else band[end]


#: What :func:`scenario_value` can print about a scenario, by name.
QUANTITIES: dict[str, Quantity] = {
    "t_compute": Quantity(core.t_compute_s, "time"),
    "t_memory": Quantity(core.t_memory_s, "time"),
    "t_weights": Quantity(core.t_weights_s, "time"),
    "t_kv": Quantity(core.t_kv_s, "time"),
    "latency": Quantity(core.latency_s, "time"),
    "serial": Quantity(explainer.serial_time_s, "time"),
    "time_per_token": Quantity(longcontext.machine_time_per_token_s, "time"),
    "time_per_token_at_crossover": Quantity(lambda p: _at_crossover(p, longcontext.machine_time_per_token_s), "time"),
    "latency_at_crossover": Quantity(lambda p: _at_crossover(p, core.latency_s), "time"),
    "compute_slope": Quantity(core.compute_slope_s, "time"),
    "memory_slope": Quantity(core.memory_slope_s, "time"),
    "crossover": Quantity(core.crossover_batch, "count"),
    "kv_share": Quantity(core.kv_share, "percent"),
    "memory_idle": Quantity(lambda p: explainer.idle_fractions(p)[0], "percent"),
    "compute_idle": Quantity(lambda p: explainer.idle_fractions(p)[1], "percent"),
    "sparsity": Quantity(lambda p: core.sparsity_ratio(p.total_params, p.active_params), "count"),
    "c_over_bw": Quantity(lambda p: core.hardware_ratio(p.compute_ops_per_s, p.bandwidth_bytes_per_s), "count"),
    "sweet_spot": Quantity(
        lambda p: core.sweet_spot_batch(p.total_params, p.active_params, p.compute_ops_per_s, p.bandwidth_bytes_per_s),
        "count",
    ),
    "no_crossover_context": Quantity(longcontext.article_no_crossover_context, "count"),
    "flip_context": Quantity(longcontext.balance_flip_context, "count"),
    "crossover_at_flip": Quantity(
        lambda p: longcontext.crossover_at_context(p, longcontext.balance_flip_context(p)), "count"
    ),
    "kv_bytes_per_sequence": Quantity(longcontext.article_kv_bytes_per_sequence, "bytes"),
    "parity_context": Quantity(longcontext.kv_weight_parity_context, "count"),
    "kv_compute_slope_ratio": Quantity(longcontext.kv_compute_slope_ratio, "count"),
    "band_low": Quantity(lambda p: _band(p, 0), "count"),
    "band_high": Quantity(lambda p: _band(p, 1), "count"),
    # Inputs, shown so a reader can check what went in.
    "batch": Quantity(lambda p: p.batch, "whole"),
    "context": Quantity(lambda p: p.context_tokens, "whole"),
    "kv_bytes": Quantity(lambda p: p.kv_bytes_per_element, "whole"),
    "active_params": Quantity(lambda p: p.active_params, "si"),
    "total_params": Quantity(lambda p: p.total_params, "si"),
    "compute": Quantity(lambda p: p.compute_ops_per_s, "si"),
    "bandwidth": Quantity(lambda p: p.bandwidth_bytes_per_s, "si"),
}


def _whole(value: float) -> str:
    """A number shown to the unit: every digit before the point, none after (``131,072``)."""
    return units.format_number(value, max(len(str(round(abs(value)))), 1))


def _count(value: float, digits: int) -> str:
    """``digits`` significant figures, but never rounding away whole units (``12,586``, ``891.3``)."""
    return _whole(value) if abs(value) >= 10 ** (digits - 1) else units.format_number(value, digits)


def _format(kind: str, value: float, digits: int) -> str:
    if kind == "time":
        return units.format_time(value, digits)
    if kind == "count":
        return _count(value, digits)
    if kind == "whole":
        return _whole(value)
    if kind == "bytes":
        return units.format_bytes(value, digits)
    if kind == "percent":
        return units.format_percent(value)
    if kind == "si":
        return units.format_si(value, digits)
    raise ValueError(f"kind must be time, count, whole, bytes, percent or si, got {kind!r}")


def _params(scenario: str, batch: float | None, context: float | None) -> Params:
    p = explainer.scenario(scenario).params
    if batch is not None:
        p = p.replace(batch=batch)
    if context is not None:
        p = p.replace(context_tokens=context)
    return p


def _at(batch: float | None, context: float | None) -> tuple[str | None, str | None]:
    return (
        None if batch is None else f"B={units.format_si_exact(float(batch))}",
        None if context is None else f"L={units.format_si_exact(float(context))}",
    )


def scenario_value(
    scenario: str,
    quantity: str,
    batch: float | None = None,
    context: float | None = None,
    digits: int = 4,
    about: bool = False,
) -> str:
    """One quantity of :data:`QUANTITIES` for a named scenario, optionally at another batch or context.

    ``about=True`` is for prose that says "about": the number is rounded to
    :data:`roofline.units.ABOUT_DIGITS` significant figures. Its numbers are
    tagged ``sv:scenario:quantity[:B=…][:L=…]`` (the tags the golden snapshot
    and the tests have always used).
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(QUANTITIES)}, got {quantity!r}")
    q = QUANTITIES[quantity]
    value = q.compute(_params(scenario, batch, context))
    if value is None:
        raise ValueError(f"{scenario}: {quantity} does not exist here (the lines never cross)")
    text = units.format_number(value, digits, about=True) if about else _format(q.kind, value, digits)
    return number_span(spelled("sv", scenario, quantity, *_at(batch, context)), value, text)


def balance_tolerance() -> str:
    """The tolerance of the "near balance" band the one-picture chart shades, as a percentage."""
    value = charts.BALANCE_BAND_TOLERANCE
    return number_span("balance_tolerance", value, units.format_percent(value))


def regime(scenario: str, batch: float | None = None) -> str:
    """Which ceiling binds in a scenario: a word from :func:`roofline.model.regime`, not a number."""
    value = core.regime(_params(scenario, batch, None)).value
    name = spelled("regime", scenario, *_at(batch, None))
    return word_span(name, value)


def article_rounded_sweet_spot() -> str:
    """The article's own product of its rounded factors, 18 × 300."""
    value = explainer.sweet_spot_from_factors(
        explainer.ARTICLE_ROUNDED_SPARSITY, explainer.ARTICLE_ROUNDED_HARDWARE_RATIO
    )
    return number_span("article_rounded_sweet_spot", value, units.format_number(value))


def rounding_gap(scenario: str) -> str:
    """How far the article's rounded 18 × 300 lies above a scenario's KV-free sweet spot, in percent."""
    p = explainer.scenario(scenario).params
    rounded = explainer.sweet_spot_from_factors(
        explainer.ARTICLE_ROUNDED_SPARSITY, explainer.ARTICLE_ROUNDED_HARDWARE_RATIO
    )
    exact = core.sweet_spot_batch(p.total_params, p.active_params, p.compute_ops_per_s, p.bandwidth_bytes_per_s)
    value = explainer.relative_difference(rounded, exact)
    return number_span(spelled("rounding_gap", scenario), value, units.format_percent(value, 1))


def speedup(before: str, after: str, batch: float, digits: int = 3) -> str:
    """Step time of ``before`` over that of ``after`` at the same batch (shown as a multiple)."""
    value = explainer.step_speedup(explainer.scenario(before).params, explainer.scenario(after).params, batch)
    return number_span(
        spelled("speedup", before, after, *_at(batch, None)), value, f"{units.format_number(value, digits)}×"
    )


def per_token_ratio(
    scenario: str,
    batch: float,
    reference: str,
    reference_batch: float | str = "crossover",
    context: float | None = None,
    reference_context: float | None = None,
    digits: int = 3,
) -> str:
    """How many times more machine time a token costs in ``scenario`` at ``batch`` than in
    ``reference`` at ``reference_batch`` (a number, or "crossover" for its B*)."""
    p = _params(scenario, None, context)
    ref = _params(reference, None, reference_context)
    ref_batch = core.crossover_batch(ref) if reference_batch == "crossover" else float(reference_batch)
    if ref_batch is None:
        raise ValueError(f"{reference} has no crossover to compare against")
    value = explainer.time_per_token_ratio(p, batch, ref, ref_batch)
    name = spelled(
        "per_token_ratio",
        scenario,
        *_at(batch, context),
        reference,
        f"ref={reference_batch}",
        _at(None, reference_context)[1],
    )
    return number_span(name, value, f"{units.format_number(value, digits)}×")


def lever_table(scenario: str, factor: float, *batches: float) -> str:
    """A Markdown table: each lever of a claimed speed-up pulled by ``factor``, its step time
    and speed-up at each batch, and its crossover."""
    p = explainer.scenario(scenario).params
    effects = explainer.lever_effects(p, factor, tuple(float(b) for b in batches))
    f = units.format_si(factor)
    header = ["what changed"]
    for b in batches:
        header += [f"T at B = {_whole(b)}", "speed-up"]
    header.append("B*")
    rows = [table_row(header), "|" + "---|" * len(header)]
    for effect in effects:
        label = explainer.LEVERS[effect.lever].replace("factor", f)
        cells = [html.escape(label)]
        for b, t, s in zip(effect.batches, effect.latency_s, effect.speedup, strict=True):
            at = units.format_si_exact(b)
            cells.append(
                number_span(spelled("lever", scenario, effect.lever, f"B={at}", "latency"), t, units.format_time(t))
            )
            cells.append(
                number_span(
                    spelled("lever", scenario, effect.lever, f"B={at}", "speedup"), s, f"{units.format_number(s, 3)}×"
                )
            )
        if effect.crossover_batch is None:
            cells.append("none")
        else:
            cells.append(
                number_span(
                    spelled("lever", scenario, effect.lever, "crossover"),
                    effect.crossover_batch,
                    units.format_number(effect.crossover_batch),
                )
            )
        rows.append(table_row(cells))
    # Generated whole from the core (header batches and factors included): a macro's block.
    return macro_block("lever_table", rows)


def price(step: str, kind: str, side: str) -> str:
    """A quoted list price in US dollars per million tokens (``side`` "below" or "above" the threshold).

    Shown without a dollar sign: ``$`` delimits math on these pages.
    """
    s = explainer.PRICE_STEPS[step]
    if kind not in ("input", "output") or side not in ("below", "above"):
        raise ValueError(f"kind must be input/output and side below/above, got {kind!r}, {side!r}")
    value = getattr(s, f"{kind}_{side}")
    return number_span(spelled("price", step, kind, side), value, f"{value:,.2f}")


def price_ratio(step: str, kind: str) -> str:
    """Price above the threshold over price below it, as a multiple."""
    value = explainer.price_step_ratio(explainer.PRICE_STEPS[step], kind)
    return number_span(spelled("price_ratio", step, kind), value, f"{units.format_si(value)}×")


def price_model(step: str) -> str:
    """The product a published price step belongs to (its name carries a version number, not a figure)."""
    name = explainer.PRICE_STEPS[step].model
    return word_span("price_model", name)


def price_threshold(step: str) -> str:
    """The context length (input tokens) where a price step sits, quoted."""
    value = explainer.PRICE_STEPS[step].threshold_tokens
    return number_span(spelled("price_threshold", step), value, units.format_tokens(value))


# --- macros that need the page ---


def _site_root(env) -> str:  # type: ignore[no-untyped-def]
    """``../`` once per folder between the page being rendered and the site root."""
    url = env.page.url if env.page is not None else ""
    return "../" * len([part for part in url.split("/") if part])


def simulator_link(  # type: ignore[no-untyped-def]
    env,
    scenario: str,
    text: str = "open this in the simulator",
    batch: float | None = None,
    context: float | None = None,
) -> str:
    """A Markdown link that opens the simulator on a scenario through its URL parameters.

    The build fails if the scenario lies outside the sliders' ranges, so that
    a link never opens on clamped values.
    """
    s = explainer.scenario(scenario)
    p = _params(scenario, batch, context)
    state = State.of(p, s.max_batch)
    if not ARTICLE.fits(state):
        raise ValueError(f"scenario {scenario} lies outside the simulator's slider ranges; it cannot be linked")
    depth = env.page.file.src_uri.count("/") if env.page is not None else 0
    return f"[{text}]({'../' * depth}simulator/index.md?{ARTICLE.encode(state)})"


def chart(env, name: str, caption: str) -> str:  # type: ignore[no-untyped-def]
    """A build-time chart: its figure JSON for both colour schemes, drawn in the browser by charts.js.

    The first chart on a page also emits the plotly.js and charts.js script tags.
    """
    root = _site_root(env)
    count = getattr(env.page, "_roofline_charts", 0)
    if env.page is not None:
        env.page._roofline_charts = count + 1
    element = f"chart-{name}"
    # "</" cannot end the JSON's script element early once escaped (valid JSON either way).
    spec = charts.chart_json(name).replace("</", "<\\/")
    parts = ['<figure class="rl-figure">']
    if count == 0:
        parts += [
            f'<script src="{root}{VENDOR}/plotly/plotly.min.js" defer></script>',
            f'<script src="{root}assets/javascripts/charts.js" defer></script>',
        ]
    parts += [
        f'<div class="rl-chart" id="{element}" data-chart="{html.escape(name)}" data-ready="false" role="img" '
        f'aria-label="{html.escape(caption, quote=True)}"></div>',
        f'<script type="application/json" id="{element}-data">{spec}</script>',
        f"<figcaption>{html.escape(caption)}</figcaption>",
        "</figure>",
    ]
    return "\n\n" + "\n".join(parts) + "\n\n"


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "scenario_value": scenario_value,
    "balance_tolerance": balance_tolerance,
    "regime": regime,
    "article_rounded_sweet_spot": article_rounded_sweet_spot,
    "rounding_gap": rounding_gap,
    "speedup": speedup,
    "per_token_ratio": per_token_ratio,
    "lever_table": lever_table,
    "price": price,
    "price_ratio": price_ratio,
    "price_threshold": price_threshold,
    "price_model": price_model,
}

#: Macros that read the page being rendered (``env.page``).
PAGE_MACROS: dict[str, Callable[..., str]] = {
    "simulator_link": simulator_link,
    "chart": chart,
}
