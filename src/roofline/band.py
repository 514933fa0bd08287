"""The serving estimate's band: how far published servers landed from it, held out, in its regime.

A *regime* is what kind of deployment an estimate is for: the model's
family (``dense``, or ``moe`` when the preset routes tokens to experts) and
its scale (``one-gpu``; ``one-node`` when the chips fit in one scale-up
domain of the chip, :attr:`roofline.presets.Hardware.scale_up_chips`, an
NVLink node of eight; ``multi-node`` beyond it).

The band is the spread of *held-out* errors ``e = estimated / measured − 1``
of ``tpot_s`` in that regime: each published point estimated with constants
fitted without its source (:func:`roofline.calibration.leave_one_source_out`).
Its :data:`BAND_QUANTILES` (10th and 90th percentile), each source weighing
as much as any other (a source's ``n`` points weigh ``1 / n`` each, as in
the fit), turn into an interval of time per output token through
``measured = estimated / (1 + e)``::

    tpot_s_low  = tpot_s / (1 + e_90)        tpot_s_high = tpot_s / (1 + e_10)

so an estimate that runs too fast (``e < 0``) widens the band upwards.

A regime's own errors make its band only when it has at least
:data:`MIN_POINTS` held-out points from at least :data:`MIN_SOURCES`
sources (one source's points share its engine, its chip and its
assumptions, so they are one piece of evidence, not many). Otherwise the
band falls back to the model family's errors, then to every held-out point
(:func:`choose`), and :attr:`TpotBand.fallback` says so.

:data:`BANDS` is committed Python data (the simulator runs without
``docs/data``); ``scripts/fit_serving.py`` recomputes it from the published
data with :func:`roofline.calibration.bands`, and a test checks that the
recomputation equals it exactly.

>>> r = regime_of("h100-sxm", "llama-3.1-8b", 1)
>>> r.key, r.label
('dense/one-gpu', 'dense, one GPU')
>>> b = tpot_band(0.010, r, bands=(Band(family=None, scale=None, points=20, sources=3,
...                                      low_error=-0.2, high_error=0.25),))
>>> round(b.tpot_s_low, 6), round(b.tpot_s_high, 6), b.band.key, b.fallback
(0.008, 0.0125, 'all', True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import serving
from .presets import HARDWARE, MODELS, Hardware, Model

__all__ = [
    "BANDS",
    "BANDS_ON",
    "BAND_QUANTILES",
    "FAMILIES",
    "MIN_POINTS",
    "MIN_SOURCES",
    "SCALES",
    "Band",
    "Regime",
    "TpotBand",
    "band_of",
    "choose",
    "measured_multiples",
    "percentile_span",
    "regime_of",
    "tpot_band",
    "weighted_quantile",
]

#: Model families, by key, with how a page names them.
FAMILIES: dict[str, str] = {"dense": "dense", "moe": "MoE"}
#: Deployment scales, by key, with how a page names them.
SCALES: dict[str, str] = {"one-gpu": "one GPU", "one-node": "one node", "multi-node": "several nodes"}

#: The held-out error quantiles the band spans: the 10th and 90th percentile (nominal coverage 80%).
BAND_QUANTILES: tuple[float, float] = (0.1, 0.9)
#: Fewest held-out points a regime needs for a band of its own.
MIN_POINTS = 10
#: Fewest sources those points must come from.
MIN_SOURCES = 2


def percentile_span() -> str:
    """:data:`BAND_QUANTILES` in words.

    >>> percentile_span()
    '10th to 90th percentile'
    """

    def ordinal(q: float) -> str:
        n = round(q * 100)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    low, high = BAND_QUANTILES
    return f"{ordinal(low)} to {ordinal(high)} percentile"


@dataclass(frozen=True, slots=True, kw_only=True)
class Regime:
    """The kind of deployment an estimate is for: model family and scale (keys of :data:`FAMILIES`, :data:`SCALES`)."""

    family: str
    scale: str

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"family must be one of {', '.join(FAMILIES)}, got {self.family!r}")
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}, got {self.scale!r}")

    @property
    def key(self) -> str:
        """``family/scale``, e.g. ``moe/multi-node``."""
        return f"{self.family}/{self.scale}"

    @property
    def label(self) -> str:
        """For people: ``MoE, several nodes``."""
        return f"{FAMILIES[self.family]}, {SCALES[self.scale]}"


def regime_of(hardware: str | Hardware, model: str | Model, gpus: int) -> Regime:
    """The regime of ``model`` on ``gpus`` chips of ``hardware`` (preset keys or presets).

    Scale: one chip is ``one-gpu``; up to the chip's scale-up domain
    (``scale_up_chips``) ``one-node``; more is ``multi-node``.

    Raises:
        ValueError: naming the value, for an unknown preset or a count of chips below 1.

    >>> regime_of("h800", "deepseek-v3", 144).key
    'moe/multi-node'
    >>> regime_of("h100-sxm", "llama-3.3-70b", 2).key
    'dense/one-node'
    """
    chip = HARDWARE.get(hardware) if isinstance(hardware, str) else hardware
    if not isinstance(chip, Hardware):
        raise ValueError(f"hardware must be a preset key ({', '.join(HARDWARE)}) or a Hardware, got {hardware!r}")
    preset = MODELS.get(model) if isinstance(model, str) else model
    if not isinstance(preset, Model):
        raise ValueError(f"model must be a preset key ({', '.join(MODELS)}) or a Model, got {model!r}")
    if isinstance(gpus, bool) or not isinstance(gpus, int) or gpus < 1:
        raise ValueError(f"gpus must be a whole number >= 1, got {gpus!r}")
    scale = "one-gpu" if gpus == 1 else "one-node" if gpus <= chip.scale_up_chips else "multi-node"
    return Regime(family="moe" if preset.is_moe else "dense", scale=scale)


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """The held-out error quantiles of one group of regimes.

    Args:
        family: a :data:`FAMILIES` key, or None for every family.
        scale: a :data:`SCALES` key, or None for every scale (only with ``family`` None or set).
        points: held-out points in the group.
        sources: sources those points come from.
        low_error: the lower :data:`BAND_QUANTILES` quantile of ``estimated / measured − 1``.
        high_error: the upper one.
    """

    family: str | None
    scale: str | None
    points: int
    sources: int
    low_error: float
    high_error: float

    def __post_init__(self) -> None:
        if self.family is not None and self.family not in FAMILIES:
            raise ValueError(f"family must be None or one of {', '.join(FAMILIES)}, got {self.family!r}")
        if self.scale is not None and (self.scale not in SCALES or self.family is None):
            raise ValueError(f"scale must be None, or one of {', '.join(SCALES)} with a family, got {self.scale!r}")
        for name in ("low_error", "high_error"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > -1 or math.isinf(value):
                raise ValueError(f"{name} must be a finite error > -1, got {value!r}")
        if not self.low_error <= self.high_error:
            raise ValueError(f"low_error {self.low_error!r} must be <= high_error {self.high_error!r}")
        if self.points < 1 or self.sources < 1 or self.sources > self.points:
            raise ValueError(f"a band needs 1 <= sources <= points, got {self.sources!r} of {self.points!r}")

    @property
    def key(self) -> str:
        """``dense/one-gpu``, ``dense`` or ``all``."""
        if self.family is None:
            return "all"
        return self.family if self.scale is None else f"{self.family}/{self.scale}"

    @property
    def label(self) -> str:
        """For people: ``dense, one GPU``, ``dense`` or ``every regime``."""
        if self.family is None:
            return "every regime"
        name = FAMILIES[self.family]
        return name if self.scale is None else f"{name}, {SCALES[self.scale]}"

    @property
    def qualifies(self) -> bool:
        """Whether it has :data:`MIN_POINTS` points from :data:`MIN_SOURCES` sources."""
        return self.points >= MIN_POINTS and self.sources >= MIN_SOURCES


def weighted_quantile(values: Sequence[float], weights: Sequence[float], q: float) -> float:
    """The ``q`` quantile of ``values`` with ``weights``, interpolated between weighted midpoints.

    Sorted, value ``i`` sits at ``(W_i − w_i / 2) / W``, its cumulative
    weight less half its own over the total; between two positions the
    quantile is linear, beyond the ends it is the end value. With equal
    weights this is the Hazen quantile, ``(i + 0.5) / n``.

    Raises:
        ValueError: naming the value, for no values, a weight <= 0, or ``q`` outside [0, 1].

    >>> weighted_quantile([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], 0.5)
    2.5
    >>> weighted_quantile([0.0, 10.0], [3, 1], 0.5)
    2.5
    """
    if not values or len(values) != len(weights):
        raise ValueError(f"need as many weights as values, at least one, got {len(values)} and {len(weights)}")
    if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 <= q <= 1:
        raise ValueError(f"q must be a number in [0, 1], got {q!r}")
    if any(not (isinstance(w, (int, float)) and w > 0 and math.isfinite(w)) for w in weights):
        raise ValueError(f"weights must be finite numbers > 0, got {list(weights)!r}")
    pairs = sorted(zip(values, weights, strict=True))
    total = math.fsum(w for _, w in pairs)
    at: list[tuple[float, float]] = []  # (position, value)
    running = 0.0
    for value, w in pairs:
        at.append(((running + w / 2) / total, float(value)))
        running += w
    if q <= at[0][0]:
        return at[0][1]
    for (pa, a), (pb, b) in itertools.pairwise(at):
        if q <= pb:
            return a + (b - a) * (q - pa) / (pb - pa)
    return at[-1][1]


def choose(regime: Regime, bands: Sequence[Band] | None = None) -> Band:
    """The band for ``regime``: its own if it :attr:`~Band.qualifies`, else its family's, else every regime's.

    Every regime's band is used even when it does not qualify (it is all
    there is); :attr:`TpotBand.fallback` and :attr:`Band.qualifies` say so.

    Raises:
        ValueError: when ``bands`` holds no band for every regime.
    """
    table = {b.key: b for b in (BANDS if bands is None else bands)}
    for key in (regime.key, regime.family):
        if key in table and table[key].qualifies:
            return table[key]
    if "all" not in table:
        raise ValueError(f"no band for every regime among {sorted(table)}")
    return table["all"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TpotBand:
    """An estimate's time per output token with the interval its regime's held-out errors give (seconds)."""

    regime: Regime
    band: Band
    tpot_s: float
    tpot_s_low: float
    tpot_s_high: float

    @property
    def fallback(self) -> bool:
        """Whether the band comes from a wider group than the regime (too few held-out points in it)."""
        return self.band.key != self.regime.key

    def as_dict(self) -> dict[str, float | int | str | bool]:
        """JSON-ready: ``tpot_s_low``, ``tpot_s_high``, ``regime`` and what the band was built from."""
        return {
            "tpot_s_low": self.tpot_s_low,
            "tpot_s_high": self.tpot_s_high,
            "regime": self.regime.key,
            "band_from": self.band.key,
            "band_fallback": self.fallback,
            "band_qualifies": self.band.qualifies,
            "band_points": self.band.points,
            "band_sources": self.band.sources,
            "band_quantiles": f"{BAND_QUANTILES[0]:g}-{BAND_QUANTILES[1]:g}",
        }


def tpot_band(tpot_s: float, regime: Regime, bands: Sequence[Band] | None = None) -> TpotBand:
    """``tpot_s`` with its band: ``[tpot_s / (1 + high_error), tpot_s / (1 + low_error)]`` of :func:`choose`'s band.

    Raises:
        ValueError: naming the value, for a time that is not a finite number > 0 seconds.
    """
    if isinstance(tpot_s, bool) or not isinstance(tpot_s, (int, float)) or not 0 < tpot_s < math.inf:
        raise ValueError(f"tpot_s must be a finite number > 0 seconds, got {tpot_s!r}")
    band = choose(regime, bands)
    return TpotBand(
        regime=regime,
        band=band,
        tpot_s=float(tpot_s),
        tpot_s_low=tpot_s / (1.0 + band.high_error),
        tpot_s_high=tpot_s / (1.0 + band.low_error),
    )


def band_of(estimate: serving.Estimate, bands: Sequence[Band] | None = None) -> TpotBand:
    """:func:`tpot_band` for a serving estimate: its ``tpot_s`` in its deployment's regime.

    >>> e = serving.estimate("h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
    ...                      input_tokens=1000, output_tokens=1000, concurrency=50)
    >>> b = band_of(e)
    >>> b.regime.key, b.tpot_s_low <= b.tpot_s_high
    ('dense/one-gpu', True)
    """
    if not isinstance(estimate, serving.Estimate):
        raise ValueError(f"estimate must be a roofline.serving.Estimate, got {estimate!r}")
    d = estimate.deployment
    return tpot_band(estimate.tpot_s, regime_of(d.hardware, d.model, d.gpus), bands)


#: The published sources (ids) :data:`BANDS` was computed from: the ones the constants were fitted on.
BANDS_ON: tuple[str, ...] = serving.FITTED_ON

#: The committed bands, as :func:`roofline.calibration.bands` computes them (``scripts/fit_serving.py``).
BANDS: tuple[Band, ...] = (
    Band(family=None, scale=None, points=215, sources=24, low_error=-0.40575730574217556, high_error=0.35923882854572675),
    Band(family="dense", scale=None, points=79, sources=2, low_error=-0.10857125165285242, high_error=0.3497826887680112),
    Band(family="moe", scale=None, points=136, sources=22, low_error=-0.41924211227539687, high_error=0.36017478575782425),
    Band(family="dense", scale="one-gpu", points=40, sources=1, low_error=0.06654893109643323, high_error=0.38102232337682646),
    Band(family="dense", scale="one-node", points=39, sources=1, low_error=-0.16113782976726804, high_error=0.12715500278894445),
    Band(family="moe", scale="one-gpu", points=5, sources=2, low_error=-0.026611944075834254, high_error=0.45470670221867837),
    Band(family="moe", scale="one-node", points=118, sources=15, low_error=-0.25932096029631524, high_error=0.32897915189791715),
    Band(family="moe", scale="multi-node", points=13, sources=5, low_error=-0.5089393203195589, high_error=0.26239544292327377),
)


def measured_multiples(b: Band) -> tuple[float, float]:
    """Band ``b`` as multiples of the estimate: ``(1 / (1 + e_high), 1 / (1 + e_low))``.

    Measured time per output token is ``estimated / (1 + e)``, so the band of
    :func:`tpot_band` for an estimate of 1 s: the lower multiple comes from
    the high error quantile, the upper from the low one.

    >>> measured_multiples(Band(family=None, scale=None, points=20, sources=3, low_error=-0.2, high_error=0.25))
    (0.8, 1.25)
    """
    return 1.0 / (1.0 + b.high_error), 1.0 / (1.0 + b.low_error)
