"""Macros for "Against real servers": the published measurements beside the serving estimate.

Every figure comes from :mod:`roofline.calibration` (the data, the
leave-one-source-out fits) and :mod:`roofline.serving` (the estimate); this
module only formats. Estimates on the chart and in the tables are the
held-out ones: each source predicted by constants fitted without it.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable

from roofline import calibration, serving
from roofline.units import format_percent, format_time
from roofline.web.palette import PALETTE

from .hardware import PLOTLY, RENDERER, log_ticks
from .macros import number_span
from .widget import relative_root

__all__ = ["MACROS", "PAGE_MACROS", "figure"]

#: This page's trace roles (plotly ``meta``), as roles of the site's one palette.
ROLES = {
    "ideal": "max",
    "band": "muted",
    "article": "muted",
    "s0": "compute",
    "s1": "memory",
    "s2": "balance",
    "s3": "now",
    "text": "text",
    "grid": "grid",
}
#: Chart colours per Material scheme, by trace role (charts.js, the site's one theme script, applies them).
THEMES = {scheme: {role: colors[alias] for role, alias in ROLES.items()} for scheme, colors in PALETTE.items()}


@functools.cache
def _points() -> tuple[calibration.Point, ...]:
    return calibration.load()


@functools.cache
def _loso() -> tuple[calibration.HeldOut, ...]:
    return calibration.leave_one_source_out(_points())


def _held_out(source_id: str) -> calibration.HeldOut:
    for row in _loso():
        if row.source.id == source_id:
            return row
    raise ValueError(f"unknown source {source_id!r}; choose one of {', '.join(r.source.id for r in _loso())}")


def _source_points(source_id: str) -> list[calibration.Point]:
    return [p for p in _points() if p.source.id == source_id]


def srv_count(what: str) -> str:
    """``points``, ``sources`` or ``hardware``: how many the published data holds."""
    points = _points()
    values = {
        "points": len(points),
        "sources": len({p.source.id for p in points}),
        "hardware": len({p.source.hardware for p in points}),
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
    text = format_time(value) if name.endswith("_s") else format_percent(value)
    return number_span(f"srv_constant_{name}", float(value), text)


def srv_share(source_id: str, input_tokens: int, output_tokens: int, concurrency: int, term: str) -> str:
    """A term's share of the estimated time per output token at one published point."""
    for p in _source_points(source_id):
        if (p.input_tokens, p.output_tokens, p.concurrency) == (input_tokens, output_tokens, concurrency):
            e = calibration.estimate_point(p)
            terms = e.terms.as_dict()
            if term not in terms:
                raise ValueError(f"term must be one of {sorted(terms)}, got {term!r}")
            share = terms[term] / e.tpot_s
            return number_span(f"srv_share_{term}", share, format_percent(share))
    raise ValueError(f"{source_id} has no point {input_tokens}/{output_tokens} @ {concurrency}")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def srv_loso_table() -> str:
    """The leave-one-source-out table: each source's held-out error beside the article's max."""
    lines = [
        _row(["held-out source", "points", "estimate: median abs. error", "article's max: median abs. error"]),
        _row(["---", "---", "---", "---"]),
    ]
    for row in _loso():
        lines.append(
            _row(
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
        _row(
            [
                "**every held-out point**",
                f"{pooled.points:,}",
                f"**{format_percent(pooled.median_abs_error)}**",
                format_percent(pooled.article_median_abs_error),
            ]
        )
    )
    # A whole table from one macro: the block marker tells the prose scanner its numbers are computed.
    return "\n".join(['<div data-macro-block="srv_loso_table" markdown>', "", *lines, "", "</div>"])


def srv_source_tables() -> str:
    """One section per source: where it is, what we assumed, and each point measured against estimated."""
    parts: list[str] = []
    for row in _loso():
        s = row.source
        parts += [
            f"### {html.escape(s.title)}",
            "",
            f"*{html.escape(s.document)}*; {html.escape(s.table)}. Engine: {html.escape(s.engine)}, "
            f"{html.escape(s.engine_version)}.",
            "",
        ]
        parts += [f"- {html.escape(a)}" for a in s.assumptions]
        parts += [
            "",
            _row(["input / output", "concurrency", "measured", "estimate", "error", "article's max", "running batch"]),
            _row(["---", "---", "---", "---", "---", "---", "---"]),
        ]
        for p, err in zip(_source_points(s.id), row.errors, strict=True):
            e = calibration.estimate_point(p, row.constants)
            derived = " (derived)" if "tpot_s" in p.derived else ""
            parts.append(
                _row(
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
    return "\n".join(['<div data-macro-block="srv_source_tables" markdown>', "", *parts, "", "</div>"])


def figure() -> dict:
    """Measured against held-out estimated time per output token, log-log, with y = x and the error band."""
    import plotly.graph_objects as go

    fig = go.Figure()
    pooled = calibration.pooled_held_out(_loso())
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
                meta=f"s{index % 4}",
                marker={"size": 8 if len(points) > 1 else 13, "symbol": "circle" if len(points) > 1 else "diamond"},
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
    band = pooled.median_abs_error
    for name, factor, role, dash in (
        ("estimate = measured", 1.0, "ideal", "solid"),
        (f"± {format_percent(band)}, the held-out median error", 1 + band, "band", "dash"),
        ("", 1 - band, "band", "dash"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[low, high],
                y=[low * factor, high * factor],
                mode="lines",
                name=name,
                meta=role,
                showlegend=bool(name),
                line={"width": 1.5, "dash": dash},
                hoverinfo="skip",
            )
        )
    ticks = log_ticks(low, high)
    axis = {"type": "log", "tickvals": ticks, "ticktext": [format_time(t, 3) for t in ticks], "range": None}
    fig.update_xaxes(**{k: v for k, v in axis.items() if v is not None}, title_text="measured time per output token")
    fig.update_yaxes(**{k: v for k, v in axis.items() if v is not None}, title_text="estimated")
    fig.update_layout(
        template="none",
        height=560,
        margin={"l": 64, "r": 16, "t": 16, "b": 40},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"size": 12},
        legend={"orientation": "h", "x": 0, "y": -0.14, "xanchor": "left", "yanchor": "top"},
        hovermode="closest",
    )
    return json.loads(fig.to_json())


def srv_chart(env) -> str:  # type: ignore[no-untyped-def]
    """The chart's container, its figure JSON, and the scripts that draw it (the hardware page's renderer)."""
    root = relative_root(env)
    chart_id = "srv-chart"
    spec = json.dumps({"figure": figure(), "themes": THEMES}, separators=(",", ":")).replace("</", "<\\/")
    label = "Measured against estimated time per output token for every published point; the tables give the numbers"
    return (
        f'<div class="rl-hw-chart" id="{chart_id}" data-figure="{chart_id}-spec" data-ready="false" '
        f'role="img" aria-label="{html.escape(label)}"></div>\n'
        f'<script type="application/json" id="{chart_id}-spec">{spec}</script>\n'
        f'<script src="{root}{PLOTLY}"></script>\n<script src="{root}{RENDERER}"></script>'
    )


def srv_simulator_link(env, input_tokens: int, output_tokens: int, concurrency: int, text: str) -> str:  # type: ignore[no-untyped-def]
    """A link to the simulator's realistic mode on NIM's Llama-3.1-8B case with the serving estimate switched on.

    L is the workload's mean context (:func:`roofline.serving.mean_context_tokens`)
    and ``out`` its output share, as the simulator reads them (:mod:`roofline.web.serving`).
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
        output_percent=float(round(100 * output_tokens / (input_tokens + output_tokens))),
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
}

#: Macros that read the page being rendered (``env.page``).
PAGE_MACROS: dict[str, Callable[..., str]] = {"srv_chart": srv_chart, "srv_simulator_link": srv_simulator_link}
