"""Build-time plotly charts for the explainer pages.

Each chart is a function of the colour scheme that returns a validated
:class:`plotly.graph_objects.Figure`. Every point on it comes from a core
sweep (:func:`roofline.sweep.sweep`, :func:`roofline.longcontext.crossover_curve`)
or another core function; every label is formatted by :mod:`roofline.units`.
Nothing here re-derives an equation.

:func:`chart_json` returns both colour schemes of one chart as JSON; the page
embeds it and ``docs/assets/javascripts/charts.js`` draws the scheme the reader
is using with the plotly.js the site serves itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from roofline import explainer, frontier, longcontext
from roofline import model as core
from roofline.sweep import SweepPoint, breakpoints, sweep
from roofline.units import format_number, format_si, format_time, time_unit
from roofline.web.charts import linear_ticks
from roofline.web.palette import FAMILY_ROLES, PALETTE, SCHEMES

from ..pages import frontier as frontier_page

__all__ = ["CHARTS", "SCHEMES", "chart_figure", "chart_json"]

#: The band the "near balance" region shades: T_compute / T_memory within 1 ± 10%.
BALANCE_BAND_TOLERANCE = 0.10
#: Context lengths the long-context family draws, in tokens.
FAMILY_CONTEXTS = (256.0, 512.0, 1024.0, 1536.0)


@dataclass(frozen=True)
class _TimeAxis:
    """A time axis in the unit :func:`roofline.units.time_unit` picks for its largest value.

    Calling it converts seconds into that unit: every time a chart draws goes through it.
    """

    unit: str
    scale: float

    @classmethod
    def up_to(cls, top_s: float) -> _TimeAxis:
        return cls(*time_unit(top_s))

    def __call__(self, seconds: float) -> float:
        return seconds / self.scale


def _whole(value: float) -> str:
    """A count shown to the unit, with thousands separators: ``1,536``."""
    return format_number(value, max(len(str(round(abs(value)))), 1))


def _colors(scheme: str) -> dict:
    """The one palette's colours in ``scheme``, with the long-context family as a tuple."""
    if scheme not in PALETTE:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    colors = PALETTE[scheme]
    return {**colors, "family": tuple(colors[role] for role in FAMILY_ROLES)}


def _ticks(axis_range: list[float], *, blank_zero: bool = False) -> dict:
    """A linear axis from 0: ticks labelled as the readouts print numbers (:func:`roofline.web.charts.linear_ticks`)."""
    if not axis_range or axis_range[0] != 0:
        return {}
    return linear_ticks(axis_range[1], blank_zero=blank_zero)


def _layout(scheme: str, *, x_title: str, y_title: str, x_range: list[float], y_range: list[float]) -> dict:
    c = _colors(scheme)
    return {
        "template": "none",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": c["text"], "size": 12},
        "margin": {"l": 54, "r": 14, "t": 30, "b": 44},
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.16, "yanchor": "top"},
        "xaxis": {
            "title": {"text": x_title},
            "range": x_range,
            "gridcolor": c["grid"],
            "zeroline": False,
            "fixedrange": True,
            **_ticks(x_range),
        },
        "yaxis": {
            "title": {"text": y_title},
            "range": y_range,
            "gridcolor": c["grid"],
            "zeroline": False,
            "fixedrange": True,
            # The y axis's 0 unlabelled: it printed over the x axis's at the origin.
            **_ticks(y_range, blank_zero=True),
        },
        "hovermode": "closest",
    }


def _note(fig: go.Figure, x: float, y: float, text: str, color: str, bold: bool = False, **options: object) -> None:
    """An annotation whose text and arrow share one colour (so it reads on both schemes).

    Bold goes through ``font.weight``: plotly draws ``<b>`` as a style="" attribute,
    which the site's Content-Security-Policy refuses.
    """
    font = {"color": color, **({"weight": "bold"} if bold else {})}
    settings: dict = {"showarrow": True, "arrowhead": 2, "arrowcolor": color, "font": font}
    settings.update(options)
    fig.add_annotation(x=x, y=y, text=text, **settings)


def _data_note(
    fig: go.Figure, x: float, y: float, text: str, color: str, label_x: float, label_y: float, anchor: str
) -> None:
    """A note on (x, y) whose label sits at (label_x, label_y), both in data coordinates: inside the plot at any width."""
    _note(fig, x, y, text, color, axref="x", ayref="y", ax=label_x, ay=label_y, xanchor=anchor)


def _shade(fig: go.Figure, x0: float, x1: float, fill: str) -> None:
    """A region of the x axis shaded from the bottom of the plot to its top, behind the lines."""
    fig.add_shape(type="rect", x0=x0, x1=x1, y0=0, y1=1, yref="paper", fillcolor=fill, line={"width": 0}, layer="below")


def _name_region(fig: go.Figure, x0: float, x1: float, text: str, color: str, bold: bool = False) -> None:
    """A region's name at the top of the plot, centred over it."""
    _note(fig, (x0 + x1) / 2, 0.98, text, color, bold=bold, yref="paper", showarrow=False, yanchor="top")


def _line(points_x: list[float], points_y: list[float], name: str, color: str, **line: object) -> go.Scatter:
    return go.Scatter(x=points_x, y=points_y, mode="lines", name=name, line={"color": color, **line})


def _markers(xs: list[float], ys: list[float], name: str, marker: dict, **options: object) -> go.Scatter:
    """Points drawn as markers alone; ``options`` are the trace's other settings (its hover text, …)."""
    return go.Scatter(x=xs, y=ys, mode="markers", name=name, marker=marker, **options)


def _outlined(c: dict, color: str, size: int = 12, symbol: str = "diamond") -> dict:
    """A marker outlined in the colour of T = max: a crossover, a chosen batch."""
    return {"size": size, "symbol": symbol, "color": color, "line": {"width": 1, "color": c["max"]}}


def _batch_layout(scheme: str, y_title: str, x_max: float, y_top: float) -> dict:
    """The layout of a chart against the batch size, both axes from 0."""
    return _layout(scheme, x_title="batch size B", y_title=y_title, x_range=[0, x_max], y_range=[0, y_top])


def _term_line(
    points: list[SweepPoint], term: str, axis: _TimeAxis, name: str, color: str, **line: object
) -> go.Scatter:
    """A swept time against B: ``term`` is the :class:`~roofline.sweep.SweepPoint` field, drawn on ``axis``."""
    return _line([pt.batch for pt in points], [axis(getattr(pt, term)) for pt in points], name, color, **line)


def _swept_lines(
    fig: go.Figure, axis: _TimeAxis, term: str, symbol: str, hover_format: str, batches: list[float], cases: tuple
) -> None:
    """One thick line of ``term`` per ``(scenario, colour, dash, name)`` case; the hover names it ``symbol``."""
    hover = "B = %{x:,.0f}<br>" + symbol + " = %{y:" + hover_format + "} " + axis.unit + "<extra></extra>"
    for s, color, dash, name in cases:
        trace = _term_line(sweep(s.params, batches), term, axis, name, color, width=3, dash=dash)
        trace.hovertemplate = hover
        fig.add_trace(trace)


def _term_alone(
    scheme: str, term: str, symbol: str, hover_format: str, lines: tuple, x_max: float, top_s: float, headroom: float
) -> tuple[go.Figure, _TimeAxis, float]:
    """One term alone against B from 0 to ``x_max``: a thick line per case (:func:`_swept_lines`).

    The y axis runs to ``headroom`` times ``top_s``; returns the figure, its
    time axis and the y axis's top (the notes are placed by them).
    """
    y = _TimeAxis.up_to(top_s)
    y_top = y(top_s) * headroom
    fig = go.Figure()
    _swept_lines(fig, y, term, symbol, hover_format, [0.0, x_max], lines)
    fig.update_layout(_batch_layout(scheme, f"{symbol} ({y.unit})", x_max, y_top))
    return fig, y, y_top


def compute_line(scheme: str) -> go.Figure:
    """Section II: T_compute alone, a line through the origin (a sparse and a dense model, same chip)."""
    c = _colors(scheme)
    moe = explainer.scenario("article-sim")
    dense = explainer.scenario("article-sim-dense")
    lines = (
        (moe, c["compute"], "solid", f"T_compute, MoE: N_active = {format_si(moe.params.active_params)}"),
        (dense, c["muted"], "dash", f"T_compute, dense: N_active = N_total = {format_si(dense.params.active_params)}"),
    )
    top = sweep(dense.params, [dense.max_batch])[0].t_compute_s
    fig, y, _ = _term_alone(scheme, "t_compute_s", "T_compute", ".1f", lines, moe.max_batch, top, 1.05)
    # Labels sit in the empty corners (below the sparse line, above the dense one).
    at = sweep(moe.params, [moe.max_batch * 0.7])[0]
    _data_note(
        fig,
        at.batch,
        y(at.t_compute_s),
        f"slope N_active / C<br>= {format_time(core.compute_slope_s(moe.params))} per sequence",
        c["compute"],
        moe.max_batch * 0.97,
        y(at.t_compute_s) * 0.3,
        "right",
    )
    at = sweep(dense.params, [dense.max_batch * 0.3])[0]
    _data_note(
        fig,
        at.batch,
        y(at.t_compute_s),
        f"dense: {format_time(core.compute_slope_s(dense.params))}<br>per sequence",
        c["muted"],
        dense.max_batch * 0.05,
        y(top) * 0.85,
        "left",
    )
    return fig


def memory_line(scheme: str) -> go.Figure:
    """Section III: T_memory alone, intercept N_total/BW and slope L·b/BW labelled, at two contexts."""
    c = _colors(scheme)
    short = explainer.scenario("article-sim")
    long = explainer.scenario("article-sim-1m")
    lines = tuple(
        (s, color, dash, f"T_memory at L = {_whole(s.params.context_tokens)} tokens")
        for s, color, dash in ((short, c["memory"], "solid"), (long, c["family"][3], "dash"))
    )
    top = sweep(long.params, [long.max_batch])[0].t_memory_s
    fig, y, y_top = _term_alone(scheme, "t_memory_s", "T_memory", ".2f", lines, short.max_batch, top, 1.12)
    # Labels as in compute_line: intercept and the flat line's slope below the
    # lines, the steep line's slope above them.
    intercept = core.t_weights_s(short.params)
    _data_note(
        fig,
        0,
        y(intercept),
        f"intercept N_total / BW<br>= {format_time(intercept)}",
        c["text"],
        short.max_batch * 0.06,
        y_top * 0.25,
        "left",
    )
    for s, color, fraction, label_x, label_y, anchor in (
        (short, c["memory"], 0.8, 0.97, 0.5, "right"),
        (long, c["family"][3], 0.55, 0.05, 0.93, "left"),
    ):
        at = sweep(s.params, [s.max_batch * fraction])[0]
        _data_note(
            fig,
            at.batch,
            y(at.t_memory_s),
            f"slope L·b / BW = {format_time(core.memory_slope_s(s.params))}<br>per sequence",
            color,
            s.max_batch * label_x,
            y_top * label_y,
            anchor,
        )
    return fig


def one_picture(scheme: str) -> go.Figure:
    """Section IV: both lines, T = max, the crossover, and the three regions shaded and named."""
    c = _colors(scheme)
    s = explainer.scenario("article-sim")
    p = s.params
    ends = sweep(p, [0.0, s.max_batch])
    bends = sweep(p, breakpoints(p, s.max_batch))
    top = max(pt.latency_s for pt in ends)
    y = _TimeAxis.up_to(top)
    crossover = core.crossover_batch(p)
    band = explainer.near_balance_band(p, BALANCE_BAND_TOLERANCE)
    if crossover is None or band is None or band[1] is None:
        raise ValueError("the one-picture chart needs a scenario whose lines cross inside the axis")
    low, high = band
    fig = go.Figure()
    fig.add_trace(
        _term_line(ends, "t_compute_s", y, "T_compute (through the origin)", c["compute"], width=2, dash="dash")
    )
    fig.add_trace(
        _term_line(ends, "t_memory_s", y, "T_memory (starts at N_total / BW)", c["memory"], width=2, dash="dash")
    )
    fig.add_trace(_term_line(bends, "latency_s", y, "T = max(T_compute, T_memory)", c["max"], width=4))
    at = sweep(p, [crossover])[0]
    name = f"crossover B* ≈ {format_number(crossover)}"
    fig.add_trace(_markers([crossover], [y(at.latency_s)], name, _outlined(c, c["balance"])))
    fig.update_layout(_batch_layout(scheme, f"time per step ({y.unit})", s.max_batch, y(top) * 1.12))
    for x0, x1, fill in (
        (0, low, c["memory_fill"]),
        (low, high, c["balance_fill"]),
        (high, s.max_batch, c["compute_fill"]),
    ):
        _shade(fig, x0, x1, fill)
    _name_region(fig, 0, low, "memory-bound", c["memory"], bold=True)
    _name_region(fig, high, s.max_batch, "compute-bound", c["compute"], bold=True)
    _note(fig, crossover, y(at.latency_s), "balance", c["balance"], bold=True, ax=0, ay=-60)
    return fig


def overlap(scheme: str) -> go.Figure:
    """Section VI: moving and computing as two parallel bars, case A (memory-bound) and case B (compute-bound)."""
    c = _colors(scheme)
    s = explainer.scenario("article-sim")
    p = s.params
    cases = (("A", p.batch), ("B", s.max_batch))
    longest = max(explainer.serial_time_s(p, b) for _, b in cases)
    x = _TimeAxis.up_to(longest)
    labels, move, compute, step, serial = [], [], [], [], []
    for name, batch in cases:
        labels.append(f"case {name}<br>B = {_whole(batch)}")
        move.append(x(core.t_memory_s(p, batch)))
        compute.append(x(core.t_compute_s(p, batch)))
        step.append(x(core.latency_s(p, batch)))
        serial.append(x(explainer.serial_time_s(p, batch)))
    hover = "%{x:.2f} " + x.unit + "<extra>%{fullData.name}</extra>"
    fig = go.Figure()
    for values, name, color in (
        (move, "moving bytes (T_memory)", c["memory"]),
        (compute, "computing (T_compute)", c["compute"]),
    ):
        fig.add_trace(
            go.Bar(y=labels, x=values, name=name, orientation="h", marker={"color": color}, hovertemplate=hover)
        )
    for values, name, marker in (
        (
            step,
            "the step ends: max of the two",
            {"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": c["max"]}},
        ),
        (
            serial,
            "if they took turns: the sum",
            {"symbol": "x-thin", "size": 14, "line": {"width": 2, "color": c["muted"]}},
        ),
    ):
        fig.add_trace(go.Scatter(y=labels, x=values, mode="markers", name=name, marker=marker, hovertemplate=hover))
    layout = _layout(
        scheme,
        x_title=f"time within one step ({x.unit})",
        y_title="",
        x_range=[0, x(longest) * 1.08],
        y_range=[-0.6, 1.6],
    )
    layout["yaxis"].update({"autorange": "reversed", "range": None, "gridcolor": "rgba(0,0,0,0)"})
    layout["barmode"] = "group"
    layout["bargap"] = 0.3
    layout["margin"]["l"] = 74
    fig.update_layout(layout)
    return fig


def long_context_family(scheme: str) -> go.Figure:
    """Section VII: one model at several contexts; the crossover moves right, then leaves the chart."""
    c = _colors(scheme)
    s = explainer.scenario("deepseek-h100-cache")
    p = s.params
    batches = [0.0, s.max_batch]
    longest = p.replace(context_tokens=FAMILY_CONTEXTS[-1])
    top = max(sweep(longest, batches)[-1].t_memory_s, sweep(p, batches)[-1].t_compute_s)
    y = _TimeAxis.up_to(top)
    fig = go.Figure()
    fig.add_trace(_term_line(sweep(p, batches), "t_compute_s", y, "T_compute", c["compute"], width=3))
    weights = y(core.t_weights_s(p))
    fig.add_trace(
        _line(batches, [weights, weights], "T_memory with KV dropped (section V)", c["muted"], width=2, dash="dot")
    )
    marker_x, marker_y, marker_text = [], [], []
    for color, context in zip(c["family"], FAMILY_CONTEXTS, strict=False):
        q = p.replace(context_tokens=context)
        points = sweep(q, batches)
        crossover = longcontext.crossover_at_context(p, context)
        shown = crossover is not None and crossover <= s.max_batch
        suffix = "" if shown or crossover is None else f" (B* ≈ {format_si(crossover)}, off the chart)"
        fig.add_trace(_term_line(points, "t_memory_s", y, f"T_memory at L = {_whole(context)}{suffix}", color, width=2))
        if shown:
            marker_x.append(crossover)
            marker_y.append(y(sweep(q, [crossover])[0].latency_s))
            marker_text.append(f"L = {_whole(context)}: B* ≈ {_whole(crossover)}")
    sweet = core.sweet_spot_batch(p.total_params, p.active_params, p.compute_ops_per_s, p.bandwidth_bytes_per_s)
    fig.add_trace(
        _markers(
            [sweet],
            [y(core.t_compute_s(p, sweet))],
            f"sweet spot with KV dropped, ≈ {_whole(sweet)}",
            {"size": 11, "symbol": "diamond-open", "color": c["muted"], "line": {"width": 2}},
        )
    )
    fig.add_trace(
        _markers(
            marker_x,
            marker_y,
            "crossovers B* with the cache",
            _outlined(c, c["balance"], size=11),
            text=marker_text,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    fig.update_layout(_batch_layout(scheme, f"time per step ({y.unit})", s.max_batch, y(top) * 1.05))
    return fig


def crossover_vs_context(scheme: str) -> go.Figure:
    """Section VII: B* against L, with the flip to KV-bound and the context past which no crossover exists."""
    c = _colors(scheme)
    s = explainer.scenario("deepseek-h100-cache")
    p = s.params
    wall = longcontext.no_crossover_context(p)
    flip = longcontext.balance_flip_context(p)
    contexts = [1.0] + [wall * i / 100 for i in range(2, 98)]
    curve = [(L, b) for L, b in longcontext.crossover_curve(p, contexts) if b is not None]
    flip_batch = longcontext.crossover_at_context(p, flip)
    if flip_batch is None:
        raise ValueError("the flip context must have a crossover")
    x_max = wall * 1.4
    y_values = [b for _, b in curve]
    ticks = [t for t in (2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5) if min(y_values) / 1.5 <= t <= max(y_values) * 1.3]
    fig = go.Figure()
    hover = "L = %{x:,.0f} tokens<br>B* ≈ %{y:,.0f}<extra></extra>"
    trace = _line([L for L, _ in curve], y_values, "crossover B* at context L", c["balance"], width=3)
    trace.hovertemplate = hover
    fig.add_trace(trace)
    name = f"KV read = weight read at B* (L ≈ {_whole(flip)})"
    fig.add_trace(_markers([flip], [flip_batch], name, _outlined(c, c["memory"], symbol="circle"), hovertemplate=hover))
    wall_line = _line(
        [wall, wall], [ticks[0], ticks[-1]], f"no crossover past L ≈ {_whole(wall)}", c["memory"], width=2, dash="dash"
    )
    wall_line.hoverinfo = "skip"
    fig.add_trace(wall_line)
    y_range = [math.log10(min(y_values)) - 0.15, math.log10(max(y_values)) + 0.1]
    layout = _layout(
        scheme,
        x_title="context length L (tokens)",
        y_title="crossover batch B* (log scale)",
        x_range=[0, x_max],
        y_range=y_range,
    )
    layout["yaxis"].update({"type": "log", "tickvals": ticks, "ticktext": [format_si(t) for t in ticks]})
    fig.update_layout(layout)
    _shade(fig, flip, wall, c["memory_fill"])
    _shade(fig, wall, x_max, c["wall_fill"])
    for x0, x1, text in (
        (0, flip, "weight-bound<br>at balance"),
        (flip, wall, "KV-bound<br>at balance"),
        (wall, x_max, "no<br>crossover"),
    ):
        _name_region(fig, x0, x1, text, c["text"])
    return fig


# ---------------------------------------------------------------- the frontier (what-sets-the-batch.md)


def _frontier_trace(report: frontier.FrontierReport, name: str, color: str, **line: object) -> go.Scatter:
    """One frontier: x tokens/s per user, y tokens/s per GPU, the batch in the hover."""
    points = report.points
    return go.Scatter(
        x=[pt.tokens_per_s_per_user for pt in points],
        y=[pt.tokens_per_s_per_gpu for pt in points],
        mode="lines",
        name=name,
        line={"color": color, "width": 3, **line},
        customdata=[pt.batch for pt in points],
        hovertemplate="B = %{customdata:,}<br>%{x:.3s} tokens/s per user<br>%{y:,.0f} tokens/s per GPU"
        f"<extra>{name}</extra>",
    )


def _chosen_marker(report: frontier.FrontierReport, color: str, c: dict, name: str) -> go.Scatter | None:
    chosen = report.chosen
    if chosen is None:
        return None
    # Two lines: in one, the longest entries ran past a phone's right edge (plotly does not wrap legends).
    text = f"{name}:<br>B = {_whole(chosen.batch)} ({report.choice.limit.value} binds)"
    return _markers(
        [chosen.tokens_per_s_per_user],
        [chosen.tokens_per_s_per_gpu],
        text,
        _outlined(c, color),
        text=[text],
        hovertemplate="%{text}<extra></extra>",
    )


def _target_line(fig: go.Figure, target_s: float, c: dict, y_top: float, x_low: float) -> None:
    """The target as a vertical line at 1 / target tokens/s per user; left of it misses the target."""
    rate = frontier.rate_for_target(target_s)
    fig.add_trace(
        go.Scatter(
            x=[rate, rate],
            y=[0, y_top],
            mode="lines",
            name=f"target: {format_time(target_s)} per token ({format_si(rate)} tokens/s per user)",
            line={"color": c["muted"], "width": 2, "dash": "dash"},
            hoverinfo="skip",
        )
    )
    fig.add_shape(
        type="rect",
        x0=x_low,
        x1=rate,
        y0=0,
        y1=1,
        yref="paper",
        fillcolor=c["muted"],
        opacity=0.14,
        line={"width": 0},
        layer="below",
    )


def _frontier_layout(fig: go.Figure, scheme: str, x_max: float, y_max: float) -> float:
    """The frontier charts' axes, with room above the highest point; returns the y axis's top."""
    y_top = y_max * 1.12
    fig.update_layout(
        _layout(scheme, x_title="tokens/s per user", y_title="tokens/s per GPU", x_range=[0, x_max], y_range=[0, y_top])
    )
    return y_top


#: The case charts show per-user speeds up to this many times the target's:
#: small batches of a mixture-of-experts model read few experts and run far
#: faster per user, which would squeeze the region the limits cut into a sliver.
FRONTIER_X_SPAN = 3.2


def _frontier_cases(scheme: str, names: tuple[str, ...], colors: tuple[str, ...], target_case: str | None) -> go.Figure:
    """Several cases' frontiers, each with its chosen batch and memory wall, and one target line."""
    c = _colors(scheme)
    fig = go.Figure()
    xs: list[float] = []
    ys: list[float] = []
    markers = []
    for name, color in zip(names, colors, strict=True):
        report = frontier_page.report(name)
        label = frontier_page.case(name).label
        fig.add_trace(_frontier_trace(report, label, color))
        xs += [pt.tokens_per_s_per_user for pt in report.points]
        ys += [pt.tokens_per_s_per_gpu for pt in report.points]
        if report.points:
            end = report.points[-1]
            markers.append((end, color, label))
        chosen = _chosen_marker(report, color, c, label)
        if chosen is not None:
            fig.add_trace(chosen)
    fig.add_trace(
        _markers(
            [end.tokens_per_s_per_user for end, _, _ in markers],
            [end.tokens_per_s_per_gpu for end, _, _ in markers],
            "memory wall (the frontier ends)",
            {"size": 11, "symbol": "line-ns", "line": {"width": 3, "color": c["memory"]}},
            text=[f"{label}: memory wall at B = {_whole(end.batch)}" for end, _, label in markers],
            hovertemplate="%{text}<extra></extra>",
        )
    )
    target = None if target_case is None else frontier_page.case(target_case).target_s
    x_max = max(xs) * 1.1 if target is None else FRONTIER_X_SPAN * frontier.rate_for_target(target)
    y_top = _frontier_layout(fig, scheme, x_max, max(ys))
    if target is not None:
        _target_line(fig, target, c, y_top, 0.0)
    return fig


def frontier_derivation(scheme: str) -> go.Figure:
    """The article's accelerator swept from B = 1 to its chart's largest B: up while memory-bound, then flat."""
    c = _colors(scheme)
    report = frontier_page.report("article")
    lines = frontier_page.case("article").lines()
    fig = go.Figure()
    fig.add_trace(_frontier_trace(report, "the frontier as B grows", c["max"]))
    crossing = report.choice.crossover_batch
    xs = [pt.tokens_per_s_per_user for pt in report.points]
    ys = [pt.tokens_per_s_per_gpu for pt in report.points]
    _frontier_layout(fig, scheme, max(xs) * 1.1, max(ys))
    first, last = report.points[0], report.points[-1]
    ceiling = frontier.compute_ceiling_tokens_per_s_per_chip(lines)
    fig.add_trace(
        _line(
            [0, xs[0] * 1.1],
            [ceiling, ceiling],
            f"compute ceiling C / N_active = {format_si(ceiling)} tokens/s",
            c["compute"],
            width=2,
            dash="dot",
        )
    )
    if crossing is not None:
        at = frontier.point(lines, crossing)
        fig.add_trace(
            _markers(
                [at.tokens_per_s_per_user],
                [at.tokens_per_s_per_gpu],
                f"crossover B* (B = {_whole(crossing)})",
                _outlined(c, c["balance"]),
            )
        )
    _note(
        fig,
        first.tokens_per_s_per_user,
        first.tokens_per_s_per_gpu,
        f"B = {_whole(first.batch)}",
        c["text"],
        ax=-40,
        ay=-30,
    )
    _note(
        fig, last.tokens_per_s_per_user, last.tokens_per_s_per_gpu, f"B = {_whole(last.batch)}", c["text"], ax=30, ay=30
    )
    _note(
        fig,
        xs[0] * 0.93,
        ys[-1] * 0.45,
        "memory-bound:<br>more B, more tokens,<br>users barely slower",
        c["memory"],
        showarrow=False,
        xanchor="right",
    )
    _note(
        fig,
        (xs[0] + xs[-1]) / 2,
        ceiling * 1.06,
        "compute-bound: throughput flat,<br>each user slower",
        c["compute"],
        showarrow=False,
        xanchor="center",
        yanchor="bottom",
    )
    return fig


def frontier_dense(scheme: str) -> go.Figure:
    """Llama-3.1-70B on 2 × H100 at 8K: FP8 and BF16 frontiers, the fast target."""
    c = _colors(scheme)
    return _frontier_cases(
        scheme, ("llama70b-fp8-fast", "llama70b-bf16-fast"), (c["compute"], c["family"][3]), "llama70b-fp8-fast"
    )


def frontier_deepseek(scheme: str) -> go.Figure:
    """DeepSeek-V3 on 8 × H200 at 4K, with and without MTP, and the fast target."""
    c = _colors(scheme)
    return _frontier_cases(
        scheme, ("deepseek-4k-fast", "deepseek-4k-mtp-fast"), (c["compute"], c["balance"]), "deepseek-4k-fast"
    )


def frontier_long_context(scheme: str) -> go.Figure:
    """DeepSeek-V3 on 8 × H200 at 4K, 32K and 128K tokens of context, and the fast target."""
    c = _colors(scheme)
    names = ("deepseek-4k-fast", "deepseek-32k-fast", "deepseek-128k-fast")
    return _frontier_cases(scheme, names, (c["family"][1], c["family"][3], c["family"][4]), "deepseek-4k-fast")


#: Chart builders by the name pages use in ``{{ chart("name") }}``.
CHARTS: dict[str, Callable[[str], go.Figure]] = {
    "compute-line": compute_line,
    "memory-line": memory_line,
    "one-picture": one_picture,
    "overlap": overlap,
    "long-context-family": long_context_family,
    "crossover-vs-context": crossover_vs_context,
    "frontier-derivation": frontier_derivation,
    "frontier-dense": frontier_dense,
    "frontier-deepseek": frontier_deepseek,
    "frontier-long-context": frontier_long_context,
}


def chart_figure(name: str, scheme: str) -> dict:
    """One chart in one scheme as a plain plotly figure dict (validated by plotly.py)."""
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose one of: {', '.join(sorted(CHARTS))}")
    figure = CHARTS[name](scheme)
    return json.loads(figure.to_json())


def chart_json(name: str) -> str:
    """Both schemes of chart ``name`` as one JSON object ``{"default": fig, "slate": fig}``.

    NaN or infinity anywhere raises (``allow_nan=False``): plotly.js would
    silently drop such points.
    """
    spec = {scheme: chart_figure(name, scheme) for scheme in SCHEMES}
    return json.dumps(spec, allow_nan=False, separators=(",", ":"))
