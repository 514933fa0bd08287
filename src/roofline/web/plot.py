"""Chart pieces both simulator modes draw: the layout, the two lines with their max and B*, the now-marker.

Figures are plain dicts for ``Plotly.react``. Every trace carries its palette
role in ``meta`` (see :mod:`roofline.web.palette`), so a theme script can
re-colour it by role. Axes are fixed (no autorange), so an update redraws
without a relayout, and typed: an axis without a ``type`` has plotly.js
guess it from the data on every update (measured in Chromium on the phone
profile: about 9% of redrawing the two charts).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..sentences import crossover_text
from ..units import format_si, time_unit

__all__ = ["area", "chart_layout", "line", "now_marker", "time_lines"]


def chart_layout(colors: dict[str, str], max_batch: float, y_title: str, y_top: float) -> dict:
    """The plotly layout both modes' charts share: fixed axes from B = 0 to ``max_batch``
    and from 0 to ``y_top``, a transparent background, the legend inside the plot."""
    return {
        "margin": {"l": 52, "r": 12, "t": 8, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": colors["text"], "size": 12},
        "showlegend": True,
        # Inside the plot, top left, where both lines are low: no height lost on a phone.
        "legend": {
            "x": 0.01,
            "y": 0.99,
            "xanchor": "left",
            "yanchor": "top",
            "bgcolor": colors.get("legend", "rgba(0,0,0,0)"),
            "font": {"size": 11},
        },
        "xaxis": {
            "title": {"text": "batch size B"},
            "type": "linear",
            "range": [0, max_batch],
            "autorange": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
        },
        "yaxis": {
            "title": {"text": y_title},
            "type": "linear",
            "range": [0, y_top],
            "autorange": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
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
            "x": batch,
            "y": 0,
            "yref": "paper",
            "text": f" B = {format_si(batch)}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"color": colors["now"]},
        },
    )


def line(name: str, role: str, x: Sequence[float], y: Sequence[float], colors: dict[str, str], **style: object) -> dict:
    """One line trace of colour role ``role`` (``width`` and ``dash`` in ``style``)."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "meta": role,
        "x": list(x),
        "y": list(y),
        "line": {"color": colors[role], **style},
    }


def area(name: str, role: str, x: Sequence[float], y: Sequence[float], colors: dict[str, str], group: str) -> dict:
    """One filled area of colour role ``role``, stacked on the areas before it in ``group``."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "meta": role,
        "x": list(x),
        "y": list(y),
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
        line("T = max of the two", "max", batches_max, y(latency_s), colors, width=4),
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
