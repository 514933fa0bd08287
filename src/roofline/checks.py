"""The one validator for named numbers: every module that takes a number checks it here.

A bad value raises :class:`ValueError` with a message that names the
parameter, the value given and the unit, so the CLI, the URL parser and the
Python API all report it the same way.

>>> check_number("bandwidth_bytes_per_s", 3.35e12, "bytes/s")
3350000000000.0
>>> check_number("batch", 0, "sequences", minimum=1, inclusive=True)
Traceback (most recent call last):
...
ValueError: batch must be >= 1 sequences, got 0
>>> check_whole_number("gpus", 2.5)
Traceback (most recent call last):
...
ValueError: gpus must be a whole number >= 1, got 2.5
"""

from __future__ import annotations

import math

__all__ = ["check_number", "check_whole_number"]


def check_number(name: str, value: object, unit: str, *, minimum: float = 0.0, inclusive: bool = False) -> float:
    """``value`` as a finite float above ``minimum`` (or equal to it when ``inclusive``).

    Args:
        name: the parameter's name as the caller knows it (``context_tokens``).
        value: what was given; a bool or text is refused, not converted.
        unit: the unit the number is in, for the message (``tokens``, ``bytes/s``).
        minimum: the bound; by default the number must be > 0.
        inclusive: accept ``minimum`` itself.

    Raises:
        ValueError: naming ``name``, ``value`` and ``unit``, if the value is
            not a number, not finite (NaN, inf, an int beyond a float) or out
            of bounds.

    >>> check_number("usd_per_gpu_hour", 0, "US dollars per GPU-hour", inclusive=True)
    0.0
    >>> check_number("context_tokens", float("nan"), "tokens")
    Traceback (most recent call last):
    ...
    ValueError: context_tokens must be a finite number of tokens, got nan
    >>> check_number("batch", "7", "sequences")
    Traceback (most recent call last):
    ...
    ValueError: batch must be a number of sequences, got '7'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number of {unit}, got {value!r}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond the largest float (its repr may be too long to print)
        raise ValueError(f"{name} must be a finite number of {unit}, got an integer too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number of {unit}, got {value!r}")
    if number < minimum or (number == minimum and not inclusive):
        bound = f">= {minimum:g}" if inclusive else f"> {minimum:g}"
        raise ValueError(f"{name} must be {bound} {unit}, got {value!r}")
    return number


def check_whole_number(name: str, value: object, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum``; floats with a fraction, bools and text are refused.

    Raises:
        ValueError: naming ``name`` and ``value``.

    >>> check_whole_number("gpus", 8)
    8
    >>> check_whole_number("sliding_layers", 0, minimum=0)
    0
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return value
