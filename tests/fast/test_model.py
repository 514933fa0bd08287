"""The article's model: its own figures, then properties over many inputs."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roofline import (
    SEED_DEFAULTS,
    Params,
    Regime,
    crossover_batch,
    evaluate,
    hardware_ratio,
    latency_s,
    regime,
    sparsity_ratio,
    sweet_spot_batch,
    t_compute_s,
    t_memory_s,
)
from roofline.model import BALANCE_TOLERANCE


def test_seed_readouts() -> None:
    # The article's simulator at its defaults (section VII) prints these.
    step = evaluate(SEED_DEFAULTS)
    assert step.t_compute_s == pytest.approx(12.8e-3, rel=1e-12)
    assert step.t_memory_s == pytest.approx(60.01048576e-3, rel=1e-12)
    assert step.t_weights_s == pytest.approx(60e-3, rel=1e-12)
    assert step.t_kv_s == pytest.approx(0.01048576e-3, rel=1e-12)
    assert round(step.kv_share * 100, 2) == 0.02
    assert step.memory_slope_s == pytest.approx(0.00008192e-3, rel=1e-12)
    assert step.crossover_batch == pytest.approx(600.49, abs=0.005)
    assert f"{step.compute_memory_ratio:.2e}" == "2.13e-01"
    assert step.regime is Regime.MEMORY_BOUND
    assert step.latency_s == step.t_memory_s


def test_sweet_spot_of_the_article() -> None:
    # Section V: C ≈ 1e15, BW ≈ 3e12 ("about 300"), DeepSeek-V3 671B/37B ("about 18").
    assert hardware_ratio(1e15, 3e12) == pytest.approx(333.33, rel=1e-4)
    assert sparsity_ratio(671e9, 37e9) == pytest.approx(18.135, rel=1e-4)
    assert sweet_spot_batch(671e9, 37e9, 1e15, 3e12) == pytest.approx(671 / 37 * 1e15 / 3e12, rel=1e-12)


def test_dense_model_sweet_spot_is_the_hardware_ratio() -> None:
    assert sweet_spot_batch(70e9, 70e9, 989.45e12, 3.35e12) == pytest.approx(989.45e12 / 3.35e12)


@pytest.mark.parametrize(
    ("field", "value", "unit"),
    [
        ("batch", 0.5, "sequences"),
        ("active_params", 0, "parameters"),
        ("compute_ops_per_s", -1, "ops/s"),
        ("total_params", math.nan, "parameters"),
        ("bandwidth_bytes_per_s", math.inf, "bytes/s"),
        ("context_tokens", "8K", "tokens"),
        ("kv_bytes_per_element", None, "bytes"),
    ],
)
def test_invalid_parameter_names_itself(field: str, value: object, unit: str) -> None:
    with pytest.raises(ValueError) as raised:
        SEED_DEFAULTS.replace(**{field: value})
    message = str(raised.value)
    assert field in message and unit in message and repr(value) in message


def test_absurd_sizes_raise_instead_of_returning_inf() -> None:
    with pytest.raises(ValueError, match="outside the range a float can hold"):
        evaluate(SEED_DEFAULTS.replace(batch=1e300, active_params=1e300, compute_ops_per_s=1e-300))


def test_no_crossover_is_none_not_a_negative_batch() -> None:
    # L·b/BW = 2e-4 s per sequence ≥ N_active/C = 1e-4: memory-bound at every batch.
    p = SEED_DEFAULTS.replace(context_tokens=1e6, bandwidth_bytes_per_s=10e9)
    assert crossover_batch(p) is None
    assert evaluate(p).crossover_batch is None
    for batch in (1, 1e3, 1e6):
        assert regime(p.replace(batch=batch)) is Regime.MEMORY_BOUND


# Parameters inside the simulator's ranges: the model's domain of interest.
positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
params_strategy = st.builds(
    Params,
    batch=st.floats(min_value=1, max_value=1e5),
    active_params=st.floats(min_value=1e6, max_value=5e11),
    compute_ops_per_s=st.floats(min_value=1e10, max_value=5e15),
    total_params=st.floats(min_value=1e6, max_value=1e12),
    bandwidth_bytes_per_s=st.floats(min_value=1e9, max_value=1e13),
    context_tokens=st.floats(min_value=128, max_value=1e6),
    kv_bytes_per_element=st.floats(min_value=0.5, max_value=8),
)


@given(params_strategy, st.floats(min_value=1, max_value=1e5))
def test_latency_never_falls_as_the_batch_grows(p: Params, extra: float) -> None:
    assert latency_s(p.replace(batch=p.batch + extra)) >= latency_s(p)


@given(params_strategy)
def test_lines_meet_at_the_crossover(p: Params) -> None:
    crossover = crossover_batch(p)
    assume(crossover is not None)
    compute_slope = p.active_params / p.compute_ops_per_s
    # Cancellation in N_active/C − L·b/BW is the only error source; keep it small.
    assume(crossover * compute_slope < 1e6 * t_memory_s(p, 0.0))
    assert t_compute_s(p, crossover) == pytest.approx(t_memory_s(p, crossover), rel=1e-9)


@given(params_strategy, st.floats(min_value=1e-3, max_value=0.9))
def test_regime_flips_at_the_crossover(p: Params, offset: float) -> None:
    crossover = crossover_batch(p)
    assume(crossover is not None and crossover * (1 - offset) >= 1)
    below = p.replace(batch=crossover * (1 - offset))
    above = p.replace(batch=crossover * (1 + offset))
    # Strictly on each side the lines are ordered, so the regime can only be
    # the side's own or "balanced" (when the lines are nearly parallel).
    assert t_compute_s(below) < t_memory_s(below)
    assert t_compute_s(above) > t_memory_s(above)
    assert regime(below) in (Regime.MEMORY_BOUND, Regime.BALANCED)
    assert regime(above) in (Regime.COMPUTE_BOUND, Regime.BALANCED)
    for side, expected in ((below, Regime.MEMORY_BOUND), (above, Regime.COMPUTE_BOUND)):
        ratio = t_compute_s(side) / t_memory_s(side)
        if abs(ratio - 1) > BALANCE_TOLERANCE:
            assert regime(side) is expected


@given(params_strategy)
def test_no_crossover_exactly_when_kv_slope_reaches_compute_slope(p: Params) -> None:
    kv_slope = p.context_tokens * p.kv_bytes_per_element / p.bandwidth_bytes_per_s
    compute_slope = p.active_params / p.compute_ops_per_s
    assert (crossover_batch(p) is None) == (kv_slope >= compute_slope)


@given(params_strategy)
def test_readouts_hang_together(p: Params) -> None:
    step = evaluate(p)
    assert step.latency_s == max(step.t_compute_s, step.t_memory_s)
    assert step.t_memory_s == pytest.approx(step.t_weights_s + step.t_kv_s)
    assert 0 < step.kv_share < 1
    assert step.compute_memory_ratio == pytest.approx(step.t_compute_s / step.t_memory_s)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "batch",
                "active_params",
                "compute_ops_per_s",
                "total_params",
                "bandwidth_bytes_per_s",
                "context_tokens",
                "kv_bytes_per_element",
            ]
        ),
        st.one_of(st.floats(), st.integers(), st.just(0.0), st.just(-0.0)),
        min_size=1,
    )
)
def test_any_input_gives_a_valid_step_or_a_value_error(changes: dict[str, float]) -> None:
    try:
        step = evaluate(SEED_DEFAULTS.replace(**changes))
    except ValueError:
        return
    for name, value in step.as_dict().items():
        if isinstance(value, float):
            # A KV share can round to 0 when the KV read is below 1e-308 of the weight read.
            assert math.isfinite(value) and (value > 0 or (name == "kv_share" and value == 0)), name


def test_a_crossover_that_underflows_a_float_is_refused_not_reported_as_zero() -> None:
    # Found by the property test above: N_total/BW ~ 1e-162 s over a compute slope ~ 1e158 s.
    absurd = SEED_DEFAULTS.replace(
        bandwidth_bytes_per_s=6.233877816817044e173,
        active_params=6.233877816817044e173,
        kv_bytes_per_element=3.2985348833279995e21,
        batch=1.0,
    )
    with pytest.raises(ValueError, match="underflows a float"):
        crossover_batch(absurd)
    with pytest.raises(ValueError, match="underflows a float"):
        evaluate(absurd)
