"""What every macro module shares, and the simulator's readouts at its defaults.

Each macro delegates the number to :mod:`roofline` and the text to
:mod:`roofline.units`, and wraps it so tests can check it:

    <span class="rl-num" data-macro="sweet_spot_batch:deepseek-v3:h100-sxm:fp8" data-value="5356.3…">5,356</span>

``data-value`` is the core's raw float (``repr``), the text is what a reader sees.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from roofline import units as token_counts
from roofline.units import format_number, format_si, format_tokens
from roofline.web.article import ARTICLE

__all__ = [
    "MACROS",
    "PAGE_MACROS",
    "PLOTLY",
    "RENDERER",
    "chart_container",
    "chart_scripts",
    "figure_layout",
    "macro_block",
    "number_span",
    "plain_number",
    "register",
    "spelled",
    "table_row",
    "word_span",
]

#: The plotly.js the site serves itself, and charts.js, the one theme script that draws the pages'
#: figures in the reader's scheme (paths from the site's root).
PLOTLY = "assets/vendor/plotly/plotly.min.js"
RENDERER = "assets/javascripts/charts.js"


def plain_number(value: float, digits: int = 3) -> str:
    """A whole number as it is (``2``, ``300``); anything else with ``digits`` significant figures."""
    return f"{value:,.0f}" if float(value).is_integer() else format_number(value, digits)


def number_span(macro: str, value: float, text: str) -> str:
    """The HTML for one computed number (see the module docstring)."""
    return f'<span class="rl-num" data-macro="{html.escape(macro)}" data-value="{value!r}">{html.escape(text)}</span>'


def word_span(macro: str, text: str) -> str:
    """The HTML for one computed word or name (a chip's, a regime): :func:`number_span`'s twin, with no value.

    >>> word_span("chip_name", "A100 80GB")
    '<span class="rl-word" data-macro="chip_name">A100 80GB</span>'
    """
    return f'<span class="rl-word" data-macro="{html.escape(macro)}">{html.escape(text)}</span>'


def spelled(*parts: object) -> str:
    """A ``data-macro`` name that spells a call: the macro, then each argument given (``a:b:c``).

    >>> spelled("chip_ops_per_byte", "h100-sxm", "fp8", None)
    'chip_ops_per_byte:h100-sxm:fp8'
    """
    return ":".join(str(part) for part in parts if part is not None and part != "")


def table_row(cells: list[str]) -> str:
    """One row of a Markdown table.

    >>> table_row(["a", "b"])
    '| a | b |'
    """
    return "| " + " | ".join(cells) + " |"


def macro_block(name: str, lines: list[str]) -> str:
    """A whole block from one macro: the marker tells the prose scanner (tests/prose_numbers.py) its numbers are computed.

    >>> macro_block("t", ["| a |"])
    '<div data-macro-block="t" markdown>\\n\\n| a |\\n\\n</div>'
    """
    return "\n".join([f'<div data-macro-block="{name}" markdown>', "", *lines, "", "</div>"])


def chart_container(chart_id: str, figure: dict, themes: dict, label: str) -> str:
    """A page figure's container and its JSON: ``figure`` as plotly.py wrote it, ``themes`` its colours per scheme.

    charts.js (:data:`RENDERER`) draws it once :func:`chart_scripts` has
    loaded; ``label`` is what a screen reader says for the picture.
    """
    spec = json.dumps({"figure": figure, "themes": themes}, separators=(",", ":"))
    spec = spec.replace("</", "<\\/")  # never close the script element early
    chart_id = html.escape(chart_id)
    return (
        f'<div class="rl-hw-chart" id="{chart_id}" data-figure="{chart_id}-spec" '
        f'data-ready="false" role="img" aria-label="{html.escape(label)}"></div>\n'
        f'<script type="application/json" id="{chart_id}-spec">{spec}</script>'
    )


def chart_scripts(root: str) -> str:
    """The scripts that draw a page's figures, once per page; ``root`` the relative path to the site's root."""
    return f'<script src="{root}{PLOTLY}"></script>\n<script src="{root}{RENDERER}"></script>'


def figure_layout(*, height: int, margin: dict[str, int], legend_y: float) -> dict:
    """What the pages' own figures share: no template (charts.js colours them), a transparent
    background, the legend in a row below the plot, the nearest point's hover."""
    return {
        "template": "none",
        "height": height,
        "margin": margin,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"size": 12},
        "legend": {"orientation": "h", "x": 0, "y": legend_y, "xanchor": "left", "yanchor": "top"},
        "hovermode": "closest",
    }


def slider_limit(key: str, which: str) -> str:
    """The article simulator's ``min``, ``max`` or ``default`` for slider ``key``, in SI."""
    c = ARTICLE.control(key)
    values = {"min": c.minimum, "max": c.maximum, "default": c.default}
    if which not in values:
        raise ValueError(f"which must be one of {sorted(values)}, got {which!r}")
    value = float(values[which])
    return number_span(f"slider_{which}", value, format_si(value))


def tokens(spelling: str, convention: str = "model card") -> str:
    """The exact token count a ``"model card"`` ("128K" = 131,072) or ``"price sheet"`` ("200K" = 200,000) means."""
    readers = {"model card": token_counts.model_card_tokens, "price sheet": token_counts.price_sheet_tokens}
    if convention not in readers:
        raise ValueError(f"convention must be one of {sorted(readers)}, got {convention!r}")
    value = readers[convention](spelling)
    return number_span("tokens", float(value), format_tokens(value))


def seed_readout(name: str) -> str:
    """A readout of the article's simulator at its defaults (as the widget shows it)."""
    readout = ARTICLE.readouts(ARTICLE.default)[name]
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
    "seed_readout": seed_readout,
    "tokens": tokens,
    "slider_limit": slider_limit,
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
