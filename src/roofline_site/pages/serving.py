"""Macros for "Against real servers": the published measurements beside the serving estimate.

Every figure comes from :mod:`roofline.calibration` (the data, the held-out
fits, the per-regime tables, the band's coverage), :mod:`roofline.band` (the
committed band) and :mod:`roofline.serving` (the estimate); this module only
formats. Estimates on the charts and in the tables are held-out ones: each
point predicted by constants fitted without its source (or, in the
leave-one-engine-out and leave-one-chip-out tables, without its engine or
chip).
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable

from roofline import band, calibration, serving
from roofline.units import format_number, format_percent, format_time
from roofline.web import serving_view
from roofline.web.charts import log_ticks
from roofline.web.palette import PALETTE

from ..simulator.widget import relative_root
from .common import chart_container, chart_scripts, figure_layout, macro_block, number_span, table_row

__all__ = ["MACROS", "PAGE_MACROS", "bias_figure", "figure"]

#: Palette roles the sources take in turn (then again with another marker).
SOURCE_COLOURS = ("compute", "memory", "balance", "now", "target", "family3", "wall", "family0")
#: Marker symbols, one per pass through :data:`SOURCE_COLOURS`.
SOURCE_SYMBOLS = ("circle", "square", "triangle-up", "cross", "star", "hexagon")

#: This page's trace roles (plotly ``meta``), as roles of the site's one palette.
ROLES = {
    "ideal": "max",
    "article": "muted",
    **{f"s{i}": alias for i, alias in enumerate(SOURCE_COLOURS)},
    "text": "text",
    "grid": "grid",
}
#: Chart colours per Material scheme, by trace role (charts.js, the site's one theme script, applies them).
THEMES = {scheme: {role: colors[alias] for role, alias in ROLES.items()} for scheme, colors in PALETTE.items()}


@functools.cache
def _points() -> tuple[calibration.Point, ...]:
    return calibration.load()


@functools.cache
def _fits() -> calibration.Fits:
    """One memo of fits for every protocol and the coverage on this page."""
    return calibration.fits_without(_points())


@functools.cache
def _loso() -> tuple[calibration.HeldOut, ...]:
    return calibration.leave_one_source_out(_points(), fits=_fits())


@functools.cache
def _held_out_by(protocol: str) -> tuple[calibration.GroupHeldOut, ...]:
    if protocol not in calibration.PROTOCOLS:
        raise ValueError(f"protocol must be one of {', '.join(calibration.PROTOCOLS)}, got {protocol!r}")
    return calibration.leave_one_group_out(_points(), protocol, fits=_fits())


@functools.cache
def _coverage() -> tuple[calibration.Coverage, ...]:
    return calibration.band_coverage(_points(), fits=_fits())


def _source_style(index: int, points: int) -> dict:
    """Marker and colour role of the ``index``-th source: colours in turn, then the next symbol."""
    symbol = SOURCE_SYMBOLS[(index // len(SOURCE_COLOURS)) % len(SOURCE_SYMBOLS)]
    return {
        "meta": f"s{index % len(SOURCE_COLOURS)}",
        "marker": {"size": 8 if points > 1 else 14, "symbol": symbol if points > 1 else "diamond"},
    }


def _held_out(source_id: str) -> calibration.HeldOut:
    for row in _loso():
        if row.source.id == source_id:
            return row
    raise ValueError(f"unknown source {source_id!r}; choose one of {', '.join(r.source.id for r in _loso())}")


def _source_points(source_id: str) -> list[calibration.Point]:
    return [p for p in _points() if p.source.id == source_id]


def srv_count(what: str) -> str:
    """``points``, ``sources``, ``publishers``, ``hardware``, ``models``, ``engines``, ``moe_points``,
    ``speculative_points``, ``speculative_sources`` or ``top_publisher_sources``: how many the data holds."""
    points = _points()
    per_publisher: dict[str, set[str]] = {}
    for p in points:
        per_publisher.setdefault(p.source.publisher, set()).add(p.source.id)
    values = {
        "points": len(points),
        "sources": len({p.source.id for p in points}),
        "publishers": len(per_publisher),
        "top_publisher_sources": max(len(v) for v in per_publisher.values()),
        "speculative_points": sum(1 for p in points if p.source.speculative is not None),
        "speculative_sources": len({p.source.id for p in points if p.source.speculative is not None}),
        "hardware": len({p.source.hardware for p in points}),
        "models": len({p.source.model for p in points}),
        "engines": len({calibration.GROUPS["engine"](p) for p in points}),
        "moe_points": sum(1 for p in points if calibration.point_regime(p).family == "moe"),
    }
    if what not in values:
        raise ValueError(f"what must be one of {sorted(values)}, got {what!r}")
    return number_span(f"srv_count_{what}", float(values[what]), f"{values[what]:,}")


def srv_error(which: str = "estimate") -> str:
    """Median |error| of tpot_s over every held-out point: ``estimate`` or ``article``."""
    pooled = calibration.pooled_held_out(_loso())
    values = {"estimate": pooled.median_abs_error, "article": pooled.article_median_abs_error}
    if which not in values:
        raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
    return number_span(f"srv_error_{which}", values[which], format_percent(values[which]))


def srv_constant(name: str) -> str:
    """One of the committed constants, in seconds (as a time) or as a percentage."""
    value = getattr(serving.FITTED, name, None)
    if value is None or name.startswith("_"):
        raise ValueError(f"unknown constant {name!r}")
    if name.endswith("_s"):
        text = format_time(value)
    elif name.endswith("_factor"):
        text = f"{format_number(value, 3)}×"
    else:
        text = format_percent(value)
    return number_span(f"srv_constant_{name}", float(value), text)


def srv_share(source_id: str, input_tokens: int, output_tokens: int, concurrency: int, term: str) -> str:
    """A term's share of the estimated time per output token at one published point."""
    for p in _source_points(source_id):
        if (p.input_tokens, p.output_tokens, p.concurrency) == (input_tokens, output_tokens, concurrency):
            share = serving.term_share(calibration.estimate_point(p), term)
            return number_span(f"srv_share_{term}", share, format_percent(share))
    raise ValueError(f"{source_id} has no point {input_tokens}/{output_tokens} @ {concurrency}")


@functools.cache
def _ablation() -> tuple[calibration.AblationRow, ...]:
    return calibration.term_ablation(_points())


def srv_ablation_table() -> str:
    """What each added term buys: the leave-one-source-out median errors as the terms are added one at a time."""
    lines = [
        table_row(["fitted", "every point", "signed", "dense", "MoE", "speculative"]),
        table_row(["---", "---", "---", "---", "---", "---"]),
    ]
    for r in _ablation():
        added = r.terms[-1] if r.terms else None
        label = "overheads and overlap only" if added is None else f"+ {calibration.TERMS[added]}"
        lines.append(
            table_row(
                [
                    label,
                    format_percent(r.median_abs_error),
                    format_percent(r.signed_median_error),
                    format_percent(r.dense_median_abs_error),
                    format_percent(r.moe_median_abs_error),
                    format_percent(r.speculative_median_abs_error),
                ]
            )
        )
    return macro_block("srv_ablation_table", lines)


_SHARE_LABELS = {
    "weights_s": "weights",
    "kv_s": "KV cache",
    "compute_s": "compute",
    "overhead_s": "overhead",
    "communication_s": "communication",
    "prefill_s": "prefill share",
    "draft_s": "drafting",
}


def srv_term_shares_table() -> str:
    """Each term's median share of the estimated time per output token, by family, at the committed constants."""
    shares = calibration.term_shares(_points())
    lines = [
        table_row(["term", *(f"{band.FAMILIES[t.family]} ({t.points:,} points)" for t in shares)]),
        table_row(["---", *("---" for _ in shares)]),
    ]
    for name in calibration.SHARE_TERMS:
        lines.append(table_row([_SHARE_LABELS[name], *(format_percent(t.shares[name]) for t in shares)]))
    lines.append(
        table_row(
            ["of which: experts below the usual bandwidth share", *(format_percent(t.experts_extra) for t in shares)]
        )
    )
    lines.append(
        table_row(["of which: the ROCm factor (its chips only)", *(format_percent(t.rocm_extra) for t in shares)])
    )
    return macro_block("srv_term_shares_table", lines)


def srv_loso_table() -> str:
    """The leave-one-source-out table: each source's held-out error beside the article's max."""
    lines = [
        table_row(["held-out source", "points", "estimate: median abs. error", "article's max: median abs. error"]),
        table_row(["---", "---", "---", "---"]),
    ]
    for row in _loso():
        lines.append(
            table_row(
                [
                    html.escape(row.source.title),
                    f"{row.points:,}",
                    format_percent(row.median_abs_error),
                    format_percent(row.article_median_abs_error),
                ]
            )
        )
    pooled = calibration.pooled_held_out(_loso())
    lines.append(
        table_row(
            [
                "every held-out point, pooled",
                f"{pooled.points:,}",
                format_percent(pooled.median_abs_error),
                format_percent(pooled.article_median_abs_error),
            ]
        )
    )
    return macro_block("srv_loso_table", lines)


def srv_regime_table(protocol: str = "source") -> str:
    """One protocol's held-out error by family, scale, chip and engine: signed and absolute medians, points, sources."""
    rows = _held_out_by(protocol)
    lines = [
        table_row(["regime", "signed median error", "median abs. error", "points", "sources", ""]),
        table_row(["---", "---", "---", "---", "---", "---"]),
    ]
    for by in calibration.TABLE_KEYS:
        for r in calibration.regime_table(rows, by)[:-1]:
            note = []
            if r.thin:
                note.append("too few to trust")
            if r.single_point_sources:
                note.append(
                    f"{r.single_point_sources:,} single-point source{'s' if r.single_point_sources > 1 else ''}"
                )
            lines.append(
                table_row(
                    [
                        f"{by}: **{html.escape(r.label)}**",
                        format_percent(r.signed_median_error),
                        format_percent(r.median_abs_error),
                        f"{r.points:,}",
                        f"{r.sources:,}",
                        "; ".join(note),
                    ]
                )
            )
    every = calibration.regime_table(rows, "family")[-1]
    lines.append(
        table_row(
            [
                "every held-out point, pooled",
                format_percent(every.signed_median_error),
                format_percent(every.median_abs_error),
                f"{every.points:,}",
                f"{every.sources:,}",
                "",
            ]
        )
    )
    return macro_block(f"srv_regime_table_{protocol}", lines)


def srv_protocol_error(protocol: str, stat: str = "signed") -> str:
    """One protocol's median error over every held-out point: ``signed`` or ``abs``."""
    every = calibration.regime_table(_held_out_by(protocol), "family")[-1]
    values = {"signed": every.signed_median_error, "abs": every.median_abs_error}
    if stat not in values:
        raise ValueError(f"stat must be one of {sorted(values)}, got {stat!r}")
    return number_span(f"srv_protocol_error_{protocol}_{stat}", values[stat], format_percent(values[stat]))


def srv_untrusted() -> str:
    """Where the estimate cannot be trusted: regimes with no held-out point, regimes with too few, single points."""
    rows = _held_out_by("source")
    present = {calibration.point_regime(p).key for r in rows for p in r.points}
    lines = []
    missing = [
        band.Regime(family=f, scale=sc).label
        for f in band.FAMILIES
        for sc in band.SCALES
        if band.Regime(family=f, scale=sc).key not in present
    ]
    if missing:
        lines.append(
            "- **No published point at all:** "
            + "; ".join(html.escape(m) for m in missing)
            + ". The estimate runs there, but nothing here says how far off it is; its band is borrowed."
        )
    for by in calibration.TABLE_KEYS:
        thin = [r for r in calibration.regime_table(rows, by)[:-1] if r.thin]
        if thin:
            lines.append(
                f"- **Too few held-out points by {by}** (fewer than {band.MIN_POINTS:,} points, "
                f"or from fewer than {band.MIN_SOURCES:,} sources): "
                + "; ".join(f"{html.escape(r.label)} ({r.points:,} from {r.sources:,})" for r in thin)
                + "."
            )
    singles = sorted({p.source.title for r in rows for p in r.points if len(r.points) == 1})
    if singles:
        lines.append(
            "- **Single-point sources:** "
            + "; ".join(html.escape(t) for t in singles)
            + ". One figure cannot show a trend, and a small error there can be omissions that cancel."
        )
    return macro_block("srv_untrusted", lines or ["- Every regime has enough held-out points."])


def srv_band_table() -> str:
    """The committed band (:data:`roofline.band.BANDS`): each group's held-out error quantiles and whether it is used."""
    low, high = (f"{q} percentile of error" for q in band.percentile_span().removesuffix(" percentile").split(" to "))
    lines = [
        table_row(["errors of", "points", "sources", low, high, "measured, as a multiple of the estimate", "own band"]),
        table_row(["---", "---", "---", "---", "---", "---", "---"]),
    ]
    for b in band.BANDS:
        lines.append(
            table_row(
                [
                    html.escape(b.label),
                    f"{b.points:,}",
                    f"{b.sources:,}",
                    format_percent(b.low_error),
                    format_percent(b.high_error),
                    " to ".join(format_number(multiple, 3) for multiple in band.measured_multiples(b)),
                    "yes" if b.qualifies else ("no, but the last resort" if b.key == "all" else "no: too few"),
                ]
            )
        )
    return macro_block("srv_band_table", lines)


def srv_coverage_table() -> str:
    """The band's held-out coverage: for each source, the band built without it and the share of its points inside."""
    rows = _coverage()
    lines = [
        table_row(["held-out source", "regime", "band built from", "points", "inside the band"]),
        table_row(["---", "---", "---", "---", "---"]),
    ]
    for c in rows:
        used = html.escape(c.band.label) + ("" if c.band.qualifies else " (too few: flagged)")
        lines.append(
            table_row(
                [
                    html.escape(c.source.title),
                    html.escape(c.regime.label),
                    used,
                    f"{c.points:,}",
                    format_percent(c.share),
                ]
            )
        )
    if rows:
        total = calibration.coverage_summary(rows)
        lines.append(table_row(["**every point**", "", "", f"{total.points:,}", f"**{format_percent(total.share)}**"]))
        lines.append(
            table_row(
                [f"**mean over the {total.sources:,} sources**", "", "", "", format_percent(total.mean_source_share)]
            )
        )
    return macro_block("srv_coverage_table", lines)


def srv_coverage(which: str) -> str:
    """``share`` (of every point), ``mean`` (over sources) or ``nominal``: the band's held-out coverage."""
    total = calibration.coverage_summary(_coverage())
    values = {"share": total.share, "mean": total.mean_source_share, "nominal": total.nominal}
    if which not in values:
        raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
    return number_span(f"srv_coverage_{which}", values[which], format_percent(values[which]))


def srv_band_rule(what: str) -> str:
    """The band's rule: ``min_points``, ``min_sources`` (what a regime needs for its own band) or ``span`` (words)."""
    if what == "span":
        return html.escape(band.percentile_span())
    values = {"min_points": band.MIN_POINTS, "min_sources": band.MIN_SOURCES}
    if what not in values:
        raise ValueError(f"what must be one of {sorted([*values, 'span'])}, got {what!r}")
    return number_span(f"srv_band_rule_{what}", float(values[what]), f"{values[what]:,}")


def srv_source_tables() -> str:
    """One section per source: where it is, what we assumed, and each point measured against estimated."""
    parts: list[str] = []
    for row in _loso():
        s = row.source
        modelled = s.speculation(row.constants.unstated_acceptance)
        parts += [
            f"### {html.escape(s.title)}",
            "",
            f"*{html.escape(s.document)}*; {html.escape(s.table)}. Engine: {html.escape(s.engine)}, "
            f"{html.escape(s.engine_version)}. Published by {html.escape(s.publisher)}; layout "
            f"{html.escape(s.layout.key)}; speculation: "
            + (
                "none stated"
                if s.speculative is None
                else f"{html.escape(s.speculative.method)}, modelled with {modelled.draft_tokens:,} drafted "
                f"token{'s' if modelled.draft_tokens > 1 else ''} at acceptance "
                f"{format_percent(modelled.acceptance)}"
                + (
                    " (stated)"
                    if s.speculative.acceptance is not None
                    else " (not stated: fitted on the other sources' speculative runs)"
                )
            )
            + f"; lengths: {html.escape(s.lengths.kind)}"
            + (
                f", estimated at {format_percent(s.lengths.mean_ratio)} of the nominal lengths"
                if s.lengths.kind == "uniform"
                else ""
            )
            + ".",
            "",
        ]
        parts += [f"- {html.escape(a)}" for a in s.assumptions]
        parts += [
            "",
            table_row(
                ["input / output", "concurrency", "measured", "estimate", "error", "article's max", "running batch"]
            ),
            table_row(["---", "---", "---", "---", "---", "---", "---"]),
        ]
        for p, err in zip(_source_points(s.id), row.errors, strict=True):
            e = calibration.estimate_point(p, row.constants)
            derived = " (derived)" if "tpot_s" in p.derived else ""
            parts.append(
                table_row(
                    [
                        f"{p.input_tokens:,} / {p.output_tokens:,}",
                        f"{p.concurrency:,}",
                        format_time(p.tpot_s) + derived,
                        format_time(e.tpot_s),
                        format_percent(err),
                        format_time(e.article_step_s),
                        f"{e.running_batch:,}",
                    ]
                )
            )
        parts.append("")
    return macro_block("srv_source_tables", parts)


#: Both charts' margins: room for the log axis's time labels on the left.
_MARGIN = {"l": 64, "r": 16, "t": 16, "b": 40}


def _ideal(xs: list[float], ys: list[float], name: str):  # type: ignore[no-untyped-def]
    """The line a perfect estimate would sit on (no hover: it is a reference, not data)."""
    import plotly.graph_objects as go

    return go.Scatter(x=xs, y=ys, mode="lines", name=name, meta="ideal", line={"width": 1.5}, hoverinfo="skip")


def figure() -> dict:
    """Measured against held-out estimated time per output token, log-log, with y = x."""
    import plotly.graph_objects as go

    fig = go.Figure()
    every: list[float] = []
    for index, row in enumerate(_loso()):
        points = _source_points(row.source.id)
        xs = [p.tpot_s for p in points]
        ys = [calibration.estimate_point(p, row.constants).tpot_s for p in points]
        every += xs + ys
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=row.source.title,
                **_source_style(index, len(points)),
                hovertemplate="measured %{x:.3s}s, estimated %{y:.3s}s<extra></extra>",
            )
        )
    article_x = [p.tpot_s for p in _points()]
    article_y = [calibration.estimate_point(p).article_step_s for p in _points()]
    every += article_y
    fig.add_trace(
        go.Scatter(
            x=article_x,
            y=article_y,
            mode="markers",
            name="the article's max alone",
            meta="article",
            marker={"size": 6, "symbol": "x"},
            hovertemplate="measured %{x:.3s}s, article's max %{y:.3s}s<extra></extra>",
        )
    )
    low, high = min(every) * 0.8, max(every) * 1.25
    fig.add_trace(_ideal([low, high], [low, high], "estimate = measured"))
    ticks = log_ticks(low, high)
    axis = {"type": "log", "tickvals": ticks, "ticktext": [format_time(t, 3) for t in ticks], "range": None}
    fig.update_xaxes(**{k: v for k, v in axis.items() if v is not None}, title_text="measured time per output token")
    fig.update_yaxes(**{k: v for k, v in axis.items() if v is not None}, title_text="estimated")
    fig.update_layout(figure_layout(height=560, margin=_MARGIN, legend_y=-0.14))
    return json.loads(fig.to_json())


def bias_figure() -> dict:
    """Signed held-out error (leave one source out) against concurrency, one colour per source, with zero marked."""
    import plotly.graph_objects as go

    fig = go.Figure()
    concurrencies: list[float] = []
    for index, row in enumerate(_loso()):
        points = _source_points(row.source.id)
        xs = [float(p.concurrency) for p in points]
        concurrencies += xs
        labels = [f"{p.input_tokens:,} in / {p.output_tokens:,} out" for p in points]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[100 * e for e in row.errors],
                customdata=labels,
                mode="markers",
                name=row.source.title,
                **_source_style(index, len(points)),
                hovertemplate="concurrency %{x:,}, %{customdata}: %{y:+.1f}%<extra></extra>",
            )
        )
    low, high = min(concurrencies) * 0.7, max(concurrencies) * 1.4
    fig.add_trace(_ideal([low, high], [0, 0], "no error"))
    ticks = [t for t in log_ticks(low, high) if t >= 1 and f"{t:g}".lstrip("1").strip("0") == ""]  # powers of ten
    fig.update_xaxes(
        type="log",
        tickangle=0,
        tickvals=ticks,
        ticktext=[f"{t:,.0f}" for t in ticks],
        title_text="concurrency (requests in flight)",
    )
    fig.update_yaxes(
        ticksuffix="%",
        zeroline=False,
        title_text="held-out error (below 0: too fast)",
    )
    fig.update_layout(figure_layout(height=480, margin=_MARGIN, legend_y=-0.16))
    return json.loads(fig.to_json())


def _chart(env, chart_id: str, fig: dict, label: str, scripts: bool) -> str:  # type: ignore[no-untyped-def]
    """A chart's container and figure JSON, and (once per page) the scripts that draw it."""
    out = chart_container(chart_id, fig, THEMES, label)
    return f"{out}\n{chart_scripts(relative_root(env))}" if scripts else out


def srv_bias_chart(env) -> str:  # type: ignore[no-untyped-def]
    """The bias chart (:func:`bias_figure`); the page's first chart, so it brings the scripts."""
    label = "Held-out signed error of the estimate against concurrency, one colour per published source"
    return _chart(env, "srv-bias-chart", bias_figure(), label, scripts=True)


def srv_chart(env) -> str:  # type: ignore[no-untyped-def]
    """Measured against held-out estimated (:func:`figure`); drawn by the scripts :func:`srv_bias_chart` brought."""
    label = "Measured against estimated time per output token for every published point; the tables give the numbers"
    return _chart(env, "srv-chart", figure(), label, scripts=False)


def srv_simulator_link(env, input_tokens: int, output_tokens: int, concurrency: int, text: str) -> str:  # type: ignore[no-untyped-def]
    """A link to the simulator's realistic mode on NIM's Llama-3.1-8B case with the serving estimate switched on.

    L is the workload's mean context (:func:`roofline.serving.mean_context_tokens`)
    and ``out`` its output share, as the simulator reads them (:mod:`roofline.web.serving_view`).
    """
    from dataclasses import replace

    from roofline.web.realistic import DEFAULT_REAL_STATE, REALISTIC

    state = replace(
        DEFAULT_REAL_STATE,
        hardware="h100-sxm",
        model="llama-3.1-8b",
        gpus=1,
        weight_precision="fp8",
        kv_precision="fp8",
        context_tokens=serving.mean_context_tokens(input_tokens, output_tokens),
        batch=float(concurrency),
        max_batch=512.0,
        serving_estimate=True,
        output_percent=serving_view.output_percent(input_tokens, output_tokens),
    )
    parsed, notices = REALISTIC.parse(REALISTIC.encode(state))
    if notices or parsed != state:
        raise ValueError(f"srv_simulator_link: the state does not survive its URL: {notices}")
    href = f"{relative_root(env)}simulator/?{REALISTIC.encode(state)}"
    return f'<a class="rl-sim-link" href="{html.escape(href)}">{html.escape(text)}</a>'


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "srv_count": srv_count,
    "srv_error": srv_error,
    "srv_constant": srv_constant,
    "srv_share": srv_share,
    "srv_loso_table": srv_loso_table,
    "srv_source_tables": srv_source_tables,
    "srv_regime_table": srv_regime_table,
    "srv_protocol_error": srv_protocol_error,
    "srv_untrusted": srv_untrusted,
    "srv_band_table": srv_band_table,
    "srv_coverage_table": srv_coverage_table,
    "srv_coverage": srv_coverage,
    "srv_band_rule": srv_band_rule,
    "srv_ablation_table": srv_ablation_table,
    "srv_term_shares_table": srv_term_shares_table,
}

#: Macros that read the page being rendered (``env.page``).
PAGE_MACROS: dict[str, Callable[..., str]] = {
    "srv_chart": srv_chart,
    "srv_bias_chart": srv_bias_chart,
    "srv_simulator_link": srv_simulator_link,
}
