"""SI prefixes and time formatting: the only place numbers become text.

Everything inside :mod:`roofline` is a float in SI base units (parameters,
bytes, ops/s, bytes/s, seconds). This module turns those floats into the short
labels the site shows and parses the labels people type back into floats.

Prefixes are decimal (K = 10^3, M = 10^6, G = 10^9, T = 10^12, P = 10^15,
E = 10^18), as in datasheets: ``200G`` bytes/s is 2e11 bytes/s, not 200 GiB/s.

>>> format_si(8192)
'8.19K'
>>> format_si(80e12)
'80T'
>>> parse_si("200G")
200000000000.0
>>> format_time(0.0600104858)
'60.01 ms'
>>> format_time(1.048576e-05)
'10.49 µs'
"""

from __future__ import annotations

import math
import re

__all__ = [
    "ABOUT_DIGITS",
    "PREFIXES",
    "format_bytes",
    "format_number",
    "format_percent",
    "format_ratio",
    "format_si",
    "format_si_exact",
    "format_time",
    "format_usd",
    "parse_si",
    "round_significant",
    "time_unit",
]

#: Decimal SI prefixes for counts and rates, smallest first.
PREFIXES: tuple[tuple[str, float], ...] = (
    ("K", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
)

# "k" is accepted as an alias of "K" because people type it; a lowercase "m"
# is refused because it reads as milli as often as mega.
_SCALE = {symbol: scale for symbol, scale in PREFIXES} | {"k": 1e3}
_NUMBER = re.compile(r"^\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<prefix>[kKMGTPE]?)\s*$")
_TIME_UNITS: tuple[tuple[str, float], ...] = (
    ("s", 1.0),
    ("ms", 1e-3),
    ("µs", 1e-6),
    ("ns", 1e-9),
    ("ps", 1e-12),
)


def round_significant(value: float, digits: int) -> float:
    """Round ``value`` to ``digits`` significant figures.

    >>> round_significant(600.4918, 3)
    600.0
    >>> round_significant(0.000123456, 2)
    0.00012
    """
    if value == 0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - exponent)


def _trim(number: float, digits: int) -> str:
    """``number`` with ``digits`` significant figures, trailing zeros dropped."""
    text = f"{number:.{digits}g}"
    if "e" in text:
        # .g switches to exponent form only past 10^digits; keep plain digits.
        text = f"{number:.{max(digits - 1 - math.floor(math.log10(abs(number))), 0)}f}"
    return text


def parse_si(text: str) -> float:
    """Parse a number with an optional decimal SI prefix.

    Accepts plain numbers (``8192``, ``1e9``, ``0.5``) and a prefix from
    ``K M G T P E`` (``k`` too): ``8.19K`` is 8190.0, ``80T`` is 8e13.

    Raises:
        ValueError: if the text is not such a number, or is not finite.

    >>> parse_si("8192")
    8192.0
    >>> parse_si("1.5k")
    1500.0
    >>> parse_si("12 G")
    12000000000.0
    >>> parse_si("abc")
    Traceback (most recent call last):
    ...
    ValueError: 'abc' is not a number (use digits with an optional K, M, G, T, P or E suffix)
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not text")
    match = _NUMBER.match(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"{shown!r} is not a number (use digits with an optional K, M, G, T, P or E suffix)")
    number, prefix = match["number"], match["prefix"]
    if prefix and "e" not in number.lower():
        # "8.19e3" is correctly rounded; 8.19 * 1e3 is not (8190.000000000001).
        value = float(f"{number}e{round(math.log10(_SCALE[prefix]))}")
    else:
        value = float(number) * _SCALE.get(prefix, 1.0)
    if not math.isfinite(value):
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise ValueError(f"{shown!r} is too large to represent")
    return value


def format_si(value: float, digits: int = 3) -> str:
    """Format a count or rate with a decimal SI prefix and ``digits`` significant figures.

    >>> format_si(12e9)
    '12G'
    >>> format_si(128)
    '128'
    >>> format_si(999_900)
    '1M'
    >>> format_si(0.25)
    '0.25'
    """
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    magnitude = round_significant(abs(value), digits)
    symbol, scale = "", 1.0
    for candidate, candidate_scale in PREFIXES:
        if magnitude >= candidate_scale:
            symbol, scale = candidate, candidate_scale
    return f"{sign}{_trim(magnitude / scale, digits)}{symbol}"


def format_si_exact(value: float) -> str:
    """The shortest text that :func:`parse_si` reads back as exactly ``value``.

    Used for URLs: ``8e9`` becomes ``8G`` but ``8192`` stays ``8192``, so a
    shared link restores the same numbers, not rounded ones.

    >>> format_si_exact(8e9)
    '8G'
    >>> format_si_exact(8192.0)
    '8192'
    >>> format_si_exact(2.5e-3)
    '0.0025'
    """
    best = repr(float(value))
    if best.endswith(".0"):
        best = best[:-2]
    for symbol, scale in PREFIXES:
        scaled = repr(value / scale)
        if scaled.endswith(".0"):
            scaled = scaled[:-2]
        candidate = scaled + symbol
        if "e" not in scaled and parse_si(candidate) == value and len(candidate) < len(best):
            best = candidate
    return best


def format_time(seconds: float, digits: int = 4) -> str:
    """Format a duration with the unit that keeps 1 to 999 in front, ``digits`` significant.

    >>> format_time(0.0128)
    '12.8 ms'
    >>> format_time(8.192e-08)
    '81.92 ns'
    >>> format_time(0.99996)
    '1 s'
    """
    if not math.isfinite(seconds):
        return str(seconds)
    if seconds == 0:
        return "0 s"
    rounded = round_significant(seconds, digits)
    for unit, scale in _TIME_UNITS:
        if abs(rounded) >= scale:
            return f"{_trim(rounded / scale, digits)} {unit}"
    unit, scale = _TIME_UNITS[-1]
    return f"{_trim(rounded / scale, digits)} {unit}"


def format_ratio(value: float, digits: int = 3) -> str:
    """A ratio in short scientific notation, as the article prints it.

    >>> format_ratio(0.21330)
    '2.13e-1'
    >>> format_ratio(3.5)
    '3.5e0'
    """
    if not math.isfinite(value):
        return str(value)
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def format_percent(fraction: float, digits: int = 2) -> str:
    """A fraction as a percentage with ``digits`` decimals (significant below 1%).

    >>> format_percent(0.000174735)
    '0.02%'
    >>> format_percent(0.5)
    '50%'
    >>> format_percent(0.0000012)
    '0.00012%'
    >>> format_percent(-0.70, 0)
    '-70%'
    """
    percent = fraction * 100
    if percent != 0 and abs(percent) < 10**-digits:
        return f"{_trim(round_significant(percent, 2), 2)}%"
    text = f"{percent:.{digits}f}"
    if "." in text:  # trailing zeros go only after a decimal point: 70 stays 70
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def time_unit(seconds: float) -> tuple[str, float]:
    """The unit :func:`format_time` would pick for ``seconds``, and its size in seconds.

    Charts use it to label an axis once instead of every tick.

    >>> time_unit(0.06)
    ('ms', 0.001)
    """
    magnitude = abs(seconds)
    for unit, scale in _TIME_UNITS:
        if magnitude >= scale:
            return unit, scale
    return _TIME_UNITS[-1]


#: Significant figures a number gets in prose that says "about": the model
#: is a ceiling built from datasheet peaks, so more would be false precision.
ABOUT_DIGITS = 3


def format_number(value: float, digits: int = 4, *, about: bool = False) -> str:
    """A plain number with ``digits`` significant figures and thousands separators.

    For tables and readouts: a sweet spot of 5357.29 reads ``5,357``, a ratio
    18.1351 ``18.14``. ``about=True`` is for prose that says "about": at most
    :data:`ABOUT_DIGITS` significant figures, whatever ``digits`` asks.

    >>> format_number(5357.29)
    '5,357'
    >>> format_number(18.135135)
    '18.14'
    >>> format_number(333.3333, 3)
    '333'
    >>> format_number(891.33, about=True), format_number(12685.71, 5, about=True)
    ('891', '12,700')
    """
    if not math.isfinite(value):
        return str(value)
    if about:
        digits = min(digits, ABOUT_DIGITS)
    rounded = round_significant(value, digits)
    if rounded == 0:
        return "0"
    decimals = max(digits - 1 - math.floor(math.log10(abs(rounded))), 0)
    return f"{rounded:,.{decimals}f}"


def format_bytes(value: float, digits: int = 3) -> str:
    """A size in bytes with a decimal prefix (GB = 10^9 bytes, as datasheets count).

    >>> format_bytes(671e9)
    '671 GB'
    >>> format_bytes(70272)
    '70.3 KB'
    >>> format_bytes(512)
    '512 B'
    """
    text = format_si(value, digits)
    if text[-1:] in _SCALE:
        return f"{text[:-1]} {text[-1]}B"
    return f"{text} B"


def format_usd(value: float, digits: int = 3) -> str:
    """US dollars with ``digits`` significant figures (at least cents from $1 up).

    >>> format_usd(0.30030)
    '$0.300'
    >>> format_usd(2)
    '$2.00'
    >>> format_usd(0.0012345)
    '$0.00123'
    >>> format_usd(1234.5)
    '$1,234.50'
    """
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${format_number(value, digits)}"
