"""The serving estimate: each term against a hand calculation, the memory wall,
the published data's validation, the committed fit, and ``roofline serving``."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from roofline import calibration, cli, serving
from roofline import deployment as dep

# Round constants so each hand calculation below is easy to follow.
UNIT = serving.Constants(
    bandwidth_fraction=0.5,
    compute_fraction=0.5,
    overhead_per_layer_s=1e-5,
    overhead_per_sequence_s=1e-6,
    collective_latency_s=2e-6,
    memory_fraction=0.9,
)


def _llama8b(context: float = 1000.0) -> dep.Deployment:
    return dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8", context_tokens=context)


def test_weights_term_is_bytes_over_attainable_bandwidth() -> None:
    # 8.03e9 weights × 1 byte / (3.35e12 B/s × 0.5)
    assert serving.weights_time_s(_llama8b(), 7, UNIT) == pytest.approx(8.03e9 / (3.35e12 * 0.5))


def test_kv_term_reads_every_sequence_at_the_mean_context() -> None:
    # 32 layers × 2 × 8 heads × 128 × 1 byte = 65,536 bytes per token; 10 sequences of 1,000 tokens.
    assert serving.kv_time_s(_llama8b(1000), 10, UNIT) == pytest.approx(10 * 65_536 * 1000 / (3.35e12 * 0.5))


def test_compute_term_counts_attention_over_the_context() -> None:
    # Attention: 2 · 32 heads · 128 = 8,192 multiply-adds per layer per cached token, 32 layers.
    ops = 8.03e9 + 8192 * 32 * 1000
    assert serving.compute_time_s(_llama8b(1000), 100, UNIT) == pytest.approx(100 * ops / (1978.9e12 / 2 * 0.5))


def test_overhead_term_is_per_layer_plus_per_sequence_per_replica() -> None:
    assert serving.overhead_time_s(_llama8b(), 50, UNIT) == pytest.approx(32 * 1e-5 + 50 * 1e-6)
    assert serving.overhead_time_s(_llama8b(), 50, UNIT, replicas=5) == pytest.approx(32 * 1e-5 + 10 * 1e-6)


def test_tensor_parallel_term_is_two_ring_all_reduces_per_layer() -> None:
    d = dep.deployment("h100-sxm", "llama-3.3-70b", gpus=2, precision="fp8")
    message = 64 * 8192 * 2  # B · hidden · BF16
    one = 2e-6 + 2 * (2 - 1) / 2 * message / 450e9
    assert serving.tensor_parallel_time_s(d, 64, 2, UNIT) == pytest.approx(2 * 80 * one)
    assert serving.tensor_parallel_time_s(d, 64, 1, UNIT) == 0.0


def test_expert_parallel_term_crosses_the_network_beyond_a_node() -> None:
    d = dep.deployment("h800", "deepseek-v3", gpus=16, precision="fp8")
    per_chip = 1600 / 16 * 8 * 7168 * (1 + 2) * 15 / 16  # FP8 dispatch + BF16 combine, 15/16 leave the chip
    expected = (61 - 3) * (2 * 2e-6 + per_chip / 50e9)
    assert serving.expert_parallel_time_s(d, 1600, 16, UNIT) == pytest.approx(expected)
    # Inside one node the NVLink figure applies instead.
    inside = dep.deployment("h800", "deepseek-v3", gpus=8, precision="fp8")
    per_chip_8 = 1600 / 8 * 8 * 7168 * 3 * 7 / 8
    assert serving.expert_parallel_time_s(inside, 1600, 8, UNIT) == pytest.approx(58 * (4e-6 + per_chip_8 / 200e9))


def test_prefill_share_is_new_prompt_tokens_per_step_at_attainable_compute() -> None:
    # 100 sequences, each replaced every 500 steps by a 5,000-token prompt: 1,000 prompt tokens a step,
    # each with attention over half its prompt.
    ops = 8.03e9 + 8192 * 32 * 2500
    expected = 1000 * ops / (1978.9e12 / 2 * 0.5)
    assert serving.prefill_share_time_s(_llama8b(), 100, 5000, 500, UNIT) == pytest.approx(expected)


def test_mean_context_is_input_plus_half_the_output() -> None:
    assert serving.mean_context_tokens(5000, 500) == 5250.0


def test_memory_wall_caps_the_running_batch() -> None:
    # (0.9 · 80 GB − 8.03 GB) / (65,536 bytes × 22,000 tokens) = 44.4: 44 sequences.
    e = serving.estimate(
        "h100-sxm",
        "llama-3.1-8b",
        gpus=1,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=20_000,
        output_tokens=2_000,
        concurrency=250,
        c=UNIT,
    )
    assert e.capacity_batch == math.floor((0.9 * 80e9 - 8.03e9) / (65_536 * 22_000)) == 44
    assert e.running_batch == 44
    # Past the wall more clients only queue: the time per token stops growing.
    fewer = serving.estimate(
        "h100-sxm",
        "llama-3.1-8b",
        gpus=1,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=20_000,
        output_tokens=2_000,
        concurrency=100,
        c=UNIT,
    )
    assert fewer.tpot_s == e.tpot_s and fewer.ttft_s < e.ttft_s


def test_the_estimate_sums_its_terms_and_keeps_the_articles_max_apart() -> None:
    e = serving.estimate(
        "h100-sxm",
        "llama-3.3-70b",
        gpus=2,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=1000,
        output_tokens=1000,
        concurrency=50,
        c=UNIT,
    )
    t = e.terms
    assert t.step_s == pytest.approx(max(t.weights_s + t.kv_s, t.compute_s) + t.overhead_s + t.communication_s)
    assert e.tpot_s == pytest.approx(t.step_s + t.prefill_s)
    assert e.output_tokens_per_s == pytest.approx(50 / e.tpot_s)
    d = dep.deployment("h100-sxm", "llama-3.3-70b", gpus=2, precision="fp8", kv_precision="fp8", context_tokens=1500)
    assert e.article_step_s == dep.step_at(d, 50).latency_s
    # The money: every GPU-second is billed once, split by what the chips did.
    dollars_per_s = 2.0 * 2 / 3600
    billed = (
        e.usd_per_million_input_tokens * e.input_tokens_per_s + e.usd_per_million_output_tokens * e.output_tokens_per_s
    ) / 1e6
    assert billed == pytest.approx(dollars_per_s)


def test_disaggregated_prefill_costs_decode_nothing() -> None:
    e = serving.estimate(
        "h800",
        "deepseek-v3",
        gpus=144,
        precision="fp8",
        input_tokens=4096,
        output_tokens=2048,
        concurrency=13_200,
        disaggregated=True,
    )
    assert e.terms.prefill_s == 0.0 and e.parallelism == "ep"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"input_tokens": 0}, "input_tokens"),
        ({"output_tokens": float("nan")}, "output_tokens"),
        ({"concurrency": 2.5}, "concurrency"),
        ({"concurrency": -1}, "concurrency"),
        ({"parallelism": "pp"}, "parallelism"),
        ({"parallelism": "ep"}, "dense"),
        ({"gpus": 0}, "gpus"),
        ({"model": "deepseek-v3"}, "no room"),
    ],
)
def test_bad_input_names_the_value(changes: dict, message: str) -> None:
    kwargs = {"gpus": 1, "precision": "fp8", "input_tokens": 100, "output_tokens": 100, "concurrency": 1}
    model = changes.pop("model", "llama-3.1-8b")
    kwargs.update(changes)
    with pytest.raises(ValueError, match=message):
        serving.estimate("h100-sxm", model, **kwargs)


def test_constants_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="bandwidth_fraction"):
        replace(serving.FITTED, bandwidth_fraction=1.5)
    with pytest.raises(ValueError, match="overhead_per_layer_s"):
        replace(serving.FITTED, overhead_per_layer_s=-1.0)


# ---------------------------------------------------------------- published data


def test_published_data_meets_the_issues_floor() -> None:
    points = calibration.load()
    sources = {p.source.id for p in points}
    assert len(points) >= 40 and len(sources) >= 3
    assert len({p.source.hardware for p in points}) >= 2
    models = {p.source.model for p in points}
    assert any(m.startswith("llama") for m in models) and "deepseek-v3" in models
    for p in points:
        assert p.source.document and p.source.table and p.source.engine_version
        if p.derived:
            assert "tpot_s" in p.derived or p.tpot_s > 0


def test_validation_names_the_file_and_field(tmp_path) -> None:
    body = json.loads(next(calibration.default_directory().glob("nim-*8b*.json")).read_text())
    body["points"][3]["tpot_s"] = -1
    (tmp_path / "bad.json").write_text(json.dumps(body))
    with pytest.raises(ValueError, match=r"bad.json, point 3: tpot_s"):
        calibration.load(tmp_path)
    body["points"][3]["tpot_s"] = 0.01
    body["source"]["hardware"] = "h300"
    (tmp_path / "bad.json").write_text(json.dumps(body))
    with pytest.raises(ValueError, match=r"bad\.json: hardware 'h300'"):
        calibration.load(tmp_path)
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        calibration.load(tmp_path)
    with pytest.raises(ValueError, match="no published data directory"):
        calibration.load(tmp_path / "missing")


def test_committed_constants_equal_a_refit_on_the_named_sources() -> None:
    points = calibration.load()
    assert tuple(sorted({p.source.id for p in points})) == serving.FITTED_ON
    refit = calibration.fit(points)
    for name in calibration.FIT_BOUNDS:
        assert getattr(refit, name) == getattr(serving.FITTED, name), name


def test_leave_one_source_out_fits_without_the_held_out_source() -> None:
    points = calibration.load()
    rows = calibration.leave_one_source_out(points)
    assert [r.source.id for r in rows] == sorted({p.source.id for p in points})
    for row in rows:
        train = [p for p in points if p.source.id != row.source.id]
        assert row.constants == calibration.fit(train)
        # The estimate beats the article's max alone on every held-out source.
        assert row.median_abs_error < row.article_median_abs_error
    pooled = calibration.pooled_held_out(rows)
    assert pooled.points == len(points)
    assert pooled.median_abs_error < 0.25


# ---------------------------------------------------------------- the command line

ARGS = [
    "serving",
    "--hardware",
    "h100-sxm",
    "--model",
    "llama-3.1-8b",
    "--gpus",
    "1",
    "--precision",
    "fp8",
    "--kv-precision",
    "fp8",
    "--input-tokens",
    "1000",
    "--output-tokens",
    "1000",
    "--concurrency",
    "25",
]


def test_cli_json_has_every_figure_and_term(capsys) -> None:
    assert cli.main([*ARGS, "--usd-per-gpu-hour", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    e = serving.estimate(
        "h100-sxm",
        "llama-3.1-8b",
        gpus=1,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=1000,
        output_tokens=1000,
        concurrency=25,
        usd_per_gpu_hour=3,
    )
    assert out["tpot_s"] == e.tpot_s and out["ttft_s"] == e.ttft_s
    for name in (
        "output_tokens_per_s",
        "running_batch",
        "usd_per_million_input_tokens",
        "usd_per_million_output_tokens",
        "article_step_s",
        "weights_s",
        "kv_s",
        "compute_s",
        "overhead_s",
        "communication_s",
        "prefill_s",
    ):
        assert out[name] == e.as_dict()[name], name


def test_cli_readable_form(capsys) -> None:
    assert cli.main(ARGS) == 0
    out = capsys.readouterr().out
    assert "time per output token" in out and "prefill share" in out and "the article's max alone" in out


@pytest.mark.parametrize(
    ("swap", "needle"),
    [
        (("--concurrency", "0"), "--concurrency"),
        (("--input-tokens", "abc"), "--input-tokens"),
        (("--hardware", "h300"), "h300"),
        (("--kv-precision", "fp4"), "fp4"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(capsys, swap: tuple[str, str], needle: str) -> None:
    args = list(ARGS)
    args[args.index(swap[0]) + 1] = swap[1]
    try:
        code = cli.main(args)
    except SystemExit as stop:  # argparse's own refusals exit from inside
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_cli_refuses_a_missing_required_option(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["serving", "--hardware", "h100-sxm", "--model", "llama-3.1-8b"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_overlap_runs_from_the_sum_to_the_articles_max() -> None:
    terms = serving.Terms(
        weights_s=3.0, kv_s=1.0, compute_s=2.0, overhead_s=0.5, communication_s=0.25, prefill_s=0.125, overlap=1.0
    )
    assert terms.roofline_s == 4.0  # max(3 + 1, 2)
    assert replace(terms, overlap=0.0).roofline_s == 6.0  # 3 + 1 + 2
    assert replace(terms, overlap=0.5).roofline_s == 5.0  # half of the shorter job hidden
    assert replace(terms, overlap=0.0).tpot_s == 6.0 + 0.5 + 0.25 + 0.125
    with pytest.raises(ValueError, match="overlap"):
        replace(serving.FITTED, overlap=1.5)


def test_the_fits_fast_path_rebuilds_the_estimate_exactly() -> None:
    points = calibration.load()
    for c in (serving.FITTED, UNIT, replace(serving.FITTED, overlap=0.3, overhead_per_sequence_s=1e-4)):
        parts = calibration._parts(points, c)
        for part, point in zip(parts, points, strict=True):
            assert part.tpot_s(c) == pytest.approx(calibration.estimate_point(point, c).tpot_s, rel=1e-12)


def test_cli_a_deployment_that_does_not_fit_exits_1_with_the_reason(capsys) -> None:
    # As the main command: not fitting is an answer about the deployment, not bad input.
    args = list(ARGS)
    args[args.index("--model") + 1] = "deepseek-v3"
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "no room" in err and err.count("\n") == 1


def test_cli_answers_for_eight_pcie_cards() -> None:
    # Beyond one NVLink pair, H100 PCIe cards talk over PCIe (its cited figure), so the estimate answers.
    e = serving.estimate("h100-pcie", "llama-3.1-70b", gpus=8, precision="fp8", input_tokens=1000, output_tokens=1000, concurrency=8)
    assert e.tpot_s > 0 and e.terms.communication_s > 0
