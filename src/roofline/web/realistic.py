"""The simulator's realistic mode: a deployment from presets, with no DOM.

Implements :class:`roofline.web.mode.Mode` (:data:`REALISTIC`); the URL,
sliders, shared readouts, charts and snapshot come from there. The
article's mode (:mod:`roofline.web.article`) takes the model's inputs
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
attn       attention FLOPs in T_compute, 1/0    ``attn=0``
tp         tensor-parallel chips per stage      ``tp=8``
ep         expert-parallel chips (MoE only)     ``ep=8``
dpa        data-parallel attention, 1/0         ``dpa=1``
pp         pipeline stages                      ``pp=2``
ideal      the article's even split, 1/0        ``ideal=1``
tpot       latency target, ms per output token  ``tpot=50``
spec       speculative decoding (MTP), 1/0      ``spec=1``
draft      tokens drafted per step, k           ``draft=2``
accept     acceptance per drafted token, 0–1    ``accept=0.8``
aprec      attention's arithmetic (or auto)     ``aprec=fp8``
serve      stack the serving estimate, 1/0      ``serve=1``
out        output share of tokens, percent      ``out=25``
=========  ===================================  ==========================

``serve`` and ``out`` are :mod:`roofline.web.serving_view`: L is read as the
mean context, and ``out`` percent of a sequence's tokens are output.

The layout keys ``tp``, ``ep``, ``dpa`` and ``pp`` mean what the engines'
flags mean (:mod:`roofline.deployment.layout`). With none of them the
layout is what the engines launch for that model on that many GPUs
(:func:`roofline.deployment.default_layout`, its source shown); once one
is given the rest take plain values, as the CLI's flags do: ``ep`` 1,
``dpa`` off, ``tp`` the GPUs over ``pp`` and ``pp`` the GPUs over ``tp``.
``ideal=1`` is the article's even split and takes no sizes. A layout the
deployment cannot run (:func:`roofline.deployment.check_layout`) falls
back to the engines' default with a notice that names it.

Attention's arithmetic counts by default (``attn=0`` leaves it out, as the
article does). With ``spec=1`` every readout that speaks of a step or of
tokens is the speculative one: the cards and the step-time chart show the
verify step, and the crossover, best batch, throughput and cost follow the
lines :func:`roofline.frontier.deployment_lines` gives, as the CLI's ``--mtp`` does.

>>> state, notices = REALISTIC.parse("mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K")
>>> notices
[]
>>> REALISTIC.readouts(state)["capacity_wall"].text
'50 sequences'
>>> REALISTIC.readouts(REALISTIC.parse("mode=real&L=32K&ideal=1")[0])["capacity_wall"].text
'406 sequences'
>>> REALISTIC.parse(REALISTIC.encode(state))[0] == state
True
>>> REALISTIC.encode(DEFAULT_REAL_STATE)
'mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32768&B=32&B_max=128&price=2'
>>> print(REALISTIC.parse("mode=real&tp=3")[1][0])
tp=3 does not divide the 8 GPUs (the stages need equal chips); using the engine default tp8.
>>> print(REALISTIC.parse("mode=real&hw=h300&gpus=-2&L=abc")[1][0])
hw='h300' is not a hardware preset; using the default h200.
"""


from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import deployment as dep
from .. import frontier, serving
from ..deployment.layout import Layout
from ..model import Step, latency_s, t_compute_s, t_memory_s
from ..presets import HARDWARE, KV_PRECISIONS, MATH_PRECISIONS, MODELS, WEIGHT_PRECISIONS, Hardware, Model
from ..sentences import READOUT_NAMES, crossover_text
from ..speculative import DEFAULT_ACCEPTANCE, MAX_DRAFT_TOKENS, Speculation, mtp_speculation
from ..units import (
    format_batch,
    format_bytes,
    format_number,
    format_percent,
    format_si,
    format_time,
    format_tokens,
    format_usd,
    parse_si,
)
from . import serving_view as serve
from .controls import Control, Option, Picker, Toggle, exact_text, pickers, sliders, toggles
from .frontier_view import FRONTIER_READOUT_NAMES, frontier_lines_at, frontier_report
from .mode import FLAG_WORDS, LineSamples, Mode, Readout, active_total_notices

__all__ = [
    "CONTROLS",
    "DEFAULT_REAL_STATE",
    "LAYOUT_KEYS",
    "OVERRIDE_KEYS",
    "PICKERS",
    "REALISTIC",
    "REAL_READOUT_NAMES",
    "TOGGLES",
    "RealState",
    "RealisticMode",
    "at_best_batch",
    "control_value",
    "deployment_of",
    "layout_of",
    "speculation_of",
    "with_pick",
]



@dataclass(frozen=True, slots=True, kw_only=True)
class RealState:
    """Everything the realistic mode shows.

    The five override fields are ``None`` while the picked preset's figure
    applies; a number replaces it (per GPU for the hardware figures).

    The field defaults are the article's picture, the even split with
    attention's arithmetic left out, because the site's pages build their
    deployments on them (``roofline_site.deployment``'s cases) and their
    simulator links then say so (``ideal=1&attn=0``). The simulator opens on
    :data:`DEFAULT_REAL_STATE` instead, and a URL is read against it: the
    engines' default layout with attention counted.
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
    # The parallel layout, as the pickers hold it: "auto" (not given) or a whole number; dpa "auto", "1" or "0".
    tp: str = "auto"
    ep: str = "auto"
    pp: str = "auto"
    dp_attention: str = "auto"
    ideal_layout: bool = True
    # The frontier: a latency target (ms per output token, None for none) and speculative decoding.
    tpot_target_ms: float | None = None
    speculation: bool = False
    draft_tokens: int = DEFAULT_ACCEPTANCE.draft_tokens
    acceptance: float = DEFAULT_ACCEPTANCE.acceptance
    attention_precision: str = "auto"
    serving_estimate: bool = False
    output_percent: float = serve.DEFAULT_OUTPUT_PERCENT


#: The page's opening view: DeepSeek-V3 in FP8 on 8 × H200 at 32K context, in
#: the layout SGLang launches on one node (TP8, so every GPU holds the whole MLA
#: cache: a wall of 49 sequences), with attention counted; B = 32 sits inside
#: the wall and max B = 128 shows the wall and the shade past it.
DEFAULT_REAL_STATE = RealState(batch=32.0, max_batch=128.0, attention_flops=True, ideal_layout=False)

#: The layout pickers' URL keys.
LAYOUT_KEYS: tuple[str, ...] = ("tp", "ep", "pp", "dpa")

#: Sizes the layout pickers offer (any whole number is read from a URL).
_SIZES: tuple[int, ...] = tuple(sorted({*range(1, 17), *(2**k for k in range(5, 11))}))

_AUTO = Option(value="auto", label="auto: the engines' default")

#: The drop-downs' option lists, by the name ``controls.toml`` gives them.
_OPTIONS: dict[str, tuple[Option, ...]] = {
    "hardware": tuple(Option(value=h.key, label=h.name) for h in HARDWARE.values()),
    "models": tuple(Option(value=m.key, label=m.name) for m in MODELS.values()),
    "weight_precisions": tuple(Option(value=p.key, label=p.label) for p in WEIGHT_PRECISIONS.values()),
    "kv_precisions": tuple(Option(value=p.key, label=p.label) for p in KV_PRECISIONS.values()),
    "attention_precisions": (
        Option(value="auto", label="Auto: as the model cites, else the weights'"),
        *(Option(value=key, label=key.upper()) for key in MATH_PRECISIONS),
    ),
    "sizes": (_AUTO, *(Option(value=str(n), label=str(n)) for n in _SIZES)),
    "on_off": (_AUTO, Option(value="1", label="on"), Option(value="0", label="off")),
}

#: The drop-downs, in display order (``controls.toml``).
PICKERS: tuple[Picker, ...] = pickers(
    "real_pickers",
    _OPTIONS,
    {
        "cited_attention": ", ".join(
            f"{m.name}: {m.attention_precision.upper()}" for m in MODELS.values() if m.attention_precision
        )
    },
)

_LAYOUT_PICKERS: tuple[Picker, ...] = tuple(p for p in PICKERS if p.key in LAYOUT_KEYS)

#: The switches, in display order (``controls.toml``).
TOGGLES: tuple[Toggle, ...] = toggles("real_toggles", {"acceptance_source": DEFAULT_ACCEPTANCE.source.split(";")[0]})

#: URL keys of the figures a reader can edit after picking a preset.
OVERRIDE_KEYS: tuple[str, ...] = ("C", "BW", "HBM", "N_total", "N_active")

_D = DEFAULT_REAL_STATE

#: Numeric sliders, in display order (``controls.toml``). Override sliders
#: start at the picked preset's figure (see :func:`control_value`); ``default``
#: is the default state's, and for the overrides its presets' figures.
CONTROLS: tuple[Control, ...] = sliders(
    "real",
    {
        "output_percent": serve.DEFAULT_OUTPUT_PERCENT,
        "draft_tokens": DEFAULT_ACCEPTANCE.draft_tokens,
        "acceptance": DEFAULT_ACCEPTANCE.acceptance,
        "compute_ops_per_s": HARDWARE[_D.hardware].compute_ops_per_s(_D.weight_precision),
        "bandwidth_bytes_per_s": HARDWARE[_D.hardware].bandwidth_bytes_per_s,
        "memory_bytes": HARDWARE[_D.hardware].memory_bytes,
        "total_params": MODELS[_D.model].total_params,
        "active_params": MODELS[_D.model].active_params,
    },
)

_CONTROLS = {c.key: c for c in CONTROLS}
_HARDWARE_OVERRIDES = ("compute_ops_per_s", "bandwidth_bytes_per_s", "memory_bytes")
_MODEL_OVERRIDES = ("total_params", "active_params")
#: The overrides each picker drops (they belong to the old choice), and the choice in words.
_PICK_DROPS = {
    "hw": ("the hardware", _HARDWARE_OVERRIDES),
    "model": ("the model", _MODEL_OVERRIDES),
    "wprec": ("the weight precision", ("compute_ops_per_s",)),
}






# ---------------------------------------------------------------- the deployment behind a state


def _given(state: RealState, names: tuple[str, ...]) -> dict[str, float]:
    """The override fields ``names`` a reader has set (not None), by name."""
    return {name: value for name in names if (value := getattr(state, name)) is not None}


def _hardware_of(state: RealState) -> Hardware:
    chip = HARDWARE[state.hardware]
    changes = _given(state, ("bandwidth_bytes_per_s", "memory_bytes"))
    if state.compute_ops_per_s is not None:
        rate = "dense_fp8_flops_per_s" if WEIGHT_PRECISIONS[state.weight_precision].math == "fp8" else None
        changes[rate or "dense_bf16_flops_per_s"] = 2 * state.compute_ops_per_s
    return replace(chip, **changes) if changes else chip


def _model_of(state: RealState) -> Model:
    served = MODELS[state.model]
    changes = _given(state, _MODEL_OVERRIDES)
    return replace(served, **changes) if changes else served


def _layout_given(state: RealState) -> bool:
    return state.ideal_layout or any(
        value != "auto" for value in (state.tp, state.ep, state.pp, state.dp_attention)
    )


def layout_of(state: RealState) -> Layout | None:
    """The layout the pickers ask for, checked against the state's model and GPUs; None for the engines' default.

    Sizes left at ``auto`` take plain values once any is given (module
    docstring). The checks are :func:`roofline.deployment.check_layout`'s.

    >>> layout_of(replace(DEFAULT_REAL_STATE, pp="2")).key, layout_of(DEFAULT_REAL_STATE) is None
    ('tp4-pp2', True)

    Raises:
        ValueError: naming the size, for a layout that cannot run the state's model on its GPUs.
    """
    if not _layout_given(state):
        return None
    if state.ideal_layout:
        return dep.IDEAL
    gpus = state.gpus
    tp = None if state.tp == "auto" else int(state.tp)
    pp = None if state.pp == "auto" else int(state.pp)
    if tp is None and pp is None:
        tp, pp = gpus, 1
    elif tp is None:
        if gpus % pp:
            raise ValueError(f"pp={pp} does not divide the {gpus:,} GPUs (the stages need equal chips)")
        tp = gpus // pp
    elif pp is None:
        if gpus % tp:
            raise ValueError(f"tp={tp} does not divide the {gpus:,} GPUs (the stages need equal chips)")
        pp = gpus // tp
    layout = Layout(tp=tp, pp=pp, ep=1 if state.ep == "auto" else int(state.ep), dp_attention=state.dp_attention == "1")
    return dep.check_layout(layout, _model_of(state), gpus)


def _plain_layout(state: RealState) -> RealState:
    """``state`` with every layout picker back at the engines' default."""
    return replace(state, tp="auto", ep="auto", pp="auto", dp_attention="auto", ideal_layout=False)


@lru_cache(maxsize=16)
def deployment_of(state: RealState) -> dep.Deployment:
    """The :class:`~roofline.deployment.Deployment` a state describes (overrides and layout applied).

    A layout the deployment cannot run gives the engines' default here; the
    URL and the page's inputs correct the state with a notice first
    (:meth:`RealisticMode.corrected`). Remembered: one render asks for it
    from every readout and chart.
    """
    try:
        layout = layout_of(state)
    except ValueError:
        layout = None
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
        attention_precision=None if state.attention_precision == "auto" else state.attention_precision,
        layout=layout,
    )


def _serving_deployment(state: RealState) -> dep.Deployment:
    """The deployment the serving estimate is asked about: the state's, layout and all."""
    return deployment_of(state)


def _serving(state: RealState) -> serving.Estimate | None:
    """The serving estimate at B when it is switched on and can be made, else None (the readouts say why)."""
    if not state.serving_estimate:
        return None
    try:
        return serve.estimate_of(_serving_deployment(state), state.batch, state.output_percent, speculation_of(state))
    except ValueError:
        return None


def _layout_words(state: RealState) -> str:
    """The layout keys a state gives, as a reader typed them (``tp=3, pp=2``)."""
    given = [(key, getattr(state, field)) for key, field in (("tp", "tp"), ("ep", "ep"), ("pp", "pp"), ("dpa", "dp_attention"))]
    return ", ".join(f"{key}={value}" for key, value in given if value != "auto")


def _corrected(state: RealState) -> tuple[RealState, list[str]]:
    """``state`` with a layout that cannot run replaced by the engines' default, and a notice naming it."""
    if not _layout_given(state):
        return state, []
    if state.ideal_layout and _layout_words(state):
        words = _layout_words(state)
        return replace(_plain_layout(state), ideal_layout=True), [
            f"ideal=1 is the article's even split and takes no sizes; dropping {words}."
        ]
    try:
        layout_of(state)
    except ValueError as error:
        plain = _plain_layout(state)
        default = dep.default_layout(_model_of(plain), plain.gpus, _hardware_of(plain))[0]
        reason = str(error)
        # check_layout's messages name the layout by its key; the size checks above name the URL key already.
        named = reason if reason.startswith(("tp=", "pp=")) else f"{_layout_words(state)}: {reason}"
        return plain, [f"{named}; using the engine default {default.key}."]
    return state, []


def _read_size(state: RealState, picker: Picker, raw: str, shown: str) -> tuple[RealState, list[str]]:
    """A layout size from the URL: ``auto`` or a whole number from 1 to the most GPUs; else a notice."""
    text = raw.strip().lower()
    if picker.key == "dpa":
        if text == "auto":
            return replace(state, dp_attention="auto"), []
        if text not in FLAG_WORDS:
            return state, [f"dpa={shown!r} is not 1 or 0; using the engine default."]
        return replace(state, dp_attention="1" if FLAG_WORDS[text] else "0"), []
    if text == "auto":
        return replace(state, **{picker.field: "auto"}), []
    most = int(_CONTROLS["gpus"].maximum)
    try:
        value = parse_si(raw)
    except ValueError:
        return state, [f"{picker.key}={shown!r} is not a whole number of chips; using the engine default."]
    if value < 1:
        return state, [f"{picker.key}={shown} is not allowed ({picker.key} must be a whole number >= 1); using the engine default."]
    if value != int(value):
        return state, [f"{picker.key}={shown} is not a whole number of chips; using the engine default."]
    if value > most:
        return state, [f"{picker.key}={shown} is more than the {most:,} GPUs the simulator allows; using the engine default."]
    return replace(state, **{picker.field: str(int(value))}), []


def speculation_of(state: RealState) -> Speculation | None:
    """The drafter a state runs (the cited MTP figure's, k and acceptance as set), or None when off.

    >>> round(speculation_of(replace(DEFAULT_REAL_STATE, speculation=True)).tokens_per_step, 2)
    1.85
    """
    if not state.speculation:
        return None
    return mtp_speculation(draft_tokens=min(int(state.draft_tokens), MAX_DRAFT_TOKENS), acceptance=state.acceptance)


def control_value(state: RealState, key: str) -> float:
    """The value a slider shows: the state's number, or the preset's figure if not overridden.

    >>> control_value(DEFAULT_REAL_STATE, "C")
    989500000000000.0
    >>> control_value(DEFAULT_REAL_STATE, "N_total")
    671000000000.0
    """
    c = _CONTROLS[key]
    value = getattr(state, c.field)
    if value is not None:
        return float(value)
    if c.off_text is not None:
        return float(c.default)
    if key == "C":
        return _hardware_of(state).compute_ops_per_s(state.weight_precision)
    if key in ("BW", "HBM"):
        return float(getattr(_hardware_of(state), c.field))
    return float(getattr(_model_of(state), c.field))



def _counts(state: RealState) -> tuple[float, float]:
    """(N_total, N_active) in effect, read without building the Model (which refuses active > total)."""
    served = MODELS[state.model]
    total = state.total_params if state.total_params is not None else served.total_params
    active = state.active_params if state.active_params is not None else served.active_params
    return total, active


def _fp8_fallback(state: RealState) -> tuple[RealState, list[str]]:
    chip = HARDWARE[state.hardware]
    state, notices = _attention_fallback(state)
    if chip.supports(state.weight_precision):
        return state, notices
    notice = (
        f"wprec={state.weight_precision} needs FP8 tensor cores, which {chip.name} lacks; using w8a16 "
        "(8-bit weights, BF16 math)."
    )
    return replace(state, weight_precision="w8a16"), [*notices, notice]


def _attention_fallback(state: RealState) -> tuple[RealState, list[str]]:
    """FP8 attention on a chip without an FP8 rate becomes BF16, with a notice."""
    chip = HARDWARE[state.hardware]
    if state.attention_precision == "auto" or chip.supports(state.attention_precision):
        return state, []
    notice = f"aprec={state.attention_precision} needs FP8 tensor cores, which {chip.name} lacks; using bf16."
    return replace(state, attention_precision="bf16"), [notice]


def with_pick(state: RealState, key: str, value: str) -> tuple[RealState, list[str]]:
    """``state`` with one picker changed, and notices for anything adjusted.

    Picking hardware drops the hardware overrides (C, BW, HBM); picking a
    model drops N_total and N_active; picking weights drops C (it belongs
    to the old arithmetic). FP8 weights on a chip without FP8 become w8a16.

    >>> state, notices = with_pick(DEFAULT_REAL_STATE, "hw", "a100-sxm")
    >>> state.weight_precision, notices[0][:21]
    ('w8a16', 'wprec=fp8 needs FP8 t')
    """
    new, _ = Mode.with_pick(REALISTIC, state, key, value)
    notices = []
    if key in _PICK_DROPS and getattr(state, next(p.field for p in PICKERS if p.key == key)) != value:
        # Said aloud: a typed number vanishing without a word reads as a bug.
        what, fields = _PICK_DROPS[key]
        dropped = [c.key for c in CONTROLS if c.field in fields and getattr(state, c.field) is not None]
        if dropped:
            notices.append(
                f"Changing {what} replaced your own {' and '.join(dropped)} with the new choice's figures; "
                "type them again to override."
            )
    if key in LAYOUT_KEYS:
        # A size picked is a layout of one's own: the even split no longer applies.
        new = replace(new, ideal_layout=False)
    if key == "hw":
        new = replace(new, **dict.fromkeys(_HARDWARE_OVERRIDES))
    elif key == "model":
        new = replace(new, **dict.fromkeys(_MODEL_OVERRIDES))
    elif key == "wprec":
        new = replace(new, compute_ops_per_s=None)
    new, more = _fp8_fallback(new)
    return new, notices + more



def _nice_axis(batch: float) -> float:
    """The smallest of 16, 32, 64, … at least ``batch``, within the B_max range."""
    c = _CONTROLS["B_max"]
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
    (49.0, 64.0)
    """
    d = deployment_of(state)
    best = dep.best_batch(d)
    wall = dep.capacity_batch(d)
    crossover = _crossover(d)
    marks = [float(wall), best or 1.0]
    if crossover is not None:
        marks.append(crossover)
    axis = _nice_axis(1.25 * max(marks))
    batch = float(max(1, math.floor(best))) if best is not None else 1.0
    return replace(state, max_batch=axis, batch=min(batch, axis))



# ---------------------------------------------------------------- readouts

#: The readouts the realistic mode shows, by ``data-readout`` name: the
#: article's ten first, then the deployment's.
REAL_READOUT_NAMES: tuple[str, ...] = (
    *READOUT_NAMES,
    *FRONTIER_READOUT_NAMES,
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
    "layout",
    "layout_source",
    "time_per_token",
    "step_note",
    *serve.READOUT_NAMES,
)

_NOTHING_FITS = "none: nothing fits"


def _batch_text(batch: float) -> str:
    return f"{batch:,.0f}" if batch < 1e5 else format_si(batch)


def _verified_tokens(state: RealState) -> int:
    """Tokens per sequence the step runs: ``k + 1`` with speculation, else 1."""
    speculation = speculation_of(state)
    return 1 if speculation is None else speculation.verified_tokens


def _speculative(state: RealState) -> tuple[frontier.Lines, frontier.Choice] | None:
    """The speculative lines and the frontier's choice on them, when speculation is on and they can be made.

    Both come from :mod:`roofline.web.frontier_view`'s cache (the frontier
    chart asks for the same), so speculation adds no search per input.
    """
    if not state.speculation:
        return None
    # The floor's lines: with the serving estimate on, the frontier chart draws the estimate's instead.
    floor = replace(state, serving_estimate=False)
    lines = frontier_lines_at(REALISTIC, floor)
    report, _ = frontier_report(REALISTIC, floor)
    if lines is None or report is None:
        return None
    return lines, report.choice


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rates:
    """What the readouts say of tokens at the state's B: with speculation, its step's (as the CLI's ``--mtp``)."""

    crossover: float | None
    best: float | None
    tokens_per_s: float | None
    tokens_per_s_per_sequence: float | None
    usd_per_million_tokens: float | None
    time_per_token_s: float
    tokens_per_step: float
    usd_per_million_input_tokens: float | None = None
    serving: bool = False


def _rates(state: RealState) -> _Rates:
    """What every token readout says: the serving estimate's when it is on and can be made, else the floor's.

    With the estimate on (``serve=1``) the best batch is the frontier's on
    :func:`roofline.serving.serving_lines` (the wall: the estimate has no
    crossover limit), and throughput, time per token and the cost in and
    out are :func:`roofline.serving.estimate_deployment`'s at B, exactly as
    ``roofline serving --concurrency B`` prints them. The crossover stays the
    floor's: it is where the article's two lines meet.
    """
    floor = _floor_rates(state)
    e = _serving(state)
    if e is None:
        return floor
    lines = serve.lines(e.deployment, state.output_percent, e.speculation)
    best = frontier.choose_batch(lines).best_batch
    return _Rates(
        crossover=floor.crossover,
        best=None if best is None else float(best),
        tokens_per_s=e.output_tokens_per_s,
        tokens_per_s_per_sequence=e.tokens_per_s_per_user,
        usd_per_million_tokens=e.usd_per_million_output_tokens,
        time_per_token_s=e.tpot_s,
        tokens_per_step=e.terms.tokens_per_step,
        usd_per_million_input_tokens=e.usd_per_million_input_tokens,
        serving=True,
    )


def _floor_rates(state: RealState) -> _Rates:
    """The crossover, best batch, throughput, cost and time per token at B, from the article's max (the floor).

    Without speculation these are the deployment report's; with it, the
    frontier's lines (:func:`roofline.frontier.deployment_lines`): the
    crossover and best batch of the verify step, and ``B · E / T(B)`` tokens/s
    with drafting in ``T(B)``, exactly as ``roofline --mtp`` computes them.
    """
    report = _report(state)
    spec = _speculative(state)
    if spec is None:
        return _Rates(
            crossover=report.crossover_batch,
            best=report.best_batch,
            tokens_per_s=report.tokens_per_s,
            tokens_per_s_per_sequence=report.tokens_per_s_per_sequence,
            usd_per_million_tokens=report.usd_per_million_tokens,
            time_per_token_s=report.step.latency_s,
            tokens_per_step=1.0,
        )
    lines, choice = spec
    d = deployment_of(state)
    fits = report.capacity_batch >= 1
    tokens = frontier.tokens_per_s_per_chip(lines, report.batch) * d.gpus if fits else None
    best = choice.best_batch
    return _Rates(
        crossover=None if choice.crossover_batch is None else float(choice.crossover_batch),
        best=None if best is None else float(best),
        tokens_per_s=tokens,
        tokens_per_s_per_sequence=frontier.tokens_per_s_per_user(lines, report.batch) if fits else None,
        usd_per_million_tokens=None if tokens is None else dep.usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, tokens),
        time_per_token_s=frontier.time_per_token_s(lines, report.batch),
        tokens_per_step=lines.tokens_per_step,
    )


def _step_note(state: RealState) -> str:
    """What the cards and the step-time chart show: one decode step, or speculation's verify step.

    >>> _step_note(replace(DEFAULT_REAL_STATE, speculation=True))[:80]
    'Speculation on: the cards and the step-time chart show the verify step, each seq'
    """
    spec = _speculative(state)
    if spec is None:
        return "One token per sequence per step (speculation off)."
    lines, _ = spec
    batch = _report(state).batch
    return (
        f"Speculation on: the cards and the step-time chart show the verify step, each sequence checking "
        f"k + 1 = {_verified_tokens(state)} tokens; drafting adds {format_time(lines.t_draft_s(batch))} a step, "
        f"and a step yields {format_number(lines.tokens_per_step, 3)} tokens per sequence."
    )


def _layout_readouts(state: RealState) -> dict[str, Readout]:
    """The layout in use and why: chosen, the idealisation, or what the engines launch, with the source."""
    d = deployment_of(state)
    layout = d.active_layout
    if layout.ideal:
        why = "Chosen: the article's even split, an idealisation no engine runs."
    elif d.layout is not None:
        why = "Chosen with the layout pickers."
    else:
        why = f"The engines' default: {dep.LAYOUT_SOURCES[d.layout_source]}."
    return {
        "layout": Readout(value=layout.key, text=f"{layout.key}: {layout.describe()}"),
        "layout_source": Readout(value=d.layout_source, text=why),
    }


def _deployment_readouts(state: RealState) -> dict[str, Readout]:
    """The realistic mode's own readouts at ``state`` (after the article's ten in :data:`REAL_READOUT_NAMES`).

    ``capacity_wall`` is the largest batch that fits as a float (a whole
    number), or ``None`` (empty ``data-value``) when not one sequence fits;
    ``throughput`` is tokens/s per GPU and ``cost`` dollars per million output
    tokens, both ``None`` when nothing fits (with speculation, of the
    speculative step: :func:`_rates`). ``fits`` is the word ``yes`` or
    ``no`` for the current B, with the one meaning "fits" has on the page:
    B is within the memory wall, ``capacity_wall``, the most sequences of L
    tokens whose KV fits beside the weights under the layout.

    >>> shown = REALISTIC.readouts(DEFAULT_REAL_STATE)
    >>> shown["crossover"].text, shown["throughput"].text, shown["cost"].text
    ('none: memory-bound at every batch', '211 tok/s', '$2.64')
    >>> shown["fits"].text
    'Yes: B = 32 is within the memory wall of 49'
    """
    report = _report(state)
    rates = _rates(state)
    wall = report.capacity_batch
    any_fits = wall >= 1
    if any_fits:
        wall_readout = Readout(value=float(wall), text=f"{wall:,} sequence{'s' if wall != 1 else ''}")
        # "Fits" means one thing: B sequences at their full length fit beside the weights. With the
        # estimate on, L is the mean context, so the wall at full length is the estimate's.
        e = _serving(state)
        limit, where = (wall, "") if e is None else (e.capacity_batch, " at full length (the serving estimate's)")
        inside = report.batch <= limit
        verdict = "yes" if inside else "no"
        fits_text = (
            f"Yes: B = {_batch_text(report.batch)} is within the memory wall{where} of {limit:,}"
            if inside
            else f"No: B = {_batch_text(report.batch)} is past the memory wall{where} of {limit:,}"
        )
    else:
        short = "the weights alone do not fit" if not report.weights_fit else "not one sequence fits"
        wall_readout = Readout(value=None, text=f"none: {short}")
        verdict, fits_text = "no", f"No: {short}"

    def maybe(value: float | None, text: str) -> Readout:
        return Readout(value=value, text=text if value is not None else _NOTHING_FITS)

    tokens_all = rates.tokens_per_s
    tokens_gpu = None if tokens_all is None else tokens_all / report.deployment.gpus
    per_user = rates.tokens_per_s_per_sequence
    cost = rates.usd_per_million_tokens
    best = rates.best
    per_token = format_time(rates.time_per_token_s) + (
        " (one token a step)"
        if rates.tokens_per_step == 1.0
        else f" ({format_number(rates.tokens_per_step, 3)} tokens a step, drafting included)"
    )
    cost_text = "" if cost is None else format_usd(cost)
    if rates.serving:
        # One time per token: the estimate's; the article's max stays beside it as the floor.
        per_token = (
            f"{format_time(rates.time_per_token_s)} by the serving estimate (floor, the article's max: "
            f"{format_time(_floor_rates(state).time_per_token_s)})"
        )
        if cost is not None and rates.usd_per_million_input_tokens is not None:
            cost_text = f"{format_usd(cost)} out, {format_usd(rates.usd_per_million_input_tokens)} in"
    kv_context = report.kv_equals_weights_context
    no_cross = report.no_crossover_context
    return {
        "capacity_wall": wall_readout,
        "fits": Readout(value=verdict, text=fits_text),
        "best_batch": maybe(best, _batch_text(best) if best is not None else ""),
        "throughput": maybe(tokens_gpu, f"{format_si(tokens_gpu)} tok/s" if tokens_gpu is not None else ""),
        "throughput_total": maybe(tokens_all, f"{format_si(tokens_all)} tok/s" if tokens_all is not None else ""),
        "per_user": maybe(per_user, f"{format_si(per_user)} tok/s" if per_user is not None else ""),
        "cost": maybe(cost, cost_text),
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
        **_layout_readouts(state),
        "time_per_token": Readout(value=rates.time_per_token_s, text=per_token),
        "step_note": Readout(value=None, text=_step_note(state)),
    }


def _serving_readouts(state: RealState) -> dict[str, Readout]:
    """The serving estimate at the state's B (:mod:`roofline.web.serving_view`), beside the article's max.

    The estimate runs the state's layout and speculation. Its memory wall is
    its own figure (sequences at full length, in the usable share of HBM),
    shown without a verdict on B, which only ``fits`` gives (against the
    layout's wall at L). The ratio compares time per output token with the
    floor's, the article's max for the same step.

    >>> shown = REALISTIC.readouts(replace(DEFAULT_REAL_STATE, serving_estimate=True))
    >>> shown["serving_workload"].text
    '21,845 in + 21,845 out tokens'
    >>> shown["serving_wall"].text
    '28 sequences of 43,691 tokens (tp8, 90% of HBM)'
    """
    d = _serving_deployment(state)
    floor_s = _floor_rates(state).time_per_token_s
    shown = serve.readouts(d, state.batch, state.output_percent, floor_s, speculation_of(state))
    wall = shown["serving_wall"].value
    full = round(sum(serve.workload(d, state.output_percent)))
    usable = format_percent(serving.FITTED.memory_fraction)
    key = d.active_layout.key
    text = (
        f"{format_batch(wall)} sequence{'s' if wall != 1 else ''} of {format_tokens(full)} tokens ({key}, {usable} of HBM)"
        if wall is not None and wall >= 1
        else f"none: not one sequence of {format_tokens(full)} tokens fits ({key})"
    )
    return {**shown, "serving_wall": Readout(value=wall, text=text)}


def _params_line(state: RealState) -> str:
    """The deployment in one line, with the figures the model uses.

    >>> print(REALISTIC.params_line(DEFAULT_REAL_STATE))
    8 × NVIDIA H200 SXM in layout tp8 (the engines' default), DeepSeek-V3 (671G total, 37G active), FP8 weights, FP8 math, KV FP8 (1 byte), L=32.8K, $2.00/GPU-hour. Attention FLOPs counted, in BF16 math (the model's cited precision).
    """
    d = deployment_of(state)
    kv = KV_PRECISIONS[state.kv_precision]
    size = format_si(kv.bytes_per_element)
    layout = d.active_layout
    chosen = "the engines' default" if d.layout is None else ("the article's idealisation" if layout.ideal else "chosen")
    return (
        f"{d.gpus} × {d.hardware.name} in layout {layout.key} ({chosen}), {d.model.name} "
        f"({format_si(d.model.total_params)} total, "
        f"{format_si(d.model.active_params)} active), {d.precision.label}, KV {kv.key.upper()} "
        f"({size} byte{'s' if kv.bytes_per_element != 1 else ''}), L={format_si(d.context_tokens)}, "
        f"{format_usd(d.usd_per_gpu_hour)}/GPU-hour."
    ) + _attention_words(state, d)


def _attention_words(state: RealState, d: dep.Deployment) -> str:
    """What the attention-precision picker does at ``state``: the math attention's FLOPs run in, or why it is unused.

    >>> _attention_words(DEFAULT_REAL_STATE, deployment_of(DEFAULT_REAL_STATE))
    " Attention FLOPs counted, in BF16 math (the model's cited precision)."
    >>> picked = replace(DEFAULT_REAL_STATE, attention_precision="fp8", attention_flops=False)
    >>> _attention_words(picked, deployment_of(picked))
    " Attention math FP8 is unused: attention FLOPs are not counted (switch on 'Count attention FLOPs')."
    """
    math_key = dep.attention_math(d).upper()
    if not state.attention_flops:
        if state.attention_precision == "auto":
            return ""
        return f" Attention math {math_key} is unused: attention FLOPs are not counted (switch on 'Count attention FLOPs')."
    if state.attention_precision != "auto":
        why = "as picked"
    elif d.model.attention_precision:
        why = "the model's cited precision"
    else:
        why = "the weights' arithmetic"
    return f" Attention FLOPs counted, in {math_key} math ({why})."


def _explanation(state: RealState) -> str:
    """A few sentences on what limits this deployment; they change with the case."""
    d = deployment_of(state)
    report = _report(state)
    if report.problem is not None:
        return report.problem + " Add GPUs, pick fewer bytes per weight, or shorten the context."
    wall = f"{report.capacity_batch:,}"
    memory = format_bytes(report.memory_bytes)
    layout = d.active_layout
    copies = dep.kv_copies(layout, d.model)
    held = (
        f" ({format_bytes(report.held_weight_bytes)} with the copies layout {layout.key} keeps)"
        if report.held_weight_bytes > report.weight_bytes
        else ""
    )
    copied = f", each held {format_number(copies, 3)}× by layout {layout.key}" if copies > 1 else ""
    head = (
        f"The weights take {format_bytes(report.weight_bytes)}{held} of {memory}; the rest holds the KV of "
        f"{wall} sequences of {format_si(d.context_tokens)} tokens{copied}, so batches right of {wall} do not fit."
    )
    rates = _rates(state)
    crossover = rates.crossover
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
    if rates.tokens_per_step != 1.0:
        body = (
            f" With speculation each step verifies {_verified_tokens(state)} tokens per sequence and yields "
            f"{format_number(rates.tokens_per_step, 3)}, so the compute line is steeper and the figures below are "
            "the speculative step's." + body
        )
    cost = rates.usd_per_million_tokens
    per_gpu = (rates.tokens_per_s or 0) / d.gpus
    tail = (
        f" At B = {_batch_text(report.batch)} each GPU makes {format_si(per_gpu)} tokens/s, "
        f"about {format_usd(cost or 0)} per million output tokens at {format_usd(d.usd_per_gpu_hour)} per GPU-hour"
    )
    if rates.serving:
        floor = _floor_rates(state)
        tail += (
            f" by the serving estimate, which sets the batch you would run, the target test, throughput and cost; "
            f"the article's max is the floor: {format_time(floor.time_per_token_s)} per token against the "
            f"estimate's {format_time(rates.time_per_token_s)}."
        )
    else:
        tail += "."
    speculation = speculation_of(state)
    serving = (
        serve.sentence(_serving_deployment(state), report.batch, state.output_percent, speculation)
        if state.serving_estimate
        else ""
    )
    return head + body + tail + serving



def _grid(low: float, high: float, count: int) -> list[float]:
    ratio = (high / low) ** (1 / (count - 1))
    return [low * ratio**i for i in range(count)]


def _batches(d: dep.Deployment, state: RealState, curved: bool, crossover: float | str | None = "plain") -> list[float]:
    """Batches to evaluate: ends, crossover (the plain lines' unless given), wall and B, plus a grid where lines bend."""
    top = state.max_batch
    marks = {top, min(state.batch, top)}
    if crossover == "plain":
        crossover = _crossover(d)
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


def _memory_shapes(state: RealState, colors: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """Shading right of the memory wall and the wall itself, as layout shapes and annotations."""
    d = deployment_of(state)
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
                # Along the bottom of the shading, under the lines (across the middle, T ran through it).
                "x": (left + top) / 2,
                "y": 0.02,
                "yref": "paper",
                "yanchor": "bottom",
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
                # Down from the top, beside the wall and backed by the page's colour: across the middle it lay on T.
                "x": wall,
                "y": 0.98,
                "yref": "paper",
                "yanchor": "top",
                "text": f"memory wall B = {wall:,}",
                "textangle": -90,
                "showarrow": False,
                "xanchor": "right",
                "bgcolor": colors.get("legend", "rgba(0,0,0,0)"),
                "font": {"color": colors["wall"]},
            }
        )
    return shapes, notes


@lru_cache(maxsize=16)
def _crossover(d: dep.Deployment) -> float | None:
    """:func:`roofline.deployment.deployment_crossover_batch`, remembered: it is found by
    search, and one render asks for it from the lines, the marks and both charts."""
    return dep.deployment_crossover_batch(d)


def _report(state: RealState) -> dep.Report:
    """The deployment model's report at the state's B (the last few are kept: each render asks thrice)."""
    key = state
    cached = _REPORTS.get(key)
    if cached is None:
        cached = dep.evaluate_deployment(deployment_of(state), state.batch)
        if len(_REPORTS) >= 8:
            _REPORTS.pop(next(iter(_REPORTS)))
        _REPORTS[key] = cached
    return cached


_REPORTS: dict[RealState, dep.Report] = {}
# Pickers first (they decide the defaults the overrides replace), then max B
# (it bounds B), then everything else.
_ORDER = ["mode", "hw", "model", "wprec", "kvprec", "aprec", *LAYOUT_KEYS, "ideal"]
_ORDER += ["B_max", "gpus", "L", "B", "price", *OVERRIDE_KEYS, "moe", "attn"]
_ORDER += ["tpot", "spec", "draft", "accept"]
_ORDER += ["out", "serve"]


class RealisticMode(Mode[RealState]):
    """A deployment: chip and model presets (figures editable), GPUs, precisions, context, price."""

    def value(self, state: RealState, key: str) -> float:
        return control_value(state, key)

    def pairs(self, state: RealState) -> list[tuple[str, str]]:
        # Overrides appear only when set, toggles only when not at their default.
        pairs = [
            ("mode", "real"),
            ("hw", state.hardware),
            ("model", state.model),
            ("gpus", str(state.gpus)),
            ("wprec", state.weight_precision),
            ("kvprec", state.kv_precision),
            ("L", exact_text(state.context_tokens)),
            ("B", exact_text(state.batch)),
            ("B_max", exact_text(state.max_batch)),
            ("price", exact_text(state.usd_per_gpu_hour)),
        ]
        # The layout sizes only when given (absent: the engines' default).
        for picker in _LAYOUT_PICKERS:
            if getattr(state, picker.field) != "auto":
                pairs.append((picker.key, getattr(state, picker.field)))
        for key in OVERRIDE_KEYS:
            value = getattr(state, _CONTROLS[key].field)
            if value is not None:
                pairs.append((key, exact_text(value)))
        for toggle in TOGGLES:
            if getattr(state, toggle.field) != toggle.default:
                pairs.append((toggle.key, "1" if getattr(state, toggle.field) else "0"))
        # The target when set; the drafter's two figures when not at their defaults.
        if state.tpot_target_ms is not None:
            pairs.append(("tpot", exact_text(state.tpot_target_ms)))
        for key in ("draft", "accept"):
            c = _CONTROLS[key]
            if getattr(state, c.field) != c.default:
                pairs.append((key, exact_text(getattr(state, c.field))))
        if state.attention_precision != "auto":
            pairs.append(("aprec", state.attention_precision))
        if state.output_percent != serve.DEFAULT_OUTPUT_PERCENT:
            pairs.append(("out", exact_text(state.output_percent)))
        return pairs

    def step(self, state: RealState) -> Step:
        # With speculation the cards show the verify step (k + 1 tokens per sequence), drafting aside (step_note).
        verified = _verified_tokens(state)
        if verified == 1 or _speculative(state) is None:
            return _report(state).step
        return dep.step_at(deployment_of(state), state.batch, verified)

    def crossover(self, state: RealState) -> float | None:
        return _rates(state).crossover

    def lines(self, state: RealState) -> LineSamples:
        # T_memory curves when the MoE discount applies: small batches read fewer experts.
        d = deployment_of(state)
        verified = _verified_tokens(state) if _speculative(state) is not None else 1
        crossover = self.crossover(state)
        batches = _batches(d, state, curved=d.moe_discount and d.model.is_moe, crossover=crossover)
        compute, memory, top_line = [], [], []
        for b in batches:
            # The article's equations at B (B = 0 only for straight lines, whose weight read is fixed);
            # with speculation, the verify step's, as the cards show it.
            p = dep.params_at(d, max(b, 1.0), verified)
            compute.append(t_compute_s(p, b))
            memory.append(t_memory_s(p, b))
            top_line.append(latency_s(p, b))
        at = None
        if crossover is not None and 0 < crossover < state.max_batch:
            at = (crossover, dep.step_at(d, max(crossover, 1.0), verified).latency_s)
        shown = tuple(batches)
        return LineSamples(
            batches=shown,
            t_compute_s=tuple(compute),
            t_memory_s=tuple(memory),
            max_batches=shown,
            latency_s=tuple(top_line),
            crossover=at,
        )

    def frontier_lines(self, state: RealState) -> frontier.Lines:
        # One time per token: with the serving estimate on, the frontier and the batch you would run are its.
        if state.serving_estimate:
            return serve.lines(_serving_deployment(state), state.output_percent, speculation_of(state))
        return frontier.deployment_lines(deployment_of(state), speculation_of(state))

    def plain_frontier_lines(self, state: RealState) -> frontier.Lines | None:
        if not state.speculation:
            return None
        if state.serving_estimate:
            return serve.lines(_serving_deployment(state), state.output_percent)
        return frontier.deployment_lines(deployment_of(state))

    def economics(self, state: RealState) -> tuple[list[float], list[float], list[float]]:
        """Batches from 1 to max B, tokens/s per GPU and dollars per million output tokens at each."""
        d = deployment_of(state)
        batches = [b for b in _batches(d, state, curved=True, crossover=self.crossover(state)) if b >= 1]
        spec = _speculative(state)
        if spec is None:
            per_gpu = [dep.tokens_per_s_per_gpu(d, b) for b in batches]
            cost = [dep.cost_usd_per_million_tokens(d, b) for b in batches]
            return batches, per_gpu, cost
        # With speculation, the speculative step's rates (as the readouts give them at B).
        lines = spec[0]
        per_gpu = [frontier.tokens_per_s_per_chip(lines, b) for b in batches]
        cost = [dep.usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, rate * d.gpus) for rate in per_gpu]
        return batches, per_gpu, cost

    def marks(self, state: RealState, colors: dict[str, str]) -> tuple[list[dict], list[dict]]:
        return _memory_shapes(state, colors)

    def stacks(self, state: RealState) -> tuple[serve.Stack, ...]:
        # The serving estimate's terms, when switched on; none where it cannot be made (the readouts say why).
        if not state.serving_estimate:
            return ()
        d = _serving_deployment(state)
        batches = [b for b in _batches(deployment_of(state), state, curved=True) if b >= 1]
        try:
            return serve.terms_at(d, state.output_percent, batches, speculation_of(state))
        except ValueError:
            return ()

    def extra_readouts(self, state: RealState) -> dict[str, Readout]:
        return {**_deployment_readouts(state), **_serving_readouts(state)}

    def explanation(self, state: RealState) -> str:
        return _explanation(state)

    def params_line(self, state: RealState) -> str:
        return _params_line(state)

    def with_pick(self, state: RealState, key: str, value: str) -> tuple[RealState, list[str]]:
        return with_pick(state, key, value)

    def read_pick(self, state: RealState, picker: Picker, raw: str, shown: str) -> tuple[RealState, list[str]]:
        if picker.key in LAYOUT_KEYS:
            return _read_size(state, picker, raw, shown)
        return super().read_pick(state, picker, raw, shown)

    def with_flag(self, state: RealState, key: str, on: bool) -> RealState:
        new = super().with_flag(state, key, on)
        # The even split takes no sizes: ticking it puts the layout pickers back to auto.
        return replace(_plain_layout(new), ideal_layout=True) if key == "ideal" and on else new

    def corrected(self, state: RealState) -> tuple[RealState, list[str]]:
        return _corrected(state)

    def stored(self, c: Control, value: float) -> float | int:
        number = float(round(value)) if c.integer else float(value)
        return int(number) if c.field in ("gpus", "draft_tokens") else number

    def settle(self, state: RealState) -> RealState:
        # N_active stays at or below N_total.
        total, active = _counts(state)
        return replace(state, active_params=total) if active > total else state

    def order(self, keys):  # type: ignore[no-untyped-def]
        return sorted(keys, key=_ORDER.index)

    def apply_mode(self, raw: str) -> list[str]:
        return [] if raw == "real" else [f"mode={raw!r} is not 'real'; showing the realistic mode."]

    def before_numbers(self, state: RealState) -> tuple[RealState, list[str]]:
        return _fp8_fallback(state)

    def after_number(self, before: RealState, after: RealState, c: Control, value: float, shown: str) -> list[str]:
        notices = []
        if c.integer and value != round(value):
            notices.append(f"{c.key}={shown} is not a whole number; using {round(value)}.")
        total, active = _counts(after)
        return notices + active_total_notices(c.key, value, shown, _counts(before)[1], active, total)

    def fallback(self, c: Control) -> str:
        return "the preset's figure" if c.key in OVERRIDE_KEYS else super().fallback(c)


#: The realistic mode.
REALISTIC = RealisticMode(
    name="real", prefix="simr", slider_attribute="data-real-control", entry_attribute="data-real-entry",
    controls=CONTROLS, pickers=PICKERS, toggles=TOGGLES, overrides=OVERRIDE_KEYS,
    readout_names=REAL_READOUT_NAMES, default=DEFAULT_REAL_STATE,
)
