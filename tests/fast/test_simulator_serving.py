"""The realistic mode's serving-estimate switch (issue 14 item 5) and attention-precision picker (issue 12 item 1)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roofline import serving
from roofline.web import realistic as real
from roofline.web import serving_view as serve
from roofline.web.charts import time_figure
from roofline.web.palette import color
from roofline.web.realistic import REALISTIC

#: NIM's Llama-3.1-8B case on one H100 in FP8: 1,000 tokens in and 1,000 out is a mean context of 1,500.
NIM_QUERY = "mode=real&hw=h100-sxm&model=llama-3.1-8b&gpus=1&wprec=fp8&kvprec=fp8&L=1500&B=50&B_max=512&serve=1"


def areas(figure: dict) -> list[dict]:
    return [trace for trace in figure["data"] if "stackgroup" in trace]


def seconds_per_unit(figure: dict) -> float:
    """The y axis's unit in seconds, from its title ("time per step (ms)")."""
    unit = figure["layout"]["yaxis"]["title"]["text"].rsplit("(", 1)[1].rstrip(")")
    return {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}[unit]


def test_the_switch_stacks_the_terms_and_their_top_is_the_estimates_time_per_token() -> None:
    state, notices = REALISTIC.parse(NIM_QUERY)
    assert notices == [] and state.serving_estimate and state.output_percent == 50
    figure = time_figure(REALISTIC, state)
    stacked = areas(figure)
    assert [t["meta"] for t in stacked] == [role for _, _, role in serve.TERMS]
    # Drawn under the lines, in one stack group, each coloured by its palette role.
    assert figure["data"][: len(stacked)] == stacked and {t["stackgroup"] for t in stacked} == {"terms"}
    batches = stacked[0]["x"]
    scale = seconds_per_unit(figure)
    d = real.deployment_of(state)
    for i, batch in enumerate(batches):
        top = sum(t["y"][i] for t in stacked) * scale
        terms = serving.step_terms(d, batch, serving.Workload(input_tokens=1000, output_tokens=1000))
        assert top == pytest.approx(terms.tpot_s, rel=1e-12)
    # The axis holds the whole stack.
    assert figure["layout"]["yaxis"]["range"][1] * scale >= max(
        sum(t["y"][i] for t in stacked) * scale for i in range(len(batches))
    )


def test_the_readout_at_b_is_the_serving_estimate_of_the_same_workload() -> None:
    """At a batch inside the memory wall, the switch's readout is exactly ``roofline serving``'s time per token."""
    state, _ = REALISTIC.parse(NIM_QUERY)
    e = serving.estimate(
        "h100-sxm", "llama-3.1-8b", gpus=1, precision="fp8", kv_precision="fp8",
        input_tokens=1000, output_tokens=1000, concurrency=50,
    )
    assert e.running_batch == 50
    shown = REALISTIC.readouts(state)
    assert shown["serving_tpot"].value == pytest.approx(e.tpot_s, rel=1e-12)
    assert shown["serving_ratio"].value == pytest.approx(e.tpot_s / shown["latency"].value, rel=1e-12)
    assert shown["serving_workload"].text == "1,000 in + 1,000 out tokens"
    assert shown["serving_wall"].value == e.capacity_batch
    assert "the article's max" in shown["serving_ratio"].text


def test_hand_check_of_the_terms_at_b_50() -> None:
    """Llama-3.1-8B (8.03G parameters, 32 layers, 8 KV heads of 128) in FP8 on one H100 (3.35 TB/s)."""
    state, _ = REALISTIC.parse(NIM_QUERY)
    t = serve.estimate_at(real.deployment_of(state), 50, 50)
    c = serving.FITTED
    bandwidth = 3.35e12 * c.bandwidth_fraction
    assert t.weights_s == pytest.approx(8.03e9 / bandwidth, rel=1e-9)
    # KV: 2 × 32 layers × 8 heads × 128 = 65,536 one-byte elements a token, 1,500 tokens, 50 sequences.
    assert t.kv_s == pytest.approx(50 * 1500 * 65_536 / bandwidth, rel=1e-9)
    assert t.overhead_s == pytest.approx(32 * c.overhead_per_layer_s + 50 * c.overhead_per_sequence_s, rel=1e-12)
    assert t.communication_s == 0  # one chip
    # The fitted overlap hides that share of the shorter of memory and compute under the longer.
    assert t.hidden_s == pytest.approx(c.overlap * min(t.weights_s + t.kv_s, t.compute_s), rel=1e-12)
    assert t.tpot_s == pytest.approx(
        t.weights_s + t.kv_s + t.compute_s - t.hidden_s + t.overhead_s + t.prefill_s, rel=1e-12
    )


def test_l_is_the_mean_context_and_out_sets_the_output_share() -> None:
    assert serving.workload_for_mean_context(1500, 0.5) == (1000.0, 1000.0)
    prompt, generated = serving.workload_for_mean_context(30_000, 0.2)
    assert generated / (prompt + generated) == pytest.approx(0.2)
    assert serving.mean_context_tokens(prompt, generated) == pytest.approx(30_000)
    for bad in (0.0, 1.0, 1.5, float("nan"), -0.1):
        with pytest.raises(ValueError, match="output_share"):
            serving.workload_for_mean_context(1000, bad)
    with pytest.raises(ValueError, match="mean_context"):
        serving.workload_for_mean_context(float("inf"), 0.5)
    state, notices = REALISTIC.parse(NIM_QUERY + "&out=20")
    assert notices == []
    assert REALISTIC.readouts(state)["serving_workload"].text == "1,333 in + 333 out tokens"
    assert "1,333 tokens in and 333 out" in REALISTIC.explanation(state)


def test_the_out_control_for_a_workload_is_its_output_share_in_whole_percent() -> None:
    assert serve.output_percent(1000, 1000) == 50.0
    assert serve.output_percent(128, 2048) == 94.0  # 94.1%
    assert serve.output_percent(2048, 128) == 6.0  # 5.9%
    d = real.deployment_of(replace(real.DEFAULT_REAL_STATE, context_tokens=serving.mean_context_tokens(1000, 3000)))
    assert serve.workload(d, serve.output_percent(1000, 3000)) == (pytest.approx(1000), pytest.approx(3000))


def test_switch_off_draws_no_terms_and_the_url_carries_the_switch_only_when_on() -> None:
    off = real.DEFAULT_REAL_STATE
    assert areas(time_figure(REALISTIC, off)) == []
    assert "serve" not in REALISTIC.encode(off) and "out=" not in REALISTIC.encode(off)
    on = REALISTIC.with_flag(off, "serve", True)
    assert REALISTIC.encode(on).endswith("&serve=1")
    assert len(areas(time_figure(REALISTIC, on, "slate"))) == len(serve.TERMS)
    assert "serving estimate" in REALISTIC.explanation(on) and "serving estimate" not in REALISTIC.explanation(off)
    moved = REALISTIC.with_value(on, "out", 25)
    assert REALISTIC.parse(REALISTIC.encode(moved)) == (moved, [])


@pytest.mark.parametrize(
    ("query", "fragment", "serving_on", "percent"),
    [
        ("serve=1", "", True, 50),
        ("serve=on", "", True, 50),
        ("serve=0", "", False, 50),
        ("serve=maybe", "serve='maybe' is not 1 or 0; using 0", False, 50),
        ("out=25", "", False, 25),
        ("out=0", "out=0 is not allowed", False, 50),
        ("out=-5", "out=-5 is not allowed", False, 50),
        ("out=150", "out=150 is above the range 1 % to 99 %", False, 99),
        ("out=abc", "out='abc' is not a finite number", False, 50),
        ("out=33.6", "out=33.6 is not a whole number; using 34", False, 34),
    ],
)
def test_serving_url_parameters(query: str, fragment: str, serving_on: bool, percent: float) -> None:
    state, notices = REALISTIC.parse("mode=real&" + query)
    assert state.serving_estimate is serving_on and state.output_percent == percent
    if fragment:
        assert any(fragment in notice for notice in notices), notices
    else:
        assert notices == []
    assert REALISTIC.parse(REALISTIC.encode(state)) == (state, [])


def test_where_the_estimate_cannot_be_made_the_readout_says_why_and_nothing_is_stacked() -> None:
    # 16 MI300X span two 8-chip domains (the engines' default: TP8 per node, PP2 across),
    # and no network figure is known for the hand-off between them.
    state, notices = REALISTIC.parse("mode=real&hw=mi300x&model=llama-3.1-70b&gpus=16&wprec=fp8&kvprec=fp8&serve=1")
    assert notices == []
    shown = REALISTIC.readouts(state)
    assert shown["serving_tpot"].value is None and shown["serving_tpot"].raw == ""
    assert shown["serving_tpot"].text.startswith("none: ") and "network" in shown["serving_tpot"].text
    assert areas(time_figure(REALISTIC, state)) == []
    assert "cannot be made here" in REALISTIC.explanation(state)


    # Every token readout falls back to the floor, and says which it is.
    assert "serving estimate" not in shown["time_per_token"].text

def test_the_terms_follow_the_mode_into_every_snapshot_scheme() -> None:
    state = replace(real.DEFAULT_REAL_STATE, serving_estimate=True)
    snap = REALISTIC.snapshot(state)
    for scheme in ("default", "slate"):
        stacked = areas(snap["figures"][scheme])
        assert [t["fillcolor"] for t in stacked] == [
            color(scheme, role) for _, _, role in serve.TERMS
        ]
    assert set(serve.READOUT_NAMES) <= set(snap["readouts"])


# --- attention's arithmetic (issue 12 item 1), a picker of its own ---


def test_the_attention_picker_offers_auto_and_each_math_precision() -> None:
    picker = next(p for p in real.PICKERS if p.key == "aprec")
    assert [o.value for o in picker.options] == ["auto", "bf16", "fp8"]
    assert "only matters when 'Count attention FLOPs' is on" in picker.help
    assert "DeepSeek-V3: BF16" in picker.help  # the preset's cited default, named from the preset
    assert real.DEFAULT_REAL_STATE.attention_precision == "auto"
    assert real.deployment_of(real.DEFAULT_REAL_STATE).attention_precision is None


def test_attention_precision_moves_t_compute_only_when_attention_flops_are_counted() -> None:
    base = "mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K&B=256&B_max=1024"
    t_compute = {}
    for attn in ("0", "1"):
        for aprec in ("auto", "bf16", "fp8"):
            state, notices = REALISTIC.parse(f"{base}&attn={attn}&aprec={aprec}")
            assert notices == []
            t_compute[attn, aprec] = REALISTIC.readouts(state)["t_compute"].value
    # Off: the picker changes nothing, and the parameters line says it is unused.
    assert t_compute["0", "auto"] == t_compute["0", "bf16"] == t_compute["0", "fp8"]
    state, _ = REALISTIC.parse(f"{base}&attn=0&aprec=fp8")
    assert "Attention math FP8 is unused" in REALISTIC.params_line(state)
    # On: DeepSeek-V3's cited BF16 is the default, and BF16 (half FP8's rate on an H200) costs more time.
    assert t_compute["1", "auto"] == t_compute["1", "bf16"] > t_compute["1", "fp8"] > t_compute["0", "auto"]
    state, _ = REALISTIC.parse(f"{base}&attn=1")
    assert "in BF16 math (the model's cited precision)" in REALISTIC.params_line(state)
    # Hand check: attention's share of T_compute scales with 1 / its rate (H200: 1,979 vs 989.5 dense TFLOP/s).
    share_bf16 = t_compute["1", "bf16"] - t_compute["0", "auto"]
    share_fp8 = t_compute["1", "fp8"] - t_compute["0", "auto"]
    assert share_bf16 / share_fp8 == pytest.approx(1979 / 989.5, rel=1e-3)


def test_a_model_without_a_cited_attention_precision_follows_its_weights() -> None:
    state, _ = REALISTIC.parse("mode=real&hw=h200&model=llama-3.1-70b&gpus=8&wprec=fp8&attn=1")
    assert "in FP8 math (the weights' arithmetic)" in REALISTIC.params_line(state)
    state, _ = REALISTIC.parse("mode=real&hw=h200&model=llama-3.1-70b&gpus=8&wprec=bf16&attn=1")
    assert "in BF16 math (the weights' arithmetic)" in REALISTIC.params_line(state)


@pytest.mark.parametrize(
    ("query", "expected", "fragment"),
    [
        ("aprec=fp8", "fp8", ""),
        ("aprec=BF16", "bf16", ""),
        ("aprec=auto", "auto", ""),
        ("aprec=fp4", "auto", "aprec='fp4' is not a precision; using the default auto."),
        ("aprec=", "auto", "aprec='' is not a precision"),
        ("hw=a100-sxm&wprec=w8a16&aprec=fp8", "bf16", "aprec=fp8 needs FP8 tensor cores, which NVIDIA A100"),
    ],
)
def test_attention_precision_url_parameter(query: str, expected: str, fragment: str) -> None:
    state, notices = REALISTIC.parse("mode=real&" + query)
    assert state.attention_precision == expected
    if fragment:
        assert any(fragment in notice for notice in notices), notices
    else:
        assert notices == []
    assert REALISTIC.parse(REALISTIC.encode(state)) == (state, [])
    assert ("aprec=" in REALISTIC.encode(state)) is (expected != "auto")


def test_picking_a_chip_without_fp8_moves_fp8_attention_to_bf16() -> None:
    state, _ = REALISTIC.with_pick(real.DEFAULT_REAL_STATE, "aprec", "fp8")
    assert state.attention_precision == "fp8"
    moved, notices = REALISTIC.with_pick(state, "hw", "a100-sxm")
    assert moved.attention_precision == "bf16" and moved.weight_precision == "w8a16"
    assert any(n.startswith("aprec=fp8 needs FP8") for n in notices)
    with pytest.raises(ValueError, match="aprec must be one of"):
        REALISTIC.with_pick(state, "aprec", "int4")


def test_with_speculative_decoding_the_estimate_drafts_and_yields_more_tokens_a_step() -> None:
    state, notices = REALISTIC.parse("mode=real&spec=1&serve=1")
    assert notices == []
    plain = replace(state, speculation=False)
    with_spec, without = REALISTIC.readouts(state), REALISTIC.readouts(plain)
    mtp = real.speculation_of(state)
    t = serve.estimate_at(real.deployment_of(state), state.batch, state.output_percent, mtp)
    # Per token: the verify step and the draft over the tokens a step yields.
    assert with_spec["serving_tpot"].value == pytest.approx((t.step_s + t.prefill_s) / mtp.tokens_per_step, rel=1e-12)
    assert t.draft_s > 0 and with_spec["serving_tpot"].value < without["serving_tpot"].value
    assert "drafting" in [s.name for s in REALISTIC.stacks(state)]
    assert "leaves speculative decoding out" not in REALISTIC.explanation(state)
