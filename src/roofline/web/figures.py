"""The simulator's charts, each written once for every mode that shows it.

A :class:`Chart` names the snapshot key its figures travel under, the page
element the painter draws them into, and the modes that show it; ``draw``
turns a mode and its state into a plotly figure (a plain dict). The painter
(``simulator.js``) draws every chart of :data:`CHARTS` that a snapshot
carries, so a new chart needs an entry here and its element in the widget.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..units import time_unit
from .palette import colors as palette_colors
from .plot import area, chart_layout, line, now_marker, time_lines

__all__ = ["CHARTS", "Chart", "economics_figure", "time_figure"]


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
    shapes, notes = mode.marks(state, colors)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [*shapes, now_shape]
    layout["annotations"] = [*notes, now_note]
    return {"data": data, "layout": layout}


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
    shapes, notes = mode.marks(state, colors)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [*shapes, now_shape]
    layout["annotations"] = [*notes, now_note]
    return {"data": data, "layout": layout}


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
