"""The batch-size simulator's state, readouts and chart, with no DOM in sight.

The page's PyScript code only moves values between this module and the
browser: it reads the URL and sliders into a :class:`State`, asks
:func:`readouts` and :func:`figure` what to show, and writes them out. The
build uses the same functions to pre-render the default state, and CPython
tests call them directly.

>>> state, notices = parse_query("?B=128&L=8192")
>>> notices
[]
>>> readouts(state)["latency"].text
'60.01 ms'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

from .model import Params, Regime, Step, evaluate
from .query import encode_pairs, parse_pairs
from .sweep import breakpoints, sweep
from .units import (
    format_batch,
    format_percent,
    format_ratio,
    format_si,
    format_si_exact,
    format_time,
    parse_si,
    time_unit,
)

__all__ = [
    "CONTROLS",
    "DEFAULT_STATE",
    "READOUT_NAMES",
    "REGIME_TEXT",
    "SCHEMES",
    "THEMES",
    "Control",
    "Readout",
    "State",
    "batch_text",
    "chart_layout",
    "check_control_value",
    "check_value",
    "control",
    "explanation",
    "figure",
    "mode_of",
    "now_marker",
    "params_line",
    "parse_query",
    "position_of",
    "readouts",
    "snapshot",
    "step_readouts",
    "to_query",
    "value_at",
    "with_value",
]

#: Positions on a log slider: 1000 steps over at most 7 decades keeps each
#: step under 2% of the value.
LOG_STEPS = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Control:
    """One slider: its URL key, the :class:`State` field it sets, and its range."""

    key: str
    field: str
    label: str
    help: str
    unit: str
    minimum: float
    maximum: float
    default: float
    log: bool
    integer: bool
    step: float = 1.0


#: The article's eight sliders, in its order, with its ranges.
CONTROLS: tuple[Control, ...] = (
    Control(
        key="B",
        field="batch",
        label="Current B",
        help="Batch size now: the vertical line on the chart",
        unit="",
        minimum=1,
        maximum=8192,
        default=128,
        log=True,
        integer=True,
    ),
    Control(
        key="B_max",
        field="max_batch",
        label="Max B",
        help="Right end of the x-axis (512, 2048 and 4096 are common)",
        unit="",
        minimum=128,
        maximum=8192,
        default=2048,
        log=True,
        integer=True,
    ),
    Control(
        key="N_active",
        field="active_params",
        label="N_active",
        help="Parameters each token multiplies through (small for MoE)",
        unit="params",
        minimum=1e6,
        maximum=500e9,
        default=8e9,
        log=True,
        integer=False,
    ),
    Control(
        key="C",
        field="compute_ops_per_s",
        label="C",
        help="Effective compute: FLOP/s ÷ 2",
        unit="ops/s",
        minimum=10e9,
        maximum=5e15,
        default=80e12,
        log=True,
        integer=False,
    ),
    Control(
        key="N_total",
        field="total_params",
        label="N_total",
        help="Parameters (bytes) read from memory every step",
        unit="params",
        minimum=1e6,
        maximum=1e12,
        default=12e9,
        log=True,
        integer=False,
    ),
    Control(
        key="BW",
        field="bandwidth_bytes_per_s",
        label="BW",
        help="Effective memory bandwidth",
        unit="B/s",
        minimum=1e9,
        maximum=10e12,
        default=200e9,
        log=True,
        integer=False,
    ),
    Control(
        key="L",
        field="context_tokens",
        label="L",
        help="Context (KV length) per sequence, up to 1M tokens",
        unit="tok",
        minimum=128,
        maximum=1e6,
        default=8192,
        log=True,
        integer=True,
    ),
    Control(
        key="b",
        field="kv_bytes_per_element",
        label="b",
        help="Bytes per KV element: FP16 ≈ 2, FP8 ≈ 1, FP32 ≈ 4",
        unit="B",
        minimum=1,
        maximum=8,
        default=2,
        log=False,
        integer=False,
        step=0.5,
    ),
)

_BY_KEY = {c.key: c for c in CONTROLS}


def control(key: str) -> Control:
    """The control whose URL key is ``key``."""
    return _BY_KEY[key]


@dataclass(frozen=True, slots=True, kw_only=True)
class State:
    """Everything the simulator shows: the model's inputs plus the chart's x range."""

    batch: float
    max_batch: float
    active_params: float
    compute_ops_per_s: float
    total_params: float
    bandwidth_bytes_per_s: float
    context_tokens: float
    kv_bytes_per_element: float

    @classmethod
    def of(cls, params: Params, max_batch: float) -> State:
        """A state showing ``params`` on an x-axis to ``max_batch`` (widened to fit B)."""
        inputs = {name: getattr(params, name) for name in params.__slots__}
        return cls(max_batch=max(float(max_batch), params.batch), **inputs)

    @property
    def params(self) -> Params:
        """The model's inputs (everything but ``max_batch``)."""
        return Params(**{f.name: getattr(self, f.name) for f in fields(self) if f.name != "max_batch"})

    def value(self, key: str) -> float:
        """The value of the control with URL key ``key``."""
        return getattr(self, control(key).field)


DEFAULT_STATE = State(**{c.field: float(c.default) for c in CONTROLS})


def _bounds(c: Control, state: State | None) -> tuple[float, float]:
    # The current-B slider ends at max B, so it always stays on the chart.
    if c.key == "B" and state is not None:
        return c.minimum, state.max_batch
    return c.minimum, c.maximum


def _steps(c: Control, state: State | None) -> int:
    lo, hi = _bounds(c, state)
    return LOG_STEPS if c.log else round((hi - lo) / c.step)


def slider_steps(c: Control, state: State | None = None) -> int:
    """The slider's highest position (its lowest is 0)."""
    return _steps(c, state)


def position_of(c: Control, value: float, state: State | None = None) -> int:
    """Slider position (0 to :func:`slider_steps`) nearest to ``value``.

    >>> position_of(control("N_active"), 8e9)
    685
    """
    lo, hi = _bounds(c, state)
    steps = _steps(c, state)
    value = min(max(value, lo), hi)
    if c.log:
        fraction = math.log(value / lo) / math.log(hi / lo) if hi > lo else 0.0
    else:
        fraction = (value - lo) / (hi - lo) if hi > lo else 0.0
    return round(fraction * steps)


def value_at(c: Control, position: float, state: State | None = None) -> float:
    """Value at slider ``position``: log sliders round to 3 significant figures.

    >>> value_at(control("N_active"), 685)
    8010000000.0
    >>> value_at(control("b"), 2)
    2.0
    """
    lo, hi = _bounds(c, state)
    steps = _steps(c, state)
    fraction = min(max(position / steps, 0.0), 1.0) if steps else 0.0
    if c.log:
        raw = lo * (hi / lo) ** fraction
        exponent = math.floor(math.log10(raw))
        value = round(raw, 2 - exponent)
    else:
        value = lo + round(fraction * steps) * c.step
    if c.integer:
        value = round(value)
    return float(min(max(value, lo), hi))


def with_value(state: State, key: str, value: float) -> State:
    """``state`` with one control changed; the current B stays within max B."""
    c = control(key)
    lo, hi = _bounds(c, state)
    new = replace(state, **{c.field: float(min(max(value, lo), hi))})
    if new.batch > new.max_batch:
        new = replace(new, batch=new.max_batch)
    return new


def _describe(c: Control, value: float) -> str:
    return f"{format_si(value)}{' ' + c.unit if c.unit else ''}"


def mode_of(query: str | Mapping[str, str]) -> str:
    """``"real"`` if the query asks for the realistic mode (``mode=real``), else ``"article"``.

    Lives here, not in :mod:`roofline.simulator_real`, so the page can decide
    without importing the realistic mode's presets.

    >>> mode_of("?mode=real&hw=h200"), mode_of("B=128")
    ('real', 'article')
    """
    pairs = parse_pairs(query.lstrip("?")) if isinstance(query, str) else list(query.items())
    modes = [value for key, value in pairs if key == "mode"]
    return "real" if modes and modes[-1] == "real" else "article"


def parse_query(query: str | Mapping[str, str]) -> tuple[State, list[str]]:
    """Read a URL query (``?B=128&L=32K``) into a State, with a notice per fix.

    Values are plain numbers or SI-suffixed (``8G``). A malformed, non-finite
    or non-positive value falls back to the default; one outside the slider's
    range is clamped. Each fix adds a plain-text notice naming the parameter.
    Unknown parameters are ignored with a notice.

    >>> state, notices = parse_query("B=-1&L=abc&b=20")
    >>> state.batch, state.context_tokens, state.kv_bytes_per_element
    (128.0, 8192.0, 8.0)
    >>> print(notices[0])
    B=-1 is not allowed (B must be > 0); using the default 128.
    """
    if isinstance(query, str):
        pairs = parse_pairs(query.lstrip("?"))
    else:
        pairs = list(query.items())
    notices: list[str] = []
    seen: dict[str, str] = {}
    for key, raw in pairs:
        if key == "mode" and raw != "real":
            continue  # mode_of decides the mode; "article" is this one
        if key not in _BY_KEY:
            notices.append(f"Ignored unknown parameter {_shorten(key)!r}.")
            continue
        if key in seen:
            notices.append(f"{key} was given more than once; using the last value.")
        seen[key] = raw
    state = DEFAULT_STATE
    # max B first, because it bounds the current B.
    for key in sorted(seen, key=lambda k: k != "B_max"):
        c = control(key)
        value, problem = check_value(key, seen[key], state)
        if value is None:
            notices.append(f"{problem}; using the default {_describe(c, c.default)}.")
            continue
        if problem:
            notices.append(f"{problem}; using {_describe(c, value)}.")
        state = with_value(state, key, value)
    return state, notices


def check_value(key: str, raw: str, state: State = DEFAULT_STATE) -> tuple[float | None, str]:
    """Check the text ``raw`` typed or linked for control ``key``.

    Returns ``(value, "")`` when it is usable as it is, ``(clamped, problem)``
    when it lies outside the control's range, and ``(None, problem)`` when it
    is not a positive finite number. ``problem`` is plain text naming the
    parameter; callers add what they do instead.

    >>> check_value("L", "32K")
    (32000.0, '')
    >>> check_value("B", "abc")
    (None, "B='abc' is not a finite number")
    >>> check_value("b", "20")
    (8.0, 'b=20 is above the range 1 B to 8 B')
    """
    c = control(key)
    return check_control_value(c, raw, *_bounds(c, state))


def check_control_value(
    c: Control, raw: str, low: float, high: float, describe: Callable[[Control, float], str] | None = None
) -> tuple[float | None, str]:
    """:func:`check_value` for any control with the range ``low`` to ``high``.

    ``describe`` formats a bound for the message (default: SI with the unit).
    The realistic mode's sliders use it with their own ranges.

    >>> check_control_value(control("L"), "2M", 128, 1e6)
    (1000000.0, 'L=2M is above the range 128 tok to 1M tok')
    """
    describe = describe or _describe
    shown = _shorten(raw)
    try:
        value = parse_si(raw)
    except ValueError:
        return None, f"{c.key}={shown!r} is not a finite number"
    if value <= 0:
        return None, f"{c.key}={shown} is not allowed ({c.key} must be > 0)"
    if low <= value <= high:
        return value, ""
    side = "below" if value < low else "above"
    clamped = float(min(max(value, low), high))
    return clamped, f"{c.key}={shown} is {side} the range {describe(c, low)} to {describe(c, high)}"


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_query(state: State) -> str:
    """The URL query that :func:`parse_query` reads back as exactly ``state``.

    >>> to_query(DEFAULT_STATE)
    'B=128&B_max=2048&N_active=8G&C=80T&N_total=12G&BW=200G&L=8192&b=2'
    """
    return encode_pairs((c.key, format_si_exact(state.value(c.key))) for c in CONTROLS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Readout:
    """One readout: its raw value in SI base units (or a word) and its display text."""

    value: float | str | None
    text: str

    @property
    def raw(self) -> str:
        """``value`` as the page's ``data-value`` attribute holds it: ``repr`` of a
        float (exact), the word itself, or empty when there is none."""
        if self.value is None:
            return ""
        return self.value if isinstance(self.value, str) else repr(self.value)


#: The readouts the page shows, by ``data-readout`` name.
READOUT_NAMES: tuple[str, ...] = (
    "bottleneck",
    "crossover",
    "latency",
    "t_compute",
    "t_memory",
    "t_weights",
    "t_kv",
    "kv_share",
    "memory_slope",
    "compute_memory_ratio",
)

REGIME_TEXT = {
    Regime.MEMORY_BOUND: "Memory-bound",
    Regime.COMPUTE_BOUND: "Compute-bound",
    Regime.BALANCED: "Balanced",
}


def crossover_text(crossover: float | None) -> str:
    """B* for display: two decimals, or a sentence when the lines never cross."""
    if crossover is None:
        return "none: memory-bound at every batch"
    if crossover < 1e5:
        return f"≈ {crossover:,.2f}"
    return f"≈ {format_si(crossover)}"


def batch_text(batch: float) -> str:
    """A batch for a summary beside :func:`crossover_text`: a whole batch as
    :func:`~roofline.units.format_batch` prints it, a fractional one (the
    crossover itself) as the crossover line does, so one number never shows
    two ways in one summary (``10,877.54`` and ``10,880``).

    >>> batch_text(1587), batch_text(10877.5449)
    ('1,587', '10,877.54')
    """
    return format_batch(batch) if batch == int(batch) else crossover_text(batch).removeprefix("≈ ")


def readouts(state: State) -> dict[str, Readout]:
    """Every readout of the widget at ``state``, keyed as in :data:`READOUT_NAMES`."""
    return step_readouts(evaluate(state.params))


def step_readouts(step: Step, crossover: float | str | None = "step") -> dict[str, Readout]:
    """The ten readouts of :data:`READOUT_NAMES` for one evaluated step.

    ``crossover`` replaces ``step.crossover_batch`` when given (the realistic
    mode's, whose memory line bends with MoE, is found by the deployment model).
    """
    crossing = step.crossover_batch if crossover == "step" else crossover
    return {
        "bottleneck": Readout(value=step.regime.value, text=REGIME_TEXT[step.regime]),
        "crossover": Readout(value=crossing, text=crossover_text(crossing)),
        "latency": Readout(value=step.latency_s, text=format_time(step.latency_s)),
        "t_compute": Readout(value=step.t_compute_s, text=format_time(step.t_compute_s)),
        "t_memory": Readout(value=step.t_memory_s, text=format_time(step.t_memory_s)),
        "t_weights": Readout(value=step.t_weights_s, text=format_time(step.t_weights_s)),
        "t_kv": Readout(value=step.t_kv_s, text=format_time(step.t_kv_s)),
        "kv_share": Readout(value=step.kv_share, text=format_percent(step.kv_share)),
        "memory_slope": Readout(value=step.memory_slope_s, text=format_time(step.memory_slope_s)),
        "compute_memory_ratio": Readout(value=step.compute_memory_ratio, text=format_ratio(step.compute_memory_ratio)),
    }


def params_line(state: State) -> str:
    """The inputs in one line, as the article prints them.

    >>> params_line(DEFAULT_STATE)
    'N_active=8G, C=80T ops/s, N_total=12G, BW=200G B/s, L=8.19K, b=2B.'
    """
    return (
        f"N_active={format_si(state.active_params)}, C={format_si(state.compute_ops_per_s)} ops/s, "
        f"N_total={format_si(state.total_params)}, BW={format_si(state.bandwidth_bytes_per_s)} B/s, "
        f"L={format_si(state.context_tokens)}, b={format_si(state.kv_bytes_per_element)}B."
    )


def explanation(state: State) -> str:
    """A few sentences on how to read the chart at ``state``; they change with the regime."""
    step: Step = evaluate(state.params)
    b = format_si(state.batch)
    kv = format_percent(step.kv_share)
    if step.crossover_batch is None:
        return (
            f"The memory line climbs {format_time(step.memory_slope_s)} per extra sequence (L × b / BW), "
            f"at least as steep as the compute line's {format_time(step.t_compute_s / state.batch)} (N_active / C), "
            "and it starts higher, so the lines never cross: every batch size is memory-bound. "
            "Batching cannot reach balance here; shorten L, shrink b, or add bandwidth."
        )
    crossover = crossover_text(step.crossover_batch)
    if step.regime is Regime.MEMORY_BOUND:
        head = (
            f"At B = {b} the memory line is on top: each step waits for {format_time(step.t_memory_s)} of reads "
            f"while compute needs only {format_time(step.t_compute_s)}. More sequences are almost free until "
            f"B* {crossover}, since each adds just {format_time(step.memory_slope_s)} of KV reads."
        )
    elif step.regime is Regime.COMPUTE_BOUND:
        head = (
            f"At B = {b} the compute line is on top: past B* {crossover} every extra sequence adds "
            f"{format_time(step.t_compute_s / state.batch)} of arithmetic, so latency grows in step with the batch."
        )
    else:
        head = (
            f"At B = {b} the two lines meet (B* {crossover}): memory and compute finish together, "
            "the most work per step before latency starts to climb."
        )
    if step.kv_share < 0.05:
        tail = f" KV is {kv} of memory time, so L and b barely move the memory line; the weight read (intercept) dominates."
    else:
        tail = (
            f" KV is {kv} of memory time: raising L or b, or lowering BW, tilts the memory line up and pushes B* right."
        )
    return head + tail


# Chart colours per Material scheme ("default" is light, "slate" dark).
THEMES = {
    "default": {
        "compute": "#1e63d0",
        "memory": "#d9480f",
        "max": "#212529",
        "text": "#343a40",
        "grid": "#e1e4e8",
        "now": "#6f42c1",
        "legend": "rgba(255,255,255,0.8)",
    },
    "slate": {
        "compute": "#74a7ff",
        "memory": "#ff9f5a",
        "max": "#f1f3f5",
        "text": "#dee2e6",
        "grid": "#3b4048",
        "now": "#c8a2ff",
        "legend": "rgba(30,33,41,0.8)",
    },
}


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
            "range": [0, max_batch],
            "autorange": False,
            "gridcolor": colors["grid"],
            "zeroline": False,
        },
        "yaxis": {
            "title": {"text": y_title},
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


def figure(state: State, scheme: str = "default") -> dict:
    """The plotly figure (a plain dict) of both lines, their max, B* and the current B.

    Lines are straight, so each trace holds only its ends and the crossover.
    Axes are fixed (no autorange) so updates redraw without relayout.
    """
    colors = THEMES.get(scheme, THEMES["default"])
    p = state.params
    step = evaluate(p)
    ends = sweep(p, [0.0, state.max_batch])
    bends = sweep(p, breakpoints(p, state.max_batch))
    top = max(point.latency_s for point in ends)
    unit, scale = time_unit(top)

    def y(values: list[float]) -> list[float]:
        return [v / scale for v in values]

    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T_compute",
            "x": [pt.batch for pt in ends],
            "y": y([pt.t_compute_s for pt in ends]),
            "line": {"color": colors["compute"], "width": 2, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T_memory",
            "x": [pt.batch for pt in ends],
            "y": y([pt.t_memory_s for pt in ends]),
            "line": {"color": colors["memory"], "width": 2, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T = max of the two",
            "x": [pt.batch for pt in bends],
            "y": y([pt.latency_s for pt in bends]),
            "line": {"color": colors["max"], "width": 4},
        },
    ]
    crossover = step.crossover_batch
    if crossover is not None and 0 < crossover < state.max_batch:
        at = sweep(p, [crossover])[0]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"crossover B* {crossover_text(crossover)}",
                "x": [crossover],
                "y": [at.latency_s / scale],
                "marker": {"size": 11, "color": colors["max"], "symbol": "diamond"},
            }
        )
    y_top = top / scale * 1.08
    layout = chart_layout(colors, state.max_batch, f"time per step ({unit})", y_top)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [now_shape]
    layout["annotations"] = [now_note]
    return {"data": data, "layout": layout}


#: Material's two colour schemes: "default" (light) and "slate" (dark).
SCHEMES: tuple[str, ...] = tuple(THEMES)


def snapshot(state: State, schemes: tuple[str, ...] = SCHEMES) -> dict:
    """Everything the widget shows at ``state``, as JSON-ready data.

    The page has one painter (``docs/assets/javascripts/simulator.js``): the
    build pre-renders snapshots for first paint, and the live widget hands it
    a fresh one after each input, so both draw exactly the same thing.
    ``figures`` holds the chart for each of ``schemes``.
    """
    controls = {}
    for c in CONTROLS:
        value = state.value(c.key)
        lo, hi = _bounds(c, state)
        unit = f" {c.unit}" if c.unit else ""
        controls[c.key] = {
            "position": position_of(c, value, state),
            "max": slider_steps(c, state),
            "text": f"{format_si(value)}{unit}",
            "entry": format_si_exact(value) if len(format_si_exact(value)) <= 8 else format_si(value, 4),
            "range": f"{format_si(lo)} to {format_si(hi)}{unit}",
        }
    return {
        "query": to_query(state),
        "readouts": {name: [r.raw, r.text] for name, r in readouts(state).items()},
        "controls": controls,
        "batch": format_si(state.batch),
        "explanation": explanation(state),
        "params": params_line(state),
        "figures": {scheme: figure(state, scheme) for scheme in schemes},
    }
