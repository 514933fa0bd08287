"""A deployment: chips, a model, precisions and a parallel layout, and what N chips add up to."""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import check_number, check_whole_number
from ..presets import (
    MATH_PRECISIONS,
    WEIGHT_PRECISIONS,
    Hardware,
    Model,
    WeightPrecision,
    hardware,
    kv_precision,
    model,
    weight_precision,
)
from ..units import format_batch, format_si, format_tokens
from .layout import Layout, check_layout, default_layout, parse_layout

__all__ = [
    "Deployment",
    "attention_compute_ops_per_s",
    "attention_math",
    "deployment",
    "system_bandwidth_bytes_per_s",
    "system_compute_ops_per_s",
    "system_memory_bytes",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Deployment:
    """A model served on ``gpus`` identical chips at one precision and context.

    Args:
        hardware: the chip (one GPU's figures).
        model: the model served.
        gpus: how many chips, N >= 1.
        precision: bytes per weight and the arithmetic C comes from.
        kv_bytes_per_element: the KV cache's bytes per element (BF16 2, FP8 1).
        context_tokens: L, tokens of context per sequence.
        usd_per_gpu_hour: rental price of one chip for an hour, in US dollars.
        moe_discount: read only the routed experts a batch touches
            (:func:`expert_coverage`); ``False`` reads all weights every step.
        attention_flops: count attention's multiply-adds over the context in
            T_compute (on by default; the article leaves them out, and
            ``False`` gives its two lines back).
        attention_precision: the arithmetic attention runs in, ``"bf16"`` or
            ``"fp8"``; None takes the model preset's cited precision, or the
            weights' arithmetic where the preset cites none
            (:func:`attention_math`).
        layout: how the chips share the model (:mod:`roofline.deployment.layout`);
            None takes what the engines launch (:attr:`active_layout`),
            :data:`~roofline.deployment.layout.IDEAL` the article's even split.

    Raises:
        ValueError: naming the field, for a count below 1, a non-finite or
            non-positive size, a precision the chip has no tensor rate for,
            or a layout that cannot run the model on ``gpus`` chips.
    """

    hardware: Hardware
    model: Model
    gpus: int = 1
    precision: WeightPrecision = WEIGHT_PRECISIONS["fp8"]
    kv_bytes_per_element: float = 2.0
    context_tokens: float = 8192.0
    usd_per_gpu_hour: float = 2.0
    moe_discount: bool = True
    attention_flops: bool = True
    attention_precision: str | None = None
    layout: Layout | None = None

    def __post_init__(self) -> None:
        check_whole_number("gpus", self.gpus)
        object.__setattr__(
            self, "kv_bytes_per_element", check_number("kv_bytes_per_element", self.kv_bytes_per_element, "bytes")
        )
        object.__setattr__(self, "context_tokens", check_number("context_tokens", self.context_tokens, "tokens"))
        object.__setattr__(
            self,
            "usd_per_gpu_hour",
            check_number("usd_per_gpu_hour", self.usd_per_gpu_hour, "US dollars per GPU-hour", inclusive=True),
        )
        check_number("bytes_per_weight", self.precision.bytes_per_weight, "bytes")
        if not self.hardware.supports(self.precision.math):
            raise ValueError(
                f"{self.hardware.name} has no FP8 tensor rate, so precision {self.precision.key!r} "
                "(FP8 math) cannot run on it; use 'bf16', 'w8a16' or 'w4a16'"
            )
        if self.attention_precision is not None and self.attention_precision not in MATH_PRECISIONS:
            raise ValueError(
                f"attention_precision must be one of {', '.join(MATH_PRECISIONS)}, got {self.attention_precision!r}"
            )
        if not self.hardware.supports(attention_math(self)):
            raise ValueError(
                f"{self.hardware.name} has no FP8 tensor rate, so attention cannot run in FP8 on it; use 'bf16'"
            )
        if self.layout is not None and not isinstance(self.layout, Layout):
            raise ValueError(f"layout must be a Layout or None, got {self.layout!r}")
        check_layout(self.active_layout, self.model, self.gpus)

    @property
    def active_layout(self) -> Layout:
        """The layout in use: the one given, else what the engines launch (:func:`~roofline.deployment.layout.default_layout`).

        >>> deployment("h200", "deepseek-v3", gpus=8).active_layout.key
        'tp8'
        """
        if self.layout is not None:
            return self.layout
        return default_layout(self.model, self.gpus, self.hardware)[0]

    @property
    def layout_source(self) -> str:
        """Why this layout: ``"chosen"`` when given, else the :data:`~roofline.deployment.layout.LAYOUT_SOURCES` case."""
        if self.layout is not None:
            return "chosen"
        return default_layout(self.model, self.gpus, self.hardware)[1]

    def describe(self) -> str:
        """One line naming the deployment.

        >>> deployment("h100-sxm", "llama-3.1-70b", gpus=2, precision="bf16").describe()
        '2 × NVIDIA H100 SXM (tp2), Llama-3.1-70B, BF16 weights, BF16 math, KV at 2 bytes, L = 8,192 tokens'
        """
        return (
            f"{format_batch(self.gpus)} × {self.hardware.name} ({self.active_layout.key}), {self.model.name}, "
            f"{self.precision.label}, "
            f"KV at {format_si(self.kv_bytes_per_element)} byte{'s' if self.kv_bytes_per_element != 1 else ''}, "
            f"L = {format_tokens(self.context_tokens)} tokens"
        )


def deployment(
    hardware_key: str | Hardware,
    model_key: str | Model,
    *,
    gpus: int = 1,
    precision: str | WeightPrecision | None = None,
    kv_precision: str | float = "bf16",
    context_tokens: float = 8192.0,
    usd_per_gpu_hour: float = 2.0,
    moe_discount: bool = True,
    attention_flops: bool = True,
    attention_precision: str | None = None,
    layout: Layout | str | None = None,
) -> Deployment:
    """A :class:`Deployment` from preset keys (or preset objects).

    ``precision`` defaults to the precision the model's weights were released
    in; ``kv_precision`` is a key of :data:`~roofline.presets.KV_PRECISIONS`
    or a number of bytes per element; ``layout`` a :class:`Layout`, its key
    (``"tp8-ep8-dpa"``, ``"ideal"``), or None for the engines' default.

    >>> deployment("h100-sxm", "gpt-oss-120b").precision.key
    'w4a16'
    """
    chip = hardware_key if isinstance(hardware_key, Hardware) else hardware(hardware_key)
    served = model_key if isinstance(model_key, Model) else model(model_key)
    if precision is None:
        precision = served.released_precision
    weights = precision if isinstance(precision, WeightPrecision) else weight_precision(precision)
    kv_bytes = _kv_bytes(kv_precision) if isinstance(kv_precision, str) else kv_precision
    chosen = parse_layout(layout) if isinstance(layout, str) else layout
    return Deployment(
        hardware=chip,
        model=served,
        gpus=gpus,
        precision=weights,
        kv_bytes_per_element=kv_bytes,
        context_tokens=context_tokens,
        usd_per_gpu_hour=usd_per_gpu_hour,
        moe_discount=moe_discount,
        attention_flops=attention_flops,
        attention_precision=attention_precision,
        layout=chosen,
    )


def _kv_bytes(key: str) -> float:
    # Module level: inside deployment() the name kv_precision is the argument.
    return kv_precision(key).bytes_per_element


def system_compute_ops_per_s(d: Deployment) -> float:
    """C of the whole deployment: ``N · FLOP/s(precision) / 2`` ops/s (every chip at work).

    >>> system_compute_ops_per_s(deployment("h200", "deepseek-v3", gpus=8, precision="fp8"))
    7916000000000000.0
    """
    return d.gpus * d.hardware.compute_ops_per_s(d.precision.math)


def system_bandwidth_bytes_per_s(d: Deployment) -> float:
    """BW of the whole deployment: ``N · BW`` bytes/s (every chip at work).

    >>> system_bandwidth_bytes_per_s(deployment("h200", "deepseek-v3", gpus=8))
    38400000000000.0
    """
    return d.gpus * d.hardware.bandwidth_bytes_per_s


def system_memory_bytes(d: Deployment) -> float:
    """Memory of the whole deployment: ``N · HBM`` bytes (what the layout copies comes out of it).

    >>> system_memory_bytes(deployment("h200", "deepseek-v3", gpus=8))
    1128000000000.0
    """
    return d.gpus * d.hardware.memory_bytes


def attention_math(d: Deployment) -> str:
    """The arithmetic attention runs in: the deployment's setting, else the model's cited one, else the weights'.

    >>> attention_math(deployment("h200", "deepseek-v3", precision="fp8"))
    'bf16'
    >>> attention_math(deployment("h200", "llama-3.1-70b", precision="fp8"))
    'fp8'
    """
    return d.attention_precision or d.model.attention_precision or d.precision.math


def attention_compute_ops_per_s(d: Deployment) -> float:
    """C for attention's arithmetic: ``N · FLOP/s(attention precision) / 2`` ops/s.

    >>> attention_compute_ops_per_s(deployment("h200", "deepseek-v3", gpus=8, precision="fp8"))
    3958000000000000.0
    """
    return d.gpus * d.hardware.compute_ops_per_s(attention_math(d))
