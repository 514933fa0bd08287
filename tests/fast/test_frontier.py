"""The frontier, the latency target and the batch you would run (roofline.frontier)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roofline import deployment as dep
from roofline.frontier import (
    Limit,
    article_lines,
    choose_batch,
    crossover_limit,
    deployment_lines,
    evaluate_frontier,
    frontier,
    frontier_batches,
    latency_limit,
    limit_sentence,
    point,
    time_per_token_s,
    tokens_per_s_per_chip,
    tokens_per_s_per_user,
)
from roofline.model import SEED_DEFAULTS, Params
from roofline.speculative import Speculation

#: Brute force walks every batch up to here.
BRUTE_LIMIT = 4096


def brute_force(p: Params, target_s: float | None, max_batch: int) -> tuple[int | None, str]:
    """The issue's rule, batch by batch, from the article's two lines written out here.

    The largest B that meets the target and is not past the crossover; the
    first limit to fail names the binding one (latency before crossover on a
    tie); no crossover and no target: max_batch.
    """
    weights_s = p.total_params / p.bandwidth_bytes_per_s

    def compute(b: int) -> float:
        return b * p.active_params / p.compute_ops_per_s

    def memory(b: int) -> float:
        return weights_s + b * p.context_tokens * p.kv_bytes_per_element / p.bandwidth_bytes_per_s

    crosses = (
        p.active_params / p.compute_ops_per_s > p.context_tokens * p.kv_bytes_per_element / p.bandwidth_bytes_per_s
    )
    if target_s is not None and max(compute(1), memory(1)) > target_s:
        return None, "latency"
    if target_s is None and not crosses:
        return max_batch, "max_batch"
    b = 1
    while b <= BRUTE_LIMIT:
        nxt = b + 1
        late = target_s is not None and max(compute(nxt), memory(nxt)) > target_s
        past = crosses and compute(nxt) > memory(nxt)
        if late or past:  # b is the last batch within both (1 if compute-bound from the start)
            return b, "latency" if late else "crossover"
        b = nxt
    assume(False)  # the answer lies beyond the brute-force range
    raise AssertionError("unreachable")


def article_params() -> st.SearchStrategy[Params]:
    return st.builds(
        Params,
        batch=st.just(1.0),
        active_params=st.floats(1e8, 1e11),
        compute_ops_per_s=st.floats(1e12, 1e15),
        total_params=st.floats(1e8, 1e12),
        bandwidth_bytes_per_s=st.floats(1e11, 1e13),
        context_tokens=st.floats(1, 2e5),
        kv_bytes_per_element=st.floats(0.5, 4),
    )


@settings(max_examples=150, deadline=None)
@given(p=article_params(), factor=st.one_of(st.none(), st.floats(0.3, 40)))
def test_article_choice_matches_brute_force(p: Params, factor: float | None) -> None:
    lines = article_lines(p)
    target = None if factor is None else factor * time_per_token_s(lines, 1.0)
    expected_batch, expected_limit = brute_force(p, target, 2048)
    choice = choose_batch(lines, target_s=target, max_batch=2048)
    assert (choice.batch, choice.limit.value) == (expected_batch, expected_limit)
    assert limit_sentence(choice)


@settings(max_examples=60, deadline=None)
@given(p=article_params(), factor=st.floats(0.3, 40))
def test_chosen_batch_meets_the_target_and_the_next_does_not_beat_every_limit(p: Params, factor: float) -> None:
    lines = article_lines(p)
    target = factor * time_per_token_s(lines, 1.0)
    choice = choose_batch(lines, target_s=target)
    if choice.batch is None:
        assert choice.limit is Limit.LATENCY and not choice.meets_target
        assert "No batch meets" in limit_sentence(choice)
        return
    assert time_per_token_s(lines, choice.batch) <= target
    if choice.limit is Limit.LATENCY:
        assert time_per_token_s(lines, choice.batch + 1) > target


def test_seed_defaults_by_hand() -> None:
    # B* = 0.06 / (1e-4 − 8.192e-8) = 600.49: the last batch not past it is 600.
    lines = article_lines(SEED_DEFAULTS)
    assert crossover_limit(lines) == 600
    choice = choose_batch(lines)
    assert (choice.batch, choice.limit) == (600, Limit.CROSSOVER)
    # TPOT at B: 60 ms + B · 81.92 ns. Within 60.03 ms: B <= 0.03e-3 / 81.92e-9 = 366.2.
    assert latency_limit(lines, 0.06003) == 366
    # Beyond the crossover T = B · 0.1 ms: a 100 ms target allows exactly B = 1000, but B* binds first.
    assert latency_limit(lines, 0.1) == 1000
    assert choose_batch(lines, target_s=0.1).limit is Limit.CROSSOVER
    # At B = 600: 1 / 60.049 ms per user, 600 / 60.049 ms per chip.
    at = point(lines, 600)
    assert at.tokens_per_s_per_user == pytest.approx(1 / (0.06 + 600 * 8.192e-8))
    assert at.tokens_per_s_per_gpu == pytest.approx(600 / (0.06 + 600 * 8.192e-8))
    assert at.as_dict()["ms_per_token"] == pytest.approx(60.049152)


def test_unreachable_target_gives_none_and_a_sentence() -> None:
    choice = choose_batch(article_lines(SEED_DEFAULTS), target_s=0.001)
    assert choice.batch is None and choice.limit is Limit.LATENCY
    assert choice.fastest_time_per_token_s == pytest.approx(0.06000008192)
    assert limit_sentence(choice).startswith("No batch meets the 1 ms target: even one sequence takes 60 ms")


def test_no_crossover_and_no_target_falls_back_to_max_batch() -> None:
    p = SEED_DEFAULTS.replace(context_tokens=1e6, bandwidth_bytes_per_s=10e9)
    choice = choose_batch(article_lines(p), max_batch=2048)
    assert (choice.batch, choice.limit) == (2048, Limit.MAX_BATCH)
    assert "never cross" in limit_sentence(choice)
    with pytest.raises(ValueError, match="give max_batch"):
        choose_batch(article_lines(p))
    # A target still bounds it.
    assert choose_batch(article_lines(p), target_s=10.0, max_batch=2048).limit is Limit.LATENCY


def test_compute_bound_from_one_sequence() -> None:
    p = SEED_DEFAULTS.replace(total_params=1e3)
    choice = choose_batch(article_lines(p))
    assert (choice.batch, choice.limit) == (1, Limit.CROSSOVER)
    assert "even one sequence is compute-bound" in limit_sentence(choice)


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, "10", True])
def test_bad_targets_are_named(bad: object) -> None:
    with pytest.raises(ValueError, match="target_s"):
        choose_batch(article_lines(SEED_DEFAULTS), target_s=bad)  # type: ignore[arg-type]


def test_frontier_batches_and_points() -> None:
    batches = frontier_batches(2048, include=[600])
    assert batches[0] == 1 and batches[-1] == 2048 and 600 in batches
    assert batches == sorted(set(batches))
    points = frontier(article_lines(SEED_DEFAULTS), batches)
    users = [pt.tokens_per_s_per_user for pt in points]
    chips = [pt.tokens_per_s_per_gpu for pt in points]
    # The trade: per-user speed never rises with B, throughput never falls.
    assert all(a >= b for a, b in itertools.pairwise(users))
    assert all(a <= b * (1 + 1e-12) for a, b in itertools.pairwise(chips))
    # Past the crossover throughput is flat at C / N_active.
    assert chips[-1] == pytest.approx(80e12 / 8e9)
    with pytest.raises(ValueError, match="batch must be a whole number"):
        point(article_lines(SEED_DEFAULTS), 0)


# ---------------------------------------------------------------- the deployment form

DEPLOYMENTS = {
    "deepseek-h200x8-4k": dep.deployment(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=4096
    ),
    "llama70b-h100x2": dep.deployment(
        "h100-sxm", "llama-3.1-70b", gpus=2, precision="bf16", kv_precision="bf16", context_tokens=8192
    ),
    "deepseek-h100x1": dep.deployment("h100-sxm", "deepseek-v3", gpus=1, precision="fp8", context_tokens=4096),
}


def test_deployment_without_target_agrees_with_best_batch() -> None:
    # Without a target the frontier's batch is deployment.best_batch rounded down.
    for name, d in DEPLOYMENTS.items():
        choice = choose_batch(deployment_lines(d))
        best = dep.best_batch(d)
        if best is None:
            assert choice.batch is None and choice.limit is Limit.MEMORY, name
            assert "does not fit" in limit_sentence(choice)
        else:
            assert choice.batch == math.floor(best), name


def test_deployment_rates_agree_with_the_deployment_module() -> None:
    d = DEPLOYMENTS["deepseek-h200x8-4k"]
    lines = deployment_lines(d)
    for batch in (1, 37, 512, 3000):
        assert tokens_per_s_per_user(lines, batch) == pytest.approx(dep.tokens_per_s_per_sequence(d, batch), rel=1e-12)
        assert tokens_per_s_per_chip(lines, batch) == pytest.approx(dep.tokens_per_s_per_gpu(d, batch), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["deepseek-h200x8-4k", "llama70b-h100x2"]),
    target_ms=st.floats(1, 500),
    k=st.integers(1, 4),
    a=st.floats(0, 1),
    speculate=st.booleans(),
)
def test_deployment_choice_is_the_largest_within_every_limit(
    name: str, target_ms: float, k: int, a: float, speculate: bool
) -> None:
    spec = Speculation(draft_tokens=k, acceptance=a, draft_params=1e9, draft_active_params=1e9) if speculate else None
    lines = deployment_lines(DEPLOYMENTS[name], spec)
    choice = choose_batch(lines, target_s=target_ms / 1e3)
    if choice.batch is None:
        assert time_per_token_s(lines, 1) > target_ms / 1e3
        return

    def ok(b: int) -> bool:
        within = time_per_token_s(lines, b) <= target_ms / 1e3 and b <= (lines.memory_wall or 0)
        return within and (b == 1 or lines.t_compute_s(b) <= lines.t_memory_s(b))

    assert ok(choice.batch)
    assert not ok(choice.batch + 1)


def _finite_everywhere(report: object) -> bool:
    data = report.as_dict()  # type: ignore[attr-defined]
    numbers = [v for v in data.values() if isinstance(v, float)]
    numbers += [v for pt in data["frontier"] for v in pt.values()]
    return all(math.isfinite(v) for v in numbers)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.floats(1e-300, 1e300), min_size=6, max_size=6),
    target=st.one_of(st.none(), st.floats(1e-300, 1e308)),
    k=st.one_of(st.none(), st.integers(1, 8)),
)
def test_absurd_inputs_give_a_finite_report_or_a_value_error(
    values: list[float], target: float | None, k: int | None
) -> None:
    names = ("active_params", "compute_ops_per_s", "total_params", "bandwidth_bytes_per_s", "context_tokens")
    try:
        p = Params(batch=1, kv_bytes_per_element=values[5], **dict(zip(names, values[:5], strict=True)))
        speculation = None if k is None else Speculation(draft_tokens=k, acceptance=0.7, draft_params=values[0])
        report = evaluate_frontier(article_lines(p, speculation), target, 2048)
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert _finite_everywhere(report)
    assert report.choice.batch is None or report.choice.batch >= 1
    assert limit_sentence(report.choice)


def test_the_verify_step_of_params_at_is_the_speculative_lines() -> None:
    """``dep.step_at(d, B, k + 1)`` is the step :func:`fr.deployment_lines` draws with speculation."""
    from roofline import frontier as fr
    from roofline.speculative import mtp_speculation

    speculation = mtp_speculation(draft_tokens=2)
    for layout in ("tp8", "tp8-ep8-dpa", "ideal"):
        d = dep.deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096, layout=layout)
        lines = fr.deployment_lines(d, speculation)
        for batch in (1, 37, 512):
            step = dep.step_at(d, batch, speculation.verified_tokens)
            assert step.t_compute_s == pytest.approx(lines.t_compute_s(batch), rel=1e-12)
            assert step.t_memory_s == pytest.approx(lines.t_memory_s(batch), rel=1e-12)
        choice = fr.choose_batch(lines)
        caps = [c for c in (choice.crossover_batch, choice.memory_batch) if c is not None]
        assert choice.best_batch == min(caps)
    with pytest.raises(ValueError, match="verified_tokens must be a whole number >= 1"):
        dep.params_at(d, 1, 0)
