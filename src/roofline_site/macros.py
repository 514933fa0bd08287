"""The macros pages call. Each delegates the number to :mod:`roofline` and the
text to :mod:`roofline.units`, and wraps it so tests can check it:

    <span class="rl-num" data-macro="sweet_spot" data-value="5357.3…">5,357</span>

``data-value`` is the core's raw float (``repr``), the text is what a reader sees.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from roofline import model as core
from roofline import presets, simulator
from roofline.units import format_number, format_si

from .assets import VENDOR, WHEELS, python_version, wheel_path

__all__ = ["MACROS", "PAGE_MACROS", "number_span", "register"]


def number_span(macro: str, value: float, text: str) -> str:
    """The HTML for one computed number (see the module docstring)."""
    return f'<span class="rl-num" data-macro="{html.escape(macro)}" data-value="{value!r}">{html.escape(text)}</span>'


def c_over_bw(hardware: str, precision: str = "fp8", digits: int = 3) -> str:
    """C / BW of a hardware preset (``article-h100`` for the article's round figures)."""
    chip = presets.ARTICLE_H100 if hardware == presets.ARTICLE_H100.key else presets.hardware(hardware)
    value = core.hardware_ratio(chip.compute_ops_per_s(precision), chip.bandwidth_bytes_per_s)
    return number_span("c_over_bw", value, format_number(value, digits))


def sparsity(model: str, digits: int = 4) -> str:
    """N_total / N_active of a model preset."""
    m = presets.model(model)
    value = core.sparsity_ratio(m.total_params, m.active_params)
    return number_span("sparsity", value, format_number(value, digits))


def sweet_spot(model: str, hardware: str, precision: str = "fp8", digits: int = 4) -> str:
    """(N_total / N_active) · (C / BW) for a model on a chip."""
    m = presets.model(model)
    chip = presets.ARTICLE_H100 if hardware == presets.ARTICLE_H100.key else presets.hardware(hardware)
    value = core.sweet_spot_batch(
        m.total_params, m.active_params, chip.compute_ops_per_s(precision), chip.bandwidth_bytes_per_s
    )
    return number_span("sweet_spot", value, format_number(value, digits))


def hardware_figure(hardware: str, figure: str, precision: str = "fp8") -> str:
    """One figure of a chip: ``compute`` (C, ops/s), ``flops`` or ``bandwidth`` (bytes/s), in SI."""
    chip = presets.ARTICLE_H100 if hardware == presets.ARTICLE_H100.key else presets.hardware(hardware)
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


def seed_readout(name: str) -> str:
    """A readout of the article's simulator at its defaults (as the widget shows it)."""
    readout = simulator.readouts(simulator.DEFAULT_STATE)[name]
    value = readout.value if isinstance(readout.value, float) else float("nan")
    return number_span(f"seed_{name}", value, readout.text)


def _relative_root(env) -> str:  # type: ignore[no-untyped-def]
    """``../`` once per folder between the current page and the site root."""
    url = env.page.url if env.page is not None else ""
    return "../" * url.strip("/").count("/") + ("../" if url.strip("/") else "")


def simulator_widget(env) -> str:  # type: ignore[no-untyped-def]
    """The simulator's HTML, pre-filled with the default state's readouts."""
    root = _relative_root(env)
    state = simulator.DEFAULT_STATE
    shown = simulator.readouts(state)
    wheel = wheel_path().name
    config = {
        "interpreter": f"{root}{VENDOR}/pyodide/pyodide.mjs",
        "files": {f"{root}{WHEELS}/{wheel}": f"/lib/python{python_version()}/site-packages/*"},
    }

    def readout(name: str, tag: str = "span") -> str:
        r = shown[name]
        return f'<{tag} data-readout="{name}" data-value="{html.escape(r.raw)}">{html.escape(r.text)}</{tag}>'

    controls = []
    for c in simulator.CONTROLS:
        value = state.value(c.key)
        lo = c.minimum
        hi = state.max_batch if c.key == "B" else c.maximum
        unit = f" {c.unit}" if c.unit else ""
        controls.append(
            f'<div class="rl-sim__control">'
            f'<label for="sim-{c.key}"><span class="rl-sim__name">{html.escape(c.label)}</span> '
            f'<output id="sim-{c.key}-value" for="sim-{c.key}">{format_si(value)}{html.escape(unit)}</output></label>'
            f'<input type="range" id="sim-{c.key}" data-control="{c.key}" min="0" '
            f'max="{simulator.slider_steps(c, state)}" step="1" value="{simulator.position_of(c, value, state)}" '
            f'aria-valuetext="{format_si(value)}{html.escape(unit)}" disabled>'
            f'<span class="rl-sim__range" id="sim-{c.key}-range">{format_si(lo)} to {format_si(hi)}{html.escape(unit)}</span>'
            f'<span class="rl-sim__help">{html.escape(c.help)}</span>'
            f"</div>"
        )
    cards = [
        (
            "T_compute",
            f"@ B = <span data-batch-label>{format_si(state.batch)}</span>",
            readout("t_compute", "strong"),
            "B × N_active / C",
        ),
        (
            "T_memory",
            f"@ B = <span data-batch-label>{format_si(state.batch)}</span>",
            readout("t_memory", "strong"),
            "weights + KV",
        ),
        ("Estimated latency", "", readout("latency", "strong"), "max(T_compute, T_memory)"),
        ("Memory weight term", "", readout("t_weights", "strong"), "N_total / BW: the intercept"),
        ("Memory KV term", "", readout("t_kv", "strong"), f"B × L × b / BW: {readout('kv_share')} of T_memory"),
        ("Memory slope", "", readout("memory_slope", "strong"), "T_memory added per extra sequence"),
        ("Compute / memory", "", readout("compute_memory_ratio", "strong"), "T_compute / T_memory"),
    ]
    card_html = "".join(
        f'<div class="rl-sim__card"><span class="rl-sim__card-title">{title} {sub}</span>{value}'
        f'<span class="rl-sim__card-note">{note}</span></div>'
        for title, sub, value, note in cards
    )
    parts = [
        f'<link rel="stylesheet" href="{root}{VENDOR}/pyscript/core.css">',
        f'<script src="{root}{VENDOR}/plotly/plotly.min.js"></script>',
        f'<script type="module" src="{root}{VENDOR}/pyscript/core.js"></script>',
        '<div id="simulator" class="rl-sim" data-ready="false">',
        '<p class="rl-sim__formula">T_compute = B × N_active / C, T_memory = N_total / BW + B × L × b / BW</p>',
        '<p id="sim-status" class="rl-sim__status" role="status">Starting Python in your browser '
        "(about a few seconds the first time); the sliders come alive when it is ready.</p>",
        '<div id="sim-notices" class="rl-sim__notices" role="alert" hidden></div>',
        '<div class="rl-sim__layout">',
        f'<fieldset class="rl-sim__controls"><legend>Parameters</legend>{"".join(controls)}</fieldset>',
        '<div class="rl-sim__results">',
        f'<div class="rl-sim__headline"><span>Bottleneck</span> {readout("bottleneck", "strong")}'
        f'<span class="rl-sim__sub">Crossover B* {readout("crossover")} · Estimated latency '
        f'<span data-mirror="latency">{html.escape(shown["latency"].text)}</span></span></div>',
        f'<div class="rl-sim__cards">{card_html}</div>',
        "</div></div>",
        '<div id="sim-chart" class="rl-sim__chart" role="img" '
        'aria-label="T_compute and T_memory against batch size; the readouts above give the same numbers"></div>',
        '<div class="rl-sim__reading"><h3>Reading the chart</h3>'
        f'<p id="sim-explanation">{html.escape(simulator.explanation(state))}</p></div>',
        f'<p class="rl-sim__params"><strong>Current parameters:</strong> '
        f'<span id="sim-params">{html.escape(simulator.params_line(state))}</span></p>',
        "</div>",
        f'<script type="py" src="main.py" config=\'{html.escape(json.dumps(config), quote=True)}\'></script>',
    ]
    return "\n".join(parts)


def _with_env(env, function: Callable[..., str]) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    def bound(*args: object, **kwargs: object) -> str:
        return function(env, *args, **kwargs)

    bound.__name__ = function.__name__
    bound.__doc__ = function.__doc__
    return bound


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "c_over_bw": c_over_bw,
    "sparsity": sparsity,
    "sweet_spot": sweet_spot,
    "hardware_figure": hardware_figure,
    "model_figure": model_figure,
    "seed_readout": seed_readout,
}

#: Macros that read the page being rendered (``env.page``).
PAGE_MACROS: dict[str, Callable[..., str]] = {
    "simulator_widget": simulator_widget,
}


def register(env, plain: dict[str, Callable[..., str]], page: dict[str, Callable[..., str]]) -> None:  # type: ignore[no-untyped-def]
    """Register ``plain`` macros as they are and ``page`` macros with ``env`` bound first."""
    for name, function in plain.items():
        env.macro(function, name)
    for name, function in page.items():
        env.macro(_with_env(env, function), name)
