"""Published serving measurements, and the serving estimate fitted to them honestly.

The measurements live as JSON in ``docs/data/published/`` (one file per
source: a ``source`` record and its ``points``); :func:`load` reads them
only when called and :func:`validate` refuses anything malformed, naming
the file and the field. A *source* is one published table: one engine
release, one deployment, one campaign.

Each source's parallel layout (:attr:`Source.layout`) is what it states:
TP over its chips, or, where it spreads the experts (EP) with no tensor
parallelism over them, DP attention with EP, as DeepSeek's production decode
("Routed Expert EP144, MLA/Shared Expert DP144") and RTP-LLM's replay of it run.

The constants of :mod:`roofline.serving` are fitted by :func:`fit`, which
minimises the mean absolute log error of ``tpot_s`` with every source
weighted equally: each of a source's ``n`` points weighs ``1 / n``, so a
table of forty rows counts as much as a single production figure. The
honest figure is :func:`leave_one_source_out`: fit on all sources but one,
predict the one left out.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import serving
from .checks import check_number, check_whole_number
from .deployment import Layout
from .presets import HARDWARE, KV_PRECISIONS, MODELS, WEIGHT_PRECISIONS

__all__ = [
    "FIT_BOUNDS",
    "HeldOut",
    "Point",
    "Pooled",
    "Source",
    "article_errors",
    "default_directory",
    "errors",
    "estimate_point",
    "fit",
    "leave_one_source_out",
    "load",
    "median_abs_error",
    "pooled_held_out",
    "validate",
]

#: Fields every point carries.
_POINT_FIELDS = ("input_tokens", "output_tokens", "concurrency", "tpot_s", "ttft_s", "output_tokens_per_s", "derived")
#: Fields every source record carries.
_SOURCE_FIELDS = (
    "id",
    "title",
    "document",
    "table",
    "engine",
    "engine_version",
    "workload",
    "metrics",
    "prefill",
    "hardware",
    "hardware_stated",
    "gpus",
    "model",
    "model_stated",
    "precision",
    "kv_precision",
    "parallelism",
    "assumptions",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One published table: where it is, what ran, and what we assumed."""

    id: str
    title: str
    document: str
    table: str
    engine: str
    engine_version: str
    hardware: str
    gpus: int
    model: str
    precision: str
    kv_precision: str
    tensor_parallel: int
    expert_parallel: int
    disaggregated: bool
    assumptions: tuple[str, ...]
    pipeline_parallel: int = 1

    @property
    def parallelism(self) -> str:
        """``ep`` when experts are spread over more than one chip, else ``tp``."""
        return "ep" if self.expert_parallel > 1 else "tp"

    @property
    def layout(self) -> Layout:
        """The layout the source states, in :class:`roofline.deployment.Layout`'s terms.

        EP over chips that run no tensor parallelism among them (``tensor`` ×
        ``pipeline`` short of the chips) is DP attention with EP: attention
        and the shared experts data-parallel over a stage's chips, the routed
        experts spread over ``ep`` of them. Otherwise TP ``tensor`` (with EP
        ``expert`` inside it) over ``pipeline`` stages.

        Raises:
            ValueError: for sizes no layout can express (data-parallel
                replicas without EP).
        """
        tp, ep, pp, gpus = self.tensor_parallel, self.expert_parallel, self.pipeline_parallel, self.gpus
        if tp * pp == gpus:
            return Layout(tp=tp, ep=ep, pp=pp)
        if ep > 1 and gpus % pp == 0:
            return Layout(tp=gpus // pp, ep=ep, pp=pp, dp_attention=True)
        raise ValueError(
            f"{self.id}: tensor {tp} × pipeline {pp} is not the {gpus} GPUs, and with expert {ep} "
            "no layout expresses the rest (data-parallel replicas are not modelled)"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    """One published measurement (times in seconds); ``derived`` names figures that are our arithmetic."""

    source: Source
    input_tokens: int
    output_tokens: int
    concurrency: int
    tpot_s: float
    ttft_s: float | None
    output_tokens_per_s: float | None
    derived: tuple[str, ...]

    @property
    def label(self) -> str:
        """``source id: input/output @ concurrency``."""
        return f"{self.source.id}: {self.input_tokens}/{self.output_tokens} @ {self.concurrency}"


def default_directory() -> Path:
    """``docs/data/published`` of the source tree this package sits in."""
    return Path(__file__).resolve().parents[2] / "docs" / "data" / "published"


def _need(where: str, record: dict, fields: Iterable[str]) -> None:
    for name in fields:
        if name not in record:
            raise ValueError(f"{where}: missing field {name!r}")


def _field_number(
    where: str, name: str, value: object, *, unit: str = "", whole: bool = False, optional: bool = False
) -> None:
    """The one validator's check, with the file and row named first."""
    if value is None and optional:
        return
    try:
        if whole:
            check_whole_number(name, value)
        else:
            check_number(name, value, unit)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def validate(body: object, where: str) -> tuple[Point, ...]:
    """The points of one parsed file, or ValueError naming ``where`` and the bad field."""
    if not isinstance(body, dict):
        raise ValueError(f"{where}: expected an object with 'source' and 'points'")
    _need(where, body, ("source", "points"))
    record = body["source"]
    if not isinstance(record, dict):
        raise ValueError(f"{where}: 'source' must be an object")
    _need(where, record, _SOURCE_FIELDS)
    for name, table in (
        ("hardware", HARDWARE),
        ("model", MODELS),
        ("precision", WEIGHT_PRECISIONS),
        ("kv_precision", KV_PRECISIONS),
    ):
        if record[name] not in table:
            raise ValueError(f"{where}: {name} {record[name]!r} is not a preset ({', '.join(sorted(table))})")
    _field_number(where, "gpus", record["gpus"], whole=True)
    parallel = record["parallelism"]
    if not isinstance(parallel, dict):
        raise ValueError(f"{where}: parallelism must be an object")
    _need(where, parallel, ("tensor", "expert", "pipeline"))
    for name in ("tensor", "expert", "pipeline"):
        _field_number(where, f"parallelism.{name}", parallel[name], whole=True)
    source = Source(
        id=str(record["id"]),
        title=str(record["title"]),
        document=str(record["document"]),
        table=str(record["table"]),
        engine=str(record["engine"]),
        engine_version=str(record["engine_version"]),
        hardware=record["hardware"],
        gpus=int(record["gpus"]),
        model=record["model"],
        precision=record["precision"],
        kv_precision=record["kv_precision"],
        tensor_parallel=int(parallel["tensor"]),
        expert_parallel=int(parallel["expert"]),
        disaggregated=str(record["prefill"]).startswith("separate"),
        assumptions=tuple(str(a) for a in record["assumptions"]),
        pipeline_parallel=int(parallel["pipeline"]),
    )
    try:
        _ = source.layout  # refuse sizes no layout expresses here, with the file named
    except ValueError as error:
        raise ValueError(f"{where}: parallelism: {error}") from None
    rows = body["points"]
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{where}: 'points' must be a non-empty list")
    points = []
    for index, row in enumerate(rows):
        at = f"{where}, point {index}"
        if not isinstance(row, dict):
            raise ValueError(f"{at}: expected an object")
        _need(at, row, _POINT_FIELDS)
        for name in ("input_tokens", "output_tokens", "concurrency"):
            _field_number(at, name, row[name], whole=True)
        _field_number(at, "tpot_s", row["tpot_s"], unit="s")
        _field_number(at, "ttft_s", row["ttft_s"], unit="s", optional=True)
        _field_number(at, "output_tokens_per_s", row["output_tokens_per_s"], unit="tokens/s", optional=True)
        derived = row["derived"]
        if not isinstance(derived, list) or any(name not in _POINT_FIELDS for name in derived):
            raise ValueError(f"{at}: derived must list point fields, got {derived!r}")
        if derived and "derivation" not in row:
            raise ValueError(f"{at}: derived figures need a 'derivation' saying how")
        points.append(
            Point(
                source=source,
                input_tokens=int(row["input_tokens"]),
                output_tokens=int(row["output_tokens"]),
                concurrency=int(row["concurrency"]),
                tpot_s=float(row["tpot_s"]),
                ttft_s=None if row["ttft_s"] is None else float(row["ttft_s"]),
                output_tokens_per_s=None if row["output_tokens_per_s"] is None else float(row["output_tokens_per_s"]),
                derived=tuple(derived),
            )
        )
    return tuple(points)


def load(directory: str | Path | None = None) -> tuple[Point, ...]:
    """Every point in every ``*.json`` under ``directory`` (default :func:`default_directory`), sorted by file name.

    Raises:
        ValueError: for a missing directory, bad JSON, a malformed point, or two files with one source id.
    """
    folder = Path(directory) if directory is not None else default_directory()
    if not folder.is_dir():
        raise ValueError(f"no published data directory at {folder}")
    points: list[Point] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}: not valid JSON ({exc})") from None
        found = validate(body, path.name)
        if found[0].source.id in seen:
            raise ValueError(f"{path.name}: source id {found[0].source.id!r} is used by another file")
        seen.add(found[0].source.id)
        points.extend(found)
    return tuple(points)


# ---------------------------------------------------------------- prediction and error


def estimate_point(point: Point, c: serving.Constants = serving.FITTED) -> serving.Estimate:
    """The serving estimate for a published point's deployment and workload."""
    s = point.source
    return serving.estimate(
        s.hardware,
        s.model,
        gpus=s.gpus,
        precision=s.precision,
        kv_precision=s.kv_precision,
        input_tokens=point.input_tokens,
        output_tokens=point.output_tokens,
        concurrency=point.concurrency,
        layout=s.layout,
        disaggregated=s.disaggregated,
        c=c,
    )


def errors(points: Sequence[Point], c: serving.Constants = serving.FITTED) -> tuple[float, ...]:
    """Relative error of the estimate's ``tpot_s`` per point: ``estimated / measured − 1``."""
    return tuple(estimate_point(p, c).tpot_s / p.tpot_s - 1.0 for p in points)


def article_errors(points: Sequence[Point]) -> tuple[float, ...]:
    """Relative error of the article's max alone (at the running batch and mean context)."""
    return tuple(estimate_point(p).article_step_s / p.tpot_s - 1.0 for p in points)


def median_abs_error(values: Iterable[float]) -> float:
    """Median of ``|error|``.

    >>> median_abs_error([-0.3, 0.1, 0.2])
    0.2
    """
    return statistics.median(abs(v) for v in values)


# ---------------------------------------------------------------- fitting

#: The fitted constants and the range each may take (physical bounds).
FIT_BOUNDS: dict[str, tuple[float, float]] = {
    "overhead_per_layer_s": (0.0, 200e-6),
    "overhead_per_sequence_s": (0.0, 200e-6),
    "overlap": (0.0, 1.0),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Parts:
    """One point's estimate split into what the fitted constants scale and what they do not."""

    measured_s: float
    memory_s: float
    compute_s: float
    fixed_s: float  # communication + drafting + prefill share
    layers: float
    sequences: float  # running sequences per engine rank
    weight: float = 1.0  # 1 / the points of its source
    tokens_per_step: float = 1.0

    def tpot_s(self, c: serving.Constants) -> float:
        """:attr:`roofline.serving.Terms.tpot_s` rebuilt from the parts (equal to :func:`estimate_point`'s)."""
        roofline = self.memory_s + self.compute_s - c.overlap * min(self.memory_s, self.compute_s)
        overhead = self.layers * c.overhead_per_layer_s + self.sequences * c.overhead_per_sequence_s
        return (roofline + overhead + self.fixed_s) / self.tokens_per_step


def _parts(points: Sequence[Point], base: serving.Constants) -> list[_Parts]:
    """Each point's parts at ``base``'s sourced constants: the fitted ones enter linearly, so a fit
    evaluates thousands of candidates without re-running the estimate."""
    per_source: dict[str, int] = {}
    for p in points:
        per_source[p.source.id] = per_source.get(p.source.id, 0) + 1
    out = []
    for p in points:
        e = estimate_point(p, base)
        t = e.terms
        per_layer = replace(base, overhead_per_layer_s=1.0, overhead_per_sequence_s=0.0)
        per_sequence = replace(base, overhead_per_layer_s=0.0, overhead_per_sequence_s=1.0)
        replicas = serving.overhead_replicas(e.deployment)
        out.append(
            _Parts(
                measured_s=p.tpot_s,
                memory_s=t.memory_s,
                compute_s=t.compute_s,
                fixed_s=t.communication_s + t.draft_s + t.prefill_s,
                layers=serving.overhead_time_s(e.deployment, e.running_batch, per_layer, replicas),
                sequences=serving.overhead_time_s(e.deployment, e.running_batch, per_sequence, replicas),
                weight=1.0 / per_source[p.source.id],
                tokens_per_step=t.tokens_per_step,
            )
        )
    return out


def _loss(parts: Sequence[_Parts], c: serving.Constants) -> float:
    """Mean absolute log ratio of tpot_s, each source weighted equally (robust, like the median it is judged by).

    Each point weighs ``1 / (its source's points)``, so the loss is the mean
    over sources of each source's mean ``|log(estimated / measured)|``.
    """
    total = sum(q.weight for q in parts)
    return sum(q.weight * abs(math.log(q.tpot_s(c) / q.measured_s)) for q in parts) / total


def _constants(unit: Sequence[float], base: serving.Constants) -> serving.Constants:
    """Constants from a point of the unit cube (clamped) over :data:`FIT_BOUNDS`."""
    values = {
        "bandwidth_fraction": base.bandwidth_fraction,
        "compute_fraction": base.compute_fraction,
        "collective_latency_s": base.collective_latency_s,
    }
    for u, (name, (low, high)) in zip(unit, FIT_BOUNDS.items(), strict=True):
        values[name] = low + min(max(u, 0.0), 1.0) * (high - low)
    return serving.Constants(
        bandwidth_fraction=values["bandwidth_fraction"],
        compute_fraction=values["compute_fraction"],
        overhead_per_layer_s=values["overhead_per_layer_s"],
        overhead_per_sequence_s=values["overhead_per_sequence_s"],
        collective_latency_s=values["collective_latency_s"],
        overlap=values["overlap"],
        memory_fraction=base.memory_fraction,
    )


def fit(points: Sequence[Point], base: serving.Constants = serving.FITTED, rounds: int = 4) -> serving.Constants:
    """The constants minimising :func:`_loss` on ``points``, by a grid search over :data:`FIT_BOUNDS` refined ``rounds`` times.

    Each round tries 9 values per constant around the best so far and
    narrows the step fourfold. Deterministic and bounded, so a refit
    reproduces the committed constants exactly.
    """
    if not points:
        raise ValueError("fit needs at least one point")
    names = list(FIT_BOUNDS)
    parts = _parts(points, base)
    centre = [0.5] * len(names)
    half = 0.5
    best = (math.inf, centre)
    for _ in range(rounds):
        axes = [[min(max(m + half * k / 4, 0.0), 1.0) for k in range(-4, 5)] for m in centre]
        grid: list[list[float]] = [[]]
        for axis in axes:
            grid = [[*g, v] for g in grid for v in dict.fromkeys(axis)]
        for unit in grid:
            score = _loss(parts, _constants(unit, base))
            if score < best[0] - 1e-15:
                best = (score, unit)
        centre = best[1]
        half /= 4
    return _constants(best[1], base)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldOut:
    """One row of the leave-one-source-out table."""

    source: Source
    points: int
    constants: serving.Constants
    median_abs_error: float
    article_median_abs_error: float
    errors: tuple[float, ...]
    article_errors: tuple[float, ...]


def leave_one_source_out(points: Sequence[Point]) -> tuple[HeldOut, ...]:
    """For each source: fit on the others, predict it. Rows in source order."""
    order: list[str] = []
    for p in points:
        if p.source.id not in order:
            order.append(p.source.id)
    rows = []
    for held in order:
        test = [p for p in points if p.source.id == held]
        train = [p for p in points if p.source.id != held]
        c = fit(train)
        found = errors(test, c)
        article = article_errors(test)
        rows.append(
            HeldOut(
                source=test[0].source,
                points=len(test),
                constants=c,
                median_abs_error=median_abs_error(found),
                article_median_abs_error=median_abs_error(article),
                errors=found,
                article_errors=article,
            )
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pooled:
    """Every held-out point of a leave-one-source-out run together."""

    points: int
    median_abs_error: float
    article_median_abs_error: float


def pooled_held_out(rows: Sequence[HeldOut]) -> Pooled:
    """Median |error| over all held-out points (each predicted by constants fitted without its source)."""
    estimate = [e for row in rows for e in row.errors]
    article = [e for row in rows for e in row.article_errors]
    return Pooled(
        points=len(estimate),
        median_abs_error=median_abs_error(estimate),
        article_median_abs_error=median_abs_error(article),
    )
