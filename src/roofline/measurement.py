"""The article's model against a measurement: predict each timed step, fit nothing.

``scripts/measure_hardware.py`` times three things on a machine: a large
matrix product, a large copy, and a decode-like step (a stack of weight
matrices multiplied by a ``[B, d]`` activation, plus a read of ``B · L · e``
bytes of KV cache). This module turns the first two into the model's
ceilings and predicts the third with :mod:`roofline.model`, unchanged:

* ``C`` is the measured matrix-product rate divided by 2. The script counts
  ``2 · m · n · k`` FLOP for an ``[m, k] × [k, n]`` product (one multiply and
  one add per weight per row), and the model charges ``N_active`` ops per
  token, so ``C = FLOP/s ÷ 2`` is the same convention as the datasheet one.
* ``N_active`` is the number of weight *elements* each token multiplies
  through, so ``T_compute = B · N_active / C = 2 · B · N_active / FLOP/s``.
* ``N_total`` is the weight *bytes* read per step: the model counts one byte
  per parameter, so passing bytes makes ``N_total / BW`` the time to stream
  the weights whatever their data type.
* ``BW`` is the measured read bandwidth (bytes streamed per second by a
  read-only kernel) when the run measured one, else the copy bandwidth (bytes
  read plus bytes written, per second). A decode step reads its weights and
  its KV cache and writes almost nothing, so a read stream is its memory
  ceiling; on a CPU a copy, counted both ways, can run well above it.
  ``L`` is the context length in tokens and ``b`` the KV bytes per token per
  sequence (all layers), so ``B · L · b / BW`` is the KV read time.
* A step may carry its own *attainable* FLOP/s: the rate of the step's own
  products, timed with the same calls on weights that stay in cache, so that
  no time waits on memory. ``C`` for that step is then this rate ÷ 2 instead
  of the square product's: a thin ``[B, d] × [d, d]`` product runs well below
  the square-product rate on a CPU, and that shortfall is the library's, not
  a question of overlap.

Nothing is fitted to the step times: the only inputs are ceilings measured
apart from the step and the shape of each step. The prediction is the model's ``T = max(T_compute,
T_memory)``; the alternative ``T = T_compute + T_memory`` (no overlap) is
reported beside it, so a reader can see which one the machine follows.

>>> ceilings = Ceilings(matmul_flops_per_s=200e9, copy_bandwidth_bytes_per_s=20e9)
>>> shape = StepShape(batch=16, weight_params=1e8, weight_bytes=4e8,
...                   context_tokens=1000, kv_bytes_per_token=1000)
>>> p = predict(ceilings, shape)
>>> round(p.t_compute_s * 1e3, 3), round(p.t_memory_s * 1e3, 3)
(16.0, 20.8)
>>> round(p.max_s * 1e3, 3), round(p.sum_s * 1e3, 3)
(20.8, 36.8)
>>> round(relative_error(p.max_s, 0.026), 3)
-0.2
>>> round(predict(ceilings, shape, attainable_flops_per_s=50e9).t_compute_s * 1e3, 3)
64.0
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .checks import check_number
from .model import Params, crossover_batch, t_compute_s, t_memory_s

__all__ = [
    "SCHEMA",
    "SCHEMAS",
    "SWEEPS",
    "Ceilings",
    "Comparison",
    "ErrorSummary",
    "MeasuredSeries",
    "MeasuredStep",
    "PointComparison",
    "Prediction",
    "StepShape",
    "compare",
    "comparison_as_dict",
    "fraction_of",
    "geometric_grid",
    "params_for",
    "predict",
    "predicted_crossover_batch",
    "prediction_curve",
    "relative_error",
    "series_from_dict",
    "summarize",
]

#: The ``schema`` field of the measurement files the script writes now.
SCHEMA = "roofline-measurement/2"

#: Every ``schema`` this module reads: version 2 added the optional read bandwidth
#: (``ceilings.read_bandwidth_bytes_per_s``) and each step's attainable rate
#: (``attainable_flops_per_s``); a version 1 file has neither and is read as before.
SCHEMAS = ("roofline-measurement/1", SCHEMA)

#: What a measured step varies: the batch ``B`` at fixed ``L``, or the context ``L`` at fixed ``B``.
SWEEPS = ("batch", "context")


def _validate(instance: object, checks: Iterable[tuple[str, str, float, bool]]) -> None:
    for name, unit, minimum, inclusive in checks:
        number = check_number(name, getattr(instance, name), unit, minimum=minimum, inclusive=inclusive)
        object.__setattr__(instance, name, number)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ceilings:
    """The two measured ceilings of one machine at one data type.

    Args:
        matmul_flops_per_s: a large matrix product's rate, counting
            ``2 · m · n · k`` FLOP per ``[m, k] × [k, n]`` product.
        copy_bandwidth_bytes_per_s: a large copy's rate, counting bytes read
            plus bytes written.
        read_bandwidth_bytes_per_s: a large read-only stream's rate, or None
            when the run did not measure one.

    >>> Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10).compute_ops_per_s
    100000000000.0
    >>> Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10,
    ...          read_bandwidth_bytes_per_s=2.5e10).bandwidth_bytes_per_s
    25000000000.0
    >>> Ceilings(matmul_flops_per_s=0, copy_bandwidth_bytes_per_s=1)
    Traceback (most recent call last):
    ...
    ValueError: matmul_flops_per_s must be > 0 FLOP/s, got 0
    """

    matmul_flops_per_s: float
    copy_bandwidth_bytes_per_s: float
    read_bandwidth_bytes_per_s: float | None = None

    def __post_init__(self) -> None:
        checks = [
            ("matmul_flops_per_s", "FLOP/s", 0.0, False),
            ("copy_bandwidth_bytes_per_s", "bytes/s", 0.0, False),
        ]
        if self.read_bandwidth_bytes_per_s is not None:
            checks.append(("read_bandwidth_bytes_per_s", "bytes/s", 0.0, False))
        _validate(self, checks)

    @property
    def compute_ops_per_s(self) -> float:
        """The model's ``C``: the measured FLOP/s ÷ 2 (one multiply-add per weight per token)."""
        return self.matmul_flops_per_s / 2

    @property
    def bandwidth_bytes_per_s(self) -> float:
        """The model's ``BW``: the read stream's rate when measured, else the copy's (bytes/s)."""
        if self.read_bandwidth_bytes_per_s is not None:
            return self.read_bandwidth_bytes_per_s
        return self.copy_bandwidth_bytes_per_s


@dataclass(frozen=True, slots=True, kw_only=True)
class StepShape:
    """What one decode-like step did.

    Args:
        batch: B, rows of the activation (sequences decoded together), >= 1.
        weight_params: weight elements each row multiplies through (the model's N_active).
        weight_bytes: bytes of weights read in the step (the model's N_total).
        context_tokens: L, tokens of KV cache read per sequence.
        kv_bytes_per_token: e, KV bytes per token per sequence over all
            layers (the model's b with the per-token element count folded in).
    """

    batch: float
    weight_params: float
    weight_bytes: float
    context_tokens: float
    kv_bytes_per_token: float

    def __post_init__(self) -> None:
        _validate(
            self,
            (
                ("batch", "sequences", 1.0, True),
                ("weight_params", "elements", 0.0, False),
                ("weight_bytes", "bytes", 0.0, False),
                ("context_tokens", "tokens", 0.0, False),
                ("kv_bytes_per_token", "bytes", 0.0, False),
            ),
        )

    def replace(self, **changes: float) -> StepShape:
        """A copy with some fields changed (and validated again)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        return StepShape(**fields)

    @property
    def kv_bytes(self) -> float:
        """Bytes of KV cache the step reads, ``B · L · e``."""
        return self.batch * self.context_tokens * self.kv_bytes_per_token


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasuredStep:
    """One point of a sweep: the step's shape and its measured time.

    ``median_s`` is the median of the repeats; ``min_s`` and ``max_s`` their spread.
    ``attainable_flops_per_s``, when given, is the rate of this step's own
    products with the weights in cache (``2 · B · N_active`` FLOP over the
    time of those same calls): the step's compute ceiling, used in place of
    the square product's.
    """

    sweep: str
    shape: StepShape
    median_s: float
    min_s: float
    max_s: float
    attainable_flops_per_s: float | None = None

    def __post_init__(self) -> None:
        if self.sweep not in SWEEPS:
            raise ValueError(f"sweep must be one of {SWEEPS}, got {self.sweep!r}")
        checks = [("median_s", "s", 0.0, False), ("min_s", "s", 0.0, False), ("max_s", "s", 0.0, False)]
        if self.attainable_flops_per_s is not None:
            checks.append(("attainable_flops_per_s", "FLOP/s", 0.0, False))
        _validate(self, checks)
        if not self.min_s <= self.median_s <= self.max_s:
            raise ValueError(
                f"need min_s <= median_s <= max_s seconds, got {self.min_s!r}, {self.median_s!r}, {self.max_s!r}"
            )

    @property
    def spread_below_s(self) -> float:
        """How far the fastest repeat lies below the median, ``median − min`` seconds (an error bar)."""
        return self.median_s - self.min_s

    @property
    def spread_above_s(self) -> float:
        """How far the slowest repeat lies above the median, ``max − median`` seconds (an error bar)."""
        return self.max_s - self.median_s


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """The model's two terms for one step, and the two ways of combining them (seconds)."""

    t_compute_s: float
    t_memory_s: float

    @property
    def max_s(self) -> float:
        """The article's model: compute and memory overlap, ``max(T_compute, T_memory)``."""
        return max(self.t_compute_s, self.t_memory_s)

    @property
    def sum_s(self) -> float:
        """The alternative with no overlap, ``T_compute + T_memory``."""
        return self.t_compute_s + self.t_memory_s


def params_for(ceilings: Ceilings, shape: StepShape, attainable_flops_per_s: float | None = None) -> Params:
    """The model's inputs for a measured step (see the module docstring for the mapping).

    ``C`` is ``attainable_flops_per_s ÷ 2`` when that is given, else the square product's.

    >>> p = params_for(Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10),
    ...                StepShape(batch=8, weight_params=1e8, weight_bytes=2e8,
    ...                          context_tokens=512, kv_bytes_per_token=256))
    >>> p.compute_ops_per_s, p.active_params, p.total_params, p.kv_bytes_per_element
    (100000000000.0, 100000000.0, 200000000.0, 256.0)
    """
    if attainable_flops_per_s is None:
        compute_ops_per_s = ceilings.compute_ops_per_s
    else:
        compute_ops_per_s = check_number("attainable_flops_per_s", attainable_flops_per_s, "FLOP/s") / 2
    return Params(
        batch=shape.batch,
        active_params=shape.weight_params,
        compute_ops_per_s=compute_ops_per_s,
        total_params=shape.weight_bytes,
        bandwidth_bytes_per_s=ceilings.bandwidth_bytes_per_s,
        context_tokens=shape.context_tokens,
        kv_bytes_per_element=shape.kv_bytes_per_token,
    )


def predict(ceilings: Ceilings, shape: StepShape, attainable_flops_per_s: float | None = None) -> Prediction:
    """Predict one step from the measured ceilings with :mod:`roofline.model`.

    ``T_compute = B · N_active / C`` and ``T_memory = N_total / BW + B · L · b / BW``,
    with the mapping of :func:`params_for` (``C`` from ``attainable_flops_per_s`` when given).
    """
    p = params_for(ceilings, shape, attainable_flops_per_s)
    return Prediction(t_compute_s=t_compute_s(p), t_memory_s=t_memory_s(p))


def predicted_crossover_batch(ceilings: Ceilings, shape: StepShape) -> float | None:
    """The batch where the predicted compute and memory lines cross for this step's shape.

    ``None`` when the KV term alone grows faster than compute (no crossover).

    >>> round(predicted_crossover_batch(Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10),
    ...     StepShape(batch=1, weight_params=1e8, weight_bytes=4e8, context_tokens=1, kv_bytes_per_token=1)), 3)
    10.0
    """
    return crossover_batch(params_for(ceilings, shape))


def relative_error(predicted_s: float, measured_s: float) -> float:
    """``(predicted − measured) / measured``: negative when the model is too fast.

    >>> relative_error(0.012, 0.008)
    0.5
    >>> relative_error(1.0, 0.0)
    Traceback (most recent call last):
    ...
    ValueError: measured_s must be > 0 s, got 0.0
    """
    predicted = check_number("predicted_s", predicted_s, "s")
    measured = check_number("measured_s", measured_s, "s")
    return (predicted - measured) / measured


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorSummary:
    """How far a set of predictions lies from the measurements.

    ``median_abs`` is the median of ``|relative error|``; ``worst`` is the
    relative error with the largest magnitude, sign kept (negative: the model
    predicted a faster step than measured).
    """

    median_abs: float
    worst: float
    count: int


def summarize(errors: Sequence[float]) -> ErrorSummary:
    """Median absolute and worst relative error of ``errors``.

    >>> s = summarize([0.1, -0.3, 0.05])
    >>> s.median_abs, s.worst, s.count
    (0.1, -0.3, 3)
    """
    if not errors:
        raise ValueError("errors must hold at least one relative error, got none")
    for error in errors:
        if not math.isfinite(error):
            raise ValueError(f"every relative error must be finite, got {error!r}")
    worst = max(errors, key=abs)
    return ErrorSummary(median_abs=statistics.median(abs(e) for e in errors), worst=worst, count=len(errors))


@dataclass(frozen=True, slots=True, kw_only=True)
class PointComparison:
    """One measured step, its prediction, and the relative error of max and of sum."""

    step: MeasuredStep
    prediction: Prediction
    max_error: float
    sum_error: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Every measured step of a series against the model, with both error summaries."""

    ceilings: Ceilings
    points: tuple[PointComparison, ...]
    max_error: ErrorSummary
    sum_error: ErrorSummary

    @property
    def better_fit(self) -> str:
        """``"max"`` or ``"sum"``: the combination with the smaller median error (``"max"`` on a tie)."""
        return "sum" if self.sum_error.median_abs < self.max_error.median_abs else "max"

    def in_sweep(self, sweep: str) -> tuple[PointComparison, ...]:
        """The points of one sweep (``"batch"`` or ``"context"``), in measured order."""
        if sweep not in SWEEPS:
            raise ValueError(f"sweep must be one of {SWEEPS}, got {sweep!r}")
        return tuple(point for point in self.points if point.step.sweep == sweep)


def compare(ceilings: Ceilings, steps: Sequence[MeasuredStep]) -> Comparison:
    """Predict every step from ``ceilings`` and summarise the errors of max and sum.

    >>> ceilings = Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10)
    >>> shape = StepShape(batch=1, weight_params=1e8, weight_bytes=4e8, context_tokens=1, kv_bytes_per_token=1)
    >>> steps = [MeasuredStep(sweep="batch", shape=shape.replace(batch=b), median_s=t, min_s=t, max_s=t)
    ...          for b, t in ((1, 0.011), (10, 0.020), (40, 0.050))]
    >>> c = compare(ceilings, steps)  # a machine that overlaps nothing: the sum fits
    >>> round(c.max_error.median_abs, 3), round(c.sum_error.median_abs, 3), c.better_fit
    (0.2, 0.0, 'sum')
    >>> round(c.max_error.worst, 3)
    -0.5
    """
    if not steps:
        raise ValueError("steps must hold at least one measured step, got none")
    points = []
    for step in steps:
        prediction = predict(ceilings, step.shape, step.attainable_flops_per_s)
        points.append(
            PointComparison(
                step=step,
                prediction=prediction,
                max_error=relative_error(prediction.max_s, step.median_s),
                sum_error=relative_error(prediction.sum_s, step.median_s),
            )
        )
    return Comparison(
        ceilings=ceilings,
        points=tuple(points),
        max_error=summarize([p.max_error for p in points]),
        sum_error=summarize([p.sum_error for p in points]),
    )


def prediction_curve(
    ceilings: Ceilings,
    shape: StepShape,
    values: Iterable[float],
    over: str,
    attainable_flops_per_s: float | None = None,
) -> list[Prediction]:
    """Predictions for ``shape`` with ``batch`` (``over="batch"``) or ``context_tokens``
    (``over="context"``) set to each of ``values``: the model's lines for a chart.
    ``attainable_flops_per_s`` is passed to :func:`predict` for every value (it
    belongs to one batch, so it suits a sweep over the context).

    >>> ceilings = Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10)
    >>> shape = StepShape(batch=1, weight_params=1e8, weight_bytes=4e8, context_tokens=1, kv_bytes_per_token=1)
    >>> [round(p.max_s * 1e3, 3) for p in prediction_curve(ceilings, shape, [1, 10, 100], "batch")]
    [10.0, 10.0, 100.0]
    """
    field = {"batch": "batch", "context": "context_tokens"}.get(over)
    if field is None:
        raise ValueError(f"over must be one of {SWEEPS}, got {over!r}")
    return [predict(ceilings, shape.replace(**{field: value}), attainable_flops_per_s) for value in values]


def geometric_grid(low: float, high: float, count: int) -> list[float]:
    """``count`` values from ``low`` to ``high`` evenly spaced on a log scale (both ends included).

    >>> geometric_grid(1, 1000, 4)
    [1.0, 10.0, 100.0, 1000.0]
    """
    lo = check_number("low", low, "units")
    hi = check_number("high", high, "units", minimum=lo, inclusive=True)
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ValueError(f"count must be an integer >= 2 points, got {count!r}")
    ratio = (hi / lo) ** (1 / (count - 1))
    values = [lo * ratio**i for i in range(count)]
    values[0], values[-1] = lo, hi
    return [float(f"{v:.12g}") for v in values]


def fraction_of(measured: float, reference: float) -> float:
    """``measured / reference``, e.g. a measured ceiling as a fraction of the datasheet's.

    >>> fraction_of(792e12, 989.4e12) > 0.8
    True
    """
    return check_number("measured", measured, "units") / check_number("reference", reference, "units")


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasuredSeries:
    """One data type on one device of a machine: its ceilings and its timed steps."""

    key: str
    title: str
    ceilings: Ceilings
    steps: tuple[MeasuredStep, ...]

    def compare(self) -> Comparison:
        """:func:`compare` of this series' steps against its ceilings."""
        return compare(self.ceilings, self.steps)


def _field(data: Mapping, name: str, where: str) -> object:
    if not isinstance(data, Mapping) or name not in data:
        raise ValueError(f"{where} must have a {name!r} field, got {type(data).__name__} without it")
    return data[name]


def series_from_dict(data: Mapping) -> MeasuredSeries:
    """Read one entry of a measurement file's ``series`` list (see scripts/measure_hardware.py).

    >>> s = series_from_dict({"key": "cpu", "title": "CPU",
    ...     "ceilings": {"matmul_flops_per_s": 2e11, "copy_bandwidth_bytes_per_s": 4e10},
    ...     "decode": {"weight_params": 1e8, "weight_bytes": 4e8, "kv_bytes_per_token": 64,
    ...                "steps": [{"sweep": "batch", "batch": 4, "context_tokens": 256,
    ...                           "median_s": 0.01, "min_s": 0.009, "max_s": 0.012}]}})
    >>> s.steps[0].shape.batch, s.ceilings.compute_ops_per_s
    (4.0, 100000000000.0)
    """
    key = _field(data, "key", "a series")
    title = _field(data, "title", f"series {key!r}")
    where = f"series {key!r}"
    raw_ceilings = _field(data, "ceilings", where)
    ceilings = Ceilings(
        matmul_flops_per_s=_field(raw_ceilings, "matmul_flops_per_s", f"{where} ceilings"),
        copy_bandwidth_bytes_per_s=_field(raw_ceilings, "copy_bandwidth_bytes_per_s", f"{where} ceilings"),
        read_bandwidth_bytes_per_s=raw_ceilings.get("read_bandwidth_bytes_per_s"),
    )
    decode = _field(data, "decode", where)
    steps = []
    for raw in _field(decode, "steps", f"{where} decode"):
        shape = StepShape(
            batch=_field(raw, "batch", f"{where} step"),
            weight_params=_field(decode, "weight_params", f"{where} decode"),
            weight_bytes=_field(decode, "weight_bytes", f"{where} decode"),
            context_tokens=_field(raw, "context_tokens", f"{where} step"),
            kv_bytes_per_token=_field(decode, "kv_bytes_per_token", f"{where} decode"),
        )
        steps.append(
            MeasuredStep(
                sweep=_field(raw, "sweep", f"{where} step"),
                shape=shape,
                median_s=_field(raw, "median_s", f"{where} step"),
                min_s=_field(raw, "min_s", f"{where} step"),
                max_s=_field(raw, "max_s", f"{where} step"),
                attainable_flops_per_s=raw.get("attainable_flops_per_s"),
            )
        )
    if not steps:
        raise ValueError(f"{where} has no measured steps")
    return MeasuredSeries(key=str(key), title=str(title), ceilings=ceilings, steps=tuple(steps))


def comparison_as_dict(comparison: Comparison) -> dict:
    """The predictions and error summaries as plain JSON-ready values, in step order."""

    def summary(s: ErrorSummary) -> dict[str, float]:
        return {"median_abs_relative_error": s.median_abs, "worst_relative_error": s.worst, "count": s.count}

    return {
        "model": "roofline.measurement",
        "compute_ops_per_s": comparison.ceilings.compute_ops_per_s,
        "points": [
            {
                "t_compute_s": p.prediction.t_compute_s,
                "t_memory_s": p.prediction.t_memory_s,
                "max_s": p.prediction.max_s,
                "sum_s": p.prediction.sum_s,
                "max_relative_error": p.max_error,
                "sum_relative_error": p.sum_error,
            }
            for p in comparison.points
        ],
        "max": summary(comparison.max_error),
        "sum": summary(comparison.sum_error),
        "better_fit": comparison.better_fit,
    }
