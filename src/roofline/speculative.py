"""Speculative decoding and multi-token prediction: more than one token per step.

A drafter (a small model, or a model's own multi-token-prediction head)
proposes ``k`` tokens; the large model then checks all of them, plus the
token after the last, in one step. Each proposed token is accepted with
probability ``a``, independently of the others (the i.i.d. assumption of
Leviathan, Kalman and Matias, "Fast Inference from Transformers via
Speculative Decoding", ICML 2023, arXiv:2211.17192, section 3.3). The step
keeps the accepted prefix and always adds one token of its own (the
correction at the first rejection, or the bonus token when all ``k`` pass).

**Expected tokens per step.** The prefix is at least ``i`` long with
probability ``a^i`` (the first ``i`` drafts all pass), so its expected length
is ``Σ_{i=1..k} a^i``; add the step's own token:

    E = Σ_{i=0..k} a^i = (1 − a^(k+1)) / (1 − a)     (E = k + 1 when a = 1)

which is the paper's equation (1) with γ = k and α = a.

**Cost.** The verifying step runs ``k + 1`` query tokens per sequence through
the large model, so its compute is ``(k + 1) · B · N_active / C``; the
weights are still read once a step (a mixture-of-experts model reads the
experts that ``(k + 1) · B`` tokens touch) and each sequence's KV once
(the ``k + 1`` queries share it). Drafting runs first, one pass per drafted
token, and each pass takes its own ``max(B · N_draft_active / C,
N_draft / BW)``: it reads the drafter's weights and does the drafter's
arithmetic. The drafter's own KV is left out (an MTP head's single layer
holds about one layer's worth of cache; a separate draft model more).

Spending idle compute this way pays in the memory-bound regime, where the
extra arithmetic hides under the weight read, and stops paying near the
crossover, which it moves left: the verify step's compute line is
``k + 1`` times as steep.

>>> round(expected_tokens_per_step(1, 0.85), 2)
1.85
>>> expected_tokens_per_step(3, 1.0)
4.0
"""

from __future__ import annotations

from dataclasses import dataclass

from .checks import check_number, check_whole_number
from .tables import beside, records

__all__ = [
    "ACCEPTANCE_FIGURES",
    "DEFAULT_ACCEPTANCE",
    "AcceptanceFigure",
    "Speculation",
    "expected_tokens_per_step",
    "mtp_speculation",
]


def _acceptance(value: object) -> float:
    value = check_number("acceptance", value, "(a probability)", minimum=0.0, inclusive=True)
    if value > 1.0:
        raise ValueError(f"acceptance must be from 0 to 1 (a probability), got {value!r}")
    return float(value)


def _draft_tokens(value: object) -> int:
    value = check_whole_number("draft_tokens", value)
    if value > MAX_DRAFT_TOKENS:
        raise ValueError(f"draft_tokens must be at most {MAX_DRAFT_TOKENS}, got {value!r}")
    return value


#: More drafted tokens than this is not a configuration anyone runs (engines
#: offer a handful); it also keeps ``a^(k+1)`` far from underflow.
MAX_DRAFT_TOKENS = 64


def expected_tokens_per_step(draft_tokens: int, acceptance: float) -> float:
    """Expected tokens each sequence gains per step, ``(1 − a^(k+1)) / (1 − a)``.

    Args:
        draft_tokens: k >= 1, tokens the drafter proposes per step.
        acceptance: a, the probability each proposed token is accepted (0 to 1),
            independently of the others.

    Returns:
        Tokens per sequence per step, from 1 (a = 0) to k + 1 (a = 1).

    Raises:
        ValueError: naming the value, if k is not a whole number from 1 to
            :data:`MAX_DRAFT_TOKENS` or a is not a number from 0 to 1.

    >>> round(expected_tokens_per_step(4, 0.8), 4)
    3.3616
    >>> expected_tokens_per_step(2, 0.0)
    1.0
    """
    k = _draft_tokens(draft_tokens)
    a = _acceptance(acceptance)
    if a == 1.0:
        return float(k + 1)
    return (1.0 - a ** (k + 1)) / (1.0 - a)


@dataclass(frozen=True, slots=True, kw_only=True)
class Speculation:
    """A drafter and how often its tokens pass.

    Args:
        draft_tokens: k, tokens proposed per step (>= 1).
        acceptance: a, the per-token acceptance probability (0 to 1).
        draft_params: parameters the drafter reads per drafted token (its
            weights; in the deployment form at the model's bytes per weight,
            in the article's form one byte each). 0 for a drafter that costs
            no read (an n-gram lookup).
        draft_active_params: parameters each drafted token multiplies
            through, for the drafter's arithmetic.

    Raises:
        ValueError: naming the field, for a value out of range.
    """

    draft_tokens: int
    acceptance: float
    draft_params: float = 0.0
    draft_active_params: float = 0.0

    def __post_init__(self) -> None:
        _draft_tokens(self.draft_tokens)
        object.__setattr__(self, "acceptance", _acceptance(self.acceptance))
        for name in ("draft_params", "draft_active_params"):
            value = check_number(name, getattr(self, name), "parameters", minimum=0.0, inclusive=True)
            object.__setattr__(self, name, value)

    @property
    def tokens_per_step(self) -> float:
        """Expected tokens per sequence per step (:func:`expected_tokens_per_step`)."""
        return expected_tokens_per_step(self.draft_tokens, self.acceptance)

    @property
    def verified_tokens(self) -> int:
        """Query tokens per sequence the verifying step runs, ``k + 1``."""
        return self.draft_tokens + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptanceFigure:
    """A published acceptance rate, with where it comes from.

    ``acceptance_low`` and ``acceptance_high`` are the ends of the range the
    source reports, ``reported_speedup`` the decoding speed-up it quotes (None
    if it quotes none); ``acceptance`` (the default the site offers) is the low
    end, so that a default never promises more than the source measured.
    """

    key: str
    name: str
    draft_tokens: int
    acceptance_low: float
    acceptance_high: float
    draft_params: float
    draft_active_params: float
    reported_speedup: float | None
    source: str
    citations: tuple[tuple[str, str], ...]

    #: The figures every record cites.
    FIGURES = (
        "draft_tokens",
        "acceptance_low",
        "acceptance_high",
        "reported_speedup",
        "draft_params",
        "draft_active_params",
    )

    @property
    def acceptance(self) -> float:
        """The default acceptance: the low end of the published range."""
        return self.acceptance_low


#: Published acceptance figures, by key, from ``acceptance_figures.toml`` beside this module.
#: Each number cites its source.
ACCEPTANCE_FIGURES: dict[str, AcceptanceFigure] = records(
    beside(__file__, "acceptance_figures.toml"), "acceptance_figure", AcceptanceFigure, figures=AcceptanceFigure.FIGURES
)

#: The acceptance figure the site and the CLI offer by default.
DEFAULT_ACCEPTANCE = ACCEPTANCE_FIGURES["deepseek-v3-mtp"]


def mtp_speculation(
    figure: AcceptanceFigure = DEFAULT_ACCEPTANCE, *, draft_tokens: int | None = None, acceptance: float | None = None
) -> Speculation:
    """A :class:`Speculation` from a published figure, optionally with k or a changed.

    >>> s = mtp_speculation()
    >>> s.draft_tokens, s.acceptance, round(s.tokens_per_step, 2)
    (1, 0.85, 1.85)
    """
    return Speculation(
        draft_tokens=figure.draft_tokens if draft_tokens is None else draft_tokens,
        acceptance=figure.acceptance if acceptance is None else acceptance,
        draft_params=figure.draft_params,
        draft_active_params=figure.draft_active_params,
    )
