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
attn       attention FLOPs in T_compute, 1/0    ``attn=1``
tpot       latency target, ms per output token  ``tpot=50``
spec       speculative decoding (MTP), 1/0      ``spec=1``
draft      tokens drafted per step, k           ``draft=2``
accept     acceptance per drafted token, 0–1    ``accept=0.8``
aprec      attention's arithmetic (or auto)     ``aprec=fp8``
serve      stack the serving estimate, 1/0      ``serve=1``
out        output share of tokens, percent      ``out=25``
=========  ===================================  ==========================

``serve`` and ``out`` are :mod:`roofline.web.serving`: L is read as the
mean context, and ``out`` percent of a sequence's tokens are output.

>>> state, notices = REALISTIC.parse("mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K")
>>> notices
[]
>>> REALISTIC.readouts(state)["capacity_wall"].text
'406 sequences'
>>> REALISTIC.parse(REALISTIC.encode(state))[0] == state
True
>>> REALISTIC.encode(DEFAULT_REAL_STATE)
'mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32768&B=256&B_max=1024&price=2'
>>> print(REALISTIC.parse("mode=real&hw=h300&gpus=-2&L=abc")[1][0])
hw='h300' is not a hardware preset; using the default h200.
"""


from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import deployment as dep
from .. import frontier
from ..model import Step, latency_s, t_compute_s, t_memory_s
from ..presets import HARDWARE, KV_PRECISIONS, MATH_PRECISIONS, MODELS, WEIGHT_PRECISIONS, Hardware, Model
from ..sentences import READOUT_NAMES, crossover_text
from ..speculative import DEFAULT_ACCEPTANCE, MAX_DRAFT_TOKENS, Speculation, mtp_speculation
from ..units import format_bytes, format_percent, format_si, format_usd
from . import serving as serve
from .controls import Control, Option, Picker, Toggle, context_control, exact_text
from .frontier_view import FRONTIER_READOUT_NAMES, target_control
from .mode import Lines, Mode, Readout, active_total_notices

__all__ = [
    "CONTROLS",
    "DEFAULT_REAL_STATE",
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
    "speculation_of",
    "with_pick",
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
    # The frontier: a latency target (ms per output token, None for none) and speculative decoding.
    tpot_target_ms: float | None = None
    speculation: bool = False
    draft_tokens: int = DEFAULT_ACCEPTANCE.draft_tokens
    acceptance: float = DEFAULT_ACCEPTANCE.acceptance
    attention_precision: str = "auto"
    serving_estimate: bool = False
    output_percent: float = serve.DEFAULT_OUTPUT_PERCENT


#: The page's opening view: DeepSeek-V3 in FP8 on 8 × H200 at 32K context.
DEFAULT_REAL_STATE = RealState()


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
    Picker(
        key="aprec",
        field="attention_precision",
        label="Attention math",
        help=(
            "The arithmetic attention's FLOPs run in; it only matters when 'Count attention FLOPs' is on. "
            "Auto: the model's cited precision ("
            + ", ".join(f"{m.name}: {m.attention_precision.upper()}" for m in MODELS.values() if m.attention_precision)
            + "), else the weights' arithmetic"
        ),
        options=(
            Option(value="auto", label="Auto: as the model cites, else the weights'"),
            *(Option(value=key, label=key.upper()) for key in MATH_PRECISIONS),
        ),
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
    Toggle(
        key="spec",
        field="speculation",
        label="Speculative decoding (MTP)",
        help=(
            "A drafter proposes k tokens and the model checks them in one step: more tokens per step for more "
            f"compute. Defaults from {DEFAULT_ACCEPTANCE.source.split(';')[0]}"
        ),
        default=False,
    ),
    Toggle(
        key="serve",
        field="serving_estimate",
        label="Serving estimate",
        help=(
            "Stack the serving estimate's terms on the step-time chart: attainable rates, per-step overhead, "
            "communication and prefill's share (see Against real servers). L is read as the mean context"
        ),
        default=False,
    ),
)

#: URL keys of the figures a reader can edit after picking a preset.
OVERRIDE_KEYS: tuple[str, ...] = ("C", "BW", "HBM", "N_total", "N_active")

_D = DEFAULT_REAL_STATE

#: Numeric sliders, in display order. Override sliders start at the picked
#: preset's figure (see :func:`control_value`); ``default`` is the default state's.
CONTROLS: tuple[Control, ...] = (
    Control(
        key="gpus", field="gpus", label="GPUs", unit="", minimum=1, maximum=1024, default=8, log=True, integer=True,
        help="N chips; compute, bandwidth and memory scale by N (ideal: no communication)",
    ),
    context_control(default=32768),
    Control(
        key="out", field="output_percent", label="Output share", unit="%", minimum=1, maximum=99,
        default=serve.DEFAULT_OUTPUT_PERCENT, log=False, integer=True,
        help="Serving estimate only: the share of a sequence's tokens that are output; with L as the mean "
        "context, input + output / 2 = L",
    ),
    Control(
        key="B", field="batch", label="Current B", unit="", minimum=1, maximum=131072, default=256, log=True, integer=True,
        help="Batch size now: the vertical line on the charts",
    ),
    Control(
        key="B_max", field="max_batch", label="Max B", unit="", minimum=16, maximum=131072, default=1024, log=True, integer=True,
        help="Right end of the batch axis",
    ),
    target_control(),
    Control(
        key="draft", field="draft_tokens", label="Draft tokens k", unit="", minimum=1, maximum=16,
        default=DEFAULT_ACCEPTANCE.draft_tokens, log=False, integer=True,
        help="Tokens the drafter proposes per step (with speculative decoding on)",
    ),
    Control(
        key="accept", field="acceptance", label="Acceptance", unit="", minimum=0.01, maximum=1, default=DEFAULT_ACCEPTANCE.acceptance,
        log=False, integer=False, step=0.01,
        help="Chance each drafted token is accepted (the default is the low end of the published range)",
    ),
    Control(
        key="price", field="usd_per_gpu_hour", label="$ / GPU-hour", unit="$", minimum=0.01, maximum=100, default=2.0, log=True, integer=False,
        help="Rental price of one chip for an hour",
    ),
    Control(
        key="C", field="compute_ops_per_s", label="C per GPU", unit="ops/s", minimum=1e12, maximum=1e16, default=989.5e12, log=True, integer=False,
        help="Effective compute: dense FLOP/s at the weights' arithmetic ÷ 2",
    ),
    Control(
        key="BW", field="bandwidth_bytes_per_s", label="BW per GPU", unit="B/s", minimum=1e11, maximum=2e13, default=4.8e12, log=True, integer=False,
        help="Memory bandwidth of one chip",
    ),
    Control(
        key="HBM", field="memory_bytes", label="Memory per GPU", unit="B", minimum=1e9, maximum=1e12, default=141e9, log=True, integer=False,
        help="HBM capacity of one chip: weights and KV must fit in N of them",
    ),
    Control(
        key="N_total", field="total_params", label="N_total", unit="params", minimum=1e8, maximum=1e13, default=671e9, log=True, integer=False,
        help="Parameters stored (all experts)",
    ),
    Control(
        key="N_active", field="active_params", label="N_active", unit="params", minimum=1e8, maximum=1e12, default=37e9, log=True, integer=False,
        help="Parameters each token multiplies through",
    ),
)

_CONTROLS = {c.key: c for c in CONTROLS}
_HARDWARE_OVERRIDES = ("compute_ops_per_s", "bandwidth_bytes_per_s", "memory_bytes")
_MODEL_OVERRIDES = ("total_params", "active_params")






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
        attention_precision=None if state.attention_precision == "auto" else state.attention_precision,
        # The simulator still draws the article's even split; its layout pickers are yet to come.
        layout=dep.IDEAL,
    )


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
    if key == "hw":
        new = replace(new, **dict.fromkeys(_HARDWARE_OVERRIDES))
    elif key == "model":
        new = replace(new, **dict.fromkeys(_MODEL_OVERRIDES))
    elif key == "wprec":
        new = replace(new, compute_ops_per_s=None)
    return _fp8_fallback(new)



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
    (396.0, 512.0)
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
    *serve.READOUT_NAMES,
)

_NOTHING_FITS = "none: nothing fits"


def _batch_text(batch: float) -> str:
    return f"{batch:,.0f}" if batch < 1e5 else format_si(batch)


def _deployment_readouts(state: RealState) -> dict[str, Readout]:
    """The realistic mode's own readouts at ``state`` (after the article's ten in :data:`REAL_READOUT_NAMES`).

    ``capacity_wall`` is the largest batch that fits as a float (a whole
    number), or ``None`` (empty ``data-value``) when not one sequence fits;
    ``throughput`` is tokens/s per GPU and ``cost`` dollars per million output
    tokens, both ``None`` when nothing fits. ``fits`` is the word ``yes`` or
    ``no`` for the current B.

    >>> shown = REALISTIC.readouts(DEFAULT_REAL_STATE)
    >>> shown["crossover"].text, shown["throughput"].text, shown["cost"].text
    ('none: memory-bound at every batch', '1.27K tok/s', '$0.437')
    """
    report = _report(state)
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


def _serving_readouts(state: RealState) -> dict[str, Readout]:
    """The serving estimate at the state's B (:mod:`roofline.web.serving`), beside the article's max.

    >>> shown = REALISTIC.readouts(replace(DEFAULT_REAL_STATE, serving_estimate=True))
    >>> shown["serving_workload"].text
    '21,845 in + 21,845 out tokens'
    """
    return serve.readouts(deployment_of(state), state.batch, state.output_percent, _report(state).step.latency_s)


def _params_line(state: RealState) -> str:
    """The deployment in one line, with the figures the model uses.

    >>> REALISTIC.params_line(DEFAULT_REAL_STATE)
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
    ) + _attention_words(state, d)


def _attention_words(state: RealState, d: dep.Deployment) -> str:
    """What the attention-precision picker does at ``state``: the math attention's FLOPs run in, or why it is unused.

    >>> _attention_words(replace(DEFAULT_REAL_STATE, attention_flops=True), deployment_of(DEFAULT_REAL_STATE))
    " Attention FLOPs counted, in BF16 math (the model's cited precision)."
    >>> picked = replace(DEFAULT_REAL_STATE, attention_precision="fp8")
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
    serving = serve.sentence(d, report.batch, state.output_percent) if state.serving_estimate else ""
    if serving and state.speculation:
        serving += " The estimate makes one token a step: it leaves speculative decoding out."
    return head + body + tail + serving



def _grid(low: float, high: float, count: int) -> list[float]:
    ratio = (high / low) ** (1 / (count - 1))
    return [low * ratio**i for i in range(count)]


def _batches(d: dep.Deployment, state: RealState, curved: bool) -> list[float]:
    """Batches to evaluate: ends, crossover, wall and B, plus a grid where lines bend."""
    top = state.max_batch
    marks = {top, min(state.batch, top)}
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


@lru_cache(maxsize=16)
def _crossover(d: dep.Deployment) -> float | None:
    """:func:`roofline.deployment.crossover_batch`, remembered: it is found by
    search, and one render asks for it from the lines, the marks and both charts."""
    return dep.crossover_batch(d)


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
_ORDER = ["mode", "hw", "model", "wprec", "kvprec", "aprec", "B_max", "gpus", "L", "B", "price", *OVERRIDE_KEYS, "moe", "attn"]
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
        return _report(state).step

    def crossover(self, state: RealState) -> float | None:
        return _report(state).crossover_batch

    def lines(self, state: RealState) -> Lines:
        # T_memory curves when the MoE discount applies: small batches read fewer experts.
        d = deployment_of(state)
        batches = _batches(d, state, curved=d.moe_discount and d.model.is_moe)
        compute, memory, top_line = [], [], []
        for b in batches:
            # The article's equations at B (B = 0 only for straight lines, whose weight read is fixed).
            p = dep.params_at(d, max(b, 1.0))
            compute.append(t_compute_s(p, b))
            memory.append(t_memory_s(p, b))
            top_line.append(latency_s(p, b))
        crossover = _crossover(d)
        at = None
        if crossover is not None and 0 < crossover < state.max_batch:
            at = (crossover, dep.step_at(d, max(crossover, 1.0)).latency_s)
        shown = tuple(batches)
        return Lines(
            batches=shown,
            t_compute_s=tuple(compute),
            t_memory_s=tuple(memory),
            max_batches=shown,
            latency_s=tuple(top_line),
            crossover=at,
        )

    def frontier_lines(self, state: RealState) -> frontier.Lines:
        return frontier.deployment_lines(deployment_of(state), speculation_of(state))

    def plain_frontier_lines(self, state: RealState) -> frontier.Lines | None:
        return frontier.deployment_lines(deployment_of(state)) if state.speculation else None

    def economics(self, state: RealState) -> tuple[list[float], list[float], list[float]]:
        """Batches from 1 to max B, tokens/s per GPU and dollars per million output tokens at each."""
        d = deployment_of(state)
        batches = [b for b in _batches(d, state, curved=True) if b >= 1]
        per_gpu = [dep.tokens_per_s_per_gpu(d, b) for b in batches]
        cost = [dep.cost_usd_per_million_tokens(d, b) for b in batches]
        return batches, per_gpu, cost

    def marks(self, state: RealState, colors: dict[str, str]) -> tuple[list[dict], list[dict]]:
        return _memory_shapes(state, colors)

    def stacks(self, state: RealState) -> tuple[serve.Stack, ...]:
        # The serving estimate's terms, when switched on; none where it cannot be made (the readouts say why).
        if not state.serving_estimate:
            return ()
        d = deployment_of(state)
        batches = [b for b in _batches(d, state, curved=True) if b >= 1]
        try:
            return serve.terms_at(d, state.output_percent, batches)
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
