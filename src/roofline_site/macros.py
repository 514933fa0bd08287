"""What every macro module shares, and the simulator's readouts at its defaults.

Each macro delegates the number to :mod:`roofline` and the text to
:mod:`roofline.units`, and wraps it so tests can check it:

    <span class="rl-num" data-macro="sweet_spot_batch:deepseek-v3:h100-sxm:fp8" data-value="5356.3…">5,356</span>

``data-value`` is the core's raw float (``repr``), the text is what a reader sees.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from roofline.web.article import ARTICLE

__all__ = ["MACROS", "PAGE_MACROS", "number_span", "register", "spelled"]


def number_span(macro: str, value: float, text: str) -> str:
    """The HTML for one computed number (see the module docstring)."""
    return f'<span class="rl-num" data-macro="{html.escape(macro)}" data-value="{value!r}">{html.escape(text)}</span>'


def spelled(*parts: object) -> str:
    """A ``data-macro`` name that spells a call: the macro, then each argument given (``a:b:c``).

    >>> spelled("chip_ops_per_byte", "h100-sxm", "fp8", None)
    'chip_ops_per_byte:h100-sxm:fp8'
    """
    return ":".join(str(part) for part in parts if part is not None and part != "")


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
