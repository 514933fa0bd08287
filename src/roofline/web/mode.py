"""The one interface both simulator modes implement, and everything they share, written once.

A mode (:class:`Mode`) is a frozen state type plus a handful of hooks that
say what that state means: its controls, its value for each control, the
two lines it draws, its readouts and sentences. On top of the hooks this
class implements, once for both modes, the URL (:meth:`Mode.parse`,
:meth:`Mode.encode`), the slider maths (:meth:`Mode.with_value`,
:meth:`Mode.check`), the charts (:data:`roofline.web.charts.CHARTS`) and the
snapshot the page paints (:meth:`Mode.snapshot`).

The two modes live in :mod:`roofline.web.article` (the article's eight
inputs) and :mod:`roofline.web.realistic` (a deployment from presets).

Adding to both modes:

- a readout that follows from the step at B or the two lines: add it to
  :meth:`Mode.readouts` here (both modes get it), with its label in
  ``roofline_site/widget.py``;
- a chart: add a :class:`roofline.web.charts.Chart` to
  :data:`roofline.web.charts.CHARTS` (drawn from :meth:`Mode.lines`), and
  its element to the widget; the snapshot and the painter pick it up;
- a control: a :class:`~roofline.web.controls.Control`, ``Toggle`` or
  ``Picker`` in each mode's tuple (given to its constructor) with a field on
  each state (and in :meth:`Mode.pairs` of each mode); parsing, slider
  maths, the widget's markup, the snapshot and the browser's handlers follow.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from ..model import Step
from ..sentences import step_readouts
from ..units import format_si, format_usd
from .controls import (
    Control,
    Picker,
    Toggle,
    bounds,
    check_text,
    describe,
    exact_text,
    position_of,
    shorten,
    slider_steps,
)
from .query import MODE_KEY, encode_pairs, last_values, parse_pairs

__all__ = ["LineSamples", "Mode", "Readout", "range_text"]

S = TypeVar("S")

#: Words a switch accepts in a URL, and what they mean.
FLAG_WORDS = {"1": True, "on": True, "true": True, "yes": True, "0": False, "off": False, "false": False, "no": False}


@dataclass(frozen=True, slots=True, kw_only=True)
class Readout:
    """One readout: its raw value in SI base units (or a word) and its display text."""

    value: float | str | None
    text: str

    @property
    def raw(self) -> str:
        """``value`` as the page's ``data-value`` attribute holds it: ``repr`` of a
        float (exact), the word itself, or empty when there is none."""
        if self.value is None:
            return ""
        return self.value if isinstance(self.value, str) else repr(self.value)


@dataclass(frozen=True, slots=True, kw_only=True)
class LineSamples:
    """The two lines of a state and their max, in seconds per step, at the batches they are drawn at.

    ``max_batches``/``latency_s`` may be sampled apart from the two lines (the
    article draws its straight lines by their ends only). ``crossover`` is
    ``(B*, T at B*)`` when B* lies on the axis, else ``None``. Samples to
    draw, where :class:`roofline.frontier.Lines` (which :meth:`Mode.frontier_lines`
    returns) is the step's parts as functions of B.
    """

    batches: tuple[float, ...]
    t_compute_s: tuple[float, ...]
    t_memory_s: tuple[float, ...]
    max_batches: tuple[float, ...]
    latency_s: tuple[float, ...]
    crossover: tuple[float, float] | None


def range_text(c: Control, low: float, high: float) -> str:
    """A slider's range as the widget prints it, the unit once at the end.

    >>> range_text(Control(key="b", field="b", label="b", help="", unit="B", minimum=1, maximum=8,
    ...                    default=2, log=False, integer=False), 1, 8)
    '1 to 8 B'
    """
    if c.unit == "$":
        return f"{format_usd(low)} to {format_usd(high)}"
    return f"{format_si(low)} to {format_si(high)}{' ' + c.unit if c.unit else ''}"


#: Each slider's texts and position by (control, value, range), the last few hundred:
#: an input changes one slider, and the others would print the same texts again.
_VIEWS: dict[tuple[Control, float, float, float], dict[str, Any]] = {}


def _slider_view(c: Control, value: float, state: Any) -> dict[str, Any]:
    """Slider ``c`` at ``value``: its position, its highest position and its texts
    (they depend on ``state`` only through the slider's range, :func:`bounds`)."""
    lo, hi = bounds(c, state)
    key = (c, value, lo, hi)
    view = _VIEWS.get(key)
    if view is None:
        exact = exact_text(value)
        view = {
            "position": position_of(c, value, state),
            "max": slider_steps(c, state),
            "text": describe(c, value),
            "entry": exact if len(exact) <= 8 else format_si(value, 4),
            "range": range_text(c, lo, hi),
        }
        if len(_VIEWS) >= 512:
            _VIEWS.pop(next(iter(_VIEWS)))
        _VIEWS[key] = view
    return view


def active_total_notices(
    key: str, value: float, shown: str, active_before: float, active_after: float, total: float
) -> list[str]:
    """What keeping ``N_active <= N_total`` did to a number from the URL, in words (both modes use it).

    ``value`` is the number given (``shown`` as typed), ``active_before`` and
    ``active_after`` N_active before and after the change to ``key``,
    ``total`` N_total after it.

    >>> active_total_notices("N_active", 20e9, "20G", 8e9, 12e9, 12e9)
    ['N_active=20G is above N_total; using 12G params.']
    >>> active_total_notices("N_total", 5e9, "5G", 8e9, 5e9, 5e9)
    ['N_total=5G is below N_active; lowering N_active to 5G params.']
    """
    if key == "N_total" and active_after < active_before:
        return [f"N_total={shown} is below N_active; lowering N_active to {format_si(total)} params."]
    if key == "N_active" and active_after < value:
        return [f"N_active={shown} is above N_total; using {format_si(total)} params."]
    return []


class Mode(ABC, Generic[S]):
    """One way of driving the simulator: what it is (given to the constructor) and the hooks below.

    Args:
        name: the ``mode`` URL value and the page's ``data-mode`` (``article`` or ``real``).
        prefix: the prefix of the mode's element ids, ``{prefix}-{key}`` (``sim`` or ``simr``).
        slider_attribute, entry_attribute: the ``data-*`` attributes that mark its sliders and typed entries.
        controls, pickers, toggles: its inputs, in display order.
        overrides: keys of controls that stay ``None`` in the state until a reader edits them.
        readout_names: the ``data-readout`` names it fills, in order.
        default: the state the page opens on.
    """

    def __init__(
        self,
        *,
        name: str,
        prefix: str,
        slider_attribute: str,
        entry_attribute: str,
        controls: tuple[Control, ...],
        readout_names: tuple[str, ...],
        default: S,
        pickers: tuple[Picker, ...] = (),
        toggles: tuple[Toggle, ...] = (),
        overrides: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.prefix = prefix
        self.slider_attribute = slider_attribute
        self.entry_attribute = entry_attribute
        self.controls = controls
        self.readout_names = readout_names
        self.default = default
        self.pickers = pickers
        self.toggles = toggles
        self.overrides = overrides

    # ------------------------------------------------------------ hooks

    @abstractmethod
    def value(self, state: S, key: str) -> float:
        """The number control ``key`` shows at ``state``."""

    @abstractmethod
    def pairs(self, state: S) -> list[tuple[str, str]]:
        """The URL's ``(key, value)`` pairs for ``state``, in order."""

    @abstractmethod
    def step(self, state: S) -> Step:
        """The model's step at the state's current B."""

    @abstractmethod
    def crossover(self, state: S) -> float | None:
        """B*, where the two lines cross (``None`` when they never do)."""

    @abstractmethod
    def lines(self, state: S) -> LineSamples:
        """The chart's two lines and their max from B = 0 (or 1) to max B."""

    @abstractmethod
    def frontier_lines(self, state: S) -> Any:
        """The state as the frontier sees it: a :class:`roofline.frontier.Lines`
        (:func:`~roofline.frontier.article_lines` or :func:`~roofline.frontier.deployment_lines`)."""

    def plain_frontier_lines(self, state: S) -> Any:
        """The frontier to compare against, drawn faint (the one without speculation), or None."""
        return None

    @abstractmethod
    def explanation(self, state: S) -> str:
        """A few sentences on how to read the chart at ``state``."""

    @abstractmethod
    def params_line(self, state: S) -> str:
        """The inputs in one line."""

    def extra_readouts(self, state: S) -> dict[str, Readout]:
        """Readouts only this mode shows (none by default)."""
        return {}

    def stacks(self, state: S) -> tuple[Any, ...]:
        """Terms the step-time chart stacks under its lines (:class:`roofline.web.serving_view.Stack`; none by default)."""
        return ()

    def marks(self, state: S, colors: dict[str, str]) -> tuple[list[dict], list[dict]]:
        """Extra chart shapes and annotations drawn under the now-marker (none by default)."""
        return [], []

    def stored(self, c: Control, value: float) -> Any:
        """How a slider's clamped value is kept in the state (a float by default)."""
        return float(value)

    def settle(self, state: S) -> S:
        """``state`` made consistent after a change (nothing to do by default)."""
        return state

    def order(self, keys: Iterable[str]) -> list[str]:
        """The order URL keys apply in: max B first, since it bounds the current B."""
        return sorted(keys, key=lambda k: k != "B_max")

    def apply_mode(self, raw: str) -> list[str]:
        """Notices for a ``mode`` value that :func:`~roofline.web.query.mode_of` sent here."""
        return []

    def before_numbers(self, state: S) -> tuple[S, list[str]]:
        """Fixes due once the pickers are read, before the first number applies."""
        return state, []

    def after_number(self, before: S, after: S, c: Control, value: float, shown: str) -> list[str]:
        """Notices about what applying one number from the URL changed beyond it."""
        return []

    def read_pick(self, state: S, picker: Picker, raw: str, shown: str) -> tuple[S, list[str]]:
        """``state`` with picker ``picker`` set from the URL text ``raw`` (``shown`` as quoted), and notices.

        By default the value must be one of the picker's options; a mode whose
        picker takes numbers (the realistic mode's layout sizes) reads them itself.
        """
        if raw.lower() not in {option.value for option in picker.options}:
            kind = {"hw": "hardware preset", "model": "model preset"}.get(picker.key, "precision")
            default = getattr(self.default, picker.field)
            return state, [f"{picker.key}={shown!r} is not a {kind}; using the default {default}."]
        return replace(state, **{picker.field: raw.lower()}), []  # type: ignore[type-var]

    def corrected(self, state: S) -> tuple[S, list[str]]:
        """``state`` with what cannot run undone, and a notice for each fix (nothing by default).

        Called after the URL is read and after every input in the page, since
        a fix can depend on several inputs at once (the realistic mode's
        layout against the GPU count and the model).
        """
        return state, []

    def fallback(self, c: Control) -> str:
        """What a bad URL value of ``c`` is replaced with, in words."""
        if c.off_text is not None:
            return c.off_text
        return f"the default {describe(c, getattr(self.default, c.field))}"

    # ------------------------------------------------------------ shared: controls

    def control(self, key: str) -> Control:
        """The slider whose URL key is ``key``."""
        for c in self.controls:
            if c.key == key:
                return c
        raise KeyError(key)

    def with_value(self, state: S, key: str, value: float) -> S:
        """``state`` with one slider changed, clamped to its range; the current B stays within max B."""
        c = self.control(key)
        lo, hi = bounds(c, state)
        new = replace(state, **{c.field: self.stored(c, min(max(value, lo), hi))})  # type: ignore[type-var]
        if new.batch > new.max_batch:  # type: ignore[attr-defined]
            new = replace(new, batch=new.max_batch)  # type: ignore[attr-defined]
        return self.settle(new)

    def check(self, state: S, key: str, raw: str) -> tuple[float | None, str]:
        """Check the text ``raw`` typed or linked for slider ``key`` (see :func:`~roofline.web.controls.check_text`)."""
        c = self.control(key)
        if c.off_text is not None:
            from .frontier_view import check_target_text

            return check_target_text(c, raw, *bounds(c, state))
        return check_text(c, raw, *bounds(c, state))

    def refusal(self, state: S, key: str, value: float) -> str | None:
        """Why a value typed for slider ``key`` is refused outright (the state kept), or None.

        N_active above N_total is refused in both modes: a token cannot
        multiply through more parameters than the model holds, so no nearer
        value would be what the reader meant. (A link with it is read with
        N_active lowered to N_total and a notice, :func:`active_total_notices`.)

        >>> from roofline.web.article import ARTICLE
        >>> print(ARTICLE.refusal(ARTICLE.default, "N_active", 20e9))
        N_active=20G is above N_total (12G params): a token cannot use more parameters than the model has; keeping the current value.
        """
        if key == "N_active" and value > self.value(state, "N_total"):
            return (
                f"N_active={format_si(value)} is above N_total ({format_si(self.value(state, 'N_total'))} params): "
                "a token cannot use more parameters than the model has; keeping the current value."
            )
        return None

    def with_pick(self, state: S, key: str, value: str) -> tuple[S, list[str]]:
        """``state`` with one picker set, and notices for anything adjusted (ValueError for an unknown choice)."""
        picker = next(p for p in self.pickers if p.key == key)
        allowed = {option.value for option in picker.options}
        if value not in allowed:
            raise ValueError(f"{key} must be one of: {', '.join(sorted(allowed))}; got {value!r}")
        return replace(state, **{picker.field: value}), []  # type: ignore[type-var]

    def with_optional(self, state: S, key: str, on: bool) -> S:
        """``state`` with an optional slider (one with ``off_text``) switched on at its resting value, or off."""
        c = self.control(key)
        if not on:
            return replace(state, **{c.field: None})  # type: ignore[type-var]
        if getattr(state, c.field) is not None:
            return state
        return replace(state, **{c.field: self.stored(c, c.default)})  # type: ignore[type-var]

    def with_flag(self, state: S, key: str, on: bool) -> S:
        """``state`` with one switch set."""
        toggle = next(t for t in self.toggles if t.key == key)
        return replace(state, **{toggle.field: bool(on)})  # type: ignore[type-var]

    def fits(self, state: S) -> bool:
        """True when every slider's value at ``state`` lies inside its range (B within max B)."""
        for c in self.controls:
            lo, hi = bounds(c, state)
            if not lo <= self.value(state, c.key) <= hi:
                return False
        return True

    # ------------------------------------------------------------ shared: the URL

    def known_keys(self) -> set[str]:
        return {
            MODE_KEY,
            *(c.key for c in self.controls),
            *(p.key for p in self.pickers),
            *(t.key for t in self.toggles),
        }

    def parse(self, query: str | Mapping[str, str]) -> tuple[S, list[str]]:
        """Read a URL query into a state, with a plain-text notice per fix.

        Numbers are plain or SI-suffixed (``8G``). A malformed, non-finite or
        non-positive value falls back to the default; one outside the slider's
        range is clamped; a key given twice keeps its last value; unknown keys
        are ignored. Each fix adds a notice naming the parameter.
        """
        pairs = parse_pairs(query.lstrip("?")) if isinstance(query, str) else list(query.items())
        seen, notices = last_values(pairs, self.known_keys())
        pickers = {p.key: p for p in self.pickers}
        toggles = {t.key: t for t in self.toggles}
        state = self.default
        numbers_started = False
        for key in self.order(seen):
            raw = seen[key]
            shown = shorten(raw)
            if key == MODE_KEY:
                notices.extend(self.apply_mode(raw))
            elif key in pickers:
                state, more = self.read_pick(state, pickers[key], raw, shown)
                notices.extend(more)
            elif key in toggles:
                toggle = toggles[key]
                if raw.lower() not in FLAG_WORDS:
                    notices.append(f"{key}={shown!r} is not 1 or 0; using {int(toggle.default)}.")
                else:
                    state = replace(state, **{toggle.field: FLAG_WORDS[raw.lower()]})
            else:
                if not numbers_started:
                    state, more = self.before_numbers(state)
                    notices.extend(more)
                    numbers_started = True
                c = self.control(key)
                value, problem = self.check(state, key, raw)
                if value is None:
                    notices.append(f"{problem}; using {self.fallback(c)}.")
                    continue
                if problem:
                    notices.append(f"{problem}; using {describe(c, value)}.")
                before = state
                state = self.with_value(state, key, value)
                notices.extend(self.after_number(before, state, c, value, shown))
        if not numbers_started:
            state, more = self.before_numbers(state)
            notices.extend(more)
        state, more = self.corrected(state)
        return state, notices + more

    def encode(self, state: S) -> str:
        """The URL query that :meth:`parse` reads back as exactly ``state``."""
        return encode_pairs(self.pairs(state))

    # ------------------------------------------------------------ shared: what the page shows

    def readouts(self, state: S) -> dict[str, Readout]:
        """Every readout at ``state``, keyed as in :attr:`readout_names`: the step's ten, then the mode's own."""
        from .frontier_view import frontier_readouts

        shared = step_readouts(self.step(state), self.crossover(state))
        return {
            **{name: Readout(value=value, text=text) for name, (value, text) in shared.items()},
            **frontier_readouts(self, state),
            **self.extra_readouts(state),
        }

    def controls_snapshot(self, state: S) -> dict[str, dict]:
        """Each slider's position, range and texts at ``state`` (what the painter writes)."""
        shown = {}
        for c in self.controls:
            value = self.value(state, c.key)
            shown[c.key] = dict(_slider_view(c, value, state))
            if self.overrides:
                shown[c.key]["overridden"] = c.key in self.overrides and getattr(state, c.field) is not None
            if c.off_text is not None:
                on = getattr(state, c.field) is not None
                shown[c.key]["enabled"] = on
                if not on:
                    shown[c.key]["text"] = c.off_text
                    shown[c.key]["entry"] = ""
        return shown

    def snapshot(self, state: S, schemes: tuple[str, ...] | None = None) -> dict:
        """Everything the widget shows at ``state``, as JSON-ready data.

        The page has one painter (``docs/assets/javascripts/simulator.js``):
        the build pre-renders snapshots for first paint and the live widget
        hands it a fresh one after each input, so both draw the same thing.
        Keys: ``mode``, ``query``, ``readouts`` (name -> [raw, text]),
        ``controls``, ``pickers``, ``toggles``, ``batch``, ``explanation``,
        ``params``, and one key per chart of
        :data:`~roofline.web.charts.CHARTS` (scheme -> figure).
        """
        from .charts import CHARTS
        from .palette import SCHEMES

        schemes = SCHEMES if schemes is None else schemes
        snap: dict[str, Any] = {
            "mode": self.name,
            "query": self.encode(state),
            "readouts": {name: [r.raw, r.text] for name, r in self.readouts(state).items()},
            "controls": self.controls_snapshot(state),
            "pickers": {p.key: getattr(state, p.field) for p in self.pickers},
            "toggles": {t.key: bool(getattr(state, t.field)) for t in self.toggles},
            "batch": format_si(state.batch),  # type: ignore[attr-defined]
            "explanation": self.explanation(state),
            "params": self.params_line(state),
        }
        for chart in CHARTS:
            if chart.shown_in(self):
                snap[chart.key] = {scheme: chart.draw(self, state, scheme) for scheme in schemes}
        return snap
