"""SI prefixes and time formatting: the only place numbers become text.

Everything inside :mod:`roofline` is a float in SI base units (parameters,
bytes, ops/s, bytes/s, seconds). This module turns those floats into the short
labels the site shows and parses the labels people type back into floats.

Prefixes are decimal (K = 10^3, M = 10^6, G = 10^9, T = 10^12, P = 10^15,
E = 10^18), as in datasheets: ``200G`` bytes/s is 2e11 bytes/s, not 200 GiB/s.

Token counts. Model cards call a context of 131,072 tokens "128K" (2^17);
price sheets mean 200,000 by "200K". So that no count is ever read both ways,
``K`` here is always 1,000 and the binary prefixes ``Ki Mi Gi Ti Pi Ei``
(IEC: Ki = 1,024, Mi = 1,024^2, ...) spell the powers of two: ``128Ki`` is
131,072 tokens, ``128K`` is 128,000 and ``200K`` is 200,000. Wherever a
context could be misread, :func:`format_tokens` prints the exact count.
A count quoted from a document in its own spelling is read as its author
meant it: :func:`model_card_tokens` takes a model card's K as 1,024,
:func:`price_sheet_tokens` a price sheet's as 1,000.

Range. Past the largest prefix (``E``: 1,000E and up) and below a thousandth,
every formatter switches to scientific notation (``1e308``, ``2.5e-7``), so
no input, however absurd, prints as hundreds of digits; times do so from a
million seconds up and below a femtosecond.

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
    "BINARY_PREFIXES",
    "MODEL_CARD_K",
    "PREFIXES",
    "PRICE_SHEET_K",
    "format_batch",
    "format_bytes",
    "format_number",
    "format_percent",
    "format_ratio",
    "format_si",
    "format_si_exact",
    "format_time",
    "format_tokens",
    "format_usd",
    "model_card_tokens",
    "parse_si",
    "price_sheet_tokens",
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

#: Binary (IEC) prefixes for powers of two, as model cards mean "128K" (= 128Ki).
BINARY_PREFIXES: tuple[tuple[str, float], ...] = (
    ("Ki", 2.0**10),
    ("Mi", 2.0**20),
    ("Gi", 2.0**30),
    ("Ti", 2.0**40),
    ("Pi", 2.0**50),
    ("Ei", 2.0**60),
)

#: From this magnitude up (1,000 of the largest prefix), and below
#: :data:`_SCIENTIFIC_BELOW`, numbers print in scientific notation.
_SCIENTIFIC_FROM = 1e3 * PREFIXES[-1][1]
_SCIENTIFIC_BELOW = 1e-3

# "k" is accepted as an alias of "K" because people type it; a lowercase "m"
# is refused because it reads as milli as often as mega.
_SCALE = {symbol: scale for symbol, scale in PREFIXES} | {"k": 1e3}
_BINARY_SCALE = dict(BINARY_PREFIXES)
_NUMBER = re.compile(
    r"^\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<prefix>[kKMGTPE]i?)?\s*$"
)
_TIME_UNITS: tuple[tuple[str, float], ...] = (
    ("s", 1.0),
    ("ms", 1e-3),
    ("µs", 1e-6),
    ("ns", 1e-9),
    ("ps", 1e-12),
)
#: Times print in scientific notation from here up (a million seconds) and
#: below a thousandth of the smallest unit.
_TIME_SCIENTIFIC_FROM = 1e6
_TIME_SCIENTIFIC_BELOW = 1e-15


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
    try:
        return round(value, digits - 1 - exponent)
    except OverflowError:  # rounding up past the largest float (1.798e308 to 1.80e308): keep it
        return value


def _trim(number: float, digits: int) -> str:
    """``number`` with ``digits`` significant figures, trailing zeros dropped."""
    text = f"{number:.{digits}g}"
    if "e" in text:
        # .g switches to exponent form only past 10^digits; keep plain digits.
        text = f"{number:.{max(digits - 1 - math.floor(math.log10(abs(number))), 0)}f}"
    return text


def parse_si(text: str) -> float:
    """Parse a number with an optional decimal SI or binary IEC prefix.

    Accepts plain numbers (``8192``, ``1e9``, ``0.5``), a decimal prefix from
    ``K M G T P E`` (``k`` too): ``8.19K`` is 8190.0, ``80T`` is 8e13, and a
    binary one from ``Ki Mi Gi Ti Pi Ei`` (``ki`` too): ``128Ki`` is 131072.0.

    Raises:
        ValueError: if the text is not such a number, or is not finite.

    >>> parse_si("8192")
    8192.0
    >>> parse_si("1.5k")
    1500.0
    >>> parse_si("12 G")
    12000000000.0
    >>> parse_si("128Ki"), parse_si("128K")
    (131072.0, 128000.0)
    >>> parse_si("abc")
    Traceback (most recent call last):
    ...
    ValueError: 'abc' is not a number (use digits with an optional K, M, G, T, P or E suffix, or Ki, Mi, ... for powers of 1024)
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not text")
    match = _NUMBER.match(text)
    if match is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(
            f"{shown!r} is not a number (use digits with an optional K, M, G, T, P or E suffix, "
            "or Ki, Mi, ... for powers of 1024)"
        )
    number, prefix = match["number"], match["prefix"] or ""
    if prefix.endswith("i"):
        # Powers of two are exact in a float, so the product is correctly rounded.
        value = float(number) * _BINARY_SCALE[prefix[0].upper() + "i"]
    elif prefix and "e" not in number.lower():
        # "8.19e3" is correctly rounded; 8.19 * 1e3 is not (8190.000000000001).
        value = float(f"{number}e{round(math.log10(_SCALE[prefix]))}")
    else:
        value = float(number) * _SCALE.get(prefix, 1.0)
    if not math.isfinite(value):
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise ValueError(f"{shown!r} is too large to represent")
    return value


def _scientific(value: float, digits: int) -> str:
    """``value`` as ``1.23e21``: ``digits`` significant figures, trailing zeros dropped.

    >>> _scientific(1e308, 3), _scientific(-2.5e-7, 3)
    ('1e308', '-2.5e-7')
    """
    mantissa, exponent = f"{value:.{max(digits, 1) - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def _out_of_range(value: float) -> bool:
    """Whether a count is too large or too small for prefixes and plain digits."""
    magnitude = abs(value)
    return magnitude >= _SCIENTIFIC_FROM or 0 < magnitude < _SCIENTIFIC_BELOW


def format_si(value: float, digits: int = 3) -> str:
    """Format a count or rate with a decimal SI prefix and ``digits`` significant figures.

    Past the largest prefix (1,000E) and below 0.001 it is scientific notation.

    >>> format_si(12e9)
    '12G'
    >>> format_si(128)
    '128'
    >>> format_si(999_900)
    '1M'
    >>> format_si(0.25)
    '0.25'
    >>> format_si(1e308)
    '1e308'
    """
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if _out_of_range(round_significant(value, digits)):
        return _scientific(value, digits)
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
    >>> format_time(3.2e300)
    '3.2e300 s'
    """
    if not math.isfinite(seconds):
        return str(seconds)
    if seconds == 0:
        return "0 s"
    rounded = round_significant(seconds, digits)
    if abs(rounded) >= _TIME_SCIENTIFIC_FROM or abs(rounded) < _TIME_SCIENTIFIC_BELOW:
        return f"{_scientific(seconds, digits)} s"
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
    >>> format_number(1e308)
    '1e308'
    """
    if not math.isfinite(value):
        return str(value)
    if about:
        digits = min(digits, ABOUT_DIGITS)
    rounded = round_significant(value, digits)
    if rounded == 0:
        return "0"
    if _out_of_range(rounded):
        return _scientific(value, digits)
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
    if abs(value) >= _SCIENTIFIC_FROM:
        return f"${_scientific(value, digits)}"
    if abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${format_number(value, digits)}"


#: Whole batches print every digit below this; from here up, with a prefix.
_BATCH_DIGITS_BELOW = 1e6


def format_batch(value: float) -> str:
    """A batch size (or any count of things: GPUs, sequences) as the CLI, macros and widget print it.

    Whole numbers below a million print every digit with thousands
    separators; fractional ones four significant figures; from a million up
    a decimal prefix with three (``12.7M``), and past 1,000E scientific notation.

    >>> format_batch(1587), format_batch(600.4919), format_batch(8)
    ('1,587', '600.5', '8')
    >>> format_batch(12_685_714.3), format_batch(1e308)
    ('12.7M', '1e308')
    """
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= _BATCH_DIGITS_BELOW:
        return format_si(value)
    return f"{value:,.0f}" if value == int(value) else format_number(value)


#: Token counts print every digit below this; from here up, with a prefix.
_TOKEN_DIGITS_BELOW = 1e15


def format_tokens(count: float) -> str:
    """An exact token count with thousands separators: ``131,072``, never the ambiguous ``131K``.

    Contexts are where a prefix misleads ("128K" is 131,072 on a model card,
    128,000 here), so whole counts print every digit (up to 10^15, then a
    prefix, then scientific notation). A fractional count (a context solved
    from an equation) prints with four significant figures.

    >>> format_tokens(131072), format_tokens(200_000), format_tokens(1783.4)
    ('131,072', '200,000', '1,783')
    >>> format_tokens(1e300)
    '1e300'
    """
    if not math.isfinite(count):
        return str(count)
    if abs(count) >= _TOKEN_DIGITS_BELOW:
        return format_si(count)
    return f"{count:,.0f}" if count == int(count) else format_number(count)


# Token counts as model cards and price sheets write them, read exactly. A
# model card's "128K" context is 2^17 = 131,072 tokens (a binary K of 1,024), a
# price sheet's "200K" threshold is 200,000 tokens (a decimal K of 1,000). The
# site prints contexts as exact counts so the two cannot be confused; these
# functions turn either spelling into that count (format_tokens prints it).

#: Tokens in a model card's K (contexts are powers of two).
MODEL_CARD_K = 1024
#: Tokens in a price sheet's K.
PRICE_SHEET_K = 1000

_SPELLING = re.compile(r"(\d+)\s*([KM])", re.IGNORECASE)


def _read_tokens(text: str, k: int) -> int:
    match = _SPELLING.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"a token count must be a whole number followed by K or M, like '128K', got {text!r}")
    count, prefix = int(match.group(1)), match.group(2).upper()
    return count * (k if prefix == "K" else k * k)


def model_card_tokens(text: str) -> int:
    """The tokens a model card means by ``text`` ("4K" = 4,096; "1M" = 1,048,576).

    >>> model_card_tokens("128K")
    131072
    """
    return _read_tokens(text, MODEL_CARD_K)


def price_sheet_tokens(text: str) -> int:
    """The tokens a price sheet means by ``text`` ("200K" = 200,000).

    >>> price_sheet_tokens("200K")
    200000
    """
    return _read_tokens(text, PRICE_SHEET_K)
