"""The frontier in the simulator, written once for both modes: the target control, its readouts, its chart.

Each mode hands :meth:`roofline.web.mode.Mode.frontier_lines` a state and gets
back the core's :class:`roofline.frontier.Lines`; everything here works on
those through :mod:`roofline.frontier` (no formula of its own):

* :func:`target_control`, the latency target slider (URL ``tpot``, in
  milliseconds per output token; absent means no target, see
  :attr:`~roofline.web.controls.Control.off_text`), and
  :func:`check_target_text`, its URL and entry check;
* :func:`frontier_report`, the core's report at a state (cached: each render
  asks for it from the readouts and from the chart);
* :func:`frontier_readouts`, the readouts ``chosen_batch``,
  ``binding_limit`` and ``binding_sentence``;
* :func:`frontier_figure`, tokens/s per chip against tokens/s per user as
  the batch sweeps, with the current B, the chosen batch, the memory wall and
  the target drawn on it.

>>> from roofline.web.article import ARTICLE
>>> state, notices = ARTICLE.parse("tpot=50")
>>> shown = ARTICLE.readouts(state)
>>> shown["chosen_batch"].text, shown["binding_limit"].value
('none', 'latency')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .. import frontier
from ..units import format_batch, format_si, parse_si
from .charts import chart_layout, log_ticks
from .controls import Control, describe, shared_slider, shorten
from .mode import Readout
from .palette import colors as palette_colors

__all__ = [
    "FRONTIER_READOUT_NAMES",
    "LIMIT_TEXT",
    "TARGET_KEY",
    "check_target_text",
    "frontier_figure",
    "frontier_lines_at",
    "frontier_readouts",
    "frontier_report",
    "target_control",
    "target_s",
]

#: The URL key of the latency target, in milliseconds per output token.
TARGET_KEY = "tpot"

#: The readouts the frontier adds to both modes.
FRONTIER_READOUT_NAMES: tuple[str, ...] = ("chosen_batch", "binding_limit", "binding_sentence")

#: How each binding limit (``binding_limit``'s ``data-value``) reads on the page.
LIMIT_TEXT: dict[str, str] = {
    frontier.Limit.LATENCY.value: "the latency target",
    frontier.Limit.MEMORY.value: "the memory wall",
    frontier.Limit.CROSSOVER.value: "the crossover",
    frontier.Limit.MAX_BATCH.value: "the chart's max B",
}


@lru_cache(maxsize=1)
def target_control() -> Control:
    """The latency target slider both modes share: 1 ms to 10 s per output token, log scale, off by default.

    It rests at 50 ms (20 tokens/s per user) when a reader switches it on.
    """
    return shared_slider(TARGET_KEY)


def check_target_text(c: Control, raw: str, low: float, high: float) -> tuple[float | None, str]:
    """Check a typed or linked target, in milliseconds: like any slider, and absurd ones refused.

    A target past an hour per token (:func:`roofline.frontier.check_target_s`)
    is refused outright (a units mistake, not a slow reader); one between the
    slider's end and an hour is clamped like any slider's value.

    >>> c = target_control()
    >>> check_target_text(c, "25", 1, 1e4)
    (25.0, '')
    >>> check_target_text(c, "1e9", 1, 1e4)[0] is None
    True
    """
    from .controls import check_text

    value, problem = check_text(c, raw, low, high)
    if value is None:
        return value, problem
    try:
        frontier.check_target_s(parse_si(raw) / 1e3)
    except ValueError:
        return None, f"{c.key}={shorten(raw)} ms is absurd (a target must be at most an hour per token)"
    return value, problem


def target_s(state: Any) -> float | None:
    """The state's latency target in seconds, or None when it has none."""
    ms = getattr(state, "tpot_target_ms", None)
    return None if ms is None else ms / 1e3


#: The last few frontiers: (the lines, the report or None, why there is none), by mode and state less B.
_REPORTS: dict[tuple[str, Any], tuple[frontier.Lines | None, frontier.FrontierReport | None, str]] = {}


def _frontier_at(mode: Any, state: Any) -> tuple[frontier.Lines | None, frontier.FrontierReport | None, str]:
    """The lines, the core's report (or None) and why there is none, remembered.

    The readouts and the chart each ask for them, in both colour schemes at
    build time. The current B is not part of the key: neither the lines nor
    the frontier nor the batch you would run depend on it, so moving the B
    slider reuses them.
    """
    key = (mode.name, replace(state, batch=1.0))
    cached = _REPORTS.get(key)
    if cached is None:
        lines = None
        try:
            lines = mode.frontier_lines(state)
            cached = (lines, frontier.evaluate_frontier(lines, target_s(state), state.max_batch), "")
        except ValueError as error:
            cached = (lines, None, f"No frontier for these inputs: {error}.")
        if len(_REPORTS) >= 8:
            _REPORTS.pop(next(iter(_REPORTS)))
        _REPORTS[key] = cached
    return cached


def frontier_lines_at(mode: Any, state: Any) -> frontier.Lines | None:
    """The lines the frontier is drawn from at ``state`` (speculation included), remembered; None if they cannot be made."""
    return _frontier_at(mode, state)[0]


def frontier_report(mode: Any, state: Any) -> tuple[frontier.FrontierReport | None, str]:
    """The core's frontier report at ``state`` and an empty string, or None and why there is none."""
    _, report, problem = _frontier_at(mode, state)
    return report, problem


def frontier_readouts(mode: Any, state: Any) -> dict[str, Readout]:
    """``chosen_batch`` (a whole number, or empty when no batch qualifies), ``binding_limit`` (its word) and
    ``binding_sentence`` (the core's sentence saying which limit binds and why)."""
    report, problem = frontier_report(mode, state)
    if report is None:
        return {
            "chosen_batch": Readout(value=None, text="none"),
            "binding_limit": Readout(value=None, text="none"),
            "binding_sentence": Readout(value=None, text=problem),
        }
    choice = report.choice
    batch = choice.batch
    return {
        "chosen_batch": Readout(
            value=None if batch is None else float(batch), text="none" if batch is None else format_batch(batch)
        ),
        "binding_limit": Readout(value=choice.limit.value, text=LIMIT_TEXT[choice.limit.value]),
        "binding_sentence": Readout(value=None, text=report.sentence),
    }


# ---------------------------------------------------------------- the chart

_HOVER = "B = %{customdata}<br>%{x:.3s} tokens/s per user<br>%{y:.3s} tokens/s per chip<extra>%{fullData.name}</extra>"


#: The batch each hover names, remembered: the frontier's batches barely move from one input to the next.
_batch_text = lru_cache(maxsize=4096, typed=True)(format_batch)


def _trace(name: str, role: str, points: Sequence[frontier.FrontierPoint], colors: dict[str, str], **style: Any) -> dict:
    """A trace through frontier points, the batch of each in its hover."""
    mode = style.pop("mode", "lines")
    trace = {
        "type": "scatter",
        "mode": mode,
        "name": name,
        "meta": role,
        "x": [p.tokens_per_s_per_user for p in points],
        "y": [p.tokens_per_s_per_gpu for p in points],
        "customdata": [_batch_text(p.batch) for p in points],
        "hovertemplate": _HOVER,
    }
    if "marker" in style:
        trace["marker"] = {"color": colors[role], **style.pop("marker")}
    if mode != "markers":
        trace["line"] = {"color": colors[role], **style}
    return trace


def _point(lines: frontier.Lines, batch: float) -> frontier.FrontierPoint | None:
    try:
        return frontier.point(lines, max(1, round(batch)))
    except ValueError:
        return None


def frontier_figure(mode: Any, state: Any, scheme: str = "default") -> dict:
    """Tokens/s per chip (y) against tokens/s per user (x) from B = 1 to max B, hover giving the batch.

    Legend names are short (a phone fits two or three to a row); each hover names its batch.

    Roles (each trace's ``meta``): ``max`` the frontier (the part that fits,
    in the realistic mode), ``muted`` the part past the memory wall and the
    frontier without speculation, ``wall`` the memory wall, ``chosen`` the
    batch you would run, ``now`` the current B, ``target`` the latency target
    (a vertical line at ``1 / target`` tokens/s per user). Both axes are logarithmic.
    """
    colors = palette_colors(scheme)
    lines, report, problem = _frontier_at(mode, state)
    layout = chart_layout(colors, 1.0, "tokens/s per chip", 1.0)
    layout["hovermode"] = "closest"
    # Above the plot, in rows: up to seven entries would cover the curve on a phone.
    layout["legend"] = {
        **layout["legend"], "orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom", "font": {"size": 10},
        "bgcolor": "rgba(0,0,0,0)", "entrywidth": 0.5, "entrywidthmode": "fraction",
    }
    layout["xaxis"]["title"] = {"text": "tokens/s per user"}
    if report is None or not report.points:
        note = problem or (report.sentence if report is not None else "")
        layout["annotations"] = [
            {"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "text": note[:80], "showarrow": False}
        ]
        return {"data": [], "layout": layout}
    wall = lines.memory_wall
    points = list(report.points)
    fits = [p for p in points if wall is None or p.batch <= wall]
    past = [p for p in points if wall is not None and p.batch >= (fits[-1].batch if fits else 0)]
    speculating = lines.tokens_per_step != 1.0
    name = "with speculation" if speculating else "frontier"
    data: list[dict] = []
    plain_lines = mode.plain_frontier_lines(state)
    every = list(points)
    if plain_lines is not None:
        plain = frontier.frontier(plain_lines, [p.batch for p in points])
        every += plain
        data.append(_trace("no speculation", "muted", plain, colors, width=2, dash="dash"))
    if fits:
        data.append(_trace(name, "max", fits, colors, width=3))
    if len(past) > 1 or (past and not fits):
        data.append(_trace("past the wall", "muted", past, colors, width=2, dash="dot"))
    if wall is not None and 1 <= wall <= state.max_batch:
        at = _point(lines, wall)
        if at is not None:
            data.append(
                _trace(f"wall B = {format_batch(wall)}", "wall", [at], colors, mode="markers",
                       marker={"size": 12, "symbol": "x-thin", "line": {"width": 3, "color": colors["wall"]}})
            )
    if report.chosen is not None and report.chosen.batch <= state.max_batch:
        data.append(
            _trace(f"chosen B = {format_batch(report.chosen.batch)}", "chosen", [report.chosen], colors,
                   mode="markers", marker={"size": 12, "symbol": "diamond"})
        )
    now = _point(lines, state.batch)
    if now is not None:
        data.append(
            _trace(f"now B = {format_si(state.batch)}", "now", [now], colors, mode="markers",
                   marker={"size": 10, "symbol": "circle-open", "line": {"width": 3, "color": colors["now"]}})
        )
    # Log axes: a mixture-of-experts model at B = 1 reads few experts, so per-user speeds span decades.
    x_low = min(p.tokens_per_s_per_user for p in every)
    x_high = max(p.tokens_per_s_per_user for p in every)
    y_low = min(p.tokens_per_s_per_gpu for p in every)
    y_high = max(p.tokens_per_s_per_gpu for p in every)
    seconds = target_s(state)
    notes: list[dict] = []
    if seconds is not None:
        rate = frontier.rate_for_target(seconds)
        label = f"target {describe(target_control(), seconds * 1e3)}"
        if x_low / 4 <= rate <= x_high * 4:
            x_low, x_high = min(x_low, rate), max(x_high, rate)
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "meta": "target",
                    "x": [rate, rate],
                    "y": [y_low / 2, y_high * 2],
                    "line": {"color": colors["target"], "width": 2, "dash": "dash"},
                    "hovertemplate": f"{format_si(rate)} tokens/s per user<extra>{label}</extra>",
                }
            )
        else:
            side = "right of every batch: none meets it" if rate > x_high else "left of every batch: all meet it"
            notes.append(
                {
                    "x": 1 if rate > x_high else 0, "y": 1, "xref": "paper", "yref": "paper",
                    "xanchor": "right" if rate > x_high else "left", "yanchor": "top",
                    "text": f"{label} ({format_si(rate)} tokens/s per user) is {side}",
                    "showarrow": False, "font": {"color": colors["target"], "size": 11},
                }
            )
    for axis, low, high in (("xaxis", x_low, x_high), ("yaxis", y_low, y_high)):
        # Labelled as the readouts print numbers (10K, not plotly's 10k).
        ticks = log_ticks(low, high)
        layout[axis].update(
            {
                "type": "log", "range": [math.log10(low) - 0.08, math.log10(high) + 0.08],
                "tickmode": "array", "tickvals": ticks, "ticktext": [format_si(t) for t in ticks],
            }
        )
    layout["annotations"] = notes
    return {"data": data, "layout": layout}
