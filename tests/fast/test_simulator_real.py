"""The simulator's realistic mode, pure half: URL contract, pickers, readouts, charts."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roofline import deployment as dep
from roofline import presets
from roofline.web import article as sim
from roofline.web import controls
from roofline.web import realistic as real
from roofline.web.article import ARTICLE
from roofline.web.charts import economics_figure, time_figure
from roofline.web.query import mode_of
from roofline.web.realistic import REALISTIC

ISSUE_QUERY = "mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K&B=512&B_max=4096&price=2.5"


def test_the_issues_url_reads_cleanly() -> None:
    state, notices = REALISTIC.parse("?" + ISSUE_QUERY)
    assert notices == []
    assert state == real.RealState(
        hardware="h200",
        model="deepseek-v3",
        gpus=8,
        weight_precision="fp8",
        kv_precision="fp8",
        context_tokens=32e3,
        batch=512,
        max_batch=4096,
        usd_per_gpu_hour=2.5,
        # Read against the opening view: the engines' default layout, attention counted.
        attention_flops=True,
        ideal_layout=False,
    )
    assert mode_of("?" + ISSUE_QUERY) == "real" and mode_of("B=1") == "article"


def test_empty_query_is_the_default_state() -> None:
    assert REALISTIC.parse("") == (real.DEFAULT_REAL_STATE, [])
    assert REALISTIC.parse("mode=real") == (real.DEFAULT_REAL_STATE, [])


@pytest.mark.parametrize(
    ("query", "field", "expected", "fragment"),
    [
        ("hw=h300", "hardware", "h200", "hw='h300' is not a hardware preset"),
        ("model=gpt-5", "model", "deepseek-v3", "model='gpt-5' is not a model preset"),
        ("wprec=int3", "weight_precision", "fp8", "wprec='int3' is not a precision"),
        ("kvprec=", "kv_precision", "fp8", "kvprec='' is not a precision"),
        ("hw=a100-sxm", "weight_precision", "w8a16", "needs FP8 tensor cores"),
        ("hw=tpu-v5e&wprec=fp8", "weight_precision", "w8a16", "Google TPU v5e lacks"),
        ("gpus=0", "gpus", 8, "gpus=0 is not allowed"),
        ("gpus=2.5", "gpus", 2, "not a whole number"),
        ("gpus=5000", "gpus", 1024, "above the range"),
        ("L=NaN", "context_tokens", 32768, "L='NaN' is not a finite number"),
        ("B=-3", "batch", 32, "B=-3 is not allowed"),
        ("B=9999", "batch", 128, "above the range"),
        ("price=abc", "usd_per_gpu_hour", 2.0, "price='abc'"),
        ("C=-1", "compute_ops_per_s", None, "using the preset's figure"),
        ("BW=1e400", "bandwidth_bytes_per_s", None, "not a finite number"),
        ("N_active=2T", "active_params", 671e9, "N_active=2T is above N_total"),
        ("N_total=10G", "active_params", 10e9, "N_total=10G is below N_active"),
        ("moe=maybe", "moe_discount", True, "moe='maybe' is not 1 or 0"),
        ("mode=article", "hardware", "h200", "mode='article' is not 'real'"),
        ("zzz=1", "hardware", "h200", "Ignored unknown parameter 'zzz'"),
        ("gpus=2&gpus=4", "gpus", 4, "more than once"),
        ("L=" + "9" * 500, "context_tokens", 32768, "not a finite number"),
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query: str, field: str, expected: object, fragment: str) -> None:
    state, notices = REALISTIC.parse("mode=real&" + query)
    assert getattr(state, field) == expected
    assert any(fragment in notice for notice in notices), notices
    assert all(len(notice) < 200 for notice in notices)


def test_max_b_is_read_before_b() -> None:
    state, notices = REALISTIC.parse("B=4000&B_max=8192")
    assert (state.batch, state.max_batch, notices) == (4000, 8192, [])


states = st.builds(
    real.RealState,
    hardware=st.sampled_from(sorted(presets.HARDWARE)),
    model=st.sampled_from(sorted(presets.MODELS)),
    gpus=st.integers(min_value=1, max_value=1024),
    weight_precision=st.sampled_from(["bf16", "w8a16", "w4a16"]),
    kv_precision=st.sampled_from(sorted(presets.KV_PRECISIONS)),
    context_tokens=st.integers(min_value=128, max_value=1_000_000).map(float),
    batch=st.integers(min_value=1, max_value=16).map(float),
    max_batch=st.integers(min_value=16, max_value=131072).map(float),
    usd_per_gpu_hour=st.floats(min_value=0.01, max_value=100),
    compute_ops_per_s=st.none() | st.floats(min_value=1e12, max_value=1e16),
    bandwidth_bytes_per_s=st.none() | st.floats(min_value=1e11, max_value=2e13),
    memory_bytes=st.none() | st.floats(min_value=1e9, max_value=1e12),
    total_params=st.none(),
    active_params=st.none() | st.floats(min_value=1e8, max_value=3e9),
    moe_discount=st.booleans(),
    attention_flops=st.booleans(),
    tpot_target_ms=st.none() | st.floats(min_value=1, max_value=10_000),
    speculation=st.booleans(),
    draft_tokens=st.integers(min_value=1, max_value=16),
    acceptance=st.integers(min_value=1, max_value=100).map(lambda n: n / 100),
)


@settings(deadline=None)  # timing belongs in benchmarks, not in property tests
@given(states)
def test_the_url_round_trips_exactly(state: real.RealState) -> None:
    again, notices = REALISTIC.parse(REALISTIC.encode(state))
    assert notices == []
    assert again == state


@settings(deadline=None)  # timing belongs in benchmarks, not in property tests
@given(states)
def test_readouts_are_complete_and_well_formed(state: real.RealState) -> None:
    shown = REALISTIC.readouts(state)
    assert tuple(shown) == real.REAL_READOUT_NAMES
    for name, readout in shown.items():
        # Whole words: a cited source may say "infra" or "maintenance".
        assert readout.text and not re.search(r"\b(nan|inf)\b", readout.text, re.IGNORECASE), name
    wall = shown["capacity_wall"]
    if wall.value is None:
        assert wall.raw == "" and wall.text.startswith("none")
        assert shown["throughput"].value is None and shown["cost"].value is None
        assert shown["fits"].value == "no"
    else:
        assert wall.value >= 1 and wall.value == int(wall.value)
        assert shown["fits"].value == ("yes" if state.batch <= wall.value else "no")
        assert shown["throughput"].value > 0 and shown["cost"].value >= 0


def test_readouts_at_the_default_state_come_from_the_deployment_model() -> None:
    state = real.DEFAULT_REAL_STATE
    d = real.deployment_of(state)
    shown = REALISTIC.readouts(state)
    # The engines' default on one node, TP8: every GPU holds the whole MLA cache, so the wall is 49, not 406.
    assert d.active_layout.key == "tp8" and d.attention_flops
    assert shown["capacity_wall"].value == dep.capacity_batch(d) == 49
    assert shown["throughput"].value == dep.tokens_per_s_per_gpu(d, state.batch)
    assert shown["cost"].value == dep.cost_usd_per_million_tokens(d, state.batch)
    assert shown["crossover"].value is None and shown["bottleneck"].value == "memory-bound"
    assert shown["latency"].value == dep.step_at(d, state.batch).latency_s


def test_nothing_fits_gives_empty_values_and_a_sentence() -> None:
    state, _ = REALISTIC.parse("mode=real&hw=h100-sxm&gpus=1&model=deepseek-v3")
    shown = REALISTIC.readouts(state)
    assert shown["capacity_wall"].raw == ""
    assert shown["capacity_wall"].text == "none: the weights alone do not fit"
    assert shown["min_gpus"].value == 9
    assert REALISTIC.explanation(state).startswith("DeepSeek-V3 does not fit")
    figure = time_figure(REALISTIC, state)
    assert figure["layout"]["shapes"][0]["type"] == "rect"  # everything shaded
    assert figure["layout"]["shapes"][0]["x0"] == 0


def test_overrides_replace_the_picked_figures() -> None:
    state, notices = REALISTIC.parse("mode=real&hw=h100-sxm&gpus=1&C=500T&BW=2T&HBM=100G&N_total=60G&N_active=6G")
    assert notices == []
    d = real.deployment_of(state)
    assert dep.system_compute_ops_per_s(d) == 500e12
    assert d.hardware.bandwidth_bytes_per_s == 2e12 and d.hardware.memory_bytes == 100e9
    assert (d.model.total_params, d.model.active_params) == (60e9, 6e9)
    for key, value in (("C", 500e12), ("BW", 2e12), ("HBM", 100e9), ("N_total", 60e9), ("N_active", 6e9)):
        assert real.control_value(state, key) == value


def test_picking_drops_the_overrides_it_replaces() -> None:
    state, _ = REALISTIC.parse("mode=real&C=1P&BW=1T&N_total=100G")
    picked, notices = real.with_pick(state, "hw", "mi300x")
    assert (picked.compute_ops_per_s, picked.bandwidth_bytes_per_s, picked.total_params) == (None, None, 100e9)
    # Issue 24: said in a notice, not dropped silently.
    assert notices == ["Changing the hardware replaced your own C and BW with the new choice's figures; type them again to override."]
    picked, _ = real.with_pick(picked, "model", "kimi-k2")
    assert picked.total_params is None
    with pytest.raises(ValueError, match="hw must be one of"):
        real.with_pick(state, "hw", "h300")


@settings(deadline=None)  # timing belongs in benchmarks, not in property tests
@given(states, st.sampled_from(real.CONTROLS), st.floats(min_value=-1e20, max_value=1e20))
def test_slider_changes_stay_in_range(state: real.RealState, control: controls.Control, value: float) -> None:
    new = REALISTIC.with_value(state, control.key, value)
    shown = real.control_value(new, control.key)
    low, high = controls.bounds(control, new)
    assert low <= shown <= high or control.key in real.OVERRIDE_KEYS
    assert new.batch <= new.max_batch
    assert real.control_value(new, "N_active") <= real.control_value(new, "N_total")
    assert isinstance(new.gpus, int)


def test_simulator_slider_helpers_work_on_real_controls() -> None:
    state = real.DEFAULT_REAL_STATE
    for control in real.CONTROLS:
        value = real.control_value(state, control.key)
        position = controls.position_of(control, value, state)
        assert 0 <= position <= controls.slider_steps(control, state)


def test_pickers_offer_every_preset_with_labels() -> None:
    by_key = {p.key: p for p in real.PICKERS}
    assert [o.value for o in by_key["hw"].options] == list(presets.HARDWARE)
    assert [o.value for o in by_key["model"].options] == list(presets.MODELS)
    assert {o.value for o in by_key["wprec"].options} == set(presets.WEIGHT_PRECISIONS)
    assert {o.value for o in by_key["kvprec"].options} == set(presets.KV_PRECISIONS)
    assert all(o.label for p in real.PICKERS for o in p.options)
    assert {"moe", "attn", "spec", "serve"} <= {t.key for t in real.TOGGLES}


def test_every_preset_figure_is_inside_its_slider() -> None:
    ranges = {c.key: (c.minimum, c.maximum) for c in real.CONTROLS}
    for hw in presets.HARDWARE.values():
        for precision in ("bf16", "fp8"):
            if hw.supports(precision):
                lo, hi = ranges["C"]
                assert lo <= hw.compute_ops_per_s(precision) <= hi
        assert ranges["BW"][0] <= hw.bandwidth_bytes_per_s <= ranges["BW"][1]
        assert ranges["HBM"][0] <= hw.memory_bytes <= ranges["HBM"][1]
    for m in presets.MODELS.values():
        assert ranges["N_total"][0] <= m.total_params <= ranges["N_total"][1]
        assert ranges["N_active"][0] <= m.active_params <= ranges["N_active"][1]


@pytest.mark.parametrize("scheme", ["default", "slate"])
@settings(deadline=None)  # timing belongs in benchmarks, not in property tests
@given(state=states)
def test_figures_are_plain_fixed_axis_dicts(scheme: str, state: real.RealState) -> None:
    for make in (time_figure, economics_figure):
        figure = make(REALISTIC, state, scheme)
        json.dumps(figure, allow_nan=False)
        layout = figure["layout"]
        assert layout["xaxis"]["autorange"] is False and layout["xaxis"]["range"] == [0, state.max_batch]
        assert layout["yaxis"]["autorange"] is False
        assert all(len(trace["x"]) <= 80 for trace in figure["data"])
        wall = dep.capacity_batch(real.deployment_of(state))
        shaded = [s for s in layout["shapes"] if s["type"] == "rect"]
        assert bool(shaded) == (wall < state.max_batch)
        if shaded:
            assert shaded[0]["x0"] == wall and shaded[0]["x1"] == state.max_batch


def test_real_figure_marks_the_wall_and_draws_the_articles_lines() -> None:
    state = real.DEFAULT_REAL_STATE
    figure = time_figure(REALISTIC, state)
    names = [trace["name"] for trace in figure["data"]]
    assert names[0].startswith("T_compute") and names[1].startswith("T_memory") and names[2].startswith("T = max")
    walls = [s for s in figure["layout"]["shapes"] if s["type"] == "line" and s["x0"] == 49]
    assert walls and any("memory wall B = 49" in a["text"] for a in figure["layout"]["annotations"])
    # Without the MoE discount the lines are straight: the article's chart, ends and marks only.
    straight = time_figure(REALISTIC, replace(state, moe_discount=False))
    assert straight["data"][0]["x"][0] == 0 and len(straight["data"][0]["x"]) <= 5


def test_a_reachable_sweet_spot_shows_its_crossover_marker() -> None:
    # DP attention with EP8 at 4K: attention counted, the crossover (about 2,135) lies inside the wall (2,424).
    state, _ = REALISTIC.parse("mode=real&hw=h200&gpus=8&model=deepseek-v3&wprec=fp8&kvprec=fp8&L=4K&B_max=8192&tp=8&ep=8&dpa=1")
    d = real.deployment_of(state)
    crossover = dep.deployment_crossover_batch(d)
    assert crossover is not None and crossover < dep.capacity_batch(d)
    figure = time_figure(REALISTIC, state)
    markers = [t for t in figure["data"] if t["mode"] == "markers"]
    assert markers and markers[0]["x"] == [crossover]
    assert "inside the wall" in REALISTIC.explanation(state)


def test_at_best_batch_moves_to_the_wall_or_the_crossover() -> None:
    moved = real.at_best_batch(real.DEFAULT_REAL_STATE)
    assert moved.batch == 49 and moved.max_batch >= 1.25 * 49
    nothing, _ = REALISTIC.parse("mode=real&hw=rtx-4090&gpus=1&model=llama-3.1-405b")
    assert real.at_best_batch(nothing).batch == 1


@settings(deadline=None)  # timing belongs in benchmarks, not in property tests
@given(states)
def test_snapshot_is_json_and_shaped_like_the_article_modes(state: real.RealState) -> None:
    snap = REALISTIC.snapshot(state, schemes=("default",))
    json.dumps(snap, allow_nan=False)
    article = ARTICLE.snapshot(sim.DEFAULT_STATE, schemes=("default",))
    assert set(article) <= set(snap)
    assert snap["query"] == REALISTIC.encode(state)
    assert list(snap["readouts"]) == list(real.REAL_READOUT_NAMES)
    for key, shown in snap["controls"].items():
        assert set(article["controls"]["B"]) <= set(shown)
        assert 0 <= shown["position"] <= shown["max"], key
        if shown.get("enabled") is False:
            assert shown["entry"] == "" and shown["text"] == "no target"
            continue
        # What the entry box shows reads back as the slider's value (or close, when shortened).
        value, _ = REALISTIC.check(state, key, shown["entry"])
        assert value == pytest.approx(real.control_value(state, key), rel=1e-3)


@pytest.mark.parametrize(
    ("key", "raw", "value", "fragment"),
    [
        ("gpus", "8", 8.0, ""),
        ("L", "abc", None, "L='abc' is not a finite number"),
        ("price", "0", None, "price=0 is not allowed"),
        ("HBM", "5T", 1e12, "HBM=5T is above the range"),
    ],
)
def test_check_real_value(key: str, raw: str, value: float | None, fragment: str) -> None:
    got, problem = REALISTIC.check(REALISTIC.default, key, raw)
    assert got == value and fragment in problem
