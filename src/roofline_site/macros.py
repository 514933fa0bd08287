"""The macros pages call. Each delegates the number to :mod:`roofline` and the
text to :mod:`roofline.units`, and wraps it so tests can check it:

    <span class="rl-num" data-macro="sweet_spot" data-value="5357.3…">5,357</span>

``data-value`` is the core's raw float (``repr``), the text is what a reader sees.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from roofline import comparisons, presets, simulator
from roofline import deployment as dep
from roofline import model as core
from roofline import tokens as token_counts
from roofline.units import format_bytes, format_number, format_si

__all__ = ["MACROS", "PAGE_MACROS", "number_span", "plain_number", "register"]


def plain_number(value: float, digits: int = 3) -> str:
    """A whole number as it is (``2``, ``300``); anything else with ``digits`` significant figures."""
    return f"{value:,.0f}" if float(value).is_integer() else format_number(value, digits)


def number_span(macro: str, value: float, text: str) -> str:
    """The HTML for one computed number (see the module docstring)."""
    return f'<span class="rl-num" data-macro="{html.escape(macro)}" data-value="{value!r}">{html.escape(text)}</span>'


def _chip(hardware: str) -> presets.Hardware:
    return presets.ARTICLE_H100 if hardware == presets.ARTICLE_H100.key else presets.hardware(hardware)


def c_over_bw(hardware: str, precision: str = "fp8", digits: int = 3, unit: bool = True, flop: bool = False) -> str:
    """C / BW of a hardware preset (``article-h100`` for the article's round figures).

    C counts multiply-adds (FLOP/s ÷ 2), so the ratio is in multiply-adds per
    byte; ``unit`` prints that unit after it (leave it off only in a table
    whose header states it), and ``flop`` adds the same ratio in FLOP per byte
    beside it, the unit most other sources use.
    """
    chip = _chip(hardware)
    value = core.hardware_ratio(chip.compute_ops_per_s(precision), chip.bandwidth_bytes_per_s)
    out = number_span("c_over_bw", value, format_number(value, digits))
    if unit:
        out += " multiply-adds per byte"
    if flop:
        out += f" ({flop_per_byte(hardware, precision, digits)} FLOP per byte)"
    return out


def flop_per_byte(hardware: str, precision: str = "fp8", digits: int = 3) -> str:
    """A chip's dense FLOP/s ÷ BW: FLOP per byte, twice C / BW (the number alone; say the unit beside it)."""
    chip = _chip(hardware)
    value = core.hardware_ratio(chip.flops_per_s(precision), chip.bandwidth_bytes_per_s)
    return number_span("flop_per_byte", value, format_number(value, digits))


def sparsity(model: str, digits: int = 4) -> str:
    """N_total / N_active of a model preset."""
    m = presets.model(model)
    value = core.sparsity_ratio(m.total_params, m.active_params)
    return number_span("sparsity", value, format_number(value, digits))


def sweet_spot(model: str, hardware: str, precision: str = "fp8", digits: int = 4) -> str:
    """The KV-free sweet spot of a model on a chip at a weight precision (weights and arithmetic together).

    The same core function as the deployment page's ``precision_sweet_spot``
    (:func:`roofline.deployment.precision_sweet_spot`), so the two pages agree.
    """
    value = dep.precision_sweet_spot(_chip(hardware), model, precision)
    return number_span("sweet_spot", value, format_number(value, digits))


def hardware_figure(hardware: str, figure: str, precision: str = "fp8") -> str:
    """One figure of a chip: ``compute`` (C, ops/s), ``flops`` or ``bandwidth`` (bytes/s), in SI."""
    chip = _chip(hardware)
    flops = chip.dense_fp8_flops_per_s if precision == "fp8" else chip.dense_bf16_flops_per_s
    values = {
        "compute": (chip.compute_ops_per_s(precision), "ops/s"),
        "flops": (flops, "FLOP/s"),
        "bandwidth": (chip.bandwidth_bytes_per_s, "bytes/s"),
    }
    if figure not in values:
        raise ValueError(f"figure must be one of {sorted(values)}, got {figure!r}")
    value, unit = values[figure]
    return number_span(f"hardware_{figure}", value, f"{format_si(value, 5)} {unit}")


def model_figure(model: str, figure: str) -> str:
    """``total`` or ``active`` parameters of a model preset, in SI."""
    m = presets.model(model)
    values = {"total": m.total_params, "active": m.active_params}
    if figure not in values:
        raise ValueError(f"figure must be one of {sorted(values)}, got {figure!r}")
    return number_span(f"model_{figure}", values[figure], format_si(values[figure]))


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
    return "about " + number_span(f"growth_{figure}", value, f"{format_number(value, 2, about=True)}×")


def bytes_per_weight(precision: str) -> str:
    """Bytes per stored weight of a weight precision preset."""
    value = presets.weight_precision(precision).bytes_per_weight
    return number_span("bytes_per_weight", value, plain_number(value))


def slider_limit(key: str, which: str) -> str:
    """The article simulator's ``min``, ``max`` or ``default`` for slider ``key``, in SI."""
    c = simulator.control(key)
    values = {"min": c.minimum, "max": c.maximum, "default": c.default}
    if which not in values:
        raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
    value = float(values[which])
    return number_span(f"slider_{which}", value, format_si(value))


def chip_name(hardware: str) -> str:
    """A hardware preset's product name (names such as "A100 80GB" carry digits that are not figures)."""
    name = _chip(hardware).name.removeprefix("NVIDIA ")
    return f'<span class="rl-word" data-macro="chip_name">{html.escape(name)}</span>'


def tokens(spelling: str, convention: str = "model card") -> str:
    """The exact token count a ``"model card"`` ("128K" = 131,072) or ``"price sheet"`` ("200K" = 200,000) means."""
    readers = {"model card": token_counts.model_card_tokens, "price sheet": token_counts.price_sheet_tokens}
    if convention not in readers:
        raise ValueError(f"convention must be one of {sorted(readers)}, got {convention!r}")
    value = readers[convention](spelling)
    return number_span("tokens", float(value), token_counts.format_tokens(value))


def seed_readout(name: str) -> str:
    """A readout of the article's simulator at its defaults (as the widget shows it)."""
    readout = simulator.readouts(simulator.DEFAULT_STATE)[name]
    value = readout.value if isinstance(readout.value, float) else float("nan")
    return number_span(f"seed_{name}", value, readout.text)


def _with_env(env, function: Callable[..., str]) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    def bound(*args: object, **kwargs: object) -> str:
        return function(env, *args, **kwargs)

    bound.__name__ = function.__name__
    bound.__doc__ = function.__doc__
    return bound


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "c_over_bw": c_over_bw,
    "flop_per_byte": flop_per_byte,
    "sparsity": sparsity,
    "sweet_spot": sweet_spot,
    "hardware_figure": hardware_figure,
    "model_figure": model_figure,
    "seed_readout": seed_readout,
    "tokens": tokens,
    "chip_name": chip_name,
    "slider_limit": slider_limit,
    "cited_figure": cited_figure,
    "growth": growth,
    "bytes_per_weight": bytes_per_weight,
}

#: Macros that read the page being rendered (``env.page``); see widget.py.
PAGE_MACROS: dict[str, Callable[..., str]] = {}


def register(env, plain: dict[str, Callable[..., str]], page: dict[str, Callable[..., str]]) -> None:  # type: ignore[no-untyped-def]
    """Register ``plain`` macros as they are and ``page`` macros with ``env`` bound first.

    Raises:
        ValueError: if a name is already taken: two topic modules defining the
            same macro would otherwise silently replace one another.
    """
    for name, function in [*plain.items(), *((n, _with_env(env, f)) for n, f in page.items())]:
        if name in env.macros:
            raise ValueError(f"macro {name!r} is defined twice (by {function.__module__} and another module)")
        env.macro(function, name)
