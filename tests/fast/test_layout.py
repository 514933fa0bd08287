"""The parallel layout: cited examples worked from first principles here, properties, and refusals."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roofline import deployment as dep
from roofline.presets import HARDWARE, MODELS

# DeepSeek-V3's shapes, from config_671B.json: 61 layers, MLA latent 512 + RoPE key 64, 128 heads.
LAYERS, LATENT, ROPE, HEADS = 61, 512, 64, 128
TOTAL, ACTIVE = 671e9, 37e9
# Routed experts: 256, 8 per token. N_total − N_active = R · (1 − 8/256).
ROUTED = (TOTAL - ACTIVE) / (1 - 8 / 256)
SHARED = TOTAL - ROUTED
H200_HBM, H200_BW = 141e9, 4.8e12
H200_BF16_OPS = 989.5e12 / 2


def _deepseek(context: float, layout: str | None) -> dep.Deployment:
    return dep.deployment(
        "h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=context, layout=layout
    )


def test_tp8_copies_the_mla_latent_on_every_gpu() -> None:
    # FP8 weights and an FP8 cache at 4,096 tokens: each GPU holds 671/8 GB of weights and every
    # sequence's whole latent (61 · 576 bytes per token).
    kv_per_sequence = LAYERS * (LATENT + ROPE) * 1 * 4096
    wall = math.floor((H200_HBM - TOTAL / 8) / kv_per_sequence)
    d = _deepseek(4096, None)
    assert d.active_layout == dep.Layout(tp=8)
    assert wall == 396 and dep.capacity_batch(d) == wall
    ideal = _deepseek(4096, "ideal")
    assert dep.capacity_batch(ideal) == math.floor((8 * H200_HBM - TOTAL) / kv_per_sequence) == 3175
    # The KV read per step is eight times the even split's.
    assert dep.step_at(d, 100).t_kv_s == pytest.approx(8 * dep.step_at(ideal, 100).t_kv_s, rel=1e-12)


def test_dp_attention_copies_the_non_expert_weights() -> None:
    kv_per_sequence = LAYERS * (LATENT + ROPE) * 4096
    per_gpu = SHARED + ROUTED / 8
    wall = 8 * math.floor((H200_HBM - per_gpu) / kv_per_sequence)
    d = _deepseek(4096, "tp8-ep8-dpa")
    assert dep.capacity_batch(d) == wall and 2360 <= wall <= 2375
    # Every expert read: the weight read takes per_gpu / BW on each GPU, about 20.4 ms against 17.5 ms evenly.
    step = dep.step_at(d, 4096)
    assert step.t_weights_s == pytest.approx(per_gpu / H200_BW, rel=1e-9)
    assert 20.4e-3 < step.t_weights_s < 20.6e-3
    assert dep.step_at(_deepseek(4096, "ideal"), 4096).t_weights_s == pytest.approx(TOTAL / 8 / H200_BW, rel=1e-9)


def test_mla_attention_keeps_the_crossover_once_counted() -> None:
    # Absorbed MLA: 128 · (512 + 64 + 512) multiply-adds per cached token per layer, run in BF16 (DeepSeek).
    ops_per_layer_token = HEADS * (2 * LATENT + ROPE)
    assert ops_per_layer_token == 139_264

    def crossover(context: float, kv_copies: float) -> float | None:
        # Every expert is read at these batches (coverage > 99.99%), so the lines are straight.
        compute_slope = ACTIVE / (8 * 989.5e12) + ops_per_layer_token * LAYERS * context / (8 * H200_BF16_OPS)
        kv_slope = kv_copies * LAYERS * (LATENT + ROPE) * context / (8 * H200_BW)
        net = compute_slope - kv_slope
        return None if net <= 0 else TOTAL / (8 * H200_BW) / net

    for context, expected, wall in ((4096, 1798, 3175), (32768, 388, 396)):
        even = _deepseek(context, "ideal")
        assert dep.deployment_crossover_batch(even) == pytest.approx(crossover(context, 1), rel=1e-3)
        assert round(dep.deployment_crossover_batch(even)) == expected and dep.capacity_batch(even) == wall
    # Under TP8 the latent is read eight times over: past ~900 tokens memory is on top at every batch.
    assert crossover(4096, 8) is None and dep.deployment_crossover_batch(_deepseek(4096, None)) is None
    # Under DP attention the cache is read once, and the crossover comes back.
    assert dep.deployment_crossover_batch(_deepseek(4096, "tp8-ep8-dpa")) is not None
    assert dep.no_crossover_context(_deepseek(4096, "tp8-ep8-dpa")) is None


def test_gqa_past_its_kv_heads_copies_each_head() -> None:
    # Llama-3.1-70B: 8 KV heads of 128, 80 layers. Under TP16 each GPU holds one whole head: twice
    # the even share of 8/16.
    seq = 2 * 8 * 128 * 80 * 2 * 8192  # K and V, heads, dim, layers, BF16, tokens
    d = dep.deployment("h100-sxm", "llama-3.1-70b", gpus=16, precision="bf16", context_tokens=8192, layout="tp16")
    assert dep.kv_copies(d.active_layout, d.model) == 2
    assert dep.held_kv_bytes_per_sequence(d) == 2 * seq
    under_tp8 = dep.deployment("h100-sxm", "llama-3.1-70b", gpus=8, precision="bf16", layout="tp8")
    assert dep.kv_copies(under_tp8.active_layout, under_tp8.model) == 1


def test_defaults_are_what_the_engines_launch() -> None:
    ds, llama = MODELS["deepseek-v3"], MODELS["llama-3.1-405b"]
    assert dep.default_layout(ds, 8, HARDWARE["h200"]) == (dep.Layout(tp=8), "one-node")
    assert dep.default_layout(ds, 144, HARDWARE["h800"]) == (
        dep.Layout(tp=144, ep=144, dp_attention=True),
        "moe-multi-node",
    )
    assert dep.default_layout(llama, 16, HARDWARE["h100-sxm"]) == (dep.Layout(tp=8, pp=2), "dense-multi-node")
    assert dep.default_layout(llama, 1, HARDWARE["h100-sxm"]) == (dep.Layout(tp=1), "one-node")
    for case in ("one-node", "dense-multi-node", "moe-multi-node", "uneven"):
        assert dep.LAYOUT_SOURCES[case]


def test_one_chip_gives_exactly_one_chips_figures() -> None:
    for key in MODELS:
        d = dep.deployment("h200", key, gpus=1, layout="tp1")
        even = replace(d, layout=dep.IDEAL)
        assert dep.params_at(d, 64) == dep.params_at(even, 64)
        assert dep.capacity_batch(d) == dep.capacity_batch(even)
        assert dep.collectives(d.active_layout, d.model, 64) == ()


_layouts = st.builds(
    dep.Layout,
    tp=st.sampled_from([1, 2, 4, 8, 16]),
    ep=st.sampled_from([1, 2, 4, 8]),
    pp=st.sampled_from([1, 2, 4]),
    dp_attention=st.booleans(),
)


@settings(deadline=None)
@given(st.sampled_from(sorted(MODELS)), _layouts, st.floats(min_value=1, max_value=4096))
def test_per_gpu_bytes_are_never_below_the_even_share(key: str, layout: dep.Layout, batch: float) -> None:
    gpus = layout.tp * layout.pp
    try:
        d = dep.deployment("h200", key, gpus=gpus, layout=layout, context_tokens=4096)
    except ValueError:
        return  # refusals have their own test
    even = replace(d, layout=dep.IDEAL)
    assert dep.held_weight_bytes(d) >= dep.held_weight_bytes(even) == dep.weight_bytes(d)
    assert dep.held_kv_bytes_per_sequence(d) >= dep.held_kv_bytes_per_sequence(even)
    assert dep.weight_bytes_read(d, batch) >= dep.weight_bytes_read(even, batch) * (1 - 1e-12)
    assert dep.capacity_batch(d) <= dep.capacity_batch(even)
    assert dep.step_at(d, batch).latency_s >= dep.step_at(even, batch).latency_s * (1 - 1e-12)


@pytest.mark.parametrize(
    ("model", "gpus", "layout", "fragment"),
    [
        ("deepseek-v3", 8, dep.Layout(tp=4), "spans tp × pp = 4 chips, but the deployment has 8"),
        ("llama-3.1-70b", 8, dep.Layout(tp=8, ep=8), "needs a mixture of experts"),
        ("llama-3.1-70b", 128, dep.Layout(tp=128), "more than Llama-3.1-70B's 64 attention heads"),
        ("llama-3.1-8b", 64, dep.Layout(tp=1, pp=64), "more than Llama-3.1-8B's 32 layers"),
        ("llama-3.1-70b", 3, dep.Layout(tp=3), "must divide Llama-3.1-70B's 64 attention heads"),
        ("deepseek-v3", 8, dep.Layout(tp=8, ep=3), "must divide tp 8"),
    ],
)
def test_a_layout_that_cannot_run_is_refused_with_the_reason(
    model: str, gpus: int, layout: dep.Layout, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        dep.deployment("h200", model, gpus=gpus, layout=layout)


@pytest.mark.parametrize("value", [0, -1, 2.5, float("nan"), True, "8"])
def test_a_bad_size_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="tp must be a whole number >= 1"):
        dep.Layout(tp=value)  # type: ignore[arg-type]


def test_layout_keys_round_trip() -> None:
    for layout in (dep.IDEAL, dep.Layout(tp=8), dep.Layout(tp=16, ep=8, dp_attention=True), dep.Layout(tp=8, pp=2)):
        assert dep.parse_layout(layout.key) == layout
    for bad in ("", "tp", "tp8-tp", "tpx", "tp٨", "gp8"):
        with pytest.raises(ValueError, match="layout must be"):
            dep.parse_layout(bad)


def test_collectives_follow_the_layout() -> None:
    ds = MODELS["deepseek-v3"]
    tp = dep.collectives(dep.Layout(tp=8), ds, 64)
    # Two all-reduces a layer of 64 tokens × 7168 BF16 elements.
    assert [c.count for c in tp] == [61, 61] and all(c.message_bytes == 64 * 7168 * 2 for c in tp)
    ep = dep.collectives(dep.Layout(tp=8, ep=8, dp_attention=True), ds, 64, dispatch_bytes=1.0)
    # Each GPU sends its 8 tokens to 8 experts: FP8 out, BF16 back, in each of the 58 MoE layers.
    assert [(c.name, c.count, c.message_bytes) for c in ep] == [
        ("EP dispatch", 58, 8 * 8 * 7168 * 1.0),
        ("EP combine", 58, 8 * 8 * 7168 * 2.0),
    ]
    pp = dep.collectives(dep.Layout(tp=8, pp=2), MODELS["llama-3.1-405b"], 64)
    assert pp[-1].name == "PP hand-off" and pp[-1].message_bytes == 32 * 16384 * 2
    assert dep.collectives(dep.IDEAL, ds, 64) == ()


def test_a_pipeline_bubble_idles_chips() -> None:
    d = dep.deployment("h100-sxm", "llama-3.1-405b", gpus=16, precision="fp8", context_tokens=4096)
    assert d.active_layout.key == "tp8-pp2"
    # One sequence passes both stages in turn: the weight read is all of it on 8 GPUs' bandwidth.
    one = dep.step_at(d, 1)
    assert one.t_weights_s == pytest.approx(405.9e9 / (8 * 3.35e12), rel=1e-9)
