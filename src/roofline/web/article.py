"""The simulator's article mode: the article's eight inputs, its two straight lines, no DOM.

Implements :class:`roofline.web.mode.Mode` (:data:`ARTICLE`); the URL, the
sliders, the readouts, the chart and the snapshot come from there.

>>> state, notices = ARTICLE.parse("?B=128&L=8192")
>>> notices
[]
>>> ARTICLE.readouts(state)["latency"].text
'60.01 ms'
>>> ARTICLE.encode(DEFAULT_STATE)
'B=128&B_max=2048&N_active=8G&C=80T&N_total=12G&BW=200G&L=8192&b=2'
>>> ARTICLE.parse("B=-1&L=abc&b=20")[1][0]
'B=-1 is not allowed (B must be > 0); using the default 128.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from .. import frontier
from ..model import SEED_DEFAULTS, SEED_MAX_BATCH, Params, Step, evaluate
from ..sentences import READOUT_NAMES, explanation
from ..sweep import breakpoints, sweep
from ..units import format_si, parse_si
from .controls import Control, exact_text, shorten, sliders
from .frontier_view import FRONTIER_READOUT_NAMES
from .mode import LineSamples, Mode, active_total_notices

__all__ = ["ARTICLE", "CONTROLS", "DEFAULT_STATE", "ArticleMode", "State"]


def _inputs(p: Params) -> dict[str, float]:
    return {f.name: getattr(p, f.name) for f in fields(Params)}


#: The article's eight sliders and its target, in its order, with its ranges
#: (``controls.toml``); the defaults are the seed's.
CONTROLS: tuple[Control, ...] = sliders("article", {**_inputs(SEED_DEFAULTS), "max_batch": SEED_MAX_BATCH})


@dataclass(frozen=True, slots=True, kw_only=True)
class State(Params):
    """Everything the article mode shows: the model's inputs (a :class:`~roofline.model.Params`, checked as one)
    plus the chart's x range and the latency target."""

    max_batch: float
    #: The latency target, ms per output token (None: no target); not one of the model's inputs.
    tpot_target_ms: float | None = None

    @classmethod
    def of(cls, params: Params, max_batch: float) -> State:
        """A state showing ``params`` on an x-axis to ``max_batch`` (widened to fit B)."""
        return cls(max_batch=max(float(max_batch), params.batch), **_inputs(params))

    @property
    def params(self) -> Params:
        """The model's inputs alone (everything but ``max_batch`` and the target)."""
        return Params(**_inputs(self))


DEFAULT_STATE = State(**{c.field: float(c.default) for c in CONTROLS if c.off_text is None})


@lru_cache(maxsize=16)
def _params(state: State) -> Params:
    """``state.params``, remembered: one render needs them for the step, the
    lines, the frontier and the sentences, and each build checks every input."""
    return state.params


@lru_cache(maxsize=16)
def _evaluated(state: State) -> Step:
    """The model's step at ``state``, remembered: one render asks for it from
    the readouts, the crossover and the chart."""
    return evaluate(_params(state))


class ArticleMode(Mode[State]):
    """The article's model: the eight sliders are the equations' inputs."""

    def settle(self, state: State) -> State:
        # A token cannot multiply through more parameters than the model reads: N_active <= N_total.
        if state.active_params > state.total_params:
            return replace(state, active_params=state.total_params)
        return state

    def order(self, keys):  # type: ignore[no-untyped-def]
        # Max B first (it bounds B), then N_total (it bounds N_active), unless the link lowers both
        # below the default N_active: then N_active first, so a consistent link applies untouched.
        first = "N_total"
        if isinstance(keys, Mapping) and "N_active" in keys and "N_total" in keys:
            try:
                total, active = parse_si(keys["N_total"]), parse_si(keys["N_active"])
            except ValueError:
                total = active = float("nan")  # a malformed value is refused when it is applied
            if active <= total < self.default.active_params:
                first = "N_active"
        return sorted(keys, key=lambda k: (k != "B_max", k != first))

    def apply_mode(self, raw: str) -> list[str]:
        # mode_of sends every value but "real" here: one that is not "article" either is named, not dropped silently.
        if raw in ("", self.name):
            return []
        return [f"mode={shorten(raw)!r} is not 'article' or 'real'; showing the article's model."]

    def after_number(self, before: State, after: State, c: Control, value: float, shown: str) -> list[str]:
        return active_total_notices(c.key, value, shown, before.active_params, after.active_params, after.total_params)


    def value(self, state: State, key: str) -> float:
        c = self.control(key)
        value = getattr(state, c.field)
        # An optional slider that is off rests at its default.
        return c.default if value is None else value

    def pairs(self, state: State) -> list[tuple[str, str]]:
        # An optional control (the target) appears only when set.
        return [
            (c.key, exact_text(self.value(state, c.key)))
            for c in CONTROLS
            if c.off_text is None or getattr(state, c.field) is not None
        ]

    def step(self, state: State) -> Step:
        return _evaluated(state)

    def crossover(self, state: State) -> float | None:
        return self.step(state).crossover_batch

    def lines(self, state: State) -> LineSamples:
        # Straight lines: each needs only its ends; the max also its bend.
        p = _params(state)
        ends = sweep(p, [0.0, state.max_batch])
        bends = sweep(p, breakpoints(p, state.max_batch))
        crossover = self.crossover(state)
        at = None
        if crossover is not None and 0 < crossover < state.max_batch:
            at = (crossover, sweep(p, [crossover])[0].latency_s)
        return LineSamples(
            batches=tuple(pt.batch for pt in ends),
            t_compute_s=tuple(pt.t_compute_s for pt in ends),
            t_memory_s=tuple(pt.t_memory_s for pt in ends),
            max_batches=tuple(pt.batch for pt in bends),
            latency_s=tuple(pt.latency_s for pt in bends),
            crossover=at,
        )

    def frontier_lines(self, state: State) -> frontier.Lines:
        return frontier.article_lines(_params(state))

    def explanation(self, state: State) -> str:
        return explanation(_params(state))

    def params_line(self, state: State) -> str:
        """The inputs in one line, as the article prints them.

        >>> ARTICLE.params_line(DEFAULT_STATE)
        'N_active=8G, C=80T ops/s, N_total=12G, BW=200G B/s, L=8.19K, b=2B.'
        """
        return (
            f"N_active={format_si(state.active_params)}, C={format_si(state.compute_ops_per_s)} ops/s, "
            f"N_total={format_si(state.total_params)}, BW={format_si(state.bandwidth_bytes_per_s)} B/s, "
            f"L={format_si(state.context_tokens)}, b={format_si(state.kv_bytes_per_element)}B."
        )


#: The article mode.
ARTICLE = ArticleMode(
    name="article", prefix="sim", slider_attribute="data-control", entry_attribute="data-entry",
    controls=CONTROLS, readout_names=(*READOUT_NAMES, *FRONTIER_READOUT_NAMES), default=DEFAULT_STATE,
)
