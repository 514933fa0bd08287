"""The simulator's charts, each written once for every mode that shows it, and the pieces they are drawn from.

A :class:`Chart` names the snapshot key its figures travel under, the page
element the painter draws them into, and the modes that show it; ``draw``
turns a mode and its state into a plotly figure (a plain dict). The painter
(``simulator.js``) draws every chart of :data:`CHARTS` that a snapshot
carries, so a new chart needs an entry here and its element in the widget.

The pieces every chart of the simulator (and the compare page's) shares:
the layout, the two lines with their max and B*, the now-marker. Figures are
plain dicts for ``Plotly.react``. Every trace carries its palette role in
``meta`` (see :mod:`roofline.web.palette`), so a theme script can re-colour
it by role. Axes are fixed (no autorange), so an update redraws without a
relayout, and typed: an axis without a ``type`` has plotly.js guess it from
the data on every update (measured in Chromium on the phone profile: about
9% of redrawing the two charts).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..sentences import crossover_text
from ..units import format_si, time_unit
from .palette import colors as palette_colors

__all__ = [
    "CHARTS",
    "Chart",
    "area",
    "chart_layout",
    "economics_figure",
    "line",
    "linear_ticks",
    "log_ticks",
    "now_marker",
    "time_figure",
    "time_lines",
]


def linear_ticks(high: float, *, count: int = 6, blank_zero: bool = False) -> dict:
    """Axis ticks from 0 to ``high`` at a 1-2-2.5-5 step, about ``count`` of them, labelled the way
    :func:`roofline.units.format_si` prints numbers (``8K``, as the readouts say; plotly's own
    labels say ``8k``). ``blank_zero`` leaves the 0 unlabelled, so that the two axes' zeros do not
    print over each other at the origin. Empty (plotly's own ticks) for a range it cannot step.

    >>> linear_ticks(8192)["ticktext"]
    ['0', '2K', '4K', '6K', '8K']
    >>> linear_ticks(57.3, blank_zero=True)["ticktext"]
    ['', '10', '20', '30', '40', '50']
    """
    if not (math.isfinite(high) and high > 0):
        return {}
    raw = high / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    values = [float(f"{i * step:.6g}") for i in range(int(high / step + 1e-9) + 1)]
    text = ["" if value == 0 and blank_zero else format_si(value) for value in values]
    return {"tickmode": "array", "tickvals": values, "ticktext": text}


def log_ticks(low: float, high: float) -> list[float]:
    """Log-axis ticks at 1, 2 and 5 times each power of ten from one step below ``low`` to one
    above ``high`` (so the data never sits past the last label); finer steps when fewer than two
    of those would fall inside the data, so no axis is left with a single label.

    >>> log_ticks(0.045, 0.3)
    [0.02, 0.05, 0.1, 0.2, 0.5]
    >>> log_ticks(0.0101, 0.0115)
    [0.01, 0.011, 0.012]
    """
    ticks: list[float] = []
    for mantissas in ((1, 2, 5), (1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9), tuple(1 + i / 10 for i in range(90))):
        candidates = [
            m * 10.0**e for e in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1) for m in mantissas
        ]
        below = [t for t in candidates if t <= low]
        above = [t for t in candidates if t >= high]
        first, last = (below[-1] if below else candidates[0]), (above[0] if above else candidates[-1])
        ticks = [float(f"{t:.3g}") for t in candidates if first <= t <= last]
        if sum(low <= t <= high for t in ticks) >= 2:
            break
    return ticks


def chart_layout(colors: dict[str, str], max_batch: float, y_title: str, y_top: float) -> dict:
    """The plotly layout both modes' charts share: fixed axes from B = 0 to ``max_batch``
    and from 0 to ``y_top``, a transparent background, the legend inside the plot."""
    return {
        "margin": {"l": 52, "r": 12, "t": 8, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": colors["text"], "size": 12},
        "showlegend": True,
        # Above the plot, in rows (plotly grows the top margin to hold them): inside it, the
        # legend covered the lines and the memory wall's shading.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.01,
            "xanchor": "left",
            "yanchor": "bottom",
            "bgcolor": "rgba(0,0,0,0)",
            "font": {"size": 10},
            # Two to a row: one to a row took a third of a phone's chart height.
            "entrywidth": 0.5,
            "entrywidthmode": "fraction",
        },
        "xaxis": {
            "title": {"text": "batch size B"},
            "type": "linear",
            "range": [0, max_batch],
            "autorange": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
            **linear_ticks(max_batch),
        },
        "yaxis": {
            "title": {"text": y_title},
            "type": "linear",
            "range": [0, y_top],
            "autorange": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
            **linear_ticks(y_top, blank_zero=True),
        },
        "hovermode": "x",
    }


def now_marker(batch: float, colors: dict[str, str]) -> tuple[dict, dict]:
    """The dotted vertical line at the current B and its label (a shape and an annotation)."""
    return (
        {
            "type": "line",
            "x0": batch,
            "x1": batch,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": colors["now"], "width": 2, "dash": "dot"},
        },
        {
            # At the top, on a backing of the page's colour: at the bottom the rising T_compute ran through it.
            "x": batch,
            "y": 1,
            "yref": "paper",
            "text": f" B = {format_si(batch)}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "bgcolor": colors.get("legend", "rgba(0,0,0,0)"),
            "font": {"color": colors["now"]},
        },
    )


def _scatter(name: str, role: str, x: Sequence[float], y: Sequence[float]) -> dict:
    """What a line and an area share: a scatter trace drawn as lines, its palette role in ``meta``."""
    return {"type": "scatter", "mode": "lines", "name": name, "meta": role, "x": list(x), "y": list(y)}


def line(name: str, role: str, x: Sequence[float], y: Sequence[float], colors: dict[str, str], **style: object) -> dict:
    """One line trace of colour role ``role`` (``width`` and ``dash`` in ``style``)."""
    return {**_scatter(name, role, x, y), "line": {"color": colors[role], **style}}


def area(name: str, role: str, x: Sequence[float], y: Sequence[float], colors: dict[str, str], group: str) -> dict:
    """One filled area of colour role ``role``, stacked on the areas before it in ``group``."""
    return {
        **_scatter(name, role, x, y),
        "stackgroup": group,
        "fillcolor": colors[role],
        "line": {"color": colors[role], "width": 0.5},
    }


def time_lines(
    batches: Sequence[float],
    t_compute_s: Sequence[float],
    t_memory_s: Sequence[float],
    batches_max: Sequence[float],
    latency_s: Sequence[float],
    crossover: tuple[float, float] | None,
    colors: dict[str, str],
    top_s: float = 0.0,
) -> tuple[list[dict], str, float]:
    """T_compute and T_memory (dashed), their max (thick) and the crossover diamond at ``(B*, T)``.

    The max line may be drawn at other batches (``batches_max``) than the two
    lines, e.g. only at their ends and bend. Returns the traces, the time
    unit they are drawn in and the y-axis top (8% above the highest point,
    or above ``top_s`` when something else drawn on the axis reaches higher).
    """
    top = max(*latency_s, top_s)
    unit, scale = time_unit(top)

    def y(values: Sequence[float]) -> list[float]:
        return [v / scale for v in values]

    data = [
        line("T_compute", "compute", batches, y(t_compute_s), colors, width=2, dash="dash"),
        line("T_memory", "memory", batches, y(t_memory_s), colors, width=2, dash="dash"),
        line("T = max", "max", batches_max, y(latency_s), colors, width=4),
    ]
    if crossover is not None:
        at, latency = crossover
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"crossover B* {crossover_text(at)}",
                "meta": "max",
                "x": [at],
                "y": [latency / scale],
                "marker": {"size": 11, "color": colors["max"], "symbol": "diamond"},
            }
        )
    return data, unit, top / scale * 1.08


def _marked_figure(data: list[dict], layout: dict, mode: Any, state: Any, colors: dict[str, str]) -> dict:
    """The figure of ``data`` on ``layout``, with the mode's marks under the now-marker at the state's B."""
    shapes, notes = mode.marks(state, colors)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [*shapes, now_shape]
    layout["annotations"] = [*notes, now_note]
    return {"data": data, "layout": layout}


def time_figure(mode: Any, state: Any, scheme: str = "default") -> dict:
    """T_compute, T_memory and their max against B, B* if it is on the axis, the mode's marks, the current B.

    A mode's :meth:`~roofline.web.mode.Mode.stacks` (the serving estimate's
    terms) are drawn as stacked areas under the lines, and the axis grows to hold them.
    """
    colors = palette_colors(scheme)
    lines = mode.lines(state)
    # Stacked terms (the realistic mode's serving estimate), drawn under the lines.
    stacks = mode.stacks(state)
    stack_top = max((sum(values) for values in zip(*(s.seconds for s in stacks), strict=True)), default=0.0)
    data, unit, y_top = time_lines(
        lines.batches,
        lines.t_compute_s,
        lines.t_memory_s,
        lines.max_batches,
        lines.latency_s,
        lines.crossover,
        colors,
        top_s=stack_top,
    )
    if stacks:
        _, scale = time_unit(max(*lines.latency_s, stack_top))
        areas = [area(s.name, s.role, s.batches, [v / scale for v in s.seconds], colors, "terms") for s in stacks]
        data = [*areas, *data]
    layout = chart_layout(colors, state.max_batch, f"time per step ({unit})", y_top)
    if stacks:
        layout["legend"].update(traceorder="normal", entrywidth=0.33, entrywidthmode="fraction")
    return _marked_figure(data, layout, mode, state, colors)


def economics_figure(mode: Any, state: Any, scheme: str = "default") -> dict:
    """Tokens/s per GPU (left axis) and dollars per million output tokens (right, log) against B.

    Needs the mode's ``economics(state)``: ``(batches, tokens/s per GPU, $ per 1M tokens)``.
    """
    colors = palette_colors(scheme)
    batches, per_gpu, cost = mode.economics(state)
    data = [
        {**line("tokens/s per GPU", "compute", batches, per_gpu, colors, width=3), "yaxis": "y"},
        {**line("$ per 1M output tokens", "cost", batches, cost, colors, width=3, dash="dash"), "yaxis": "y2"},
    ]
    layout = chart_layout(colors, state.max_batch, "output tokens/s per GPU", max(per_gpu) * 1.1)
    low, high = math.log10(min(cost)), math.log10(max(cost))
    pad = max(0.1, (high - low) * 0.05)
    layout["yaxis2"] = {
        "title": {"text": "$ per 1M output tokens"},
        "type": "log",
        "tickformat": "$.2~g",
        "overlaying": "y",
        "side": "right",
        "range": [low - pad, high + pad],
        "autorange": False,
        "showgrid": False,
        "zeroline": False,
    }
    layout["margin"] = {"l": 56, "r": 64, "t": 12, "b": 48}
    return _marked_figure(data, layout, mode, state, colors)


def _frontier_figure(mode: Any, state: Any, scheme: str = "default") -> dict:
    """The frontier chart (:func:`roofline.web.frontier_view.frontier_figure`), imported when first drawn."""
    from .frontier_view import frontier_figure

    return frontier_figure(mode, state, scheme)


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    """One chart of the widget: snapshot key, element id, the modes that show it, and how to draw it."""

    key: str
    element: str
    modes: tuple[str, ...]
    draw: Callable[[Any, Any, str], dict]

    def shown_in(self, mode: Any) -> bool:
        return mode.name in self.modes


#: Every chart of the widget. ``figures`` is the two lines; ``economics`` needs prices and chips;
#: ``frontier`` is tokens/s per chip against tokens/s per user.
CHARTS: tuple[Chart, ...] = (
    Chart(key="figures", element="sim-chart", modes=("article", "real"), draw=time_figure),
    Chart(key="economics", element="sim-econ", modes=("real",), draw=economics_figure),
    Chart(key="frontier", element="sim-frontier", modes=("article", "real"), draw=_frontier_figure),
)
