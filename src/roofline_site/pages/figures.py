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

from roofline import comparisons, presets
from roofline import deployment as dep
from roofline import model as core
from roofline.units import format_batch, format_bytes, format_number, format_si, format_si_exact

from .common import number_span, plain_number, spelled, word_span

__all__ = [
    "MACROS",
    "bytes_per_weight",
    "chip_figure",
    "chip_flop_per_byte",
    "chip_name",
    "chip_ops_per_byte",
    "cited_figure",
    "growth",
    "kv_cache_bytes_per_token",
    "model_figure",
    "sparsity",
    "sweet_spot_batch",
]


def _chip(key: str) -> presets.Hardware:
    return presets.ARTICLE_H100 if key == presets.ARTICLE_H100.key else presets.hardware(key)


def chip_ops_per_byte(chip: str, precision: str = "fp8", digits: int = 3, unit: bool = True, flop: bool = False) -> str:
    """The article's C / BW of a chip: multiply-adds per byte (C = dense FLOP/s ÷ 2) at ``precision``.

    ``unit`` prints "multiply-adds per byte" after the number (leave it off
    only in a table whose header states it), and ``flop`` adds the same ratio
    in FLOP per byte beside it, the unit most other sources use.
    """
    hw = _chip(chip)
    value = core.hardware_ratio(hw.compute_ops_per_s(precision), hw.bandwidth_bytes_per_s)
    out = number_span(spelled("chip_ops_per_byte", chip, precision), value, format_number(value, digits))
    if unit:
        out += " multiply-adds per byte"
    if flop:
        out += f" ({chip_flop_per_byte(chip, precision, digits)} FLOP per byte)"
    return out


def chip_flop_per_byte(chip: str, precision: str = "fp8", digits: int = 3) -> str:
    """A chip's dense FLOP/s per byte/s of bandwidth at ``precision`` (twice :func:`chip_ops_per_byte`;
    the number alone, so say the unit beside it)."""
    hw = _chip(chip)
    value = core.hardware_ratio(hw.flops_per_s(precision), hw.bandwidth_bytes_per_s)
    return number_span(spelled("chip_flop_per_byte", chip, precision), value, format_number(value, digits))


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
    it sets both the bytes per weight and the arithmetic C comes from (``bf16``:
    two bytes per weight, BF16 arithmetic). Every page's sweet spot per
    precision comes from the one core function,
    :func:`roofline.deployment.precision_sweet_spot`, so no two tables disagree.
    """
    value = dep.precision_sweet_spot(_chip(chip), model, precision)
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


def cited_figure(key: str, digits: int = 3) -> str:
    """A figure quoted from a source (:data:`roofline.presets.CITED_FIGURES`), with its unit where it has one.

    Ratios whose unit the sentence names (the article's round numbers) print
    bare; rates print with their unit.
    """
    figure = presets.cited(key)
    if figure.unit == "bytes/s":
        text = f"{format_bytes(figure.value, digits)}/s"
    elif figure.unit == "FLOP/s":
        text = f"{format_si(figure.value, digits)} FLOP/s"
    else:
        text = plain_number(figure.value, digits)
    return number_span(f"cited_{key}", figure.value, text)


def growth(old: str, new: str, figure: str) -> str:
    """How many times a ceiling grew from an older cited chip to a preset: ``compute`` or ``bandwidth``, "about N×"."""
    if old != presets.P100.key:
        raise ValueError(f"old must be {presets.P100.key!r} (the one older chip cited), got {old!r}")
    g = comparisons.growth(presets.P100, presets.hardware(new))
    values = {"compute": g.compute_ratio, "bandwidth": g.bandwidth_ratio}
    if figure not in values:
        raise ValueError(f"figure must be one of {sorted(values)}, got {figure!r}")
    value = values[figure]
    return f"about {number_span(f'growth_{figure}', value, f'{format_number(value, 2, about=True)}×')}"


def bytes_per_weight(precision: str) -> str:
    """Bytes per stored weight of a weight precision preset."""
    value = presets.weight_precision(precision).bytes_per_weight
    return number_span("bytes_per_weight", value, plain_number(value))


def chip_name(hardware: str) -> str:
    """A hardware preset's product name (names such as "A100 80GB" carry digits that are not figures)."""
    name = _chip(hardware).name.removeprefix("NVIDIA ")
    return word_span("chip_name", name)


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "chip_ops_per_byte": chip_ops_per_byte,
    "chip_flop_per_byte": chip_flop_per_byte,
    "chip_figure": chip_figure,
    "model_figure": model_figure,
    "sparsity": sparsity,
    "sweet_spot_batch": sweet_spot_batch,
    "kv_cache_bytes_per_token": kv_cache_bytes_per_token,
    "chip_name": chip_name,
    "cited_figure": cited_figure,
    "growth": growth,
    "bytes_per_weight": bytes_per_weight,
}
