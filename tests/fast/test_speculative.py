"""Speculative decoding and multi-token prediction (roofline.speculative) and its shifted frontier."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roofline import deployment as dep
from roofline.frontier import (
    article_lines,
    choose_batch,
    crossover_limit,
    deployment_lines,
    time_per_token_s,
    tokens_per_s_per_user,
)
from roofline.model import SEED_DEFAULTS
from roofline.speculative import (
    ACCEPTANCE_FIGURES,
    DEFAULT_ACCEPTANCE,
    MAX_DRAFT_TOKENS,
    Speculation,
    expected_tokens_per_step,
    mtp_speculation,
)


def simulated_tokens_per_step(k: int, a: float, steps: int, rng: random.Random) -> float:
    """Draft k tokens, accept each with probability a until the first rejection, add the verifier's token."""
    total = 0
    for _ in range(steps):
        accepted = 0
        while accepted < k and rng.random() < a:
            accepted += 1
        total += accepted + 1
    return total / steps


@pytest.mark.parametrize(("k", "a"), [(1, 0.85), (3, 0.7), (5, 0.5), (2, 0.95)])
def test_formula_matches_a_simulation(k: int, a: float) -> None:
    rng = random.Random(20261130)
    simulated = simulated_tokens_per_step(k, a, 40_000, rng)
    assert simulated == pytest.approx(expected_tokens_per_step(k, a), rel=0.02)


def test_hand_checked_values() -> None:
    # k = 1: 1 + a. DeepSeek-V3's 85-90% second-token acceptance gives 1.85 to 1.90 tokens per step.
    assert expected_tokens_per_step(1, 0.85) == pytest.approx(1.85)
    assert expected_tokens_per_step(1, 0.90) == pytest.approx(1.90)
    # k = 4, a = 0.8: 1 + .8 + .64 + .512 + .4096.
    assert expected_tokens_per_step(4, 0.8) == pytest.approx(3.3616)
    assert expected_tokens_per_step(3, 0.0) == 1.0
    assert expected_tokens_per_step(3, 1.0) == 4.0


@given(k=st.integers(1, MAX_DRAFT_TOKENS), a=st.floats(0, 1))
def test_tokens_per_step_bounds_and_sum(k: int, a: float) -> None:
    e = expected_tokens_per_step(k, a)
    assert 1.0 <= e <= k + 1 + 1e-9
    assert e == pytest.approx(sum(a**i for i in range(k + 1)), rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"draft_tokens": 0, "acceptance": 0.5}, "draft_tokens"),
        ({"draft_tokens": 1.5, "acceptance": 0.5}, "draft_tokens"),
        ({"draft_tokens": MAX_DRAFT_TOKENS + 1, "acceptance": 0.5}, "draft_tokens"),
        ({"draft_tokens": 2, "acceptance": 1.2}, "acceptance"),
        ({"draft_tokens": 2, "acceptance": math.nan}, "acceptance"),
        ({"draft_tokens": 2, "acceptance": 0.5, "draft_params": -1}, "draft_params"),
    ],
)
def test_bad_speculation_is_named(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Speculation(**kwargs)


def test_default_is_the_cited_deepseek_figure() -> None:
    figure = ACCEPTANCE_FIGURES["deepseek-v3-mtp"]
    assert figure is DEFAULT_ACCEPTANCE
    assert (figure.acceptance_low, figure.acceptance_high, figure.draft_tokens) == (0.85, 0.90, 1)
    assert figure.acceptance == figure.acceptance_low
    assert "2412.19437" in figure.source
    assert {name for name, _ in figure.citations} >= {"acceptance_low, acceptance_high", "draft_params"}


def test_speculation_shifts_the_frontier() -> None:
    # A drafter that costs nothing: in the memory-bound regime each user gets E times the tokens.
    free = Speculation(draft_tokens=3, acceptance=0.8)
    plain = article_lines(SEED_DEFAULTS)
    spec = article_lines(SEED_DEFAULTS, free)
    e = expected_tokens_per_step(3, 0.8)
    assert tokens_per_s_per_user(spec, 1) == pytest.approx(e * tokens_per_s_per_user(plain, 1))
    # The verify step is four times as steep: the crossover moves left, to about a quarter.
    assert crossover_limit(spec) == math.floor(0.06 / (4e-4 - 8.192e-8))
    assert crossover_limit(spec) < crossover_limit(plain) / 3


def test_mtp_on_deepseek_serves_users_faster_at_the_same_batch() -> None:
    d = dep.deployment("h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=4096)
    plain = deployment_lines(d)
    mtp = deployment_lines(d, mtp_speculation())
    for batch in (256, 512, 2048):
        gain = tokens_per_s_per_user(mtp, batch) / tokens_per_s_per_user(plain, batch)
        # Below E = 1.85 (the drafter's reads cost something), near the report's 1.8 times the tokens/s.
        assert 1.75 < gain < 1.85
    # At one sequence, checking two tokens reads about twice the experts: next to no gain.
    assert tokens_per_s_per_user(mtp, 1) < 1.01 * tokens_per_s_per_user(plain, 1)
    # A target the plain model meets only at small batches admits a larger one with MTP.
    target = time_per_token_s(plain, 200)
    assert choose_batch(plain, target_s=target).batch == 200
    assert (choose_batch(mtp, target_s=target).batch or 0) > (choose_batch(plain, target_s=target).batch or 0)
