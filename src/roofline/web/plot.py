"""Chart pieces both simulator modes draw: the layout, the two lines with their max and B*, the now-marker.

Figures are plain dicts for ``Plotly.react``. Every trace carries its palette
role in ``meta`` (see :mod:`roofline.web.palette`), so a theme script can
re-colour it by role. Axes are fixed (no autorange), so an update redraws
without a relayout, and typed: an axis without a ``type`` has plotly.js
guess it from the data on every update (measured in Chromium on the phone
profile: about 9% of redrawing the two charts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..sentences import crossover_text
from ..units import format_si, time_unit

__all__ = ["area", "chart_layout", "line", "linear_ticks", "log_ticks", "now_marker", "time_lines"]


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
