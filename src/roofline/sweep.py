"""Points along B for charts.

Both lines are straight, so a chart needs them only at their ends and at the
crossover: :func:`breakpoints` gives exactly those batches, and
:func:`sweep` evaluates the model there (or at any batches you pass).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .checks import check_number
from .model import Params, crossover_batch, latency_s, t_compute_s, t_memory_s

__all__ = ["SweepPoint", "breakpoints", "sweep"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepPoint:
    """The two ceilings and the step time at one batch size, in seconds."""

    batch: float
    t_compute_s: float
    t_memory_s: float
    latency_s: float


def breakpoints(p: Params, max_batch: float) -> list[float]:
    """Batches where T = max(T_compute, T_memory) can bend, from 0 to ``max_batch``.

    >>> from roofline.model import SEED_DEFAULTS
    >>> [round(b, 2) for b in breakpoints(SEED_DEFAULTS, 2048)]
    [0.0, 600.49, 2048.0]
    >>> breakpoints(SEED_DEFAULTS, 512)
    [0.0, 512.0]

    Raises:
        ValueError: if ``max_batch`` is not a finite number > 0.
    """
    limit = check_number("max_batch", max_batch, "sequences")
    crossover = crossover_batch(p)
    inside = [crossover] if crossover is not None and 0 < crossover < limit else []
    return [0.0, *inside, limit]


def sweep(p: Params, batches: Iterable[float]) -> list[SweepPoint]:
    """Evaluate both lines and their max at each batch (B >= 0; ``p.batch`` is ignored).

    >>> from roofline.model import SEED_DEFAULTS
    >>> point = sweep(SEED_DEFAULTS, [0])[0]
    >>> point.t_compute_s, point.t_memory_s
    (0.0, 0.06)

    Raises:
        ValueError: if a batch is not a finite number >= 0, or a time at it
            overflows a float (inputs of absurd size).
    """
    points = []
    for batch in batches:
        b = check_number("batch", batch, "sequences", minimum=0.0, inclusive=True)
        point = SweepPoint(
            batch=b, t_compute_s=t_compute_s(p, b), t_memory_s=t_memory_s(p, b), latency_s=latency_s(p, b)
        )
        if not (math.isfinite(point.t_compute_s) and math.isfinite(point.t_memory_s)):
            raise ValueError(f"a time at batch {b!r} overflows a float; the inputs are of absurd size: {p}")
        points.append(point)
    return points
