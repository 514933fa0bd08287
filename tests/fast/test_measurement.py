"""Measured hardware against the model: the core's predictions (roofline.measurement), the
measuring script's --quick run, the committed measurement files, and the page built from them.

Nothing here needs a GPU: the script runs with ``--devices cpu``.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_site import macro_values

from roofline import measurement as meas
from roofline import model as core
from roofline.units import format_percent, format_si, format_time
from roofline_site.pages import hardware

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "measure_hardware.py"
COMMITTED = sorted(hardware.MEASUREMENTS.glob("*.json"))

positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


def ceilings_from(flops_scale: float, bandwidth_scale: float) -> meas.Ceilings:
    return meas.Ceilings(matmul_flops_per_s=flops_scale * 1e11, copy_bandwidth_bytes_per_s=bandwidth_scale * 1e10)


@st.composite
def shapes(draw: st.DrawFn) -> meas.StepShape:
    params = draw(positive) * 1e8
    return meas.StepShape(
        batch=draw(st.integers(min_value=1, max_value=4096)),
        weight_params=params,
        weight_bytes=params * draw(st.sampled_from([1, 2, 4])),
        context_tokens=draw(st.integers(min_value=1, max_value=1_000_000)),
        kv_bytes_per_token=draw(st.integers(min_value=1, max_value=200_000)),
    )


def load_script():
    spec = importlib.util.spec_from_file_location("measure_hardware", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT_MODULE = load_script()


# --------------------------------------------------------------------------- the core


def test_the_mapping_onto_the_model_is_the_documented_one() -> None:
    ceilings = meas.Ceilings(matmul_flops_per_s=3e11, copy_bandwidth_bytes_per_s=2.5e10)
    shape = meas.StepShape(
        batch=24, weight_params=3e8, weight_bytes=1.2e9, context_tokens=4096, kv_bytes_per_token=2432
    )
    p = meas.predict(ceilings, shape)
    # T_compute = 2·B·N_active / FLOP/s; T_memory = (weight bytes + B·L·e) / BW.
    assert math.isclose(p.t_compute_s, 2 * 24 * 3e8 / 3e11, rel_tol=1e-12)
    assert math.isclose(p.t_memory_s, (1.2e9 + 24 * 4096 * 2432) / 2.5e10, rel_tol=1e-12)
    assert p.max_s == core.latency_s(meas.params_for(ceilings, shape))
    assert math.isclose(
        meas.predicted_crossover_batch(ceilings, shape), core.crossover_batch(meas.params_for(ceilings, shape))
    )


@given(positive, positive, shapes())
def test_max_is_at_most_the_sum_and_the_sum_at_most_twice_the_max(f: float, b: float, shape: meas.StepShape) -> None:
    p = meas.predict(ceilings_from(f, b), shape)
    assert p.max_s <= p.sum_s <= 2 * p.max_s * (1 + 1e-12)


@given(positive, positive, shapes())
def test_a_step_that_takes_exactly_the_predicted_time_has_zero_error(f: float, b: float, shape: meas.StepShape) -> None:
    ceilings = ceilings_from(f, b)
    t = meas.predict(ceilings, shape).max_s
    comparison = meas.compare(ceilings, [meas.MeasuredStep(sweep="batch", shape=shape, median_s=t, min_s=t, max_s=t)])
    assert comparison.max_error.median_abs == 0 and comparison.max_error.worst == 0
    assert comparison.sum_error.worst >= 0
    assert comparison.better_fit == "max"


@given(positive, positive, shapes(), positive, st.floats(min_value=0.01, max_value=100))
def test_errors_do_not_depend_on_the_speed_of_the_machine(
    f: float, b: float, shape: meas.StepShape, measured_ms: float, speedup: float
) -> None:
    """A machine k times faster in both ceilings that runs the step k times faster has the same errors."""
    t = measured_ms * 1e-3
    step = meas.MeasuredStep(sweep="context", shape=shape, median_s=t, min_s=t, max_s=t)
    fast_step = meas.MeasuredStep(
        sweep="context", shape=shape, median_s=t / speedup, min_s=t / speedup, max_s=t / speedup
    )
    slow = meas.compare(ceilings_from(f, b), [step])
    fast = meas.compare(ceilings_from(f * speedup, b * speedup), [fast_step])
    assert math.isclose(slow.max_error.worst, fast.max_error.worst, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(slow.sum_error.worst, fast.sum_error.worst, rel_tol=1e-9, abs_tol=1e-12)


@given(st.lists(st.floats(min_value=-0.99, max_value=50), min_size=1, max_size=40))
def test_the_summary_is_the_median_of_magnitudes_and_the_largest_error(errors: list[float]) -> None:
    summary = meas.summarize(errors)
    magnitudes = sorted(abs(e) for e in errors)
    assert summary.worst in errors and abs(summary.worst) == magnitudes[-1]
    assert magnitudes[0] <= summary.median_abs <= magnitudes[-1]
    assert summary.count == len(errors)


def test_the_curve_for_a_chart_is_the_prediction_at_each_value() -> None:
    ceilings = meas.Ceilings(matmul_flops_per_s=2e11, copy_bandwidth_bytes_per_s=4e10)
    shape = meas.StepShape(batch=1, weight_params=1e8, weight_bytes=4e8, context_tokens=512, kv_bytes_per_token=64)
    grid = meas.geometric_grid(1, 256, 9)
    assert grid == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]
    curve = meas.prediction_curve(ceilings, shape, grid, "batch")
    assert curve == [meas.predict(ceilings, shape.replace(batch=b)) for b in grid]
    along_l = meas.prediction_curve(ceilings, shape, [512, 1024], "context")
    assert along_l[1].t_memory_s > along_l[0].t_memory_s and along_l[1].t_compute_s == along_l[0].t_compute_s


def test_a_read_stream_and_a_steps_own_rate_replace_the_copy_and_the_square_product() -> None:
    """BW is the read stream when measured; C is the step's attainable rate ÷ 2 when it has one."""
    copy_only = meas.Ceilings(matmul_flops_per_s=3e11, copy_bandwidth_bytes_per_s=4e10)
    with_read = meas.Ceilings(
        matmul_flops_per_s=3e11, copy_bandwidth_bytes_per_s=4e10, read_bandwidth_bytes_per_s=2.5e10
    )
    shape = meas.StepShape(batch=8, weight_params=3e8, weight_bytes=1.2e9, context_tokens=512, kv_bytes_per_token=64)
    assert copy_only.bandwidth_bytes_per_s == 4e10 and with_read.bandwidth_bytes_per_s == 2.5e10
    by_hand_memory = (1.2e9 + 8 * 512 * 64) / 2.5e10
    p = meas.predict(with_read, shape, attainable_flops_per_s=6e10)
    assert math.isclose(p.t_memory_s, by_hand_memory, rel_tol=1e-12)
    assert math.isclose(p.t_compute_s, 2 * 8 * 3e8 / 6e10, rel_tol=1e-12)
    assert math.isclose(meas.predict(with_read, shape).t_compute_s, 2 * 8 * 3e8 / 3e11, rel_tol=1e-12)
    # A step that carries its rate is compared with it; one without falls back on the square product.
    t = p.max_s
    own = meas.MeasuredStep(sweep="batch", shape=shape, median_s=t, min_s=t, max_s=t, attainable_flops_per_s=6e10)
    plain = meas.MeasuredStep(sweep="batch", shape=shape, median_s=t, min_s=t, max_s=t)
    assert meas.compare(with_read, [own]).max_error.worst == 0
    assert meas.compare(with_read, [plain]).points[0].prediction == meas.predict(with_read, shape)


def test_a_version_1_file_reads_as_before() -> None:
    raw = {
        "key": "cpu",
        "title": "CPU",
        "ceilings": {"matmul_flops_per_s": 2e11, "copy_bandwidth_bytes_per_s": 4e10},
        "decode": {
            "weight_params": 1e8,
            "weight_bytes": 4e8,
            "kv_bytes_per_token": 64,
            "steps": [
                {"sweep": "batch", "batch": 4, "context_tokens": 256, "median_s": 0.01, "min_s": 0.01, "max_s": 0.01}
            ],
        },
    }
    series = meas.series_from_dict(raw)
    assert series.ceilings.read_bandwidth_bytes_per_s is None and series.steps[0].attainable_flops_per_s is None
    assert series.compare().points[0].prediction.t_memory_s == (4e8 + 4 * 256 * 64) / 4e10
    assert "roofline-measurement/1" in meas.SCHEMAS and meas.SCHEMA in meas.SCHEMAS


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (lambda: meas.Ceilings(matmul_flops_per_s=-1, copy_bandwidth_bytes_per_s=1), "matmul_flops_per_s"),
        (lambda: meas.Ceilings(matmul_flops_per_s=1, copy_bandwidth_bytes_per_s=float("nan")), "copy_bandwidth"),
        (
            lambda: meas.StepShape(batch=0.5, weight_params=1, weight_bytes=1, context_tokens=1, kv_bytes_per_token=1),
            "batch",
        ),
        (
            lambda: meas.MeasuredStep(
                sweep="batch",
                shape=meas.StepShape(batch=1, weight_params=1, weight_bytes=1, context_tokens=1, kv_bytes_per_token=1),
                median_s=1.0,
                min_s=2.0,
                max_s=3.0,
            ),
            "min_s <= median_s",
        ),
        (
            lambda: meas.MeasuredStep(
                sweep="width",
                shape=meas.StepShape(batch=1, weight_params=1, weight_bytes=1, context_tokens=1, kv_bytes_per_token=1),
                median_s=1.0,
                min_s=1.0,
                max_s=1.0,
            ),
            "sweep",
        ),
        (
            lambda: meas.Ceilings(matmul_flops_per_s=1, copy_bandwidth_bytes_per_s=1, read_bandwidth_bytes_per_s=0),
            "read_bandwidth_bytes_per_s",
        ),
        (
            lambda: meas.MeasuredStep(
                sweep="batch",
                shape=meas.StepShape(batch=1, weight_params=1, weight_bytes=1, context_tokens=1, kv_bytes_per_token=1),
                median_s=1.0,
                min_s=1.0,
                max_s=1.0,
                attainable_flops_per_s=float("inf"),
            ),
            "attainable_flops_per_s",
        ),
        (lambda: meas.summarize([]), "at least one"),
        (lambda: meas.geometric_grid(10, 1, 3), "high"),
        (lambda: meas.series_from_dict({"key": "x", "title": "x", "ceilings": {}}), "matmul_flops_per_s"),
    ],
)
def test_bad_input_raises_a_value_error_naming_it(build, named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        build()


# --------------------------------------------------------------------------- the script, --quick


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("measurements")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--devices", "cpu", "--out-dir", str(out), "--slug", "quick-test"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / "quick-test.json").read_text()), result.stdout


def test_quick_run_writes_the_documented_schema(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    assert data["schema"] == meas.SCHEMA and data["slug"] == "quick-test"
    machine = data["machine"]
    assert machine["cpu_model"] and machine["logical_cpus"] >= 1 and machine["numpy"]
    assert machine["llc"]["bytes"] > 0 and machine["llc"]["source"]
    assert "threads" in machine["blas"] and machine["gpu"] is None
    run = data["run"]
    assert run["quick"] is True and run["command"] == "python scripts/measure_hardware.py --quick --devices cpu"
    assert run["repeats"] >= 1 and isinstance(run["shared_cpu"], bool) and len(run["load_average_before"]) == 3
    (series,) = data["series"]
    assert series["device"] == "cpu" and series["dtype"] == "float32"
    ceilings = series["ceilings"]
    for ceiling in ("matmul", "copy", "read"):
        record = ceilings[ceiling]
        assert record["min_s"] <= record["median_s"] <= record["max_s"]
        assert len(record["samples_s"]) == run["repeats"]
    assert ceilings["read_bandwidth_bytes_per_s"] == ceilings["read"]["bytes_counted"] / ceilings["read"]["median_s"]
    assert ceilings["matmul"]["flop"] == 2 * ceilings["matmul"]["m"] * ceilings["matmul"]["n"] * ceilings["matmul"]["k"]
    assert ceilings["matmul_flops_per_s"] == ceilings["matmul"]["flop"] / ceilings["matmul"]["median_s"]
    assert ceilings["copy"]["bytes_counted"] == 2 * ceilings["copy"]["bytes_each_way"]
    decode = series["decode"]
    assert decode["weight_bytes"] == decode["weight_params"] * 4
    sweeps = [step["sweep"] for step in decode["steps"]]
    assert set(sweeps) == {"batch", "context"}
    assert 1 <= decode["block_rows"] <= decode["d_model"] and decode["l2_bytes"] > 0
    for step in decode["steps"]:
        assert step["min_s"] <= step["median_s"] <= step["max_s"] and len(step["samples_s"]) == run["repeats"]
        # The step's own compute ceiling: its products, on cached weights, over the in-cache twin's median.
        twin = step["in_cache"]
        assert len(twin["samples_s"]) == run["repeats"]
        assert step["attainable_flops_per_s"] == 2 * step["batch"] * decode["weight_params"] / twin["median_s"]
    batch_steps = [s for s in decode["steps"] if s["sweep"] == "batch"]
    assert {s["context_tokens"] for s in batch_steps} == {decode["batch_sweep_context_tokens"]}
    assert series["limits"], "the script states its limits"


def test_quick_run_predictions_come_from_the_core(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    (series,) = data["series"]
    recomputed = meas.comparison_as_dict(meas.series_from_dict(series).compare())
    assert series["predictions"] == recomputed
    # Negative control: the stored predictions follow the measured ceilings, not a fixed table.
    for change in ("read", "attainable"):
        changed = copy.deepcopy(series)
        if change == "read":
            changed["ceilings"]["read_bandwidth_bytes_per_s"] *= 2
        else:
            changed["decode"]["steps"][0]["attainable_flops_per_s"] /= 100
        assert meas.comparison_as_dict(meas.series_from_dict(changed).compare()) != series["predictions"], change


def test_quick_run_prints_a_table_with_both_errors(quick_run: tuple[dict, str]) -> None:
    data, stdout = quick_run
    (series,) = data["series"]
    assert "T=max" in stdout and "T=sum" in stdout
    first = series["decode"]["steps"][0]
    assert format_time(first["median_s"], 4) in stdout
    summary = series["predictions"]["max"]
    assert f"T = max: median |error| {format_percent(summary['median_abs_relative_error'], 1)}" in stdout


@pytest.mark.parametrize(
    ("option", "value"), [("--repeats", "0"), ("--warmup", "-1"), ("--threads", "0"), ("--devices", "tpu")]
)
def test_script_rejects_bad_options(tmp_path: Path, option: str, value: str) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--out-dir", str(tmp_path), option, value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and option in result.stderr
    assert not list(tmp_path.iterdir()), "nothing is written when the options are wrong"


@given(st.integers(1, 300), st.integers(1, 5), st.integers(1, 64))
def test_worker_blocks_cover_every_row_once_and_fit_the_block(rows: int, workers: int, block: int) -> None:
    shares = SCRIPT_MODULE.worker_blocks(rows, workers, block)
    assert len(shares) == workers
    covered = [r for share in shares for start, stop in share for r in range(start, stop)]
    assert covered == list(range(rows))
    assert all(0 < stop - start <= block for share in shares for start, stop in share)
    sizes = [sum(stop - start for start, stop in share) for share in shares]
    assert max(sizes) - min(sizes) <= 1


def test_a_block_fills_half_a_cores_l2() -> None:
    assert SCRIPT_MODULE.block_rows(1024 * 1024, 4096) == 128
    assert SCRIPT_MODULE.block_rows(100, 4096) == 1


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_cpu_step_chains_the_layers_and_reads_the_kv_on_tiny_shapes(workers: int) -> None:
    """The blocked, threaded step computes what the plain chain of products does, whatever the split."""
    np = pytest.importorskip("numpy")
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(0)
    layers, d, batch, block, rows, width = 3, 7, 2, 2, 5, 4
    weights = rng.standard_normal((layers, d, d)).astype(np.float32)
    activation = rng.standard_normal((d, batch)).astype(np.float32)
    cache = rng.standard_normal((layers, rows, width)).astype(np.float32)
    query = rng.standard_normal(width).astype(np.float32)
    scores = np.zeros(rows, dtype=np.float32)
    shares = SCRIPT_MODULE.worker_blocks(d, workers, block)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        common = {"pool": pool, "weights": weights, "shares": shares, "activation": activation, "query": query}
        out = SCRIPT_MODULE.cpu_step(np, **common, hot=None, cache=cache, scores=scores)()
        expected = activation
        for layer in weights:
            expected = layer @ expected
        np.testing.assert_allclose(out, expected, rtol=1e-4)
        np.testing.assert_allclose(scores, cache[-1] @ query, rtol=1e-5)
        # The in-cache twin: the same calls, each block multiplying its worker's hot block instead.
        hot = rng.standard_normal((workers, block, d)).astype(np.float32)
        one_layer = {**common, "weights": weights[:1]}
        twin = SCRIPT_MODULE.cpu_step(np, **one_layer, hot=hot, cache=None, scores=scores)()
        for w, share in enumerate(shares):
            for start, stop in share:
                np.testing.assert_allclose(twin[start:stop], hot[w, : stop - start] @ activation, rtol=1e-5)


def test_the_recorded_command_keeps_what_shapes_the_run() -> None:
    script = load_script()
    kept = script.rerun_args(["--out-dir", "/tmp/x", "--threads", "1", "--shared", "--note", "busy", "--slug=a"])
    assert kept == ["--threads", "1"]
    assert script.last_level_cache()["bytes"] > 0


# --------------------------------------------------------------------------- committed files


def test_a_measurement_of_the_ci_machine_kind_is_committed() -> None:
    assert COMMITTED, "commit at least the CI machine's run"
    cpus = [json.loads(path.read_text()) for path in COMMITTED]
    assert any(run["machine"]["gpu"] is None and run["machine"]["logical_cpus"] == 2 for run in cpus)


@pytest.mark.parametrize("path", COMMITTED, ids=[p.stem for p in COMMITTED])
def test_committed_measurements_are_full_runs_whose_predictions_the_core_reproduces(path: Path) -> None:
    data = json.loads(path.read_text())
    assert data["schema"] in meas.SCHEMAS and data["slug"] == path.stem
    assert data["run"]["quick"] is False and data["run"]["command"].startswith("python scripts/measure_hardware.py")
    llc = data["machine"]["llc"]["bytes"]
    for series in data["series"]:
        assert series["predictions"] == meas.comparison_as_dict(meas.series_from_dict(series).compare())
        if series["device"] == "cpu":
            assert series["decode"]["weight_bytes"] >= 3 * llc, "weights must be far beyond the last-level cache"
            assert series["ceilings"]["copy"]["bytes_each_way"] >= 3 * llc


def test_the_site_refuses_a_quick_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_run: tuple[dict, str]
) -> None:
    data, _ = quick_run
    (tmp_path / "quick-test.json").write_text(json.dumps(data))
    monkeypatch.setattr(hardware, "MEASUREMENTS", tmp_path)
    hardware.load_run.cache_clear()
    try:
        with pytest.raises(ValueError, match="--quick"):
            hardware.load_run("quick-test")
    finally:
        hardware.load_run.cache_clear()


# --------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def page_html(built_site: Path) -> str:
    return (built_site / "hardware" / "index.html").read_text()


def all_series() -> list[tuple[str, str]]:
    return [(path.stem, series["key"]) for path in COMMITTED for series in json.loads(path.read_text())["series"]]


def test_page_numbers_are_what_the_core_computes_from_the_committed_files(page_html: str) -> None:
    values = macro_values(page_html)
    for slug, key in all_series():
        s = hardware.series(slug, key)
        comparison = s.compare()
        shape = next(step.shape for step in s.steps if step.sweep == "batch")
        expected = {
            "hw_ceiling_flops": (
                s.ceilings.matmul_flops_per_s,
                f"{format_si(s.ceilings.matmul_flops_per_s, 3)} FLOP/s",
            ),
            "hw_ceiling_bandwidth": (
                s.ceilings.bandwidth_bytes_per_s,
                f"{format_si(s.ceilings.bandwidth_bytes_per_s, 3)} bytes/s",
            ),
            "hw_ceiling_copy": (
                s.ceilings.copy_bandwidth_bytes_per_s,
                f"{format_si(s.ceilings.copy_bandwidth_bytes_per_s, 3)} bytes/s",
            ),
            "hw_ceiling_compute": (s.ceilings.compute_ops_per_s, f"{format_si(s.ceilings.compute_ops_per_s, 3)} ops/s"),
            "hw_error_max_median": (
                comparison.max_error.median_abs,
                format_percent(comparison.max_error.median_abs, 0),
            ),
            "hw_error_sum_median": (
                comparison.sum_error.median_abs,
                format_percent(comparison.sum_error.median_abs, 0),
            ),
            "hw_error_max_worst": (comparison.max_error.worst, format_percent(comparison.max_error.worst, 0)),
            "hw_error_sum_worst": (comparison.sum_error.worst, format_percent(comparison.sum_error.worst, 0)),
        }
        for name, pair in expected.items():
            assert pair in values[name], name
        ratio = core.hardware_ratio(s.ceilings.compute_ops_per_s, s.ceilings.bandwidth_bytes_per_s)
        assert ratio in [v for v, _ in values["hw_ceiling_ratio"]]
        crossover = meas.predicted_crossover_batch(s.ceilings, shape)
        assert crossover in [v for v, _ in values["hw_crossover"]]
    # The per-point tables, machine by machine and series by series, in measured order.
    points = [p for slug, key in all_series() for p in hardware.series(slug, key).compare().points]
    assert values["hw_measured"] == [(p.step.median_s, format_time(p.step.median_s, 3)) for p in points]
    assert values["hw_predicted_max"] == [(p.prediction.max_s, format_time(p.prediction.max_s, 3)) for p in points]
    assert values["hw_predicted_sum"] == [(p.prediction.sum_s, format_time(p.prediction.sum_s, 3)) for p in points]
    assert [v for v, _ in values["hw_point_error_max"]] == [p.max_error for p in points]
    assert [v for v, _ in values["hw_point_error_sum"]] == [p.sum_error for p in points]
    # Negative control: the page shows no error the core did not compute.
    computed = {
        e
        for slug, key in all_series()
        for c in [hardware.series(slug, key).compare()]
        for e in (c.max_error.median_abs, c.sum_error.median_abs, c.max_error.worst, c.sum_error.worst)
    }
    shown = {v for name in values if name.startswith("hw_error_") for v, _ in values[name]}
    assert shown and shown <= computed


def test_the_ci_machine_prose_states_which_combination_fits(page_html: str) -> None:
    comparison = hardware.series("intel-xeon-processor-2-cores", "cpu-numpy-float32").compare()
    text = re.sub(r"<[^>]+>", "", page_html)
    assert f"on this machine T = {comparison.better_fit}" in " ".join(text.split())
    assert "shared" in text and "measure_hardware.py" in text


def test_each_chart_holds_the_measured_medians_and_the_cores_curves(page_html: str) -> None:
    specs = re.findall(r'<script type="application/json" id="hw-chart-([^"]+)-spec">(.*?)</script>', page_html, re.S)
    assert len(specs) == len(all_series())
    for (slug, key), (chart_id, raw) in zip(all_series(), specs, strict=True):
        assert chart_id == f"{slug}-{key}"
        figure = json.loads(raw)["figure"]
        comparison = hardware.series(slug, key).compare()
        measured = [t for t in figure["data"] if t["meta"] == "measured"]
        assert [y for t in measured for y in t["y"]] == [p.step.median_s for p in comparison.points]
        first_max = next(t for t in figure["data"] if t["meta"] == "max")
        batch_points = comparison.in_sweep("batch")
        if batch_points[0].step.attainable_flops_per_s is None:
            expected = meas.prediction_curve(comparison.ceilings, batch_points[0].step.shape, first_max["x"], "batch")
        else:  # each batch has its own C: the line joins the predictions at the measured batches
            assert first_max["x"] == [p.step.shape.batch for p in batch_points]
            expected = [p.prediction for p in batch_points]
        assert first_max["y"] == [p.max_s for p in expected]
        assert "https://" not in raw and "http://" not in raw


def test_a_gpu_run_is_set_beside_its_datasheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_run: tuple[dict, str]
) -> None:
    """No GPU here, so a CPU run relabelled as an H100 bf16 series exercises the datasheet column."""
    data = copy.deepcopy(quick_run[0])
    data["run"]["quick"] = False
    series = data["series"][0]
    series.update(
        key="cuda-torch-bf16", device="cuda", dtype="bf16", datasheet={"hardware": "h100-sxm", "precision": "bf16"}
    )
    (tmp_path / "fake-h100.json").write_text(json.dumps(data))
    monkeypatch.setattr(hardware, "MEASUREMENTS", tmp_path)
    hardware.load_run.cache_clear()
    try:
        section = hardware.machine_section("fake-h100")
    finally:
        hardware.load_run.cache_clear()
    values = macro_values(section)
    measured = meas.series_from_dict(series).ceilings
    h100 = hardware.presets.hardware("h100-sxm")
    assert values["hw_datasheet_flops"] == [
        (h100.dense_bf16_flops_per_s, f"{format_si(h100.dense_bf16_flops_per_s, 3)} FLOP/s")
    ]
    share = meas.fraction_of(measured.copy_bandwidth_bytes_per_s, h100.bandwidth_bytes_per_s)
    assert values["hw_fraction_copy"] == [(share, format_percent(share, 0))]
    assert "NVIDIA H100 SXM, dense bf16" in section


def test_a_current_run_states_its_method_and_an_old_one_is_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_run: tuple[dict, str]
) -> None:
    """A run with the read stream and the in-cache twins gets no warning; one without both does."""
    current = copy.deepcopy(quick_run[0])
    current["run"]["quick"] = False
    old = copy.deepcopy(current)
    old["schema"] = "roofline-measurement/1"
    del old["series"][0]["ceilings"]["read_bandwidth_bytes_per_s"]
    for step in old["series"][0]["decode"]["steps"]:
        del step["attainable_flops_per_s"]
    (tmp_path / "current.json").write_text(json.dumps(current))
    (tmp_path / "old.json").write_text(json.dumps(old))
    monkeypatch.setattr(hardware, "MEASUREMENTS", tmp_path)
    hardware.load_run.cache_clear()
    key = current["series"][0]["key"]
    try:
        assert hardware.hw_run_note("current", key) == ""
        assert "kept in cache" in hardware.hw_method("current", key) and "read-only" in hardware.hw_method(
            "current", key
        )
        assert "predates" in hardware.hw_run_note("old", key)
        assert hardware.hw_method("old", key) == "C from one square matrix product, BW from a copy"
        section = hardware.machine_section("current")
        assert "read-only stream (the model's BW)" in section
        assert len(macro_values(section)["hw_attainable"]) == len(current["series"][0]["decode"]["steps"])
    finally:
        hardware.load_run.cache_clear()


def test_the_core_never_needs_numpy() -> None:
    code = "import sys; sys.modules['numpy'] = None; import roofline.measurement, roofline_site.pages.hardware"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_chart_ticks_run_one_two_five_across_the_data() -> None:
    assert hardware.log_ticks(0.045, 0.3) == [0.02, 0.05, 0.1, 0.2, 0.5]
    assert hardware.log_ticks(0.0486, 4.67) == [0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
