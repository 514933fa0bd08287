"""The simulator's inputs: sliders, drop-downs and switches, and the slider maths both modes share.

A slider's position runs from 0 to :func:`slider_steps`; log sliders have
:data:`LOG_STEPS` positions and round values to three significant figures.
The current-B slider ends at max B (:func:`bounds`), so B always stays on the
chart: every state of both modes has ``batch`` and ``max_batch`` fields.

>>> c = Control(key="N", field="n", label="N", help="", unit="params", minimum=1e6, maximum=500e9,
...             default=8e9, log=True, integer=False)
>>> position_of(c, 8e9), value_at(c, 685)
(685, 8010000000.0)
>>> check_text(c, "2T", *bounds(c, None))
(500000000000.0, 'N=2T is above the range 1M params to 500G params')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from .. import tables
from ..units import format_si, format_si_exact, format_usd, parse_si

__all__ = [
    "LOG_STEPS",
    "Control",
    "Option",
    "Picker",
    "Toggle",
    "bounds",
    "check_text",
    "describe",
    "exact_text",
    "pickers",
    "position_of",
    "shared_slider",
    "shorten",
    "slider_steps",
    "sliders",
    "toggles",
    "value_at",
]

#: Positions on a log slider: 1000 steps over at most 7 decades keeps each
#: step under 2% of the value.
LOG_STEPS = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Control:
    """One slider: its URL key, the state field it sets, and its range (in the unit ``unit``).

    ``off_text`` makes it optional: its state field is ``None`` until a reader
    sets it (the slider then rests at ``default``), the widget gives it an
    on/off box, and the page prints ``off_text`` while it is off.
    """

    key: str
    field: str
    label: str
    help: str
    unit: str
    minimum: float
    maximum: float
    default: float
    log: bool
    integer: bool
    step: float = 1.0
    off_text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One choice of a picker: the URL value and what a reader sees."""

    value: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Picker:
    """A drop-down: its URL key, the state field it sets, its options."""

    key: str
    field: str
    label: str
    help: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Toggle:
    """An on/off switch: its URL key (values 1 and 0) and its field."""

    key: str
    field: str
    label: str
    help: str
    default: bool


def sliders(table: str, defaults: Mapping[str, float] | None = None) -> tuple[Control, ...]:
    """The sliders of ``table`` (``"article"``, ``"real"``, ``"compare"``) in ``controls.toml``, in its order.

    A row without a ``default`` takes ``defaults[field]``; a row ``shared = "key"``
    is that shared slider (:func:`shared_slider`) with the row's fields on top.

    >>> [c.key for c in sliders("compare")]
    ['isl', 'osl', 'tpot']

    Raises:
        ValueError: naming the file and the row, for a field Control does not
            have, a required one missing, or a default neither written nor given.
    """
    return tuple(_slider(row, defaults or {}) for row in _rows(table))


def shared_slider(key: str, **changes: Any) -> Control:
    """The slider ``[shared.key]`` of ``controls.toml`` (the context ``L``, the target ``tpot``), with ``changes``."""
    return _slider({"shared": key, **changes}, {})


def pickers(table: str, options: Mapping[str, tuple[Option, ...]], words: Mapping[str, str]) -> tuple[Picker, ...]:
    """The drop-downs of ``table`` in ``controls.toml``: each row's ``options`` names a list in ``options``,
    and ``{name}`` in its help is ``words[name]``.

    Raises:
        ValueError: naming the file and the row, as :func:`sliders` does, or for an option list not given.
    """
    out = []
    for row in _rows(table):
        fields = _worded(row, words)
        where = f"{_TABLE_FILE}, picker {fields.get('key', '(no key)')!r}"
        name = fields.pop("options", None)
        if name not in options:
            raise ValueError(f"{where} names option list {name!r}, which its mode does not give")
        out.append(_made(Picker, where, {**fields, "options": options[name]}))
    return tuple(out)


def toggles(table: str, words: Mapping[str, str]) -> tuple[Toggle, ...]:
    """The switches of ``table`` in ``controls.toml``, ``{name}`` in a help filled from ``words``."""
    return tuple(
        _made(Toggle, f"{_TABLE_FILE}, toggle {row.get('key', '(no key)')!r}", _worded(row, words))
        for row in _rows(table)
    )


_TABLE_FILE = "roofline/web/controls.toml"
_T = TypeVar("_T")


def _rows(table: str) -> list[dict[str, Any]]:
    rows = _table().get(table)
    if not isinstance(rows, list):
        raise ValueError(f"{_TABLE_FILE} has no list {table!r}")
    return rows


def _worded(row: Mapping[str, Any], words: Mapping[str, str]) -> dict[str, Any]:
    fields = dict(row)
    if "help" in fields:
        try:
            fields["help"] = fields["help"].format_map(words)
        except KeyError as error:
            raise ValueError(f"{_TABLE_FILE}, {fields.get('key', '(no key)')!r}: its help names {error}, not given") from None
    return fields


def _made(kind: Callable[..., _T], where: str, fields: Mapping[str, Any]) -> _T:
    try:
        return kind(**fields)
    except TypeError as error:
        raise ValueError(f"{where}: {error}") from None


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return tables.read(tables.beside(__file__, "controls.toml"))


def _slider(row: Mapping[str, Any], defaults: Mapping[str, float]) -> Control:
    fields = dict(row)
    if "shared" in fields:
        name = fields.pop("shared")
        shared = _table().get("shared", {})
        if name not in shared:
            raise ValueError(f"{_TABLE_FILE} has no shared slider {name!r}; it has {', '.join(shared)}")
        fields = {**shared[name], **fields}
    where = f"{_TABLE_FILE}, slider {fields.get('key', '(no key)')!r}"
    if "default" not in fields:
        if fields.get("field") not in defaults:
            raise ValueError(f"{where} has no default and its mode gives none for {fields.get('field')!r}")
        fields["default"] = defaults[fields["field"]]
    return _made(Control, where, fields)


def describe(c: Control, value: float) -> str:
    """A control's value as the widget prints it: dollars for ``$``, else SI with the unit.

    >>> describe(Control(key="L", field="l", label="L", help="", unit="tok", minimum=1, maximum=2,
    ...                  default=1, log=False, integer=True), 32768)
    '32.8K tok'
    """
    if c.unit == "$":
        return format_usd(value)
    return f"{format_si(value)}{' ' + c.unit if c.unit else ''}"


@lru_cache(maxsize=1024, typed=True)
def exact_text(value: float) -> str:
    """:func:`~roofline.units.format_si_exact`, remembered: the URL and the typed
    entries print every slider's value on each input, and all but one are unchanged.

    >>> exact_text(8192.0), exact_text(8e9)
    ('8192', '8G')
    """
    return format_si_exact(value)


def shorten(text: str, limit: int = 24) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis marks the cut), for quoting URL values.

    >>> shorten("x" * 30)
    'xxxxxxxxxxxxxxxxxxxxxxx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounds(c: Control, state: Any) -> tuple[float, float]:
    """The range of control ``c`` at ``state``: the current B ends at the state's max B."""
    if c.key == "B" and state is not None:
        return c.minimum, state.max_batch
    return c.minimum, c.maximum


def slider_steps(c: Control, state: Any = None) -> int:
    """The slider's highest position (its lowest is 0)."""
    lo, hi = bounds(c, state)
    return LOG_STEPS if c.log else round((hi - lo) / c.step)


def position_of(c: Control, value: float, state: Any = None) -> int:
    """Slider position (0 to :func:`slider_steps`) nearest to ``value``."""
    lo, hi = bounds(c, state)
    steps = slider_steps(c, state)
    value = min(max(value, lo), hi)
    if c.log:
        fraction = math.log(value / lo) / math.log(hi / lo) if hi > lo else 0.0
    else:
        fraction = (value - lo) / (hi - lo) if hi > lo else 0.0
    nearest = round(fraction * steps)
    # Three significant figures coarsen tenfold past a power of ten (999, then
    # 1.00K, 1.01K), so the value a position shows can sit nearer its neighbour:
    # prefer a position that shows exactly this value, so a slider never moves it.
    for position in (nearest, nearest - 1, nearest + 1):
        if 0 <= position <= steps and value_at(c, position, state) == value:
            return position
    return nearest


def value_at(c: Control, position: float, state: Any = None) -> float:
    """Value at slider ``position``: log sliders round to 3 significant figures."""
    lo, hi = bounds(c, state)
    steps = slider_steps(c, state)
    fraction = min(max(position / steps, 0.0), 1.0) if steps else 0.0
    if c.log:
        raw = lo * (hi / lo) ** fraction
        exponent = math.floor(math.log10(raw))
        value = round(raw, 2 - exponent)
    else:
        value = lo + round(fraction * steps) * c.step
    if c.integer:
        value = round(value)
    return float(min(max(value, lo), hi))


def check_text(
    c: Control, raw: str, low: float, high: float, show: Callable[[Control, float], str] = describe
) -> tuple[float | None, str]:
    """Check the text ``raw`` typed or linked for control ``c`` with the range ``low`` to ``high``.

    Returns ``(value, "")`` when it is usable as it is, ``(clamped, problem)``
    when it lies outside the range, and ``(None, problem)`` when it is not a
    positive finite number. ``problem`` is plain text naming the parameter;
    callers add what they do instead. ``show`` formats a bound for the message.
    """
    shown = shorten(raw)
    try:
        value = parse_si(raw)
    except ValueError:
        return None, f"{c.key}={shown!r} is not a finite number"
    if value <= 0:
        return None, f"{c.key}={shown} is not allowed ({c.key} must be > 0)"
    if low <= value <= high:
        return value, ""
    side = "below" if value < low else "above"
    clamped = float(min(max(value, low), high))
    return clamped, f"{c.key}={shown} is {side} the range {show(c, low)} to {show(c, high)}"
