"""The realistic mode's parallel layout, attention counted by default, speculation in every readout,
and one meaning of "fits" (issue 21, items 2 to 4).

The walls and times below are worked from the cited figures inside each test
(DeepSeek-V3's config and an H200's datasheet), not by calling the function
under test.
"""

from __future__ import annotations

import json
import math

import pytest

from roofline import cli, frontier
from roofline.speculative import mtp_speculation
from roofline.web import realistic as real
from roofline.web.realistic import REALISTIC

# DeepSeek-V3 (config_671B.json, README): 671G parameters, 37G active, 61 layers, an MLA latent of
# 512 + 64 per token per layer, 256 routed experts of which 8 per token.
DS_TOTAL, DS_ACTIVE, DS_LAYERS, DS_LATENT = 671e9, 37e9, 61, 512 + 64
DS_EXPERTS, DS_PER_TOKEN = 256, 8
# One H200 SXM: 141 GB of HBM; dense BF16 989.5 TFLOP/s, FP8 1,979 TFLOP/s.
H200_HBM, H200_BF16, H200_FP8 = 141e9, 989.5e12, 1979e12
L = 32768
BASE = f"mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L={L}"
# FP8 weights (1 byte each), an FP8 cache (1 byte per element).
KV_PER_SEQUENCE = L * DS_LAYERS * DS_LATENT
FREE = 8 * H200_HBM - DS_TOTAL


def shown(query: str) -> dict:
    state, notices = REALISTIC.parse(query)
    assert notices == [], notices
    return REALISTIC.readouts(state)


# ---------------------------------------------------------------- the layout changes the wall


def test_the_default_is_what_sglang_launches_and_every_gpu_holds_the_whole_latent() -> None:
    readouts = shown(BASE)
    # TP8: each of the 8 GPUs holds every sequence's whole latent, so a sequence costs 8 times its KV.
    assert readouts["capacity_wall"].value == math.floor(FREE / (8 * KV_PER_SEQUENCE)) == 49
    assert readouts["layout"].value == "tp8"
    assert "SGLang" in readouts["layout_source"].text and "--tp 8" in readouts["layout_source"].text
    assert readouts["layout_source"].text.startswith("The engines' default")


def test_ideal_is_the_articles_even_split() -> None:
    readouts = shown(BASE + "&ideal=1")
    assert readouts["capacity_wall"].value == math.floor(FREE / KV_PER_SEQUENCE) == 396
    assert readouts["layout"].value == "ideal" and "idealisation" in readouts["layout_source"].text


def test_dp_attention_with_ep_copies_the_shared_weights_on_every_gpu() -> None:
    readouts = shown(BASE + "&tp=8&ep=8&dpa=1")
    # Routed experts R from N_total − N_active = R (1 − k/E); everything else is copied on each of the 8 GPUs.
    routed = (DS_TOTAL - DS_ACTIVE) / (1 - DS_PER_TOKEN / DS_EXPERTS)
    held = DS_TOTAL + 7 * (DS_TOTAL - routed)
    per_gpu_free = (8 * H200_HBM - held) / 8
    assert readouts["capacity_wall"].value == 8 * math.floor(per_gpu_free / KV_PER_SEQUENCE) == 296
    assert readouts["layout"].value == "tp8-ep8-dpa" and readouts["layout_source"].value == "chosen"


def test_pp_alone_takes_tp_from_the_gpus_and_tp_alone_takes_pp() -> None:
    for query, key in (("&pp=2", "tp4-pp2"), ("&tp=4", "tp4-pp2"), ("&dpa=1", "tp8-dpa"), ("&ep=8", "tp8-ep8")):
        state, notices = REALISTIC.parse(BASE + query)
        assert notices == [] and real.deployment_of(state).active_layout.key == key, query


@pytest.mark.parametrize(
    "query",
    ["", "&ideal=1", "&tp=8&ep=8&dpa=1", "&pp=2", "&tp=2&pp=4", "&dpa=0", "&tp=8&ep=4&dpa=1&spec=1", "&attn=0"],
)
def test_layout_urls_round_trip_and_stay_minimal(query: str) -> None:
    state, notices = REALISTIC.parse(BASE + query)
    assert notices == []
    assert REALISTIC.parse(REALISTIC.encode(state)) == (state, [])
    encoded = REALISTIC.encode(state)
    for key in ("tp", "ep", "pp", "dpa", "ideal", "attn"):
        assert (f"&{key}=" in encoded) == (f"&{key}=" in query), (key, encoded)


def test_the_default_url_names_no_layout_and_no_attention_switch() -> None:
    encoded = REALISTIC.encode(real.DEFAULT_REAL_STATE)
    assert encoded == "mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32768&B=32&B_max=128&price=2"


# ---------------------------------------------------------------- refused layouts and bad input


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("&tp=3", "tp=3 does not divide the 8 GPUs"),
        ("&pp=3", "pp=3 does not divide the 8 GPUs"),
        ("&tp=4&pp=4", "layout tp4-pp4 spans tp × pp = 16 chips, but the deployment has 8"),
        ("&ep=3", "ep 3 must divide tp 8"),
        ("&tp=1&pp=8&ep=2", "ep 2 must divide tp 1"),
        ("&tp=0", "tp=0 is not allowed"),
        ("&tp=-2", "tp=-2 is not allowed"),
        ("&ep=NaN", "ep='NaN' is not a whole number of chips"),
        ("&pp=abc", "pp='abc' is not a whole number of chips"),
        ("&tp=2.5", "tp=2.5 is not a whole number of chips"),
        ("&tp=1e9", "tp=1e9 is more than the 1,024 GPUs"),
        ("&tp=", "tp='' is not a whole number of chips"),
        ("&dpa=maybe", "dpa='maybe' is not 1 or 0"),
        ("&ideal=1&tp=8", "ideal=1 is the article's even split and takes no sizes; dropping tp=8"),
    ],
)
def test_a_refused_or_bad_layout_gives_a_notice_and_the_default(query: str, fragment: str) -> None:
    state, notices = REALISTIC.parse(BASE + query)
    assert any(fragment in notice for notice in notices), notices
    assert all(len(notice) < 200 for notice in notices)
    # Corrected: the layout pickers back at the engines' default (the even split where it was asked for).
    assert (state.tp, state.ep, state.pp, state.dp_attention) == ("auto",) * 4
    assert real.deployment_of(state).active_layout.key == ("ideal" if "ideal" in query else "tp8")
    assert REALISTIC.parse(REALISTIC.encode(state)) == (state, [])
    readouts = REALISTIC.readouts(state)
    assert readouts["capacity_wall"].value in (49, 396)


def test_ep_on_a_dense_model_is_refused_by_name() -> None:
    state, notices = REALISTIC.parse("mode=real&hw=h100-sxm&model=llama-3.1-70b&gpus=4&wprec=fp8&ep=4")
    assert notices == ["ep=4: ep 4 needs a mixture of experts; Llama-3.1-70B is dense (use ep 1); using the engine default tp4."]
    assert real.deployment_of(state).active_layout.key == "tp4"


def test_a_layout_the_new_gpu_count_cannot_run_falls_back_with_a_notice() -> None:
    state, _ = REALISTIC.parse(BASE + "&tp=8&ep=8&dpa=1")
    # 16 GPUs still run it, as two pipeline stages of TP8 (pp follows the GPUs when it is not given).
    assert real.deployment_of(REALISTIC.with_value(state, "gpus", 16)).active_layout.key == "tp8-ep8-dpa-pp2"
    moved = REALISTIC.with_value(state, "gpus", 12)
    # The state itself never crashes the page: the deployment takes the default until it is corrected.
    assert real.deployment_of(moved).active_layout.key == "tp12-ep12-dpa"
    fixed, notices = REALISTIC.corrected(moved)
    assert notices == [
        "tp=8 does not divide the 12 GPUs (the stages need equal chips); using the engine default tp12-ep12-dpa."
    ]
    assert (fixed.tp, fixed.ep, fixed.dp_attention) == ("auto", "auto", "auto")
    assert REALISTIC.corrected(fixed) == (fixed, [])


def test_picking_a_size_leaves_the_ideal_split_and_ticking_ideal_clears_the_sizes() -> None:
    ideal = REALISTIC.with_flag(real.DEFAULT_REAL_STATE, "ideal", True)
    picked, notices = REALISTIC.with_pick(ideal, "ep", "8")
    assert notices == [] and not picked.ideal_layout and real.deployment_of(picked).active_layout.key == "tp8-ep8"
    again = REALISTIC.with_flag(picked, "ideal", True)
    assert again.ideal_layout and again.ep == "auto" and real.deployment_of(again).active_layout.ideal


# ---------------------------------------------------------------- attention counted by default


def test_attention_counts_by_default_at_deepseeks_cited_bf16() -> None:
    state = real.DEFAULT_REAL_STATE
    readouts = REALISTIC.readouts(state)
    b = state.batch
    # Absorbed MLA: 128 heads × (512 + 64 + 512) multiply-adds per cached token per layer, in BF16;
    # the weights' N_active at FP8. C is FLOP/s ÷ 2 over 8 GPUs.
    attention_ops = 128 * (512 + 64 + 512) * DS_LAYERS * L
    expected = b * DS_ACTIVE / (8 * H200_FP8 / 2) + b * attention_ops / (8 * H200_BF16 / 2)
    assert readouts["t_compute"].value == pytest.approx(expected, rel=1e-9)
    off = REALISTIC.readouts(REALISTIC.with_flag(state, "attn", False))
    assert off["t_compute"].value == pytest.approx(b * DS_ACTIVE / (8 * H200_FP8 / 2), rel=1e-9)
    assert "attn=0" in REALISTIC.encode(REALISTIC.with_flag(state, "attn", False))


# ---------------------------------------------------------------- speculation in every readout


def _cli_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert cli.main(argv) in (0, 1)
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("layout", ["", "&tp=8&ep=8&dpa=1"])
def test_spec_changes_the_headline_cards_throughput_and_cost_as_the_cli_does(
    layout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    query = BASE.replace(f"L={L}", "L=4096") + "&B=256&B_max=4096" + layout
    plain, with_spec = shown(query), shown(query + "&spec=1")
    # TP8 at 4K never crosses (its KV is read 8 times), with speculation or without; DP attention does.
    moved = ("throughput", "cost", "per_user", "time_per_token", "t_compute", "latency", *(("crossover",) if layout else ()))
    for name in moved:
        assert plain[name].value != with_spec[name].value, name
    flags = ["--tp", "8", "--ep", "8", "--dp-attention"] if layout else []
    argv = ["--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--precision", "fp8",
            "--kv-precision", "fp8", "--context", "4096", "--batch", "256", "--json", "--mtp", *flags]
    out = _cli_json(argv, capsys)
    assert with_spec["throughput"].value == pytest.approx(out["tokens_per_s_per_gpu"], rel=1e-12)
    assert with_spec["cost"].value == pytest.approx(out["usd_per_million_tokens"], rel=1e-12)
    assert with_spec["time_per_token"].value == pytest.approx(out["time_per_token_s"], rel=1e-12)
    assert with_spec["crossover"].value == out["crossover_batch"]
    assert with_spec["best_batch"].value == out["best_batch"]
    # The cards are the verify step: k + 1 = 2 tokens of arithmetic per sequence, (k + 1)·B tokens routed.
    state, _ = REALISTIC.parse(query + "&spec=1")
    d = real.deployment_of(state)
    lines = frontier.deployment_lines(d, mtp_speculation())
    assert with_spec["t_compute"].value == pytest.approx(lines.t_compute_s(256), rel=1e-12)
    assert with_spec["t_memory"].value == pytest.approx(lines.t_memory_s(256), rel=1e-12)
    assert "verify step" in with_spec["step_note"].text and "k + 1 = 2" in with_spec["step_note"].text
    assert "speculation off" in plain["step_note"].text
    assert "With speculation each step verifies 2 tokens" in REALISTIC.explanation(state)


# ---------------------------------------------------------------- one meaning of "fits"


def test_fits_is_b_within_the_memory_wall_and_says_which() -> None:
    wall = 49
    for batch, verdict in ((wall, "yes"), (wall + 1, "no")):
        state, _ = REALISTIC.parse(BASE + f"&B={batch}")
        readouts = REALISTIC.readouts(state)
        assert readouts["capacity_wall"].value == wall
        assert readouts["fits"].value == verdict
        assert f"memory wall of {wall}" in readouts["fits"].text
        # The frontier's "past the wall" and the chart's shade start at the same batch.
        assert readouts["chosen_batch"].value == wall


def test_with_the_estimate_on_fits_means_the_same_thing_at_the_estimates_full_length() -> None:
    # L is the mean context with the estimate on, so "fits" asks of the estimate's wall at full length.
    state, _ = REALISTIC.parse(BASE + "&B=40&serve=1")
    readouts = REALISTIC.readouts(state)
    wall = readouts["serving_wall"].value
    # 40 sequences fit at L (the wall of 49), not at the estimate's full length of 2L.
    assert wall < 40 <= readouts["capacity_wall"].value
    assert readouts["fits"].value == "no"
    assert f"past the memory wall at full length (the serving estimate's) of {wall:,.0f}" in readouts["fits"].text
    inside, _ = REALISTIC.parse(BASE + f"&B={wall:.0f}&serve=1")
    assert REALISTIC.readouts(inside)["fits"].value == "yes"
    text = readouts["serving_wall"].text
    assert "past" not in text and "fits" not in text and "(tp8, " in text

def test_the_default_batch_sits_inside_the_wall() -> None:
    readouts = REALISTIC.readouts(real.DEFAULT_REAL_STATE)
    assert readouts["fits"].value == "yes"
    assert real.DEFAULT_REAL_STATE.batch < readouts["capacity_wall"].value < real.DEFAULT_REAL_STATE.max_batch


def test_snapshot_pickers_carry_the_layout() -> None:
    state, _ = REALISTIC.parse(BASE + "&tp=8&ep=8&dpa=1")
    snap = REALISTIC.snapshot(state, schemes=())
    assert {key: snap["pickers"][key] for key in ("tp", "ep", "pp", "dpa")} == {"tp": "8", "ep": "8", "pp": "auto", "dpa": "1"}
    assert snap["toggles"]["ideal"] is False
