"""The serving estimate: each term against a hand calculation, the memory wall,
the published data's validation, the committed fit, and ``roofline serving``."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from roofline import calibration, cli, serving
from roofline import deployment as dep
from roofline import frontier as fr
from roofline import speculative as spec

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
    assert d.active_layout.key == "tp2"
    message = 64 * 8192 * 2  # B · hidden · BF16
    one = 2e-6 + 2 * (2 - 1) / 2 * message / 450e9
    assert serving.communication_time_s(d, 64, UNIT) == pytest.approx(2 * 80 * one)
    # One chip, or the article's even split, runs no collective.
    assert serving.communication_time_s(_llama8b(), 64, UNIT) == 0.0
    assert serving.communication_time_s(replace(d, layout=dep.IDEAL), 64, UNIT) == 0.0


def test_expert_parallel_term_crosses_the_network_beyond_a_node() -> None:
    d = dep.deployment("h800", "deepseek-v3", gpus=16, precision="fp8", layout="tp16-ep16-dpa")
    # Each chip holds 1600 / 16 sequences and sends each token to its 8 experts, 15/16 of them off the chip:
    # an FP8 dispatch and a BF16 combine per MoE layer, each with its latency.
    sent = 1600 / 16 * 8 * 7168
    expected = (61 - 3) * (2 * 2e-6 + sent * (1 + 2) * 15 / 16 / 50e9)
    assert serving.communication_time_s(d, 1600, UNIT) == pytest.approx(expected)
    # Inside one node the NVLink figure applies instead.
    inside = dep.deployment("h800", "deepseek-v3", gpus=8, precision="fp8", layout="tp8-ep8-dpa")
    sent_8 = 1600 / 8 * 8 * 7168
    assert serving.communication_time_s(inside, 1600, UNIT) == pytest.approx(58 * (4e-6 + sent_8 * 3 * 7 / 8 / 200e9))
    # BF16 math dispatches in BF16.
    bf16 = dep.deployment("h800", "deepseek-v3", gpus=8, precision="bf16", layout="tp8-ep8-dpa")
    assert serving.communication_time_s(bf16, 1600, UNIT) == pytest.approx(58 * (4e-6 + sent_8 * 4 * 7 / 8 / 200e9))


def test_pipeline_hand_offs_cross_the_network_between_nodes() -> None:
    d = dep.deployment("h100-sxm", "llama-3.1-405b", gpus=16, precision="fp8", layout="tp8-pp2")
    message = 64 / 2 * 16384 * 2  # a micro-batch of B / 2 sequences' BF16 hidden states
    all_reduce = 2e-6 + 2 * 7 / 8 * message / 450e9  # inside a stage: NVLink
    send = 2e-6 + message / 50e9  # between the two stages: the network
    assert serving.communication_time_s(d, 64, UNIT) == pytest.approx(2 * 126 * all_reduce + send)


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


def test_a_terms_share_is_its_seconds_over_the_time_per_output_token() -> None:
    e = serving.estimate_deployment(
        _llama8b(), serving.Workload(input_tokens=1000, output_tokens=1000), concurrency=50, c=UNIT
    )
    t = e.terms
    assert serving.term_share(e, "weights_s") == t.weights_s / e.tpot_s
    assert serving.term_share(e, "prefill_s") == t.prefill_s / e.tpot_s
    # One token a step: the step and prefill's share make the whole time per token.
    assert serving.term_share(e, "step_s") + serving.term_share(e, "prefill_s") == pytest.approx(1.0)
    # tokens_per_step is a count, not a time: it has no share.
    for bad in ("tokens_per_step", "weights", ""):
        with pytest.raises(ValueError, match="term must be one of"):
            serving.term_share(e, bad)


def test_the_output_share_is_output_over_every_token_and_undoes_the_workload() -> None:
    assert serving.output_share(1000, 1000) == 0.5
    assert serving.output_share(5000, 500) == 500 / 5500
    prompt, generated = serving.workload_for_mean_context(
        serving.mean_context_tokens(5000, 500), serving.output_share(5000, 500)
    )
    assert (prompt, generated) == (pytest.approx(5000), pytest.approx(500))


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
    assert e.terms.prefill_s == 0.0 and e.parallelism == "ep" and e.layout.key == "tp144-ep144-dpa"
    assert e.as_dict()["layout"] == "tp144-ep144-dpa" and e.as_dict()["parallelism"] == "ep"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"input_tokens": 0}, "input_tokens"),
        ({"output_tokens": float("nan")}, "output_tokens"),
        ({"concurrency": 2.5}, "concurrency"),
        ({"concurrency": -1}, "concurrency"),
        ({"layout": "pp"}, "layout"),
        ({"layout": "tp1-ep2"}, "dense"),
        ({"layout": "tp2"}, "spans"),
        ({"speculation": 2}, "speculation"),
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
    assert [r.source.id for r in rows] == list(dict.fromkeys(p.source.id for p in points))  # file order
    for row in rows:
        train = [p for p in points if p.source.id != row.source.id]
        assert row.constants == calibration.fit(train)
        # The estimate beats the article's max alone on every held-out source but one: the vLLM pull
        # request's single Qwen3-30B-A3B point, where both miss by about a quarter.
        if row.source.id != "vllm-pr23151-qwen3-30b-a3b-h100":
            assert row.median_abs_error < row.article_median_abs_error, row.source.id
    pooled = calibration.pooled_held_out(rows)
    assert pooled.points == len(points)
    # 215 points from 24 sources, most of them MoE, which the estimate runs too fast: 31.5% pooled
    # (it was 10.7% on the four sources before issue 22's data, 79 of the 81 points dense NIM rows).
    assert pooled.median_abs_error < 0.33
    assert pooled.median_abs_error < pooled.article_median_abs_error


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
    e = serving.estimate(
        "h100-pcie", "llama-3.1-70b", gpus=8, precision="fp8", input_tokens=1000, output_tokens=1000, concurrency=8
    )
    assert e.tpot_s > 0 and e.terms.communication_s > 0


# ---------------------------------------------------------------- the layout and the model's cited precisions

H200_BW = 4.8e12
H200_FP8_OPS = 1979e12 / 2  # dense FP8 FLOP/s ÷ 2
H200_BF16_OPS = 989.5e12 / 2


def _deepseek_8x_h200(layout: str | None = None) -> dep.Deployment:
    return dep.deployment(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=4096, layout=layout
    )


def test_deepseek_on_eight_h200s_under_tp8_from_first_principles() -> None:
    d = _deepseek_8x_h200()
    assert d.active_layout.key == "tp8"  # what SGLang launches on one node
    # Full coverage: every expert read, 671e9 weights at one byte each over 8 × 4.8 TB/s: the routed
    # experts' at the experts' fitted share, the rest at 0.9.
    routed = dep.routed_params(d.model)
    expert_share = serving.FITTED.expert_bandwidth_fraction
    assert serving.weights_time_s(d, 1e6) == pytest.approx(
        (671e9 - routed) / (8 * H200_BW * 0.9) + routed / (8 * H200_BW * expert_share)
    )
    # MLA under TP: every chip holds and reads every sequence's whole latent (61 layers × 576 elements × 1 byte),
    # so 8 copies.
    kv = 61 * 576 * 1 * 4096
    assert serving.kv_time_s(d, 100) == pytest.approx(100 * 8 * kv / (8 * H200_BW * 0.9))
    # Compute: N_active at FP8's rate, attention at BF16's (DeepSeek states BF16 for MLA):
    # absorbed MLA does 128 heads × (512 + 64 + 512) = 139,264 multiply-adds per layer per cached token.
    attention = 128 * (512 + 64 + 512) * 61 * 4096
    per_token = 37e9 / (8 * H200_FP8_OPS) + attention / (8 * H200_BF16_OPS)
    assert serving.compute_time_s(d, 100) == pytest.approx(100 * per_token / 0.8)
    # Charged at the weights' FP8 rate instead, attention would take half as long.
    fp8 = replace(d, attention_precision="fp8")
    assert serving.compute_time_s(d, 100) > serving.compute_time_s(fp8, 100)
    # Every chip steps through the whole batch under TP.
    assert serving.overhead_replicas(d) == 1


def test_dp_attention_copies_the_shared_weights_and_splits_the_kv() -> None:
    tp8, dpa = _deepseek_8x_h200(), _deepseek_8x_h200("tp8-ep8-dpa")
    shared = dep.shared_params(dpa.model)
    routed = dep.routed_params(dpa.model)
    expert_share = serving.FITTED.expert_bandwidth_fraction
    assert serving.weights_time_s(dpa, 1e6) == pytest.approx(
        (671e9 - routed + 7 * shared) / (8 * H200_BW * 0.9) + routed / (8 * H200_BW * expert_share)
    )
    assert serving.kv_time_s(dpa, 100) == pytest.approx(serving.kv_time_s(tp8, 100) / 8)
    assert serving.compute_time_s(dpa, 100) == serving.compute_time_s(tp8, 100)  # attention is never copied
    assert serving.overhead_replicas(dpa) == 8
    # The memory wall follows the copies: more room for KV than under tp8, less than the even split.
    walls = [serving.memory_wall_batch(_deepseek_8x_h200(key), 4096) for key in ("tp8", "tp8-ep8-dpa", "ideal")]
    assert walls[0] < walls[1] < walls[2]


def test_the_estimate_follows_the_layout_it_is_given() -> None:
    kwargs = {"gpus": 8, "precision": "fp8", "kv_precision": "fp8", "input_tokens": 3000, "output_tokens": 1000}
    tp8 = serving.estimate("h200", "deepseek-v3", concurrency=64, **kwargs)
    dpa = serving.estimate("h200", "deepseek-v3", concurrency=64, layout=dep.parse_layout("tp8-ep8-dpa"), **kwargs)
    ideal = serving.estimate("h200", "deepseek-v3", concurrency=64, layout="ideal", **kwargs)
    assert (tp8.layout.key, dpa.layout.key, ideal.layout.key) == ("tp8", "tp8-ep8-dpa", "ideal")
    assert tp8.as_dict()["parallelism"] == "tp" and dpa.as_dict()["parallelism"] == "ep"
    assert ideal.terms.communication_s == 0.0 < tp8.terms.communication_s
    assert ideal.terms.kv_s < tp8.terms.kv_s and dpa.terms.kv_s == pytest.approx(ideal.terms.kv_s)


# ---------------------------------------------------------------- speculative decoding


def test_speculation_multiplies_compute_reads_kv_once_and_divides_by_tokens_per_step() -> None:
    d = _deepseek_8x_h200()
    s = spec.mtp_speculation()
    plain = serving.step_terms(d, 32, serving.Workload(input_tokens=3000, output_tokens=2000))
    with_mtp = serving.step_terms(d, 32, serving.Workload(input_tokens=3000, output_tokens=2000, speculation=s))
    assert with_mtp.compute_s == pytest.approx(2 * plain.compute_s)
    assert with_mtp.kv_s == plain.kv_s
    assert with_mtp.weights_s == pytest.approx(serving.weights_time_s(d, 64))  # the experts 2 · B tokens touch
    # One drafted token: the MTP module's 12.4e9 weights read at one byte, or its arithmetic, whichever is slower.
    read = 12.4e9 / (8 * H200_BW * 0.9)
    assert with_mtp.draft_s == pytest.approx(max(read, 32 * 1.5e9 / (8 * H200_FP8_OPS * 0.8)))
    assert with_mtp.tokens_per_step == pytest.approx(1.85)
    assert with_mtp.tpot_s == pytest.approx((with_mtp.step_s + with_mtp.prefill_s) / 1.85)
    # Each step now finishes 1.85 tokens per sequence, so 1.85 times the prompts arrive per step.
    assert with_mtp.prefill_s == pytest.approx(1.85 * plain.prefill_s)


def test_speculation_raises_tokens_per_user_at_small_batch() -> None:
    kwargs = {"gpus": 8, "precision": "fp8", "kv_precision": "fp8", "input_tokens": 1000, "output_tokens": 1000}
    plain = serving.estimate("h200", "deepseek-v3", concurrency=1, **kwargs)
    fast = serving.estimate("h200", "deepseek-v3", concurrency=1, speculation=spec.mtp_speculation(), **kwargs)
    assert fast.tokens_per_s_per_user > 1.3 * plain.tokens_per_s_per_user
    assert fast.output_tokens_per_s == pytest.approx(fast.running_batch / fast.tpot_s)


def test_batch_for_target_is_the_last_batch_that_meets_it() -> None:
    e = serving.estimate(
        "h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8", input_tokens=1000,
        output_tokens=1000, concurrency=1,
    )  # fmt: skip
    batch, limit = serving.batch_for_target(e, 0.02)
    assert limit == "latency" and 1 < batch < e.capacity_batch
    assert serving._tpot(e, batch) <= 0.02 < serving._tpot(e, batch + 1)
    assert serving.batch_for_target(e, 3600.0) == (e.capacity_batch, "memory")
    assert serving.batch_for_target(e, 1e-4) == (None, "latency")


# ---------------------------------------------------------------- the sources' layouts and the weighting


def test_each_source_runs_the_layout_it_states() -> None:
    layouts = {p.source.id: p.source.layout.key for p in calibration.load()}
    named = {
        # "Routed Expert EP144, MLA/Shared Expert DP144"; RTP-LLM states tensor 1, expert 144 on 144 GPUs.
        "deepseek-v3-production-h800": "tp144-ep144-dpa",
        "rtp-llm-deepseek-v3-h800": "tp144-ep144-dpa",
        "nim-1.8.0-llama-3.1-8b-h100": "tp1",
        "nim-1.8.0-llama-3.3-70b-2xh100": "tp2",
        "vllm-pr23151-qwen3-30b-a3b-h100": "tp1",
        "inferencex-pr1053-gptoss120b-mi300x-vllm-0.17.0": "tp1",
        # InferenceX's decode_tp 16 with dp_attention true: attention TP 1, EP 16
        "inferencex-dsr1-fp8-h100x16-dynamo-sglang-0.5.8-dep16-mtp": "tp16-ep16-dpa",
        "inferencex-dsr1-fp8-h100x16-dynamo-trtllm-dep16": "tp16-ep16-dpa",
        "inferencex-dsr1-fp8-h100x16-dynamo-sglang-0.5.8-tp16-mtp": "tp16",
        # TensorRT-LLM's --ep_size 8 inside TP 8
        "inferencex-dsr1-fp8-b200-trtllm-1.1.0rc2.post2-mtp": "tp8-ep8",
        "inferencex-dsr1-fp8-h200-trtllm-1.1.0rc2.post2-mtp": "tp8-ep8",
        "inferencex-dsr1-fp8-h200-trtllm-1.3.0rc14": "tp8-ep8",
    }
    for source, key in layouts.items():
        assert key == named.get(source, "tp8"), source  # the rest: TP 8 on one node


def test_data_parallel_replicas_without_ep_are_refused(tmp_path) -> None:
    body = json.loads(next(calibration.default_directory().glob("nim-*70b*.json")).read_text())
    body["source"]["parallelism"]["tensor"] = 1  # two replicas of one chip: no layout here expresses that
    (tmp_path / "dp.json").write_text(json.dumps(body))
    with pytest.raises(ValueError, match=r"dp\.json: parallelism"):
        calibration.load(tmp_path)


def test_every_source_weighs_the_same_whatever_its_points() -> None:
    points = calibration.load()
    nim = [p for p in points if p.source.id.startswith("nim-1.8.0-llama-3.1")]
    # Counting one table's rows three times changes nothing: each source's points weigh 1 / their number.
    assert calibration.fit([*points, *nim, *nim]) == calibration.fit(points)
    # Within one publisher (NVIDIA's two NIM tables) each source weighs the same; publishers are
    # weighed equally too (tests/slow/test_calibration.py checks the loss over publishers).
    parts = calibration._parts(
        nim + [p for p in points if p.source.id.startswith("nim-1.8.0-llama-3.3")], serving.FITTED
    )
    by_source: dict[str, list[float]] = {}
    for part, point in zip(parts, [p for p in points if p.source.id.startswith("nim-")], strict=True):
        by_source.setdefault(point.source.id, []).append(abs(math.log(part.tpot_s(serving.FITTED) / part.measured_s)))
    per_source = [sum(v) / len(v) for v in by_source.values()]
    assert calibration._loss(parts, serving.FITTED) == pytest.approx(sum(per_source) / len(per_source))


# ---------------------------------------------------------------- the command line: layouts, targets, speculation

DEEPSEEK_ARGS = [
    "serving",
    "--hardware",
    "h200",
    "--model",
    "deepseek-v3",
    "--gpus",
    "8",
    "--precision",
    "fp8",
    "--kv-precision",
    "fp8",
    "--input-tokens",
    "3000",
    "--output-tokens",
    "1000",
]


@pytest.mark.parametrize(
    ("model", "gpus", "flags", "needle"),
    [
        ("deepseek-v3", "8", ["--tp", "4"], "spans"),  # does not multiply to --gpus
        ("llama-3.1-70b", "8", ["--ep", "8"], "dense"),  # EP on a dense model
        ("llama-3.1-8b", "64", ["--tp", "64"], "attention heads"),  # TP above the heads
        ("llama-3.1-8b", "64", ["--tp", "1", "--pp", "64"], "layers"),  # PP above the layers
        ("deepseek-v3", "8", ["--ideal", "--tp", "8"], "--ideal"),
        ("deepseek-v3", "8", ["--acceptance", "0.5"], "--draft-tokens"),
        ("deepseek-v3", "8", ["--mtp", "--acceptance", "1.5"], "acceptance"),
        ("deepseek-v3", "8", ["--tpot-target-ms", "0.0"], "--tpot-target-ms"),
    ],
)
def test_cli_refuses_a_layout_or_drafter_that_cannot_run(
    capsys, model: str, gpus: str, flags: list, needle: str
) -> None:
    args = list(DEEPSEEK_ARGS)
    args[args.index("--model") + 1] = model
    args[args.index("--gpus") + 1] = gpus
    assert cli.main([*args, "--concurrency", "1", *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_cli_concurrency_is_required_without_a_target(capsys) -> None:
    assert cli.main(DEEPSEEK_ARGS) == 2
    assert "--concurrency" in capsys.readouterr().err


def _json(capsys, args: list[str]) -> dict:
    assert cli.main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_layout_flags_reach_the_estimate(capsys) -> None:
    out = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "64", "--tp", "8", "--ep", "8", "--dp-attention"])
    assert out["layout"] == "tp8-ep8-dpa" and out["parallelism"] == "ep"
    e = serving.estimate(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", input_tokens=3000, output_tokens=1000,
        concurrency=64, layout="tp8-ep8-dpa",
    )  # fmt: skip
    assert out["tpot_s"] == e.tpot_s and out["capacity_batch"] == e.capacity_batch
    assert _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "64"])["layout"] == "tp8"
    assert _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "64", "--ideal"])["communication_s"] == 0.0


def test_cli_target_chooses_a_batch_that_meets_it_and_whose_next_does_not(capsys) -> None:
    out = _json(capsys, [*DEEPSEEK_ARGS, "--tpot-target-ms", "40"])
    chosen = out["chosen_batch"]
    assert out["binding_limit"] == "latency" and out["tpot_target_s"] == 0.04
    assert out["running_batch"] == chosen < out["capacity_batch"]
    assert out["tpot_s"] <= 0.04
    after = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", str(chosen + 1)])
    assert after["tpot_s"] > 0.04
    for name in ("capacity_batch", "usd_per_million_input_tokens", "usd_per_million_output_tokens", "layout"):
        assert name in out, name
    # A target the memory wall reaches first, and one no batch meets.
    loose = _json(capsys, [*DEEPSEEK_ARGS, "--tpot-target-ms", "10K"])
    assert loose["binding_limit"] == "memory" and loose["chosen_batch"] == loose["capacity_batch"]
    tight = _json(capsys, [*DEEPSEEK_ARGS, "--tpot-target-ms", "1"])
    assert tight["chosen_batch"] is None and tight["binding_limit"] == "latency"
    # Without a target, the chosen batch is the running batch.
    plain = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "10"])
    assert plain["chosen_batch"] == plain["running_batch"] == 10 and plain["binding_limit"] == "concurrency"
    assert plain["tpot_target_s"] is None and plain["speculation"] is None


def test_cli_speculation_raises_tokens_per_user_at_small_batch(capsys) -> None:
    plain = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "1"])
    mtp = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "1", "--mtp"])
    assert mtp["speculation"]["tokens_per_step"] == pytest.approx(1.85)
    assert mtp["tokens_per_s_per_user"] > plain["tokens_per_s_per_user"]
    assert mtp["output_tokens_per_s"] == pytest.approx(mtp["tokens_per_step"] / (mtp["step_s"] + mtp["prefill_s"]))
    k3 = _json(capsys, [*DEEPSEEK_ARGS, "--concurrency", "1", "--draft-tokens", "3", "--acceptance", "0.8"])
    assert k3["tokens_per_step"] == pytest.approx(spec.expected_tokens_per_step(3, 0.8))
    # With a target, speculation lets a larger batch meet it.
    with_target = _json(capsys, [*DEEPSEEK_ARGS, "--tpot-target-ms", "40", "--mtp"])
    assert with_target["chosen_batch"] > _json(capsys, [*DEEPSEEK_ARGS, "--tpot-target-ms", "40"])["chosen_batch"]


def test_cli_readable_form_names_the_layout_and_the_chosen_batch(capsys) -> None:
    assert cli.main([*DEEPSEEK_ARGS, "--tpot-target-ms", "40", "--mtp"]) == 0
    out = capsys.readouterr().out
    assert "tp8" in out and "batch to run" in out and "memory binds" in out and "drafting" in out


def test_the_serving_lines_give_the_frontier_the_estimates_own_time_per_token() -> None:
    """One time per token: the frontier on the serving lines is the estimate at every batch, speculation included."""
    d = dep.deployment("h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=4096)
    mtp = spec.mtp_speculation()
    lines = serving.serving_lines(d, serving.Workload(input_tokens=3000, output_tokens=1000, speculation=mtp))
    for batch in (1, 7, 64, 200):
        e = serving.estimate_deployment(
            d, serving.Workload(input_tokens=3000, output_tokens=1000, speculation=mtp), concurrency=batch
        )
        assert fr.time_per_token_s(lines, batch) == pytest.approx(e.tpot_s, rel=1e-12)
        # B sequences each get E tokens a step: the estimate's output rate, per chip.
        assert fr.tokens_per_s_per_chip(lines, batch) == pytest.approx(e.output_tokens_per_s / 8, rel=1e-12)
    assert lines.tokens_per_step == mtp.tokens_per_step > 1
    assert lines.memory_wall == e.capacity_batch


def test_the_batch_for_a_target_is_the_frontiers_choice_on_the_serving_lines() -> None:
    e = serving.estimate(
        "h100-sxm",
        "llama-3.1-8b",
        gpus=1,
        precision="fp8",
        kv_precision="fp8",
        input_tokens=1000,
        output_tokens=1000,
        concurrency=1,
    )
    for target_s in (0.006, 0.01, 0.02):
        batch, limit = serving.batch_for_target(e, target_s)
        choice = fr.choose_batch(serving.lines_of(e), target_s)
        assert (batch, limit) == (choice.batch, choice.limit.value) or (batch == e.capacity_batch and limit == "memory")
        # From first principles: the batch meets the target and one more does not (or the wall stops it).
        at = serving.estimate_deployment(
            e.deployment, serving.Workload(input_tokens=1000, output_tokens=1000), concurrency=batch
        )
        assert at.tpot_s <= target_s
        if batch < e.capacity_batch:
            over = serving.estimate_deployment(
                e.deployment, serving.Workload(input_tokens=1000, output_tokens=1000), concurrency=batch + 1
            )
            assert over.tpot_s > target_s


def test_an_edited_deployment_is_estimated_as_edited() -> None:
    d = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8", kv_precision="fp8")
    faster = replace(d, hardware=replace(d.hardware, bandwidth_bytes_per_s=2 * d.hardware.bandwidth_bytes_per_s))
    slow = serving.estimate_deployment(d, serving.Workload(input_tokens=1000, output_tokens=1000), concurrency=8)
    fast = serving.estimate_deployment(faster, serving.Workload(input_tokens=1000, output_tokens=1000), concurrency=8)
    assert fast.terms.weights_s == pytest.approx(slow.terms.weights_s / 2, rel=1e-12)
    assert fast.terms.kv_s == pytest.approx(slow.terms.kv_s / 2, rel=1e-12)
    with pytest.raises(ValueError, match="Deployment"):
        serving.estimate_deployment(
            "h100-sxm",  # type: ignore[arg-type]
            serving.Workload(input_tokens=1, output_tokens=1),
            concurrency=1,
        )


def test_routed_experts_stream_at_their_own_share_and_a_dense_model_has_none() -> None:
    d = _deepseek_8x_h200()
    same = replace(serving.FITTED, expert_bandwidth_fraction=None)  # None: the experts at bandwidth_fraction
    assert serving.weights_time_s(d, 32, same) == pytest.approx(dep.weight_bytes_read(d, 32) / (8 * H200_BW * 0.9))
    slower = replace(serving.FITTED, expert_bandwidth_fraction=0.45)
    extra = serving.weights_time_s(d, 32, slower) - serving.weights_time_s(d, 32, same)
    assert extra == pytest.approx(serving.routed_weights_time_s(d, 32, same))  # half the share, twice the time
    llama = dep.deployment("h100-sxm", "llama-3.1-8b", precision="fp8")
    assert serving.routed_weights_time_s(llama, 32) == 0.0
    assert serving.weights_time_s(llama, 32, slower) == serving.weights_time_s(llama, 32, same)


def test_the_rocm_factor_scales_the_step_on_amd_chips_only() -> None:
    w = serving.Workload(input_tokens=1000, output_tokens=1000)
    amd = dep.deployment("mi300x", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=1500)
    plain = replace(serving.FITTED, rocm_step_factor=1.0)
    a, b = serving.step_terms(amd, 16, w, c=plain), serving.step_terms(amd, 16, w)
    f = serving.FITTED.rocm_step_factor
    assert f > 1
    for name in ("weights_s", "kv_s", "compute_s", "overhead_s", "draft_s"):
        assert getattr(b, name) == pytest.approx(f * getattr(a, name))
    assert (b.communication_s, b.prefill_s) == (a.communication_s, a.prefill_s)
    nvidia = _deepseek_8x_h200()
    assert serving.step_terms(nvidia, 16, w) == serving.step_terms(
        nvidia, 16, w, c=replace(serving.FITTED, rocm_step_factor=3.0)
    )


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("expert_bandwidth_fraction", 0.0, "expert_bandwidth_fraction must be a number in \\(0, 1\\]"),
        ("expert_bandwidth_fraction", float("nan"), "expert_bandwidth_fraction"),
        ("rocm_step_factor", 0.5, "rocm_step_factor must be a number from 1 to 10"),
        ("rocm_step_factor", True, "rocm_step_factor"),
        ("unstated_acceptance", 1.5, "unstated_acceptance must be None or a number from 0 to 1"),
        ("unstated_acceptance", "high", "unstated_acceptance"),
    ],
)
def test_new_constants_refuse_bad_values_naming_the_field(field: str, value: object, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        replace(serving.FITTED, **{field: value})


def test_a_chip_names_its_software_stack_and_refuses_an_unknown_one() -> None:
    from roofline.presets import HARDWARE

    assert {HARDWARE[k].software_stack for k in ("mi300x", "mi325x")} == {"rocm"}
    assert HARDWARE["h200"].software_stack == "cuda" and HARDWARE["tpu-v5e"].software_stack == "xla"
    with pytest.raises(ValueError, match="software_stack must be one of cuda, rocm, xla, got 'metal'"):
        replace(HARDWARE["h200"], software_stack="metal")


def test_the_serving_cli_names_the_stack_factor(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["serving", "--hardware", "mi300x", "--model", "deepseek-v3", "--gpus", "8", "--precision", "fp8"]
    argv += ["--input-tokens", "1000", "--output-tokens", "1000", "--concurrency", "16"]
    assert cli.main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["software_stack"] == "rocm" and out["stack_factor"] == serving.FITTED.rocm_step_factor
    assert cli.main(argv) == 0
    assert "software stack" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"input_tokens": 0.5}, "input_tokens"),
        ({"output_tokens": 0}, "output_tokens"),
        ({"input_tokens": float("nan")}, "input_tokens"),
        ({"output_tokens": float("inf")}, "output_tokens"),
        ({"input_tokens": "1000"}, "input_tokens"),
        ({"speculation": 2}, "speculation must be a Speculation"),
    ],
)
def test_a_workload_refuses_a_bad_length_or_drafter_by_name(changes: dict, message: str) -> None:
    fields = {"input_tokens": 1000, "output_tokens": 1000, **changes}
    with pytest.raises(ValueError, match=message):
        serving.Workload(**fields)


def test_a_workload_is_what_the_estimate_ran_and_its_lines_are_the_estimates() -> None:
    w = serving.Workload(input_tokens=3000, output_tokens=1000)
    assert (w.full_length_tokens, w.mean_context_tokens) == (4000.0, 3500.0)
    e = serving.estimate(
        "h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
        input_tokens=3000, output_tokens=1000, concurrency=16,
    )  # fmt: skip
    assert e.workload == w
    assert (e.input_tokens, e.output_tokens, e.disaggregated, e.speculation) == (3000.0, 1000.0, False, None)
    assert e.mean_context_tokens == w.mean_context_tokens == e.deployment.context_tokens
    assert fr.time_per_token_s(serving.lines_of(e), 16) == e.tpot_s
    with pytest.raises(ValueError, match=r"workload must be a roofline\.serving\.Workload"):
        serving.estimate_deployment(e.deployment, (3000, 1000), concurrency=16)  # type: ignore[arg-type]
