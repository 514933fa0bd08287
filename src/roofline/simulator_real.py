"""The simulator's realistic mode: state, URL, readouts and charts, with no DOM.

The article's mode (:mod:`roofline.simulator`) takes the model's inputs
directly. The realistic mode takes a deployment instead: a chip and a model
picked from :mod:`roofline.presets` (their figures editable afterwards), a GPU
count, weight and KV precision, context, batch and a price per GPU-hour. Every
number comes from :mod:`roofline.deployment`, which feeds the article's own
equations.

URL keys (all optional; ``mode=real`` selects this mode):

=========  ===================================  ==========================
key        meaning                              example
=========  ===================================  ==========================
mode       ``real``                             ``mode=real``
hw         hardware preset key                  ``hw=h200``
model      model preset key                     ``model=deepseek-v3``
gpus       GPU count, whole number              ``gpus=8``
wprec      weight precision key                 ``wprec=fp8``
kvprec     KV cache precision key               ``kvprec=fp8``
L          context tokens per sequence          ``L=32K``
B          current batch                        ``B=256``
B_max      right end of the batch axis          ``B_max=1024``
price      US dollars per GPU-hour              ``price=2``
C          override: ops/s per GPU (FLOP/s ÷ 2) ``C=989.5T``
BW         override: bytes/s per GPU            ``BW=4.8T``
HBM        override: memory bytes per GPU       ``HBM=141G``
N_total    override: total parameters           ``N_total=671G``
N_active   override: active parameters          ``N_active=37G``
moe        MoE expert-coverage discount, 1/0    ``moe=0``
attn       attention FLOPs in T_compute, 1/0    ``attn=1``
=========  ===================================  ==========================

>>> state, notices = parse_real_query("mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K")
>>> notices
[]
>>> real_readouts(state)["capacity_wall"].text
'406 sequences'
>>> parse_real_query(to_real_query(state))[0] == state
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from . import deployment as dep
from .model import latency_s, t_compute_s, t_memory_s
from .presets import HARDWARE, KV_PRECISIONS, MODELS, WEIGHT_PRECISIONS, Hardware, Model
from .query import encode_pairs, parse_pairs
from .simulator import (
    READOUT_NAMES,
    SCHEMES,
    THEMES,
    Control,
    Readout,
    chart_layout,
    check_control_value,
    crossover_text,
    mode_of,
    now_marker,
    position_of,
    slider_steps,
    step_readouts,
)
from .units import (
    format_bytes,
    format_percent,
    format_si,
    format_si_exact,
    format_usd,
    time_unit,
)

__all__ = [
    "DEFAULT_REAL_STATE",
    "OVERRIDE_KEYS",
    "PICKERS",
    "REAL_CONTROLS",
    "REAL_READOUT_NAMES",
    "TOGGLES",
    "Option",
    "Picker",
    "RealState",
    "Toggle",
    "at_best_batch",
    "check_real_value",
    "control_value",
    "deployment_of",
    "economics_figure",
    "mode_of",
    "parse_real_query",
    "real_control",
    "real_explanation",
    "real_figure",
    "real_params_line",
    "real_readouts",
    "real_snapshot",
    "to_real_query",
    "with_flag",
    "with_pick",
    "with_real_value",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RealState:
    """Everything the realistic mode shows.

    The five override fields are ``None`` while the picked preset's figure
    applies; a number replaces it (per GPU for the hardware figures).
    """

    hardware: str = "h200"
    model: str = "deepseek-v3"
    gpus: int = 8
    weight_precision: str = "fp8"
    kv_precision: str = "fp8"
    context_tokens: float = 32768.0
    batch: float = 256.0
    max_batch: float = 1024.0
    usd_per_gpu_hour: float = 2.0
    compute_ops_per_s: float | None = None
    bandwidth_bytes_per_s: float | None = None
    memory_bytes: float | None = None
    total_params: float | None = None
    active_params: float | None = None
    moe_discount: bool = True
    attention_flops: bool = False


#: The page's opening view: DeepSeek-V3 in FP8 on 8 × H200 at 32K context.
DEFAULT_REAL_STATE = RealState()


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One choice of a picker: the URL value and what a reader sees."""

    value: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Picker:
    """A drop-down: its URL key, the :class:`RealState` field it sets, its options."""

    key: str
    field: str
    label: str
    help: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Toggle:
    """An on/off switch: its URL key (values 1 and 0) and its field."""

    key: str
    field: str
    label: str
    help: str
    default: bool


PICKERS: tuple[Picker, ...] = (
    Picker(
        key="hw",
        field="hardware",
        label="Hardware",
        help="One chip's datasheet figures (dense); the GPU count multiplies them",
        options=tuple(Option(value=h.key, label=h.name) for h in HARDWARE.values()),
    ),
    Picker(
        key="model",
        field="model",
        label="Model",
        help="Parameters, attention shape and experts from the model's config",
        options=tuple(Option(value=m.key, label=m.name) for m in MODELS.values()),
    ),
    Picker(
        key="wprec",
        field="weight_precision",
        label="Weights",
        help="Bytes per weight and the arithmetic they run in (C moves with it)",
        options=tuple(Option(value=p.key, label=p.label) for p in WEIGHT_PRECISIONS.values()),
    ),
    Picker(
        key="kvprec",
        field="kv_precision",
        label="KV cache",
        help="Bytes per KV element (the article's b, per element)",
        options=tuple(Option(value=p.key, label=p.label) for p in KV_PRECISIONS.values()),
    ),
)

TOGGLES: tuple[Toggle, ...] = (
    Toggle(
        key="moe",
        field="moe_discount",
        label="Read only the experts a batch uses",
        help="MoE: a batch of B reads a share 1 − (1 − k/E)^B of the routed experts (uniform routing)",
        default=True,
    ),
    Toggle(
        key="attn",
        field="attention_flops",
        label="Count attention FLOPs",
        help="Add attention's multiply-adds over the context to T_compute (the article leaves them out)",
        default=False,
    ),
)

#: URL keys of the figures a reader can edit after picking a preset.
OVERRIDE_KEYS: tuple[str, ...] = ("C", "BW", "HBM", "N_total", "N_active")

_D = DEFAULT_REAL_STATE

#: Numeric sliders, in display order. Override sliders start at the picked
#: preset's figure (see :func:`control_value`); ``default`` is the default state's.
REAL_CONTROLS: tuple[Control, ...] = (
    Control(
        key="gpus",
        field="gpus",
        label="GPUs",
        help="N chips; compute, bandwidth and memory scale by N (ideal: no communication)",
        unit="",
        minimum=1,
        maximum=1024,
        default=8,
        log=True,
        integer=True,
    ),
    Control(
        key="L",
        field="context_tokens",
        label="L",
        help="Context (KV length) per sequence, up to 1M tokens",
        unit="tok",
        minimum=128,
        maximum=1e6,
        default=32768,
        log=True,
        integer=True,
    ),
    Control(
        key="B",
        field="batch",
        label="Current B",
        help="Batch size now: the vertical line on the charts",
        unit="",
        minimum=1,
        maximum=131072,
        default=256,
        log=True,
        integer=True,
    ),
    Control(
        key="B_max",
        field="max_batch",
        label="Max B",
        help="Right end of the batch axis",
        unit="",
        minimum=16,
        maximum=131072,
        default=1024,
        log=True,
        integer=True,
    ),
    Control(
        key="price",
        field="usd_per_gpu_hour",
        label="$ / GPU-hour",
        help="Rental price of one chip for an hour",
        unit="$",
        minimum=0.01,
        maximum=100,
        default=2.0,
        log=True,
        integer=False,
    ),
    Control(
        key="C",
        field="compute_ops_per_s",
        label="C per GPU",
        help="Effective compute: dense FLOP/s at the weights' arithmetic ÷ 2",
        unit="ops/s",
        minimum=1e12,
        maximum=1e16,
        default=989.5e12,
        log=True,
        integer=False,
    ),
    Control(
        key="BW",
        field="bandwidth_bytes_per_s",
        label="BW per GPU",
        help="Memory bandwidth of one chip",
        unit="B/s",
        minimum=1e11,
        maximum=2e13,
        default=4.8e12,
        log=True,
        integer=False,
    ),
    Control(
        key="HBM",
        field="memory_bytes",
        label="Memory per GPU",
        help="HBM capacity of one chip: weights and KV must fit in N of them",
        unit="B",
        minimum=1e9,
        maximum=1e12,
        default=141e9,
        log=True,
        integer=False,
    ),
    Control(
        key="N_total",
        field="total_params",
        label="N_total",
        help="Parameters stored (all experts)",
        unit="params",
        minimum=1e8,
        maximum=1e13,
        default=671e9,
        log=True,
        integer=False,
    ),
    Control(
        key="N_active",
        field="active_params",
        label="N_active",
        help="Parameters each token multiplies through",
        unit="params",
        minimum=1e8,
        maximum=1e12,
        default=37e9,
        log=True,
        integer=False,
    ),
)

_CONTROLS = {c.key: c for c in REAL_CONTROLS}
_PICKERS = {p.key: p for p in PICKERS}
_TOGGLES = {t.key: t for t in TOGGLES}
_HARDWARE_OVERRIDES = ("compute_ops_per_s", "bandwidth_bytes_per_s", "memory_bytes")
_MODEL_OVERRIDES = ("total_params", "active_params")


def real_control(key: str) -> Control:
    """The slider whose URL key is ``key``."""
    return _CONTROLS[key]


# ---------------------------------------------------------------- the deployment behind a state


def _hardware_of(state: RealState) -> Hardware:
    chip = HARDWARE[state.hardware]
    changes: dict[str, float] = {}
    if state.compute_ops_per_s is not None:
        rate = "dense_fp8_flops_per_s" if WEIGHT_PRECISIONS[state.weight_precision].math == "fp8" else None
        changes[rate or "dense_bf16_flops_per_s"] = 2 * state.compute_ops_per_s
    if state.bandwidth_bytes_per_s is not None:
        changes["bandwidth_bytes_per_s"] = state.bandwidth_bytes_per_s
    if state.memory_bytes is not None:
        changes["memory_bytes"] = state.memory_bytes
    return replace(chip, **changes) if changes else chip


def _model_of(state: RealState) -> Model:
    served = MODELS[state.model]
    changes: dict[str, float] = {}
    if state.total_params is not None:
        changes["total_params"] = state.total_params
    if state.active_params is not None:
        changes["active_params"] = state.active_params
    return replace(served, **changes) if changes else served


def deployment_of(state: RealState) -> dep.Deployment:
    """The :class:`~roofline.deployment.Deployment` a state describes (overrides applied)."""
    return dep.Deployment(
        hardware=_hardware_of(state),
        model=_model_of(state),
        gpus=state.gpus,
        precision=WEIGHT_PRECISIONS[state.weight_precision],
        kv_bytes_per_element=KV_PRECISIONS[state.kv_precision].bytes_per_element,
        context_tokens=state.context_tokens,
        usd_per_gpu_hour=state.usd_per_gpu_hour,
        moe_discount=state.moe_discount,
        attention_flops=state.attention_flops,
    )


def control_value(state: RealState, key: str) -> float:
    """The value a slider shows: the state's number, or the preset's figure if not overridden.

    >>> control_value(DEFAULT_REAL_STATE, "C")
    989500000000000.0
    >>> control_value(DEFAULT_REAL_STATE, "N_total")
    671000000000.0
    """
    c = real_control(key)
    value = getattr(state, c.field)
    if value is not None:
        return float(value)
    if key == "C":
        return _hardware_of(state).compute_ops_per_s(state.weight_precision)
    if key in ("BW", "HBM"):
        return float(getattr(_hardware_of(state), c.field))
    return float(getattr(_model_of(state), c.field))


# ---------------------------------------------------------------- changing the state


def _bounds(c: Control, state: RealState) -> tuple[float, float]:
    if c.key == "B":
        return c.minimum, state.max_batch
    return c.minimum, c.maximum


def _counts(state: RealState) -> tuple[float, float]:
    """(N_total, N_active) in effect, read without building the Model (which refuses active > total)."""
    served = MODELS[state.model]
    total = state.total_params if state.total_params is not None else served.total_params
    active = state.active_params if state.active_params is not None else served.active_params
    return total, active


def with_real_value(state: RealState, key: str, value: float) -> RealState:
    """``state`` with one slider changed, clamped to its range.

    The current B stays within max B; the GPU count is rounded to a whole
    number; N_active is kept at or below N_total.

    >>> with_real_value(DEFAULT_REAL_STATE, "B", 1e9).batch
    1024.0
    >>> with_real_value(DEFAULT_REAL_STATE, "N_total", 20e9).active_params
    20000000000.0
    """
    c = real_control(key)
    lo, hi = _bounds(c, state)
    number = float(min(max(value, lo), hi))
    if c.integer:
        number = float(round(number))
    new = replace(state, **{c.field: int(number) if c.field == "gpus" else number})
    if new.batch > new.max_batch:
        new = replace(new, batch=new.max_batch)
    total, active = _counts(new)
    if active > total:
        new = replace(new, active_params=total)
    return new


def _fp8_fallback(state: RealState) -> tuple[RealState, list[str]]:
    chip = HARDWARE[state.hardware]
    if chip.supports(state.weight_precision):
        return state, []
    notice = (
        f"wprec={state.weight_precision} needs FP8 tensor cores, which {chip.name} lacks; using w8a16 "
        "(8-bit weights, BF16 math)."
    )
    return replace(state, weight_precision="w8a16"), [notice]


def with_pick(state: RealState, key: str, value: str) -> tuple[RealState, list[str]]:
    """``state`` with one picker changed, and notices for anything adjusted.

    Picking hardware drops the hardware overrides (C, BW, HBM); picking a
    model drops N_total and N_active; picking weights drops C (it belongs
    to the old arithmetic). FP8 weights on a chip without FP8 become w8a16.

    >>> state, notices = with_pick(DEFAULT_REAL_STATE, "hw", "a100-sxm")
    >>> state.weight_precision, notices[0][:21]
    ('w8a16', 'wprec=fp8 needs FP8 t')
    """
    picker = _PICKERS[key]
    allowed = {option.value for option in picker.options}
    if value not in allowed:
        raise ValueError(f"{key} must be one of: {', '.join(sorted(allowed))}; got {value!r}")
    new = replace(state, **{picker.field: value})
    if key == "hw":
        new = replace(new, **dict.fromkeys(_HARDWARE_OVERRIDES))
    elif key == "model":
        new = replace(new, **dict.fromkeys(_MODEL_OVERRIDES))
    elif key == "wprec":
        new = replace(new, compute_ops_per_s=None)
    return _fp8_fallback(new)


def with_flag(state: RealState, key: str, on: bool) -> RealState:
    """``state`` with one toggle set."""
    return replace(state, **{_TOGGLES[key].field: bool(on)})


def _nice_axis(batch: float) -> float:
    """The smallest of 16, 32, 64, … at least ``batch``, within the B_max range."""
    c = real_control("B_max")
    size = c.minimum
    while size < batch and size < c.maximum:
        size *= 2
    return float(min(size, c.maximum))


def at_best_batch(state: RealState) -> RealState:
    """``state`` moved to its best batch, with an axis that shows the wall and the crossover.

    B becomes :func:`roofline.deployment.best_batch` rounded down (1 if
    nothing fits); max B the next power of two at least 1.25 times the
    larger of the wall and the crossover.

    >>> s = at_best_batch(DEFAULT_REAL_STATE)
    >>> s.batch, s.max_batch
    (396.0, 512.0)
    """
    d = deployment_of(state)
    best = dep.best_batch(d)
    wall = dep.capacity_batch(d)
    crossover = dep.crossover_batch(d)
    marks = [float(wall), best or 1.0]
    if crossover is not None:
        marks.append(crossover)
    axis = _nice_axis(1.25 * max(marks))
    batch = float(max(1, math.floor(best))) if best is not None else 1.0
    return replace(state, max_batch=axis, batch=min(batch, axis))


# ---------------------------------------------------------------- the URL


def _describe(c: Control, value: float) -> str:
    if c.unit == "$":
        return format_usd(value)
    return f"{format_si(value)}{' ' + c.unit if c.unit else ''}"


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_FLAG_WORDS = {"1": True, "on": True, "true": True, "yes": True, "0": False, "off": False, "false": False, "no": False}
_KNOWN = {"mode", *_PICKERS, *_CONTROLS, *_TOGGLES}
# Pickers first (they decide the defaults the overrides replace), then max B
# (it bounds B), then everything else.
_ORDER = ["mode", "hw", "model", "wprec", "kvprec", "B_max", "gpus", "L", "B", "price", *OVERRIDE_KEYS, "moe", "attn"]


def parse_real_query(query: str | Mapping[str, str]) -> tuple[RealState, list[str]]:
    """Read a realistic-mode URL query into a :class:`RealState`, with a notice per fix.

    Unknown preset names fall back to the default preset; numbers follow the
    article mode's rules (a malformed, non-finite or non-positive value falls
    back to the default, one outside the range is clamped). Each fix adds a
    plain-text notice naming the parameter; unknown parameters are ignored
    with a notice.

    >>> state, notices = parse_real_query("mode=real&hw=h300&gpus=-2&L=abc")
    >>> state.hardware, state.gpus, state.context_tokens
    ('h200', 8, 32768.0)
    >>> print(notices[0])
    hw='h300' is not a hardware preset; using the default h200.
    """
    pairs = parse_pairs(query.lstrip("?")) if isinstance(query, str) else list(query.items())
    notices: list[str] = []
    seen: dict[str, str] = {}
    for key, raw in pairs:
        if key not in _KNOWN:
            notices.append(f"Ignored unknown parameter {_shorten(key)!r}.")
            continue
        if key in seen:
            notices.append(f"{key} was given more than once; using the last value.")
        seen[key] = raw
    state = DEFAULT_REAL_STATE
    pickers_done = False
    for key in sorted(seen, key=_ORDER.index):
        raw = seen[key]
        shown = _shorten(raw)
        if key == "mode":
            if raw != "real":
                notices.append(f"mode={shown!r} is not 'real'; showing the realistic mode.")
            continue
        if key in _PICKERS:
            picker = _PICKERS[key]
            default = getattr(DEFAULT_REAL_STATE, picker.field)
            if raw.lower() not in {option.value for option in picker.options}:
                kind = {"hw": "hardware preset", "model": "model preset"}.get(key, "precision")
                notices.append(f"{key}={shown!r} is not a {kind}; using the default {default}.")
                continue
            state = replace(state, **{picker.field: raw.lower()})
            continue
        if key in _TOGGLES:
            toggle = _TOGGLES[key]
            if raw.lower() not in _FLAG_WORDS:
                notices.append(f"{key}={shown!r} is not 1 or 0; using {int(toggle.default)}.")
                continue
            state = replace(state, **{toggle.field: _FLAG_WORDS[raw.lower()]})
            continue
        if pickers_done is False:
            state, more = _fp8_fallback(state)
            notices.extend(more)
            pickers_done = True
        c = real_control(key)
        fallback = (
            "the preset's figure" if key in OVERRIDE_KEYS else f"the default {_describe(c, getattr(_D, c.field))}"
        )
        value, problem = check_real_value(key, raw, state)
        if value is None:
            notices.append(f"{problem}; using {fallback}.")
            continue
        if problem:
            notices.append(f"{problem}; using {_describe(c, value)}.")
        if c.integer and value != round(value):
            notices.append(f"{key}={shown} is not a whole number; using {round(value)}.")
        active_before = _counts(state)[1]
        state = with_real_value(state, key, value)
        total, active = _counts(state)
        if key == "N_total" and active < active_before:
            notices.append(f"N_total={shown} is below N_active; lowering N_active to {format_si(total)} params.")
        if key == "N_active" and active < value:
            notices.append(f"N_active={shown} is above N_total; using {format_si(total)} params.")
    if not pickers_done:
        state, more = _fp8_fallback(state)
        notices.extend(more)
    return state, notices


def check_real_value(key: str, raw: str, state: RealState = DEFAULT_REAL_STATE) -> tuple[float | None, str]:
    """Check the text ``raw`` typed or linked for slider ``key`` (as :func:`roofline.simulator.check_value`).

    Returns ``(value, "")`` when usable as it is, ``(clamped, problem)`` when
    outside the slider's range, ``(None, problem)`` when not a positive finite
    number. ``problem`` names the parameter; callers add what they do instead.

    >>> check_real_value("gpus", "8")
    (8.0, '')
    >>> check_real_value("price", "-1")
    (None, 'price=-1 is not allowed (price must be > 0)')
    >>> check_real_value("B", "5000")
    (1024.0, 'B=5000 is above the range 1 to 1.02K')
    """
    c = real_control(key)
    return check_control_value(c, raw, *_bounds(c, state), describe=_describe)


def to_real_query(state: RealState) -> str:
    """The URL query that :func:`parse_real_query` reads back as exactly ``state``.

    Overrides appear only when set, toggles only when not at their default.

    >>> to_real_query(DEFAULT_REAL_STATE)
    'mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32768&B=256&B_max=1024&price=2'
    """
    pairs = [
        ("mode", "real"),
        ("hw", state.hardware),
        ("model", state.model),
        ("gpus", str(state.gpus)),
        ("wprec", state.weight_precision),
        ("kvprec", state.kv_precision),
        ("L", format_si_exact(state.context_tokens)),
        ("B", format_si_exact(state.batch)),
        ("B_max", format_si_exact(state.max_batch)),
        ("price", format_si_exact(state.usd_per_gpu_hour)),
    ]
    for key in OVERRIDE_KEYS:
        value = getattr(state, real_control(key).field)
        if value is not None:
            pairs.append((key, format_si_exact(value)))
    for toggle in TOGGLES:
        if getattr(state, toggle.field) != toggle.default:
            pairs.append((toggle.key, "1" if getattr(state, toggle.field) else "0"))
    return encode_pairs(pairs)


# ---------------------------------------------------------------- readouts

#: The readouts the realistic mode shows, by ``data-readout`` name: the
#: article's ten first, then the deployment's.
REAL_READOUT_NAMES: tuple[str, ...] = (
    *READOUT_NAMES,
    "capacity_wall",
    "fits",
    "best_batch",
    "throughput",
    "throughput_total",
    "per_user",
    "cost",
    "coverage",
    "weights",
    "weights_read",
    "memory",
    "kv_per_token",
    "kv_per_sequence",
    "context_kv_equals_weights",
    "context_no_crossover",
    "min_gpus",
)

_NOTHING_FITS = "none: nothing fits"


def _batch_text(batch: float) -> str:
    return f"{batch:,.0f}" if batch < 1e5 else format_si(batch)


def real_readouts(state: RealState) -> dict[str, Readout]:
    """Every readout of the realistic mode at ``state``, keyed as in :data:`REAL_READOUT_NAMES`.

    ``capacity_wall`` is the largest batch that fits as a float (a whole
    number), or ``None`` (empty ``data-value``) when not one sequence fits;
    ``throughput`` is tokens/s per GPU and ``cost`` dollars per million output
    tokens, both ``None`` when nothing fits. ``fits`` is the word ``yes`` or
    ``no`` for the current B.

    >>> shown = real_readouts(DEFAULT_REAL_STATE)
    >>> shown["crossover"].text, shown["throughput"].text, shown["cost"].text
    ('none: memory-bound at every batch', '1.27K tok/s', '$0.437')
    """
    d = deployment_of(state)
    report = dep.evaluate_deployment(d, state.batch)
    step = report.step
    wall = report.capacity_batch
    any_fits = wall >= 1
    if any_fits:
        wall_readout = Readout(value=float(wall), text=f"{wall:,} sequence{'s' if wall != 1 else ''}")
        verdict = "yes" if report.fits else "no"
        fits_text = (
            f"Yes: B = {_batch_text(report.batch)} fits"
            if report.fits
            else f"No: B = {_batch_text(report.batch)} is past the wall"
        )
    else:
        short = "the weights alone do not fit" if not report.weights_fit else "not one sequence fits"
        wall_readout = Readout(value=None, text=f"none: {short}")
        verdict, fits_text = "no", f"No: {short}"

    def maybe(value: float | None, text: str) -> Readout:
        return Readout(value=value, text=text if value is not None else _NOTHING_FITS)

    tokens_gpu = report.tokens_per_s_per_gpu
    tokens_all = report.tokens_per_s
    per_user = report.tokens_per_s_per_sequence
    cost = report.usd_per_million_tokens
    best = report.best_batch
    kv_context = report.kv_equals_weights_context
    no_cross = report.no_crossover_context
    return {
        **step_readouts(step, report.crossover_batch),
        "capacity_wall": wall_readout,
        "fits": Readout(value=verdict, text=fits_text),
        "best_batch": maybe(best, _batch_text(best) if best is not None else ""),
        "throughput": maybe(tokens_gpu, f"{format_si(tokens_gpu)} tok/s" if tokens_gpu is not None else ""),
        "throughput_total": maybe(tokens_all, f"{format_si(tokens_all)} tok/s" if tokens_all is not None else ""),
        "per_user": maybe(per_user, f"{format_si(per_user)} tok/s" if per_user is not None else ""),
        "cost": maybe(cost, format_usd(cost) if cost is not None else ""),
        "coverage": Readout(value=report.expert_coverage, text=format_percent(report.expert_coverage)),
        "weights": Readout(value=report.weight_bytes, text=format_bytes(report.weight_bytes)),
        "weights_read": Readout(value=report.weight_bytes_read, text=format_bytes(report.weight_bytes_read)),
        "memory": Readout(value=report.memory_bytes, text=format_bytes(report.memory_bytes)),
        "kv_per_token": Readout(value=report.kv_bytes_per_token, text=format_bytes(report.kv_bytes_per_token)),
        "kv_per_sequence": Readout(value=report.kv_bytes_per_sequence, text=format_bytes(report.kv_bytes_per_sequence)),
        "context_kv_equals_weights": Readout(
            value=kv_context,
            text=f"{format_si(kv_context)} tokens" if kv_context is not None else "none: windows cap the KV",
        ),
        "context_no_crossover": Readout(
            value=no_cross,
            text=f"{format_si(no_cross)} tokens" if no_cross is not None else "none: a crossover exists at every L",
        ),
        "min_gpus": Readout(value=float(report.min_gpus), text=f"{report.min_gpus:,}"),
    }


def real_params_line(state: RealState) -> str:
    """The deployment in one line, with the figures the model uses.

    >>> real_params_line(DEFAULT_REAL_STATE)
    '8 × NVIDIA H200 SXM, DeepSeek-V3 (671G total, 37G active), FP8 weights, FP8 math, KV FP8 (1 byte), L=32.8K, $2.00/GPU-hour.'
    """
    d = deployment_of(state)
    kv = KV_PRECISIONS[state.kv_precision]
    size = format_si(kv.bytes_per_element)
    return (
        f"{d.gpus} × {d.hardware.name}, {d.model.name} ({format_si(d.model.total_params)} total, "
        f"{format_si(d.model.active_params)} active), {d.precision.label}, KV {kv.key.upper()} "
        f"({size} byte{'s' if kv.bytes_per_element != 1 else ''}), L={format_si(d.context_tokens)}, "
        f"{format_usd(d.usd_per_gpu_hour)}/GPU-hour."
    )


def real_explanation(state: RealState) -> str:
    """A few sentences on what limits this deployment; they change with the case."""
    d = deployment_of(state)
    report = dep.evaluate_deployment(d, state.batch)
    if report.problem is not None:
        return report.problem + " Add GPUs, pick fewer bytes per weight, or shorten the context."
    wall = f"{report.capacity_batch:,}"
    memory = format_bytes(report.memory_bytes)
    head = (
        f"The weights take {format_bytes(report.weight_bytes)} of {memory}; the rest holds the KV of "
        f"{wall} sequences of {format_si(d.context_tokens)} tokens, so batches right of {wall} do not fit."
    )
    crossover = report.crossover_batch
    if crossover is None:
        limit = report.no_crossover_context
        body = (
            f" Past {format_si(limit)} tokens of context the memory line climbs at least as fast as the compute line, "
            "so the lines never cross: every batch is memory-bound and the memory wall is what stops the batch."
            if limit is not None
            else " The lines never cross: every batch is memory-bound."
        )
    elif crossover > report.capacity_batch:
        body = (
            f" The lines would cross at B* {crossover_text(crossover)}, beyond the wall: the sweet spot is out of "
            "reach, and memory capacity, not the crossover, sets the batch."
        )
    else:
        body = (
            f" The lines cross at B* {crossover_text(crossover)}, inside the wall: the sweet spot is reachable, "
            "and past it more sequences only add latency."
        )
    cost = report.usd_per_million_tokens
    tail = (
        f" At B = {_batch_text(report.batch)} each GPU makes {format_si(report.tokens_per_s_per_gpu or 0)} tokens/s, "
        f"about {format_usd(cost or 0)} per million output tokens at {format_usd(d.usd_per_gpu_hour)} per GPU-hour."
    )
    return head + body + tail


# ---------------------------------------------------------------- charts


def _colors(scheme: str) -> dict[str, str]:
    base = THEMES.get(scheme, THEMES["default"])
    extra = {
        "default": {"wall": "#c92a2a", "shade": "rgba(134, 142, 150, 0.18)", "cost": "#2b8a3e"},
        "slate": {"wall": "#ff8787", "shade": "rgba(173, 181, 189, 0.16)", "cost": "#8ce99a"},
    }
    return base | extra.get(scheme, extra["default"])


def _grid(low: float, high: float, count: int) -> list[float]:
    ratio = (high / low) ** (1 / (count - 1))
    return [low * ratio**i for i in range(count)]


def _batches(d: dep.Deployment, state: RealState, curved: bool) -> list[float]:
    """Batches to evaluate: ends, crossover, wall and B, plus a grid where lines bend."""
    top = state.max_batch
    marks = {top, min(state.batch, top)}
    crossover = dep.crossover_batch(d)
    wall = dep.capacity_batch(d)
    if crossover is not None and 0 < crossover < top:
        marks.add(crossover)
    if 0 < wall < top:
        marks.add(float(wall))
    if curved:
        marks |= set(_grid(1.0, top, 40)) | {top * i / 16 for i in range(1, 16)}
        start = 1.0
    else:
        start = 0.0
    return sorted({start, *(b for b in marks if b >= start)})


def _memory_shapes(d: dep.Deployment, state: RealState, colors: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """Shading right of the memory wall and the wall itself, as layout shapes and annotations."""
    top = state.max_batch
    wall = dep.capacity_batch(d)
    shapes: list[dict] = []
    notes: list[dict] = []
    if wall < top:
        left = float(wall)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": left,
                "x1": top,
                "y0": 0,
                "y1": 1,
                "fillcolor": colors["shade"],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        label = "does not fit in memory" if wall >= 1 else "nothing fits in memory"
        notes.append(
            {
                "x": (left + top) / 2,
                "y": 0.55,
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "font": {"color": colors["text"], "size": 11},
            }
        )
    if 1 <= wall < top:
        shapes.append(
            {
                "type": "line",
                "x0": wall,
                "x1": wall,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": colors["wall"], "width": 3},
            }
        )
        notes.append(
            {
                "x": wall,
                "y": 0.5,
                "yref": "paper",
                "text": f"memory wall B = {wall:,}",
                "textangle": -90,
                "showarrow": False,
                "xanchor": "right",
                "font": {"color": colors["wall"]},
            }
        )
    return shapes, notes


def real_figure(state: RealState, scheme: str = "default") -> dict:
    """The article's chart for this deployment (a plain dict for ``Plotly.react``).

    T_compute, T_memory (curved when the MoE discount applies: small batches
    read fewer experts) and their max against B; the crossover if it is on
    the axis; batches past the memory wall shaded and the wall marked; the
    current B dotted. Axes are fixed.

    >>> fig = real_figure(DEFAULT_REAL_STATE)
    >>> [t["name"] for t in fig["data"]]
    ['T_compute', 'T_memory', 'T = max of the two']
    >>> len(fig["data"][0]["x"]) <= 80, fig["layout"]["xaxis"]["autorange"]
    (True, False)
    """
    colors = _colors(scheme)
    d = deployment_of(state)
    curved = d.moe_discount and d.model.is_moe
    batches = _batches(d, state, curved)
    compute, memory, top_line = [], [], []
    for b in batches:
        # The article's equations at B (B = 0 only for straight lines, whose weight read is fixed).
        p = dep.params_at(d, max(b, 1.0))
        compute.append(t_compute_s(p, b))
        memory.append(t_memory_s(p, b))
        top_line.append(latency_s(p, b))
    unit, scale = time_unit(max(top_line))

    def y(values: list[float]) -> list[float]:
        return [v / scale for v in values]

    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T_compute",
            "x": batches,
            "y": y(compute),
            "line": {"color": colors["compute"], "width": 2, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T_memory",
            "x": batches,
            "y": y(memory),
            "line": {"color": colors["memory"], "width": 2, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "T = max of the two",
            "x": batches,
            "y": y(top_line),
            "line": {"color": colors["max"], "width": 4},
        },
    ]
    crossover = dep.crossover_batch(d)
    if crossover is not None and 0 < crossover < state.max_batch:
        at = dep.step_at(d, max(crossover, 1.0))
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
    layout = chart_layout(colors, state.max_batch, f"time per step ({unit})", max(top_line) / scale * 1.08)
    shapes, notes = _memory_shapes(d, state, colors)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [*shapes, now_shape]
    layout["annotations"] = [*notes, now_note]
    return {"data": data, "layout": layout}


def economics_figure(state: RealState, scheme: str = "default") -> dict:
    """Tokens/s per GPU (left axis) and dollars per million output tokens (right, log) against B.

    Same shading and wall as :func:`real_figure`; axes fixed.

    >>> fig = economics_figure(DEFAULT_REAL_STATE)
    >>> [t["yaxis"] for t in fig["data"]], fig["layout"]["yaxis2"]["type"]
    (['y', 'y2'], 'log')
    """
    colors = _colors(scheme)
    d = deployment_of(state)
    batches = [b for b in _batches(d, state, curved=True) if b >= 1]
    per_gpu = [dep.tokens_per_s_per_gpu(d, b) for b in batches]
    cost = [dep.cost_usd_per_million_tokens(d, b) for b in batches]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "tokens/s per GPU",
            "x": batches,
            "y": per_gpu,
            "yaxis": "y",
            "line": {"color": colors["compute"], "width": 3},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "$ per 1M output tokens",
            "x": batches,
            "y": cost,
            "yaxis": "y2",
            "line": {"color": colors["cost"], "width": 3, "dash": "dash"},
        },
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
    shapes, notes = _memory_shapes(d, state, colors)
    now_shape, now_note = now_marker(state.batch, colors)
    layout["shapes"] = [*shapes, now_shape]
    layout["annotations"] = [*notes, now_note]
    return {"data": data, "layout": layout}


def real_snapshot(state: RealState, schemes: tuple[str, ...] = SCHEMES) -> dict:
    """Everything the realistic mode shows at ``state``, as JSON-ready data.

    Shaped like :func:`roofline.simulator.snapshot` so one painter can draw
    either mode: ``query``, ``readouts`` (name -> [raw, text]), ``controls``
    (key -> position/max/text/entry/range, plus ``overridden`` for the five
    editable preset figures), ``batch``, ``explanation``, ``params`` and
    ``figures`` (scheme -> the article's chart for this deployment), plus
    ``mode`` ("real"), ``pickers`` (key -> chosen value), ``toggles``
    (key -> bool) and ``economics`` (scheme -> the tokens/s and cost chart).

    >>> snap = real_snapshot(DEFAULT_REAL_STATE, schemes=())
    >>> snap["mode"], snap["pickers"]["hw"], snap["controls"]["C"]["overridden"], snap["readouts"]["capacity_wall"]
    ('real', 'h200', False, ['396.0', '396 sequences'])
    """
    controls = {}
    for c in REAL_CONTROLS:
        value = control_value(state, c.key)
        lo, hi = _bounds(c, state)
        exact = format_si_exact(value)
        controls[c.key] = {
            "position": position_of(c, value, state),  # type: ignore[arg-type]
            "max": slider_steps(c, state),  # type: ignore[arg-type]
            "text": _describe(c, value),
            "entry": exact if len(exact) <= 8 else format_si(value, 4),
            "range": f"{_describe(c, lo)} to {_describe(c, hi)}",
            "overridden": c.key in OVERRIDE_KEYS and getattr(state, c.field) is not None,
        }
    return {
        "mode": "real",
        "query": to_real_query(state),
        "readouts": {name: [r.raw, r.text] for name, r in real_readouts(state).items()},
        "controls": controls,
        "pickers": {p.key: getattr(state, p.field) for p in PICKERS},
        "toggles": {t.key: bool(getattr(state, t.field)) for t in TOGGLES},
        "batch": format_si(state.batch),
        "explanation": real_explanation(state),
        "params": real_params_line(state),
        "figures": {scheme: real_figure(state, scheme) for scheme in schemes},
        "economics": {scheme: economics_figure(state, scheme) for scheme in schemes},
    }
