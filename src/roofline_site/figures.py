"""Macros for figures of the presets: a chip's rates, a model's sizes, and the ratios made of them.

One macro per quantity, whichever page asks: every page that prints a chip's
C / BW calls :func:`chip_ops_per_byte`, every page that prints a sweet spot
:func:`sweet_spot_batch`. The ``data-macro`` name spells the arguments
(``chip_ops_per_byte:h100-sxm:fp8``) so tests and the golden snapshot can
name each number.

Chips are the hardware presets plus the article's rounded H100
(``article-h100``: 1 PFLOP/s-class FP8 compute, 3 TB/s).
"""

from __future__ import annotations

from collections.abc import Callable

from roofline import deployment as dep
from roofline import model as core
from roofline import presets
from roofline.units import format_batch, format_bytes, format_number, format_si, format_si_exact

from .macros import number_span, spelled

__all__ = [
    "MACROS",
    "chip_figure",
    "chip_flop_per_byte",
    "chip_ops_per_byte",
    "kv_cache_bytes_per_token",
    "model_figure",
    "sparsity",
    "sweet_spot_batch",
]


def _chip(key: str) -> presets.Hardware:
    return presets.ARTICLE_H100 if key == presets.ARTICLE_H100.key else presets.hardware(key)


def chip_ops_per_byte(chip: str, precision: str = "fp8", digits: int = 3) -> str:
    """The article's C / BW of a chip: multiply-adds per byte (C = dense FLOP/s ÷ 2) at ``precision``."""
    hw = _chip(chip)
    value = core.hardware_ratio(hw.compute_ops_per_s(precision), hw.bandwidth_bytes_per_s)
    return number_span(spelled("chip_ops_per_byte", chip, precision), value, format_number(value, digits))


def chip_flop_per_byte(chip: str, precision: str = "fp8") -> str:
    """A chip's dense FLOP/s per byte/s of bandwidth at ``precision`` (twice :func:`chip_ops_per_byte`)."""
    hw = _chip(chip)
    value = core.hardware_ratio(hw.flops_per_s(precision), hw.bandwidth_bytes_per_s)
    return number_span("chip_flop_per_byte", value, format_number(value, 3))


def chip_figure(chip: str, figure: str, precision: str = "fp8") -> str:
    """One quoted figure of a chip with its unit: ``compute`` (C, ops/s), ``flops`` (dense FLOP/s)
    at ``precision``, or ``bandwidth`` (bytes/s)."""
    hw = _chip(chip)
    if figure == "compute":
        value, unit = hw.compute_ops_per_s(precision), "ops/s"
    elif figure == "flops":
        value, unit = hw.flops_per_s(precision), "FLOP/s"
    elif figure == "bandwidth":
        value, unit = hw.bandwidth_bytes_per_s, "bytes/s"
    else:
        raise ValueError(f"figure must be one of ['bandwidth', 'compute', 'flops'], got {figure!r}")
    return number_span(spelled("chip_figure", chip, figure, precision), value, f"{format_si(value, 5)} {unit}")


def model_figure(model: str, figure: str) -> str:
    """``total`` or ``active`` parameters of a model preset, in SI."""
    m = presets.model(model)
    values = {"total": m.total_params, "active": m.active_params}
    if figure not in values:
        raise ValueError(f"figure must be one of {sorted(values)}, got {figure!r}")
    return number_span(f"model_{figure}", values[figure], format_si(values[figure]))


def sparsity(model: str, digits: int = 4) -> str:
    """N_total / N_active of a model preset (1 for a dense model)."""
    m = presets.model(model)
    value = core.sparsity_ratio(m.total_params, m.active_params)
    return number_span("sparsity", value, format_number(value, digits))


def sweet_spot_batch(model: str, chip: str, precision: str = "fp8", digits: int = 4) -> str:
    """Section V's KV-free sweet spot of a model on a chip at a weight precision:
    ``(N_total · bytes per weight / N_active) · (C / BW)`` sequences.

    ``precision`` is a weight precision (``fp8``, ``bf16``, ``w8a16``, ``w4a16``):
    it sets both the bytes per weight and the arithmetic C comes from.
    """
    value = dep.kv_free_sweet_spot(dep.deployment(_chip(chip), model, precision=precision))
    return number_span(spelled("sweet_spot_batch", model, chip, precision), value, format_number(value, digits))


def kv_cache_bytes_per_token(
    model: str, kv_precision: str = "bf16", context_tokens: float = 8192, exact: bool = False
) -> str:
    """KV cache bytes per token of context, from the model's attention shape (averaged over the
    sequence where sliding windows apply): ``70.3 KB``, or every byte (``70,272``) when ``exact``."""
    m = presets.model(model)
    value = dep.kv_bytes_per_token(m, context_tokens, presets.kv_precision(kv_precision).bytes_per_element)
    text = format_batch(value) if exact else format_bytes(value)
    name = spelled("kv_cache_bytes_per_token", model, kv_precision, format_si_exact(float(context_tokens)))
    return number_span(name, value, text)


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "chip_ops_per_byte": chip_ops_per_byte,
    "chip_flop_per_byte": chip_flop_per_byte,
    "chip_figure": chip_figure,
    "model_figure": model_figure,
    "sparsity": sparsity,
    "sweet_spot_batch": sweet_spot_batch,
    "kv_cache_bytes_per_token": kv_cache_bytes_per_token,
}
