"""The throughput–interactivity frontier, a latency target, and the batch you would run.

One decode step of ``T(B)`` seconds gives each of ``B`` sequences ``E``
tokens (``E = 1`` without speculation), so

* each user sees ``E / T(B)`` tokens/s, one token every ``T(B) / E`` seconds
  (the time per output token, TPOT);
* the deployment makes ``B · E / T(B)`` tokens/s, ``B · E / (T(B) · N)`` per chip.

Sweeping B traces a curve of (tokens/s per user, tokens/s per chip): the
**frontier**. On the memory-bound side ``T ≈ N_total / BW`` barely moves, so
a bigger batch buys throughput almost for free; past the crossover
``T = B · N_active / C`` and throughput is stuck at ``C / N_active`` while
each user slows down. So the batch you would run is the **largest integer
batch** that

1. meets the latency target, ``T(B) / E <= target`` (when there is one),
2. fits in memory (the deployment form's memory wall), and
3. is not past the crossover: ``T_compute(B) <= T_memory(B)`` (a batch of 1
   when even one sequence is compute-bound).

The limit that gives the smallest batch **binds**. Ties go to the limit named
first in :class:`Limit` (latency, memory, crossover), because a target and
the memory are hard walls while the crossover only marks where more batch
stops paying. When none of the three exists (the article form with no
target and lines that never cross), the batch is the chart's largest,
``max_batch``, and the binding limit is reported as ``"max_batch"``.

No batch is chosen (``batch is None``) when nothing fits in memory (limit
``memory``) or when even one sequence takes longer per token than the target
(limit ``latency``); the result then names the fastest time per token the
chips can give, ``T(1) / E``.

One implementation serves both forms: :func:`article_lines` and
:func:`deployment_lines` turn a :class:`~roofline.model.Params` or a
:class:`~roofline.deployment.Deployment` (with an optional
:class:`~roofline.speculative.Speculation`) into a :class:`Lines`, and every
function below works on a :class:`Lines`.

>>> from roofline.model import SEED_DEFAULTS
>>> lines = article_lines(SEED_DEFAULTS)
>>> choice = choose_batch(lines)
>>> choice.batch, choice.limit.value
(600, 'crossover')
>>> c = choose_batch(lines, target_s=0.06003)
>>> c.batch, c.limit.value
(366, 'latency')
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import deployment as dep
from .checks import check_number
from .deployment.layout import busy_fraction
from .model import Params, t_compute_s, t_memory_s
from .speculative import Speculation
from .units import format_batch, format_time

__all__ = [
    "MAX_SEARCH_BATCH",
    "MAX_TARGET_S",
    "Choice",
    "FrontierPoint",
    "FrontierReport",
    "Limit",
    "Lines",
    "article_lines",
    "check_target_s",
    "choose_batch",
    "compute_ceiling_tokens_per_s_per_chip",
    "crossover_limit",
    "deployment_lines",
    "describe_lines",
    "evaluate_frontier",
    "fastest_time_per_token_s",
    "frontier",
    "frontier_batches",
    "latency_limit",
    "limit_sentence",
    "point",
    "rate_for_target",
    "speedup_per_user",
    "step_time_s",
    "target_for_rate_s",
    "time_per_token_s",
    "tokens_per_s_per_chip",
    "tokens_per_s_per_user",
]

#: Searches for a batch stop here: past 2^53 a float no longer tells one
#: integer batch from the next, and no deployment runs such a batch.
MAX_SEARCH_BATCH = 2**53


class Limit(enum.StrEnum):
    """What stops the batch growing (in tie-break order)."""

    LATENCY = "latency"
    MEMORY = "memory"
    CROSSOVER = "crossover"
    MAX_BATCH = "max_batch"


@dataclass(frozen=True, slots=True, kw_only=True)
class Lines:
    """One configuration as the frontier sees it: the step's parts as functions of B.

    Args:
        t_compute_s: the (verifying) step's compute time at batch B, seconds.
        t_memory_s: its memory time at batch B, seconds.
        t_draft_s: time spent drafting before the step at batch B, seconds
            (0 without speculation); it runs before the step, so it adds.
        tokens_per_step: E, expected tokens per sequence per step (>= 1).
        chips: N, chips sharing the work (throughput per chip divides by it).
        memory_wall: most sequences that fit in memory; None when the form
            has no memory capacity (the article's).
        has_crossover: whether T_compute ever overtakes T_memory.
        describe_wall: a sentence saying why nothing fits, for a wall of 0.
        t_step_s: the whole step at batch B, drafting included, when a model
            other than the article's max gives it (the serving estimate's,
            :func:`roofline.serving.serving_lines`); None for
            ``T_draft + max(T_compute, T_memory)``.
    """

    t_compute_s: Callable[[float], float]
    t_memory_s: Callable[[float], float]
    t_draft_s: Callable[[float], float]
    tokens_per_step: float = 1.0
    chips: int = 1
    memory_wall: int | None = None
    has_crossover: bool = True
    describe_wall: str | None = None
    t_step_s: Callable[[float], float] | None = None


def _no_draft(batch: float) -> float:
    return 0.0


def _draft_time(
    spec: Speculation, bytes_per_param: float, compute: float, bandwidth: float
) -> Callable[[float], float]:
    read_s = spec.draft_params * bytes_per_param / bandwidth
    per_sequence_s = spec.draft_active_params / compute

    def draft(batch: float) -> float:
        # k sequential passes, each as long as the slower of its read and its arithmetic.
        return spec.draft_tokens * max(batch * per_sequence_s, read_s)

    return draft


def article_lines(p: Params, speculation: Speculation | None = None) -> Lines:
    """The article's two lines (``p.batch`` ignored), on one chip, with no memory wall.

    With speculation the verify step runs ``k + 1`` tokens per sequence:
    T_compute's slope is ``(k + 1) · N_active / C``; T_memory is unchanged.

    >>> from roofline.model import SEED_DEFAULTS
    >>> lines = article_lines(SEED_DEFAULTS)
    >>> round(step_time_s(lines, 128) * 1e3, 2)
    60.01
    """
    if speculation is None:
        verify = p
        draft = _no_draft
        tokens = 1.0
    else:
        verify = p.replace(active_params=p.active_params * speculation.verified_tokens)
        draft = _draft_time(speculation, 1.0, p.compute_ops_per_s, p.bandwidth_bytes_per_s)
        tokens = speculation.tokens_per_step
    net_slope = verify.active_params / verify.compute_ops_per_s - (
        verify.context_tokens * verify.kv_bytes_per_element / verify.bandwidth_bytes_per_s
    )
    return Lines(
        t_compute_s=lambda b: t_compute_s(verify, b),
        t_memory_s=lambda b: t_memory_s(verify, b),
        t_draft_s=draft,
        tokens_per_step=tokens,
        has_crossover=net_slope > 0,
    )


def deployment_lines(d: dep.Deployment, speculation: Speculation | None = None) -> Lines:
    """A deployment's lines (:func:`roofline.deployment.params_at`), its chips and its memory wall.

    With speculation the step routes ``(k + 1) · B`` tokens (so a
    mixture-of-experts model reads the experts those touch), does ``k + 1``
    times the arithmetic, and reads each sequence's KV once. The drafter's
    weights are read at the deployment's bytes per weight.

    >>> d = dep.deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)
    >>> lines = deployment_lines(d)
    >>> lines.memory_wall, lines.chips
    (396, 8)
    """
    base = dep.params_at(d, 1.0)
    k1 = 1 if speculation is None else speculation.verified_tokens
    compute_slope_s = k1 * base.active_params / base.compute_ops_per_s
    kv_slope_s = base.context_tokens * base.kv_bytes_per_element / base.bandwidth_bytes_per_s

    layout = d.active_layout

    # A pipeline's bubble idles chips while fewer micro-batches than stages are in flight,
    # so the rates at B are the busy share of all the chips (as params_at takes them).
    def busy(batch: float) -> float:
        return busy_fraction(layout, max(batch, 1.0)) / busy_fraction(layout, 1.0)

    def compute(batch: float) -> float:
        return batch * compute_slope_s / busy(batch)

    def memory(batch: float) -> float:
        read_s = dep.weight_bytes_read(d, k1 * batch) / base.bandwidth_bytes_per_s + batch * kv_slope_s
        return read_s / busy(batch)

    if speculation is None:
        draft, tokens = _no_draft, 1.0
    else:
        draft = _draft_time(
            speculation, d.precision.bytes_per_weight, base.compute_ops_per_s, base.bandwidth_bytes_per_s
        )
        tokens = speculation.tokens_per_step
    wall = dep.capacity_batch(d)
    return Lines(
        t_compute_s=compute,
        t_memory_s=memory,
        t_draft_s=draft,
        tokens_per_step=tokens,
        chips=d.gpus,
        memory_wall=wall,
        # Weights read are bounded by all of them, so for large B the memory
        # line's slope is the KV's: a crossover exists iff compute is steeper.
        has_crossover=compute_slope_s > kv_slope_s,
        describe_wall=dep.capacity_problem(d),
    )


# ---------------------------------------------------------------- one batch


def step_time_s(lines: Lines, batch: float) -> float:
    """Seconds per step at batch B: ``T_draft + max(T_compute, T_memory)``, or the lines' own ``t_step_s``."""
    if lines.t_step_s is not None:
        return lines.t_step_s(batch)
    return lines.t_draft_s(batch) + max(lines.t_compute_s(batch), lines.t_memory_s(batch))


def time_per_token_s(lines: Lines, batch: float) -> float:
    """Seconds between one user's tokens (TPOT), ``T(B) / E``."""
    return step_time_s(lines, batch) / lines.tokens_per_step


def tokens_per_s_per_user(lines: Lines, batch: float) -> float:
    """What one user sees, ``E / T(B)`` tokens/s."""
    return lines.tokens_per_step / step_time_s(lines, batch)


def tokens_per_s_per_chip(lines: Lines, batch: float) -> float:
    """Tokens per second per chip, ``B · E / (T(B) · N)``."""
    return batch * lines.tokens_per_step / step_time_s(lines, batch) / lines.chips


def fastest_time_per_token_s(lines: Lines) -> float:
    """The shortest time per token the chips can give: TPOT at B = 1 (T only grows with B)."""
    return time_per_token_s(lines, 1.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontierPoint:
    """One batch on the frontier (seconds inside; :meth:`as_dict` gives milliseconds)."""

    batch: int
    time_per_token_s: float
    tokens_per_s_per_user: float
    tokens_per_s_per_gpu: float

    def as_dict(self) -> dict[str, float | int]:
        """``{batch, ms_per_token, tokens_per_s_per_user, tokens_per_s_per_gpu}``, JSON-ready."""
        return {
            "batch": self.batch,
            "ms_per_token": self.time_per_token_s * 1e3,
            "tokens_per_s_per_user": self.tokens_per_s_per_user,
            "tokens_per_s_per_gpu": self.tokens_per_s_per_gpu,
        }


def point(lines: Lines, batch: int) -> FrontierPoint:
    """The frontier at one integer batch B >= 1.

    Raises:
        ValueError: if B is not a whole number >= 1, or a rate is not a finite number.
    """
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ValueError(f"batch must be a whole number >= 1 sequences, got {batch!r}")
    step = step_time_s(lines, float(batch))
    # In milliseconds too (as_dict), so a step near the float's ceiling is refused here.
    if not math.isfinite(step * 1e3) or step <= 0:
        raise ValueError(f"the step time at batch {batch} is {step!r}; the inputs are of absurd size")
    per_user = lines.tokens_per_step / step
    per_gpu = batch * per_user / lines.chips
    if not math.isfinite(per_gpu):
        raise ValueError(f"the throughput at batch {batch} overflows a float; the inputs are of absurd size")
    return FrontierPoint(
        batch=batch,
        time_per_token_s=step / lines.tokens_per_step,
        tokens_per_s_per_user=per_user,
        tokens_per_s_per_gpu=per_gpu,
    )


def frontier_batches(max_batch: float, count: int = 48, include: Sequence[float] = ()) -> list[int]:
    """Integer batches from 1 to ``max_batch``, spaced evenly on a log scale, plus ``include``.

    The frontier changes fastest at small B, so log spacing draws it with a
    few dozen points. Batches in ``include`` (the crossover, the chosen batch)
    are added when inside the range, so the curve passes through them.

    >>> frontier_batches(1000, count=4)
    [1, 10, 100, 1000]
    >>> frontier_batches(8, count=4, include=[5])
    [1, 2, 4, 5, 8]

    Raises:
        ValueError: if ``max_batch`` is not a finite number >= 1 or ``count`` < 2.
    """
    top = math.floor(check_number("max_batch", max_batch, "sequences", minimum=1.0, inclusive=True))
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ValueError(f"count must be a whole number >= 2, got {count!r}")
    batches = {1, top}
    for i in range(count):
        batches.add(min(top, max(1, round(top ** (i / (count - 1))))))
    for extra in include:
        if extra is not None and 1 <= extra <= top:
            batches.add(int(extra))
    return sorted(batches)


def frontier(lines: Lines, batches: Sequence[int]) -> list[FrontierPoint]:
    """The frontier at each batch (see :func:`frontier_batches` for a range)."""
    return [point(lines, b) for b in batches]


# ---------------------------------------------------------------- the limits


def _last_true(holds: Callable[[int], bool]) -> int | None:
    """Largest integer B in [1, MAX_SEARCH_BATCH] with ``holds(B)``, for ``holds`` true then false.

    None if it fails at 1; MAX_SEARCH_BATCH if it still holds there.
    """
    if not holds(1):
        return None
    low, high = 1, 2
    while high < MAX_SEARCH_BATCH and holds(high):
        low, high = high, min(2 * high, MAX_SEARCH_BATCH)
    if high == MAX_SEARCH_BATCH and holds(high):
        return MAX_SEARCH_BATCH
    while high - low > 1:  # holds(low), not holds(high)
        middle = (low + high) // 2
        if holds(middle):
            low = middle
        else:
            high = middle
    return low


def crossover_limit(lines: Lines) -> int | None:
    """The largest integer batch not past the crossover, ``T_compute(B) <= T_memory(B)``.

    1 when even one sequence is compute-bound (no batch is below the
    crossover, and the smallest wastes least); None when the lines never cross.

    >>> from roofline.model import SEED_DEFAULTS
    >>> crossover_limit(article_lines(SEED_DEFAULTS))
    600
    """
    if not lines.has_crossover:
        return None
    found = _last_true(lambda b: lines.t_compute_s(float(b)) <= lines.t_memory_s(float(b)))
    return 1 if found is None else found


def latency_limit(lines: Lines, target_s: float) -> int | None:
    """The largest integer batch whose time per token is within the target, or None if none is.

    T(B) / E grows with B, so this is a search for the last B that passes.
    None also when even B = 1 misses the target.

    >>> from roofline.model import SEED_DEFAULTS
    >>> latency_limit(article_lines(SEED_DEFAULTS), 0.06003)
    366
    >>> latency_limit(article_lines(SEED_DEFAULTS), 0.05) is None
    True

    Raises:
        ValueError: if the target is not a finite number of seconds > 0.
    """
    target = check_number("target_s", target_s, "seconds")
    return _last_true(lambda b: time_per_token_s(lines, float(b)) <= target)


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The batch you would run, and why.

    ``batch`` is None when no batch fits or none meets the target; ``limit``
    then says which. The ``*_batch`` fields are each limit's own largest
    batch (None where that limit does not exist or nothing meets it).
    """

    batch: int | None
    limit: Limit
    target_s: float | None
    fastest_time_per_token_s: float
    tokens_per_step: float
    latency_batch: int | None
    memory_batch: int | None
    crossover_batch: int | None
    max_batch: int | None
    compute_bound_at_one: bool = False
    describe_wall: str | None = None

    @property
    def best_batch(self) -> int | None:
        """The largest batch worth running on these lines, target aside: the crossover if it fits, else the wall.

        :func:`roofline.deployment.best_batch` for the lines in use (with
        speculation, the verify step's crossover); None when nothing fits or
        neither limit exists.

        >>> from roofline.model import SEED_DEFAULTS
        >>> choose_batch(article_lines(SEED_DEFAULTS)).best_batch
        600
        """
        if self.memory_batch is not None and self.memory_batch < 1:
            return None
        caps = [c for c in (self.crossover_batch, self.memory_batch) if c is not None]
        return min(caps) if caps else None

    @property
    def meets_target(self) -> bool:
        """False when a target is set and not even one sequence meets it."""
        return self.target_s is None or self.fastest_time_per_token_s <= self.target_s


def choose_batch(lines: Lines, target_s: float | None = None, max_batch: float | None = None) -> Choice:
    """The largest batch within every limit, and the limit that binds (module docstring).

    Args:
        lines: the configuration (:func:`article_lines`, :func:`deployment_lines`).
        target_s: the most time one output token may take, seconds; None for no target.
        max_batch: the chart's largest batch, used only when no limit exists.

    Raises:
        ValueError: if the target or max_batch is not a finite number > 0
            (max_batch >= 1), or no limit exists and max_batch is None.
    """
    target = None if target_s is None else check_number("target_s", target_s, "seconds")
    top = None if max_batch is None else math.floor(check_number("max_batch", max_batch, "sequences", minimum=1.0, inclusive=True))
    fastest = fastest_time_per_token_s(lines)
    crossing = crossover_limit(lines)
    wall = lines.memory_wall
    latency = None if target is None else latency_limit(lines, target)

    def result(batch: int | None, limit: Limit) -> Choice:
        return Choice(
            batch=batch,
            limit=limit,
            target_s=target,
            fastest_time_per_token_s=fastest,
            tokens_per_step=lines.tokens_per_step,
            latency_batch=latency,
            memory_batch=wall,
            crossover_batch=crossing,
            max_batch=top,
            compute_bound_at_one=lines.t_compute_s(1.0) > lines.t_memory_s(1.0),
            describe_wall=lines.describe_wall,
        )

    if wall is not None and wall < 1:
        return result(None, Limit.MEMORY)
    if target is not None and latency is None:
        return result(None, Limit.LATENCY)
    candidates = [
        (cap, limit)
        for cap, limit in ((latency, Limit.LATENCY), (wall, Limit.MEMORY), (crossing, Limit.CROSSOVER))
        # The searches report MAX_SEARCH_BATCH for "holds as far as we looked";
        # the wall is a formula, exact at any size.
        if cap is not None and (cap < MAX_SEARCH_BATCH or limit is Limit.MEMORY)
    ]
    if candidates:
        # min() keeps the first of equal batches: the tie-break order above.
        batch, limit = min(candidates, key=lambda pair: pair[0])
        return result(batch, limit)
    if top is None:
        raise ValueError("no limit bounds the batch (no target, no memory wall, no crossover); give max_batch")
    return result(top, Limit.MAX_BATCH)


def limit_sentence(choice: Choice) -> str:
    """One sentence naming the binding limit and why it binds.

    >>> from roofline.model import SEED_DEFAULTS
    >>> print(limit_sentence(choose_batch(article_lines(SEED_DEFAULTS), target_s=0.01)))
    No batch meets the 10 ms target: even one sequence takes 60 ms per token, the fastest these chips can give.
    """
    per_token = "per token" if choice.tokens_per_step == 1 else "per token (speculation included)"
    if choice.batch is None:
        if choice.limit is Limit.MEMORY:
            why = choice.describe_wall or "the weights leave no room for one sequence's KV cache"
            return f"No batch fits in memory: {why}"
        return (
            f"No batch meets the {format_time(choice.target_s or 0.0)} target: even one sequence takes "
            f"{format_time(choice.fastest_time_per_token_s)} {per_token}, the fastest these chips can give."
        )
    batch = format_batch(choice.batch)
    if choice.limit is Limit.LATENCY:
        return (
            f"The latency target binds: B = {batch} is the largest batch whose time per token stays within "
            f"{format_time(choice.target_s or 0.0)} ({_others(choice, Limit.LATENCY)})."
        )
    if choice.limit is Limit.MEMORY:
        return f"Memory binds: at most {batch} sequences fit beside the weights ({_others(choice, Limit.MEMORY)})."
    if choice.limit is Limit.CROSSOVER:
        if choice.compute_bound_at_one:
            return (
                "The crossover binds: even one sequence is compute-bound, so a bigger batch only adds time "
                f"({_others(choice, Limit.CROSSOVER)})."
            )
        return (
            f"The crossover binds: past B = {batch} the step is compute-bound, so a bigger batch adds time per "
            f"token without adding throughput ({_others(choice, Limit.CROSSOVER)})."
        )
    target = "there is no target" if choice.target_s is None else "the target allows any batch"
    return (
        f"No limit binds inside the chart, so the batch is its largest, B = {batch}: the lines never cross, "
        f"{target}, and the article's model has no memory wall."
    )


def _others(choice: Choice, binding: Limit) -> str:
    """What the other limits would allow, e.g. "the memory wall would allow 3,175; there is no crossover"."""
    parts = []
    for limit, cap, allows, absent in (
        (Limit.LATENCY, choice.latency_batch, "the target would allow", "no target"),
        (Limit.MEMORY, choice.memory_batch, "memory would hold", "no memory limit in this model"),
        (Limit.CROSSOVER, choice.crossover_batch, "the crossover would allow", "no crossover"),
    ):
        if limit is binding:
            continue
        if limit is Limit.LATENCY and choice.target_s is not None and cap is None:
            continue  # a target no batch meets never reaches this sentence
        if cap is None or (limit is Limit.LATENCY and choice.target_s is None):
            parts.append(f"there is {absent}")
        elif cap >= MAX_SEARCH_BATCH:
            parts.append(f"{allows} any batch")
        else:
            parts.append(f"{allows} {format_batch(cap)}")
    return "; ".join(parts)


def describe_lines(lines: Lines) -> str:
    """A short account of a configuration's limits, for summaries.

    >>> from roofline.model import SEED_DEFAULTS
    >>> describe_lines(article_lines(SEED_DEFAULTS))
    'crossover at B = 600, no memory wall, fastest 60 ms per token'
    """
    crossing = crossover_limit(lines)
    parts = [
        "no crossover" if crossing is None else f"crossover at B = {format_batch(crossing)}",
        "no memory wall" if lines.memory_wall is None else f"memory wall at B = {format_batch(lines.memory_wall)}",
        f"fastest {format_time(fastest_time_per_token_s(lines))} per token",
    ]
    return ", ".join(parts)


# ---------------------------------------------------------------- everything at once


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontierReport:
    """The chosen batch, its limit and sentence, and the frontier points to draw."""

    choice: Choice
    sentence: str
    points: tuple[FrontierPoint, ...]
    chosen: FrontierPoint | None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``chosen_batch``, ``binding_limit``, ``tokens_per_s_per_user``, ``frontier`` and more.

        ``tokens_per_s_per_user`` is at the chosen batch (None when there is none).
        """
        c = self.choice
        return {
            "chosen_batch": c.batch,
            "binding_limit": c.limit.value,
            "tokens_per_s_per_user": None if self.chosen is None else self.chosen.tokens_per_s_per_user,
            "tokens_per_s_per_gpu_at_chosen_batch": None if self.chosen is None else self.chosen.tokens_per_s_per_gpu,
            "ms_per_token_at_chosen_batch": None if self.chosen is None else self.chosen.time_per_token_s * 1e3,
            "tpot_target_ms": None if c.target_s is None else c.target_s * 1e3,
            "fastest_ms_per_token": c.fastest_time_per_token_s * 1e3,
            "tokens_per_step": c.tokens_per_step,
            "binding_limit_sentence": self.sentence,
            "frontier": [pt.as_dict() for pt in self.points],
        }


def evaluate_frontier(lines: Lines, target_s: float | None = None, max_batch: float | None = None) -> FrontierReport:
    """Choose the batch and trace the frontier from B = 1 to ``max_batch``.

    ``max_batch`` defaults to the memory wall (no batch past it fits); the
    article form, which has none, must give it. When nothing fits the
    frontier is empty.

    >>> from roofline.model import SEED_DEFAULTS
    >>> report = evaluate_frontier(article_lines(SEED_DEFAULTS), max_batch=2048)
    >>> report.choice.batch, len(report.points) > 10, report.points[-1].batch
    (600, True, 2048)

    Raises:
        ValueError: as :func:`choose_batch`, or if there is neither a
            ``max_batch`` nor a memory wall to end the frontier at.
    """
    top = max_batch if max_batch is not None else lines.memory_wall
    if top is None:
        raise ValueError("give max_batch: the article's form has no memory wall to end the frontier at")
    choice = choose_batch(lines, target_s=target_s, max_batch=max_batch)
    fastest_ms = choice.fastest_time_per_token_s * 1e3
    if not math.isfinite(fastest_ms) or fastest_ms <= 0:
        raise ValueError(f"the fastest time per token is {fastest_ms!r} ms; the inputs are of absurd size")
    if choice.target_s is not None and not math.isfinite(choice.target_s * 1e3):
        raise ValueError(f"target_s = {choice.target_s!r} seconds is too large to state in milliseconds")
    if top < 1:
        points: tuple[FrontierPoint, ...] = ()
    else:
        crossing = choice.crossover_batch
        batches = frontier_batches(top, include=[b for b in (choice.batch, crossing) if b is not None])
        points = tuple(frontier(lines, batches))
    chosen = None if choice.batch is None else point(lines, choice.batch)
    return FrontierReport(choice=choice, sentence=limit_sentence(choice), points=points, chosen=chosen)


#: A target past an hour per output token is surely a units mistake; the CLI
#: and the simulator refuse it (the functions above accept any target > 0).
MAX_TARGET_S = 3600.0


def check_target_s(target_s: object) -> float:
    """A latency target as typed by a person: a finite number of seconds > 0 and at most an hour.

    >>> check_target_s(0.05)
    0.05
    >>> check_target_s(7200.0)
    Traceback (most recent call last):
    ...
    ValueError: target_s must be at most 3600 seconds (an hour per token), got 7200.0
    """
    target = check_number("target_s", target_s, "seconds")
    if target > MAX_TARGET_S:
        raise ValueError(f"target_s must be at most {MAX_TARGET_S:g} seconds (an hour per token), got {target_s!r}")
    return target


def target_for_rate_s(tokens_per_s_per_user: float) -> float:
    """The time-per-token target that a per-user speed implies, ``1 / rate`` seconds.

    >>> target_for_rate_s(20.0)
    0.05
    """
    return 1.0 / check_number("tokens_per_s_per_user", tokens_per_s_per_user, "tokens/s")


def compute_ceiling_tokens_per_s_per_chip(lines: Lines) -> float:
    """Throughput per chip once compute binds, ``E / (N_active/C · (k+1) · N)``: the frontier's flat top.

    Drafting time is left out, so with a drafter it is an upper bound.

    >>> from roofline.model import SEED_DEFAULTS
    >>> compute_ceiling_tokens_per_s_per_chip(article_lines(SEED_DEFAULTS))
    10000.0
    """
    return lines.tokens_per_step / lines.t_compute_s(1.0) / lines.chips


def speedup_per_user(plain: Lines, faster: Lines, batch: int) -> float:
    """How many times the tokens/s one user sees, ``faster`` over ``plain``, at the same batch.

    >>> from roofline.model import SEED_DEFAULTS
    >>> from roofline.speculative import Speculation
    >>> lines = article_lines(SEED_DEFAULTS)
    >>> round(speedup_per_user(lines, article_lines(SEED_DEFAULTS, Speculation(draft_tokens=1, acceptance=0.85)), 1), 2)
    1.85
    """
    return point(faster, batch).tokens_per_s_per_user / point(plain, batch).tokens_per_s_per_user


def rate_for_target(target_s: float) -> float:
    """The per-user speed a time-per-token target guarantees, ``1 / target`` tokens/s.

    >>> rate_for_target(0.02)
    50.0
    """
    return 1.0 / check_number("target_s", target_s, "seconds")
