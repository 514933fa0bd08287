"""Published serving measurements, and the serving estimate judged on data it was not fitted to.

The measurements live as JSON in ``src/roofline/data/published/`` (one file per
source: a ``source`` record and its ``points``); :func:`load` reads them
only when called and :func:`validate` refuses anything malformed, naming
the file and the field. A *source* is one published table: one engine
release, one deployment, one campaign.

Each source's parallel layout (:attr:`Source.layout`) is what it states:
TP over its chips, or DP attention with EP where it says so
(``parallelism.dp_attention``) or, in files that do not say, where it spreads
the experts (EP) with no tensor parallelism over them, as DeepSeek's
production decode ("Routed Expert EP144, MLA/Shared Expert DP144") and
RTP-LLM's replay of it run.

The constants of :mod:`roofline.serving` are fitted by :func:`fit`, which
minimises the mean absolute log error of ``tpot_s`` with every *source*
weighted equally: one source's rows share its engine release, chip and
assumptions, so many rows of one table do not outvote the rest (:func:`fit`
gives the reasons, and why not per publisher). Points with speculative
decoding fit one thing only: the acceptance of runs whose source states none
(:func:`_fit_acceptance`), after every other constant is fixed without them.

Each point is estimated at the lengths its requests really had (a harness
that draws lengths uniformly in [0.8, 1] × nominal runs at 0.9 × nominal on
average: :class:`StatedLengths`) and with the speculation its source states
(:class:`StatedSpeculation`).

Errors are only ever quoted on points the fit never saw. Three protocols
hold data out (:func:`leave_one_group_out`): one source at a time
(:func:`leave_one_source_out`), one engine at a time and one chip at a time
(every source of that engine or chip left out together, so the fit cannot
learn it). Their held-out errors ``estimated / measured − 1`` are tabled per
regime (:func:`regime_table`: by model family, scale, chip and engine, with
the signed median beside the absolute one, since a pooled absolute median
hides sources that always err one way). :func:`bands` turns the
leave-one-source-out errors into the estimate's band (:mod:`roofline.band`),
and :func:`band_coverage` checks that band honestly: for each source, the
band built without it (every error in it from fits that never saw that
source), and the share of its points inside.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import band as bd
from . import serving
from .checks import check_number, check_whole_number
from .data import published_directory
from .deployment import Layout
from .presets import HARDWARE, KV_PRECISIONS, MODELS, WEIGHT_PRECISIONS
from .speculative import DEFAULT_ACCEPTANCE, Speculation, expected_tokens_per_step, mtp_speculation

__all__ = [
    "ACCEPTANCE_GRID",
    "FIT_BOUNDS",
    "GROUPS",
    "LENGTH_KINDS",
    "PROTOCOLS",
    "TABLE_KEYS",
    "TERMS",
    "AblationRow",
    "Coverage",
    "CoverageSummary",
    "Fits",
    "GroupHeldOut",
    "HeldOut",
    "Point",
    "Pooled",
    "RegimeRow",
    "Source",
    "StatedLengths",
    "StatedSpeculation",
    "TermShare",
    "article_errors",
    "band_coverage",
    "bands",
    "coverage_summary",
    "default_directory",
    "engine_of",
    "errors",
    "estimate_point",
    "fit",
    "fits_without",
    "group_label",
    "leave_one_chip_out",
    "leave_one_engine_out",
    "leave_one_group_out",
    "leave_one_source_out",
    "load",
    "median_abs_error",
    "point_regime",
    "pooled_held_out",
    "publisher_of",
    "regime_table",
    "term_ablation",
    "term_shares",
    "validate",
]

#: Fields every point carries.
_POINT_FIELDS = ("input_tokens", "output_tokens", "concurrency", "tpot_s", "ttft_s", "output_tokens_per_s", "derived")
#: Fields a point may carry: the mean lengths actually run, where stated, and the concurrency measured.
_OPTIONAL_POINT_FIELDS = ("actual_input_tokens", "actual_output_tokens", "measured_concurrency")
#: How a source's request lengths relate to the lengths its points name (:class:`StatedLengths`).
LENGTH_KINDS: tuple[str, ...] = ("fixed", "uniform", "mean")
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
class StatedLengths:
    """How long a source's requests really were, against the lengths its points name.

    Args:
        kind: ``fixed`` (every request at the point's lengths), ``uniform``
            (each length drawn uniformly in ``[low_ratio, 1]`` × the point's,
            as InferenceX's harness draws them with ``--random-range-ratio``)
            or ``mean`` (the point's lengths, or its ``actual_*`` fields, are
            already the means).
        low_ratio: the lower end of the uniform draw (``uniform`` only).
        stated: what the source says, in words.

    >>> StatedLengths(kind="uniform", low_ratio=0.8).mean_ratio
    0.9
    """

    kind: str = "fixed"
    low_ratio: float = 1.0
    stated: str = ""

    def __post_init__(self) -> None:
        if self.kind not in LENGTH_KINDS:
            raise ValueError(f"lengths.kind must be one of {', '.join(LENGTH_KINDS)}, got {self.kind!r}")
        value = self.low_ratio
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise ValueError(f"lengths.low_ratio must be a number in (0, 1], got {value!r}")
        if self.kind != "uniform" and value != 1:
            raise ValueError(f"lengths.low_ratio is for kind 'uniform' only, got {value!r} with kind {self.kind!r}")

    @property
    def mean_ratio(self) -> float:
        """Mean actual length over the named one: ``(1 + low_ratio) / 2`` for ``uniform``, else 1."""
        return (1.0 + self.low_ratio) / 2.0 if self.kind == "uniform" else 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class StatedSpeculation:
    """Speculative decoding as a source states it: ``draft_tokens`` (k) and ``acceptance``, each None when unstated."""

    method: str
    draft_tokens: int | None = None
    acceptance: float | None = None

    def speculation(self, unstated_acceptance: float | None = None) -> Speculation:
        """What the estimate models: DeepSeek-V3's MTP drafter with the stated k (else 1, its one MTP module)
        and the stated acceptance, else ``unstated_acceptance`` (fitted:
        :attr:`roofline.serving.Constants.unstated_acceptance`), else
        :data:`roofline.speculative.DEFAULT_ACCEPTANCE`'s (an assumption)."""
        return mtp_speculation(
            DEFAULT_ACCEPTANCE,
            draft_tokens=self.draft_tokens,
            acceptance=self.acceptance if self.acceptance is not None else unstated_acceptance,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One published table: where it is, what ran, and what we assumed.

    ``publisher`` is who ran and published it (one harness, one campaign),
    a :data:`GROUPS` key the tables can split by. ``dp_attention`` is the
    source's statement, or None where it states none (then
    :attr:`layout` infers it from the sizes). ``chunked_prefill`` and
    ``cuda_graphs`` are recorded as stated (True, False, the flags in words,
    or None when unstated); the estimate does not use them.
    """

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
    dp_attention: bool | None = None
    publisher: str = ""
    speculative: StatedSpeculation | None = None
    lengths: StatedLengths = StatedLengths()
    chunked_prefill: bool | str | None = None
    cuda_graphs: bool | None = None

    @property
    def parallelism(self) -> str:
        """``ep`` when experts are spread over more than one chip, else ``tp``."""
        return "ep" if self.expert_parallel > 1 else "tp"

    @property
    def layout(self) -> Layout:
        """The layout the source states, in :class:`roofline.deployment.Layout`'s terms.

        With ``dp_attention`` stated True: DP attention with EP, attention
        and the shared experts data-parallel over a stage's chips (``tensor``
        is then the attention's TP size, 1), the routed experts spread over
        ``ep`` of them. Stated False: TP ``tensor`` (with EP ``expert``
        inside it) over ``pipeline`` stages, which must span the chips.
        Unstated (None), as in the older files: EP over chips that run no
        tensor parallelism among them (``tensor`` × ``pipeline`` short of the
        chips) is DP attention with EP, as DeepSeek's production decode
        ("Routed Expert EP144, MLA/Shared Expert DP144") states it; otherwise TP.

        Raises:
            ValueError: for sizes no layout can express (data-parallel
                replicas without EP, DP attention without EP or over chips
                the stages do not divide).
        """
        tp, ep, pp, gpus = self.tensor_parallel, self.expert_parallel, self.pipeline_parallel, self.gpus
        dpa = self.dp_attention
        if dpa is None:
            dpa = tp * pp != gpus and ep > 1
        if dpa:
            if ep > 1 and gpus % pp == 0 and tp * pp <= gpus:
                return Layout(tp=gpus // pp, ep=ep, pp=pp, dp_attention=True)
            raise ValueError(
                f"{self.id}: DP attention needs expert > 1 over {gpus} GPUs that pipeline {pp} divides, "
                f"with tensor {tp} × pipeline {pp} at most the GPUs"
            )
        if tp * pp == gpus:
            return Layout(tp=tp, ep=ep, pp=pp)
        raise ValueError(
            f"{self.id}: tensor {tp} × pipeline {pp} is not the {gpus} GPUs, and without DP attention "
            "no layout expresses the rest (data-parallel replicas are not modelled)"
        )

    def speculation(self, unstated_acceptance: float | None = None) -> Speculation | None:
        """What the estimate models for the stated speculation (:meth:`StatedSpeculation.speculation`), or None."""
        return None if self.speculative is None else self.speculative.speculation(unstated_acceptance)


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
    actual_input_tokens: float | None = None
    actual_output_tokens: float | None = None
    measured_concurrency: int | None = None

    @property
    def label(self) -> str:
        """``source id: input/output @ concurrency``."""
        return f"{self.source.id}: {self.input_tokens}/{self.output_tokens} @ {self.concurrency}"

    @property
    def estimated_lengths(self) -> tuple[float, float]:
        """The (input, output) lengths the estimate runs at: the stated means where the point has them,
        else the named lengths × the source's :attr:`StatedLengths.mean_ratio`."""
        ratio = self.source.lengths.mean_ratio
        return (
            self.input_tokens * ratio if self.actual_input_tokens is None else self.actual_input_tokens,
            self.output_tokens * ratio if self.actual_output_tokens is None else self.actual_output_tokens,
        )


def default_directory() -> Path:
    """The published tables, ``src/roofline/data/published`` (:func:`roofline.data.published_directory`)."""
    return Path(published_directory())


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


def _publisher(where: str, record: dict) -> str:
    """``publisher`` as stated; a file without one is its own publisher (its id)."""
    value = record.get("publisher", record["id"])
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: publisher must be a non-empty string, got {value!r}")
    return value.strip()


def _speculative(where: str, value: object) -> StatedSpeculation | None:
    """The ``speculative`` record: null, or ``{method, draft_tokens, acceptance}`` (numbers or null)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"{where}: speculative must be null or an object, got {value!r}")
    _need(where, value, ("method", "draft_tokens", "acceptance"))
    if not isinstance(value["method"], str) or not value["method"].strip():
        raise ValueError(f"{where}: speculative.method must be a non-empty string, got {value['method']!r}")
    _field_number(where, "speculative.draft_tokens", value["draft_tokens"], whole=True, optional=True)
    _field_number(where, "speculative.acceptance", value["acceptance"], unit="(a probability)", optional=True)
    acceptance = value["acceptance"]
    if acceptance is not None and not 0 <= acceptance <= 1:
        raise ValueError(f"{where}: speculative.acceptance must be from 0 to 1, got {acceptance!r}")
    stated = StatedSpeculation(
        method=value["method"].strip(),
        draft_tokens=None if value["draft_tokens"] is None else int(value["draft_tokens"]),
        acceptance=None if acceptance is None else float(acceptance),
    )
    try:
        stated.speculation()
    except ValueError as error:
        raise ValueError(f"{where}: speculative: {error}") from None
    return stated


def _lengths(where: str, value: object) -> StatedLengths:
    """The ``lengths`` record: absent (``fixed``), or ``{kind, low_ratio (uniform only), stated}``."""
    if value is None:
        return StatedLengths()
    if not isinstance(value, dict):
        raise ValueError(f"{where}: lengths must be an object with 'kind', got {value!r}")
    _need(where, value, ("kind",))
    extra = set(value) - {"kind", "low_ratio", "stated"}
    if extra:
        raise ValueError(f"{where}: lengths has unknown fields {sorted(extra)!r}")
    if value["kind"] == "uniform" and "low_ratio" not in value:
        raise ValueError(f"{where}: lengths of kind 'uniform' need low_ratio")
    try:
        return StatedLengths(
            kind=value["kind"], low_ratio=value.get("low_ratio", 1.0), stated=str(value.get("stated", ""))
        )
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _stated_flag(where: str, name: str, value: object, *, words: bool) -> bool | str | None:
    """True, False or null (unstated); with ``words``, also the flags as a non-empty string."""
    if value is None or isinstance(value, bool) or (words and isinstance(value, str) and value.strip()):
        return value
    allowed = "true, false, null or the flags in words" if words else "true, false or null"
    raise ValueError(f"{where}: {name} must be {allowed}, got {value!r}")


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
    dpa = parallel.get("dp_attention")
    if dpa is not None and not isinstance(dpa, bool):
        raise ValueError(f"{where}: parallelism.dp_attention must be true, false or null, got {dpa!r}")
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
        dp_attention=dpa,
        publisher=_publisher(where, record),
        speculative=_speculative(where, record.get("speculative")),
        lengths=_lengths(where, record.get("lengths")),
        chunked_prefill=_stated_flag(where, "chunked_prefill", record.get("chunked_prefill"), words=True),
        cuda_graphs=_stated_flag(where, "cuda_graphs", record.get("cuda_graphs"), words=False),
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
        for name in ("actual_input_tokens", "actual_output_tokens"):
            _field_number(at, name, row.get(name), unit="tokens", optional=True)
            if row.get(name) is not None and row[name] < 1:
                raise ValueError(f"{at}: {name} must be >= 1 tokens, got {row[name]!r}")
        _field_number(at, "measured_concurrency", row.get("measured_concurrency"), whole=True, optional=True)
        derived = row["derived"]
        allowed = _POINT_FIELDS + _OPTIONAL_POINT_FIELDS
        if not isinstance(derived, list) or any(name not in allowed for name in derived):
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
                actual_input_tokens=None
                if row.get("actual_input_tokens") is None
                else float(row["actual_input_tokens"]),
                actual_output_tokens=(
                    None if row.get("actual_output_tokens") is None else float(row["actual_output_tokens"])
                ),
                measured_concurrency=(
                    None if row.get("measured_concurrency") is None else int(row["measured_concurrency"])
                ),
            )
        )
    if source.lengths.kind != "mean" and any(
        p.actual_input_tokens is not None or p.actual_output_tokens is not None for p in points
    ):
        raise ValueError(f"{where}: points with actual_* lengths need lengths.kind 'mean', got {source.lengths.kind!r}")
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
    """The serving estimate for a published point's deployment and workload.

    It runs at the lengths the requests really had (:attr:`Point.estimated_lengths`:
    0.9 × nominal for InferenceX's uniform draw in [0.8, 1] × nominal) and
    models the speculation the source states (:attr:`Source.speculation`).
    """
    s = point.source
    input_tokens, output_tokens = point.estimated_lengths
    return serving.estimate(
        s.hardware,
        s.model,
        gpus=s.gpus,
        precision=s.precision,
        kv_precision=s.kv_precision,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        concurrency=point.concurrency,
        layout=s.layout,
        disaggregated=s.disaggregated,
        speculation=s.speculation(c.unstated_acceptance),
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
    "expert_bandwidth_fraction": (0.2, 0.9),
    "rocm_step_factor": (1.0, 4.0),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Parts:
    """One point's estimate split into what the fitted constants scale and what they do not."""

    measured_s: float
    shared_memory_s: float  # KV and every weight but the routed experts', at the sourced bandwidth fraction
    experts_at_full_s: float  # routed experts' weights at the datasheet bandwidth (fraction 1)
    compute_s: float
    draft_s: float
    fixed_s: float  # communication + prefill share: no fitted constant scales them
    layers: float
    sequences: float  # running sequences per engine rank
    rocm: bool = False
    weight: float = 1.0  # 1 / its source's points: see _weights
    tokens_per_step: float = 1.0

    def tpot_s(self, c: serving.Constants) -> float:
        """:attr:`roofline.serving.Terms.tpot_s` rebuilt from the parts (equal to :func:`estimate_point`'s)."""
        memory = self.shared_memory_s + self.experts_at_full_s / c.experts_bandwidth_fraction
        roofline = memory + self.compute_s - c.overlap * min(memory, self.compute_s)
        overhead = self.layers * c.overhead_per_layer_s + self.sequences * c.overhead_per_sequence_s
        stack = c.rocm_step_factor if self.rocm else 1.0
        return (stack * (roofline + overhead + self.draft_s) + self.fixed_s) / self.tokens_per_step


def _parts(points: Sequence[Point], base: serving.Constants) -> list[_Parts]:
    """Each point's parts at ``base``'s sourced constants: the fitted ones enter in closed form, so a fit
    evaluates thousands of candidates without re-running the estimate."""
    weights = _weights(points)
    plain = replace(base, rocm_step_factor=1.0)
    out = []
    for p in points:
        e = estimate_point(p, plain)
        t = e.terms
        d = e.deployment
        verified = 1 if p.source.speculative is None else p.source.speculation().verified_tokens
        at_full = replace(plain, expert_bandwidth_fraction=1.0)
        experts_at_full = serving.routed_weights_time_s(d, verified * e.running_batch, at_full)
        per_layer = replace(plain, overhead_per_layer_s=1.0, overhead_per_sequence_s=0.0)
        per_sequence = replace(plain, overhead_per_layer_s=0.0, overhead_per_sequence_s=1.0)
        replicas = serving.overhead_replicas(d)
        out.append(
            _Parts(
                measured_s=p.tpot_s,
                shared_memory_s=t.memory_s - experts_at_full / plain.experts_bandwidth_fraction,
                experts_at_full_s=experts_at_full,
                compute_s=t.compute_s,
                draft_s=t.draft_s,
                fixed_s=t.communication_s + t.prefill_s,
                layers=serving.overhead_time_s(d, e.running_batch, per_layer, replicas),
                sequences=serving.overhead_time_s(d, e.running_batch, per_sequence, replicas),
                rocm=d.hardware.software_stack == "rocm",
                weight=weights[p.source.id],
                tokens_per_step=t.tokens_per_step,
            )
        )
    return out


def _weights(points: Sequence[Point]) -> dict[str, float]:
    """Each source's weight per point: ``1 / points of the source``, so every source weighs the same in total.

    :func:`fit` says why per source.
    """
    per_source: dict[str, int] = {}
    for p in points:
        per_source[p.source.id] = per_source.get(p.source.id, 0) + 1
    return {s: 1.0 / n for s, n in per_source.items()}


def _loss(parts: Sequence[_Parts], c: serving.Constants) -> float:
    """Mean absolute log ratio of tpot_s, each source weighted equally (robust, like the median it is judged by).

    Each point weighs :func:`_weights`'s share, so the loss is the mean over
    sources of each source's mean ``|log(estimated / measured)|``.
    """
    total = sum(q.weight for q in parts)
    return sum(q.weight * abs(math.log(q.tpot_s(c) / q.measured_s)) for q in parts) / total


def _constants(values: dict[str, float], base: serving.Constants) -> serving.Constants:
    """``base`` with the constants in ``values`` set (each clamped to its :data:`FIT_BOUNDS`)."""
    fitted = {name: min(max(value, FIT_BOUNDS[name][0]), FIT_BOUNDS[name][1]) for name, value in values.items()}
    return replace(base, **fitted)


#: The terms added to the estimate beyond the overheads and the overlap, each one a fitted constant
#: :func:`fit` can leave out (``terms``), so :func:`term_ablation` can say what each buys held out.
TERMS: dict[str, str] = {
    "experts": "routed experts' weights read at their own share of the bandwidth",
    "rocm": "a step factor on AMD's ROCm stack",
    "acceptance": "the acceptance of speculative runs that state none, fitted",
}

#: What each term's constant is fixed at when :func:`fit` leaves the term out.
_WITHOUT: dict[str, dict[str, float | None]] = {
    "experts": {"expert_bandwidth_fraction": None},
    "rocm": {"rocm_step_factor": 1.0},
    "acceptance": {"unstated_acceptance": None},
}
_TERM_OF = {"expert_bandwidth_fraction": "experts", "rocm_step_factor": "rocm"}


def fit(
    points: Sequence[Point],
    base: serving.Constants = serving.FITTED,
    rounds: int = 14,
    terms: Iterable[str] = tuple(TERMS),
) -> serving.Constants:
    """The constants minimising :func:`_loss` on ``points``, by a coordinate search over :data:`FIT_BOUNDS`.

    It starts at the middle of every range with a step of a quarter of the
    range; each round tries, for one constant at a time, 9 values from two
    steps below to two above the best so far, then halves every step.
    Deterministic and bounded, so a refit reproduces the committed constants
    exactly. A constant that no point can move (``rocm_step_factor`` with no
    ROCm point) stays where the loss first stopped changing, and moves
    nothing.

    Two choices about what the fit sees:

    * **Speculative points fit only the acceptance.** Few of their sources
      state an acceptance; fitted with the rest they would fold that unknown
      into the overheads. So the five step constants are fitted without
      them, and then ``unstated_acceptance`` on those whose source states
      none (:func:`_fit_acceptance`); their errors are tabled apart
      (``speculation`` in :data:`GROUPS`).
    * **Each source weighs the same** (:func:`_weights`), whatever its
      number of rows: one source's rows share its engine release, chip,
      harness and assumptions, so a 40-row table is one piece of evidence,
      not forty. Weighted per point, NVIDIA's two dense NIM tables (79 rows)
      would set the constants alone. Weighted per *publisher* (as before),
      the one-point sources (DeepSeek's production, RTP-LLM's replay, a
      vLLM pull request) each outweighed nineteen InferenceX tables
      together, and held out the estimate missed MoE by a median 46%; per
      source it misses by less (the page's tables give the figures).

    ``terms`` names the :data:`TERMS` to fit; one left out keeps its
    constant at its neutral value (``_WITHOUT``), as if the term were not
    in the estimate.

    Raises:
        ValueError: for no points, none without speculation, or an unknown term.
    """
    terms = frozenset(terms)
    unknown = sorted(terms - set(TERMS))
    if unknown:
        raise ValueError(f"terms must be among {', '.join(TERMS)}, got {', '.join(map(repr, unknown))}")
    if not points:
        raise ValueError("fit needs at least one point")
    train = [p for p in points if p.source.speculative is None]
    if not train:
        raise ValueError("fit needs at least one point without speculation (speculative points are not fitted on)")
    for term in set(TERMS) - terms:
        base = replace(base, **_WITHOUT[term])
    free = {name: bounds for name, bounds in FIT_BOUNDS.items() if name not in _TERM_OF or _TERM_OF[name] in terms}
    parts = _parts(train, base)
    best = {name: (low + high) / 2 for name, (low, high) in free.items()}
    step = {name: (high - low) / 4 for name, (low, high) in free.items()}
    best_loss = _loss(parts, _constants(best, base))
    for _ in range(rounds):
        for name, (low, high) in free.items():
            for k in range(-4, 5):
                trial = {**best, name: min(max(best[name] + step[name] * k / 2, low), high)}
                score = _loss(parts, _constants(trial, base))
                if score < best_loss - 1e-15:
                    best_loss, best = score, trial
        step = {name: value / 2 for name, value in step.items()}
    fitted = _constants(best, base)
    if "acceptance" not in terms:
        return fitted
    return replace(fitted, unstated_acceptance=_fit_acceptance(points, fitted))


#: The acceptances :func:`_fit_acceptance` tries: 0.20 to 0.95 by 0.01.
ACCEPTANCE_GRID: tuple[float, ...] = tuple(round(0.20 + 0.01 * i, 2) for i in range(76))


def _fit_acceptance(points: Sequence[Point], c: serving.Constants) -> float | None:
    """The acceptance per drafted token that best fits the speculative points whose source states none.

    With every other constant fixed at ``c`` (fitted without them), a step's
    time does not depend on the acceptance, only the tokens it yields,
    ``E = 1 + a + … + a^k``, and prefill's share per token does not either:
    ``tpot(a) = step / E(a) + prefill share per token``. The acceptance
    minimising :func:`_loss`'s per-source mean absolute log error over
    :data:`ACCEPTANCE_GRID`; None when no such point is given (the cited
    default then stands).
    """
    unstated = [p for p in points if p.source.speculative is not None and p.source.speculative.acceptance is None]
    if not unstated:
        return None
    weights = _weights(unstated)
    rows = []
    for p in unstated:
        t = estimate_point(p, replace(c, unstated_acceptance=None)).terms
        k = p.source.speculation().draft_tokens
        rows.append((p.tpot_s, weights[p.source.id], t.step_s, t.prefill_s / t.tokens_per_step, k))
    total = sum(w for _, w, *_ in rows)

    def loss(a: float) -> float:
        return sum(w * abs(math.log((step / expected_tokens_per_step(k, a) + pre) / m)) for m, w, step, pre, k in rows) / total

    return min(ACCEPTANCE_GRID, key=loss)


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


def leave_one_source_out(points: Sequence[Point], *, fits: Fits | None = None) -> tuple[HeldOut, ...]:
    """For each source: fit on the others, predict it. Rows in source order (:func:`leave_one_group_out` by ``source``)."""
    rows = []
    for row in leave_one_group_out(points, "source", fits=fits):
        rows.append(
            HeldOut(
                source=row.points[0].source,
                points=len(row.points),
                constants=row.constants,
                median_abs_error=median_abs_error(row.errors),
                article_median_abs_error=median_abs_error(row.article_errors),
                errors=row.errors,
                article_errors=row.article_errors,
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


# ---------------------------------------------------------------- regimes and groups


def engine_of(engine: str) -> str:
    """The engine a source's ``engine`` field names, without what it adds in parentheses.

    NVIDIA Dynamo serving another engine's workers is ``Dynamo+`` that
    engine: Dynamo schedules and disaggregates, the workers decode.

    >>> engine_of("NVIDIA NIM for LLMs (TensorRT-LLM backend)")
    'NVIDIA NIM for LLMs'
    >>> engine_of("TensorRT-LLM (trtllm-serve, PyTorch backend)"), engine_of("NVIDIA Dynamo with SGLang workers")
    ('TensorRT-LLM', 'Dynamo+SGLang')
    """
    name = engine.split(" (", 1)[0].strip()
    prefix, suffix = "NVIDIA Dynamo with ", " workers"
    if name.startswith(prefix) and name.endswith(suffix):
        return "Dynamo+" + name[len(prefix) : -len(suffix)].strip()
    return name


def publisher_of(point: Point) -> str:
    """Who published a point's source (:attr:`Source.publisher`)."""
    return point.source.publisher


def point_regime(point: Point) -> bd.Regime:
    """The regime (:class:`roofline.band.Regime`: family and scale) of a published point's deployment."""
    s = point.source
    return bd.regime_of(s.hardware, s.model, s.gpus)


#: What a point can be grouped by: each a function of its source only, so every group is a set of whole sources.
GROUPS: dict[str, Callable[[Point], str]] = {
    "source": lambda p: p.source.id,
    "engine": lambda p: engine_of(p.source.engine),
    "chip": lambda p: p.source.hardware,
    "family": lambda p: point_regime(p).family,
    "scale": lambda p: point_regime(p).scale,
    "speculation": lambda p: "speculative" if p.source.speculative is not None else "one-token",
    "publisher": publisher_of,
}
#: How a page names the ``speculation`` group's values.
_SPECULATION_LABELS = {"one-token": "no speculation", "speculative": "speculative (unstated acceptance fitted)"}
#: The groups the protocols hold out, one at a time.
PROTOCOLS: tuple[str, ...] = ("source", "engine", "chip")
#: The groups the held-out errors are tabled by.
TABLE_KEYS: tuple[str, ...] = ("family", "scale", "chip", "engine", "speculation")


def group_label(by: str, value: str) -> str:
    """How a page names a group value: ``MoE``, ``several nodes``, the chip's name; engines and sources as they are.

    >>> group_label("chip", "h800"), group_label("scale", "one-gpu")
    ('NVIDIA H800 SXM', 'one GPU')
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, got {by!r}")
    if by == "family":
        return bd.FAMILIES[value]
    if by == "scale":
        return bd.SCALES[value]
    if by == "chip":
        return HARDWARE[value].name
    if by == "speculation":
        return _SPECULATION_LABELS[value]
    return value


#: Constants fitted on every point whose source is not in the set given (see :func:`fits_without`).
Fits = Callable[[frozenset[str]], serving.Constants]


def fits_without(points: Sequence[Point], terms: Iterable[str] = tuple(TERMS)) -> Fits:
    """:func:`fit` (with ``terms``) on ``points`` less the sources named, each set fitted once.

    The protocols and :func:`band_coverage` refit on many overlapping
    subsets; sharing one of these among them fits each subset once.

    Raises (when called):
        ValueError: when the sources named leave no point to fit on.
    """
    cache: dict[frozenset[str], serving.Constants] = {}

    def fitted(excluded: frozenset[str]) -> serving.Constants:
        if excluded not in cache:
            train = [p for p in points if p.source.id not in excluded]
            if not train:
                raise ValueError(f"leaving out {sorted(excluded)} leaves no point to fit on")
            cache[excluded] = fit(train, terms=chosen)
        return cache[excluded]

    chosen = tuple(terms)

    return fitted


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupHeldOut:
    """One held-out group: its points, predicted by constants fitted on every other group only.

    Args:
        by: the :data:`GROUPS` key (``source``, ``engine``, ``chip``).
        group: the value held out.
        points: its points.
        constants: fitted without them.
        trained_on: the source ids the constants were fitted on.
        errors: ``estimated / measured − 1`` of ``tpot_s`` per point, with those constants.
        article_errors: the article's max alone on the same points.
    """

    by: str
    group: str
    points: tuple[Point, ...]
    constants: serving.Constants
    trained_on: tuple[str, ...]
    errors: tuple[float, ...]
    article_errors: tuple[float, ...]


def _order(points: Sequence[Point], key: Callable[[Point], str]) -> list[str]:
    """The values of ``key`` in order of first appearance."""
    return list(dict.fromkeys(key(p) for p in points))


def leave_one_group_out(points: Sequence[Point], by: str, *, fits: Fits | None = None) -> tuple[GroupHeldOut, ...]:
    """For each value of ``by`` (a :data:`GROUPS` key): fit on every point outside it, predict its points.

    A group is a set of whole sources, so the fit for a group is the fit
    without those sources. Rows in order of first appearance.

    Raises:
        ValueError: for an unknown ``by``, or fewer than two groups (nothing to fit on).
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, got {by!r}")
    key = GROUPS[by]
    order = _order(points, key)
    if len(order) < 2:
        raise ValueError(f"leaving one {by} out needs at least two, got {order!r}")
    fitted = fits if fits is not None else fits_without(points)
    rows = []
    for held in order:
        test = tuple(p for p in points if key(p) == held)
        excluded = frozenset(p.source.id for p in test)
        trained_on = tuple(_order([p for p in points if p.source.id not in excluded], GROUPS["source"]))
        c = fitted(excluded)
        rows.append(
            GroupHeldOut(
                by=by,
                group=held,
                points=test,
                constants=c,
                trained_on=trained_on,
                errors=errors(test, c),
                article_errors=article_errors(test),
            )
        )
    return tuple(rows)


def leave_one_engine_out(points: Sequence[Point], *, fits: Fits | None = None) -> tuple[GroupHeldOut, ...]:
    """:func:`leave_one_group_out` by engine: every source of one engine held out together."""
    return leave_one_group_out(points, "engine", fits=fits)


def leave_one_chip_out(points: Sequence[Point], *, fits: Fits | None = None) -> tuple[GroupHeldOut, ...]:
    """:func:`leave_one_group_out` by chip: every source on one chip held out together."""
    return leave_one_group_out(points, "chip", fits=fits)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegimeRow:
    """Held-out error over the points of one regime (``value`` ``all``: every point), medians over points."""

    by: str
    value: str
    label: str
    points: int
    sources: int
    single_point_sources: int
    signed_median_error: float
    median_abs_error: float

    @property
    def thin(self) -> bool:
        """Fewer than :data:`roofline.band.MIN_POINTS` points or :data:`roofline.band.MIN_SOURCES` sources."""
        return self.points < bd.MIN_POINTS or self.sources < bd.MIN_SOURCES


def _regime_row(by: str, value: str, label: str, pairs: Sequence[tuple[Point, float]]) -> RegimeRow:
    per_source: dict[str, int] = {}
    for p, _ in pairs:
        per_source[p.source.id] = per_source.get(p.source.id, 0) + 1
    found = [e for _, e in pairs]
    return RegimeRow(
        by=by,
        value=value,
        label=label,
        points=len(found),
        sources=len(per_source),
        single_point_sources=sum(1 for n in per_source.values() if n == 1),
        signed_median_error=statistics.median(found),
        median_abs_error=median_abs_error(found),
    )


def regime_table(rows: Sequence[GroupHeldOut], by: str) -> tuple[RegimeRow, ...]:
    """The held-out errors of ``rows`` (one protocol's) split by ``by`` (a :data:`GROUPS` key), then every point.

    Each row gives the points, the sources they come from (and how many of
    those are single points), and the signed and absolute medians of
    ``estimated / measured − 1``: negative means the estimate is too fast.
    Values in :data:`roofline.band.FAMILIES` / :data:`~roofline.band.SCALES`
    order, chips and engines by name.
    """
    if by not in GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPS)}, got {by!r}")
    pairs = [(p, e) for row in rows for p, e in zip(row.points, row.errors, strict=True)]
    if not pairs:
        raise ValueError("regime_table needs at least one held-out point")
    key = GROUPS[by]
    values = _order([p for p, _ in pairs], key)
    rank = {"family": list(bd.FAMILIES), "scale": list(bd.SCALES)}.get(by)
    values.sort(key=(lambda v: rank.index(v)) if rank else (lambda v: group_label(by, v).lower()))
    out = [_regime_row(by, v, group_label(by, v), [(p, e) for p, e in pairs if key(p) == v]) for v in values]
    out.append(_regime_row(by, "all", "every held-out point", pairs))
    return tuple(out)


# ---------------------------------------------------------------- the band and its coverage


def _band(family: str | None, scale: str | None, pairs: Sequence[tuple[Point, float]]) -> bd.Band:
    """The quantiles of one group's errors, each source's points weighing ``1 / n`` (n: its points in the group)."""
    per_source: dict[str, int] = {}
    for p, _ in pairs:
        per_source[p.source.id] = per_source.get(p.source.id, 0) + 1
    values = [e for _, e in pairs]
    weights = [1.0 / per_source[p.source.id] for p, _ in pairs]
    low, high = (bd.weighted_quantile(values, weights, q) for q in bd.BAND_QUANTILES)
    return bd.Band(
        family=family, scale=scale, points=len(pairs), sources=len(per_source), low_error=low, high_error=high
    )


def bands(rows: Sequence[GroupHeldOut]) -> tuple[bd.Band, ...]:
    """The band table from :func:`leave_one_group_out` rows by source: every regime's, then each family's, then each family × scale's.

    Only groups with held-out points get a band; :func:`roofline.band.choose`
    falls back from a regime with too few. :data:`roofline.band.BANDS` is
    this on the committed data.
    """
    if any(row.by != "source" for row in rows):
        raise ValueError(f"bands needs leave-one-source-out rows, got rows by {sorted({r.by for r in rows})}")
    pairs = [(p, e) for row in rows for p, e in zip(row.points, row.errors, strict=True)]
    if not pairs:
        raise ValueError("bands needs at least one held-out point")
    out = [_band(None, None, pairs)]
    for family in bd.FAMILIES:
        mine = [(p, e) for p, e in pairs if point_regime(p).family == family]
        if mine:
            out.append(_band(family, None, mine))
    for family in bd.FAMILIES:
        for scale in bd.SCALES:
            mine = [(p, e) for p, e in pairs if point_regime(p) == bd.Regime(family=family, scale=scale)]
            if mine:
                out.append(_band(family, scale, mine))
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """One source's points against the band built without it.

    Args:
        source: the source.
        regime: its regime.
        band: the band its estimates got (from a band table whose every
            error came from fits that never saw this source).
        points: its points.
        inside: how many of them the band holds (``tpot_s_low <= measured <= tpot_s_high``).
        constants: fitted without it, for its estimates.
    """

    source: Source
    regime: bd.Regime
    band: bd.Band
    points: int
    inside: int
    constants: serving.Constants

    @property
    def share(self) -> float:
        """``inside / points``."""
        return self.inside / self.points


def band_coverage(points: Sequence[Point], *, fits: Fits | None = None) -> tuple[Coverage, ...]:
    """For each source: the band table built without it, and how many of its points fall inside its band.

    Without source ``s`` the table comes from a leave-one-source-out run
    on the other sources (each ``t`` predicted by constants fitted without
    ``s`` and ``t``); ``s``'s points are estimated with constants fitted
    without ``s`` and get the band :func:`roofline.band.choose` picks for
    their regime in that table. A source is skipped when fewer than two
    others remain (no held-out error can be made without it).
    """
    fitted = fits if fits is not None else fits_without(points)
    out = []
    for held in _order(points, GROUPS["source"]):
        others = [p for p in points if p.source.id != held]
        if len(_order(others, GROUPS["source"])) < 2:
            continue
        inner = leave_one_group_out(others, "source", fits=lambda excluded, s=held: fitted(excluded | {s}))
        table = bands(inner)
        mine = [p for p in points if p.source.id == held]
        c = fitted(frozenset({held}))
        inside = 0
        for p in mine:
            b = bd.tpot_band(estimate_point(p, c).tpot_s, point_regime(p), table)
            inside += b.tpot_s_low <= p.tpot_s <= b.tpot_s_high
        out.append(
            Coverage(
                source=mine[0].source,
                regime=point_regime(mine[0]),
                band=bd.choose(point_regime(mine[0]), table),
                points=len(mine),
                inside=inside,
                constants=c,
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageSummary:
    """:func:`band_coverage` over every source: the share of points inside, and the mean of each source's share."""

    sources: int
    points: int
    inside: int
    nominal: float
    mean_source_share: float

    @property
    def share(self) -> float:
        """``inside / points``: each point counted once."""
        return self.inside / self.points


def coverage_summary(rows: Sequence[Coverage]) -> CoverageSummary:
    """Pool :func:`band_coverage`'s rows; ``nominal`` is the band's quantile span (0.8 for 10th to 90th)."""
    if not rows:
        raise ValueError("coverage_summary needs at least one source (band_coverage needs three sources)")
    return CoverageSummary(
        sources=len(rows),
        points=sum(r.points for r in rows),
        inside=sum(r.inside for r in rows),
        nominal=bd.BAND_QUANTILES[1] - bd.BAND_QUANTILES[0],
        mean_source_share=statistics.fmean(r.share for r in rows),
    )


# ---------------------------------------------------------------- what each term buys, and what it costs


@dataclass(frozen=True, slots=True, kw_only=True)
class AblationRow:
    """The leave-one-source-out error with the :data:`TERMS` in ``terms`` fitted and the rest left out."""

    terms: tuple[str, ...]
    median_abs_error: float
    signed_median_error: float
    dense_median_abs_error: float
    moe_median_abs_error: float
    speculative_median_abs_error: float


def term_ablation(points: Sequence[Point]) -> tuple[AblationRow, ...]:
    """The terms added one at a time, in :data:`TERMS` order, each row held out by source.

    The first row fits only the overheads and the overlap; the last is the
    committed estimate. Every error is on points whose source the fit never saw.
    """
    rows = []
    names = list(TERMS)
    for n in range(len(names) + 1):
        terms = tuple(names[:n])
        held = leave_one_group_out(points, "source", fits=fits_without(points, terms))
        pairs = [(p, e) for r in held for p, e in zip(r.points, r.errors, strict=True)]

        dense = [e for p, e in pairs if point_regime(p).family == "dense"]
        moe = [e for p, e in pairs if point_regime(p).family == "moe"]
        speculative = [e for p, e in pairs if p.source.speculative is not None]
        every = [e for _, e in pairs]
        rows.append(
            AblationRow(
                terms=terms,
                median_abs_error=median_abs_error(every),
                signed_median_error=statistics.median(every),
                dense_median_abs_error=median_abs_error(dense),
                moe_median_abs_error=median_abs_error(moe),
                speculative_median_abs_error=median_abs_error(speculative),
            )
        )
    return tuple(rows)


#: The terms :func:`term_shares` reports, as :meth:`roofline.serving.Terms.as_dict` names them.
SHARE_TERMS: tuple[str, ...] = (
    "weights_s",
    "kv_s",
    "compute_s",
    "overhead_s",
    "communication_s",
    "prefill_s",
    "draft_s",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TermShare:
    """Median share of the estimated time per output token, per term, over one family's published points.

    ``experts_extra`` is what reading routed experts at their own share
    (rather than ``bandwidth_fraction``) adds; ``rocm_extra`` what the ROCm
    factor adds, over that family's ROCm points only (0 with none).
    """

    family: str
    points: int
    shares: dict[str, float]
    experts_extra: float
    rocm_extra: float


def term_shares(points: Sequence[Point], c: serving.Constants = serving.FITTED) -> tuple[TermShare, ...]:
    """Each term's median share of ``tpot_s`` by family (:data:`roofline.band.FAMILIES` order), at ``c``."""
    out = []
    same_share = replace(c, expert_bandwidth_fraction=None)
    for family in bd.FAMILIES:
        mine = [p for p in points if point_regime(p).family == family]
        if not mine:
            continue
        shares: dict[str, list[float]] = {name: [] for name in SHARE_TERMS}
        experts, rocm = [], []
        for p in mine:
            e = estimate_point(p, c)
            terms = e.terms.as_dict()
            for name in SHARE_TERMS:
                shares[name].append(terms[name] / e.tpot_s)
            experts.append(1.0 - estimate_point(p, same_share).tpot_s / e.tpot_s)
            if e.deployment.hardware.software_stack == "rocm":
                rocm.append(1.0 - estimate_point(p, replace(c, rocm_step_factor=1.0)).tpot_s / e.tpot_s)
        out.append(
            TermShare(
                family=family,
                points=len(mine),
                shares={name: statistics.median(v) for name, v in shares.items()},
                experts_extra=statistics.median(experts),
                rocm_extra=statistics.median(rocm) if rocm else 0.0,
            )
        )
    return tuple(out)
