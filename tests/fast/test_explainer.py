"""The explainer (sections I-IX): core answers, charts, pages, golden numbers, browser.

Four layers:

1. the new core functions (:mod:`roofline.longcontext`, :mod:`roofline.explainer`)
   against cited figures and as properties of the model's equations;
2. the build-time charts: valid plotly, every point from a core sweep;
3. the built pages: every number under its heading (with negative controls),
   a golden snapshot of every number printed, links in reading order and
   simulator links that round-trip;
4. Chromium (tests/browser/test_explainer_charts.py): every chart draws its
   traces in both colour schemes, at phone
   width, with no console error on any page.

Regenerate the golden snapshot on purpose with ``ROOFLINE_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_site import macro_values, visible_text

from roofline import explainer, longcontext, presets
from roofline import model as core
from roofline.model import SEED_DEFAULTS, Params
from roofline.sweep import sweep
from roofline.units import time_unit
from roofline.web.article import ARTICLE, State
from roofline_site.charts import catalog as charts
from roofline_site.pages import explainer as site_macros

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "explainer.json"
UPDATE_GOLDEN = os.environ.get("ROOFLINE_UPDATE_GOLDEN") == "1"

#: The explainer in reading order: (source page, built path).
READING_ORDER = (
    ("index.md", "index.html"),
    ("move-and-compute.md", "move-and-compute/index.html"),
    ("compute-time.md", "compute-time/index.html"),
    ("memory-time.md", "memory-time/index.html"),
    ("one-picture.md", "one-picture/index.html"),
    ("sweet-spot.md", "sweet-spot/index.html"),
    ("two-details.md", "two-details/index.html"),
    ("long-context.md", "long-context/index.html"),
    ("symbols.md", "symbols/index.html"),
    ("questions.md", "questions/index.html"),
)
PAGES = tuple(built for _, built in READING_ORDER)
#: Charts each page draws, by name.
PAGE_CHARTS = {
    "compute-time/index.html": ("compute-line",),
    "memory-time/index.html": ("memory-line",),
    "one-picture/index.html": ("one-picture",),
    "two-details/index.html": ("overlap",),
    "long-context/index.html": ("long-context-family", "crossover-vs-context"),
}

DEEPSEEK = explainer.scenario("deepseek-h100").params
DEEPSEEK_CACHE = explainer.scenario("deepseek-h100-cache").params
LLAMA_CACHE = explainer.scenario("llama70b-h100-cache").params


# --- 1. the core ---------------------------------------------------------------


def test_cache_sizes_match_the_model_configs() -> None:
    # FACTS.md, "Models": KV bytes per token at 16 bits.
    assert explainer.DEEPSEEK_V3_KV_BYTES_PER_TOKEN_BF16 == 70_272  # 61 × (512 + 64) × 2
    assert explainer.DEEPSEEK_V3_KV_BYTES_PER_TOKEN_FP8 == 35_136
    assert explainer.LLAMA_31_70B_KV_BYTES_PER_TOKEN_BF16 == 327_680  # 2 × 80 × 8 × 128 × 2


def test_deepseek_no_crossover_context_matches_facts() -> None:
    # FACTS.md: "DeepSeek-V3 on an H100 with FP8 math: about 1,780 tokens of context
    # at 16-bit KV, about 3,570 at 8-bit KV".
    assert longcontext.article_no_crossover_context(DEEPSEEK_CACHE) == pytest.approx(1780, rel=0.01)
    fp8 = explainer.scenario("deepseek-h100-cache-fp8").params
    assert longcontext.article_no_crossover_context(fp8) == pytest.approx(3570, rel=0.01)


def test_article_rounding_and_sweet_spots() -> None:
    assert explainer.sweet_spot_from_factors(18, 300) == 5400
    exact = core.sweet_spot_batch(671e9, 37e9, 989.45e12, 3.35e12)
    assert explainer.relative_difference(5400, exact) == pytest.approx(5400 / exact - 1, rel=1e-12)
    assert explainer.scenario("deepseek-h100").crossover_batch() == pytest.approx(exact, rel=1e-3)


def test_chip_ratios_check_the_articles_range() -> None:
    # The article: "A100, H100, B100 all have this ratio between 200 and 400".
    # True for FP8 arithmetic on H100/H200/B200; the A100 has no FP8 units.
    for key in ("h100-sxm", "h200", "b200"):
        chip = explainer.chip(key)
        ratio = core.hardware_ratio(chip.compute_ops_per_s("fp8"), chip.bandwidth_bytes_per_s)
        assert 200 <= ratio <= 400, key
    a100 = explainer.chip("a100-sxm")
    assert core.hardware_ratio(a100.compute_ops_per_s("bf16"), a100.bandwidth_bytes_per_s) == pytest.approx(
        312e12 / 2 / 2.039e12
    )
    with pytest.raises(ValueError, match="FP8"):
        a100.compute_ops_per_s("fp8")
    assert explainer.chip("article-h100") is presets.ARTICLE_H100
    with pytest.raises(ValueError, match="unknown chip 'tpu'"):
        explainer.chip("tpu")


def test_unknown_scenario_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown scenario 'nope'.*article-sim"):
        explainer.scenario("nope")


def _params() -> st.SearchStrategy[Params]:
    positive = st.floats(min_value=1e-3, max_value=1e3)
    return st.builds(
        lambda a, c, t, bw, L, b: Params(
            batch=1,
            active_params=a * 1e9,
            compute_ops_per_s=c * 1e12,
            total_params=t * 1e9,
            bandwidth_bytes_per_s=bw * 1e11,
            context_tokens=L * 1e3,
            kv_bytes_per_element=b,
        ),
        positive,
        positive,
        positive,
        positive,
        positive,
        positive,
    )


@settings(max_examples=200, deadline=None)
@given(_params())
def test_critical_contexts_are_where_the_equations_say(p: Params) -> None:
    wall = longcontext.article_no_crossover_context(p)
    flip = longcontext.balance_flip_context(p)
    # At the wall the two slopes are equal; at the flip, B* is twice the KV-free sweet spot
    # and the KV read there equals the weight read.
    assert core.memory_slope_s(p.replace(context_tokens=wall)) == pytest.approx(core.compute_slope_s(p), rel=1e-9)
    assert flip == pytest.approx(wall / 2, rel=1e-12)
    at_flip = longcontext.crossover_at_context(p, flip)
    sweet = core.sweet_spot_batch(p.total_params, p.active_params, p.compute_ops_per_s, p.bandwidth_bytes_per_s)
    assert at_flip == pytest.approx(2 * sweet, rel=1e-9)
    q = p.replace(context_tokens=flip)
    assert core.t_kv_s(q, at_flip) == pytest.approx(core.t_weights_s(q), rel=1e-9)
    assert longcontext.kv_compute_slope_ratio(p) == pytest.approx(p.context_tokens / wall, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(_params(), st.floats(min_value=1, max_value=1e5))
def test_parity_context_and_time_per_token(p: Params, batch: float) -> None:
    parity = p.replace(context_tokens=longcontext.kv_weight_parity_context(p, batch))
    assert core.t_kv_s(parity, batch) == pytest.approx(core.t_weights_s(parity), rel=1e-9)
    assert longcontext.machine_time_per_token_s(p, batch) * batch == pytest.approx(core.latency_s(p, batch), rel=1e-12)
    assert longcontext.article_kv_bytes_per_sequence(p) == p.context_tokens * p.kv_bytes_per_element


def test_crossover_grows_with_context_until_it_vanishes() -> None:
    wall = longcontext.article_no_crossover_context(DEEPSEEK_CACHE)
    curve = longcontext.crossover_curve(DEEPSEEK_CACHE, [wall * f for f in (0.01, 0.2, 0.5, 0.9, 0.99, 1.01, 2)])
    values = [b for _, b in curve]
    assert all(b is not None for b in values[:5]) and values[5:] == [None, None]
    assert values[:5] == sorted(values[:5])


@settings(max_examples=200, deadline=None)
@given(_params(), st.floats(min_value=0.001, max_value=0.5))
def test_near_balance_band_edges_have_the_tolerated_ratio(p: Params, tolerance: float) -> None:
    band = explainer.near_balance_band(p, tolerance)
    if core.crossover_batch(p) is None:
        assert band is None
        return
    low, high = band
    crossover = core.crossover_batch(p)
    ratio = core.t_compute_s(p, low) / core.t_memory_s(p, low)
    assert ratio == pytest.approx(1 - tolerance, rel=1e-9)
    assert low < crossover
    if high is not None:
        assert core.t_compute_s(p, high) / core.t_memory_s(p, high) == pytest.approx(1 + tolerance, rel=1e-9)
        assert high > crossover


def test_near_balance_band_rejects_a_tolerance_of_one() -> None:
    with pytest.raises(ValueError, match="tolerance must be < 1"):
        explainer.near_balance_band(SEED_DEFAULTS, 1.0)


def test_max_not_sum_cases() -> None:
    for batch in (128, 2048):
        serial = explainer.serial_time_s(SEED_DEFAULTS, batch)
        step = core.latency_s(SEED_DEFAULTS, batch)
        assert serial == core.t_memory_s(SEED_DEFAULTS, batch) + core.t_compute_s(SEED_DEFAULTS, batch) > step
        memory_idle, compute_idle = explainer.idle_fractions(SEED_DEFAULTS, batch)
        assert min(memory_idle, compute_idle) == 0 and 0 < max(memory_idle, compute_idle) < 1


def test_lever_effects_pull_one_input_each() -> None:
    p = explainer.scenario("q1").params
    effects = {e.lever: e for e in explainer.lever_effects(p, 10, (128, 2048))}
    assert effects["baseline"].speedup == (1.0, 1.0)
    assert effects["n_active"].params == p.replace(active_params=p.active_params / 10)
    assert effects["kv_bytes"].params == p.replace(kv_bytes_per_element=p.kv_bytes_per_element / 10)
    assert effects["compute"].params == p.replace(compute_ops_per_s=p.compute_ops_per_s * 10)
    assert effects["bandwidth"].params == p.replace(bandwidth_bytes_per_s=p.bandwidth_bytes_per_s * 10)
    for effect in effects.values():
        for batch, time, speedup in zip(effect.batches, effect.latency_s, effect.speedup, strict=True):
            assert time == core.latency_s(effect.params, batch)
            assert speedup == pytest.approx(core.latency_s(p, batch) / time, rel=1e-12)
        # In the model no single 10× lever gives 10× here: the other term takes over.
        assert max(effect.speedup) < 10
    with pytest.raises(ValueError, match="batches must name"):
        explainer.lever_effects(p, 10, ())
    with pytest.raises(ValueError, match="factor"):
        explainer.lever_effects(p, 0, (1,))


def test_price_steps_are_the_quoted_figures() -> None:
    # FACTS.md, from pydantic/genai-prices prices/providers/google.yml.
    pro25 = explainer.PRICE_STEPS["gemini-2.5-pro"]
    assert (pro25.input_below, pro25.input_above, pro25.output_below, pro25.output_above) == (1.25, 2.5, 10, 15)
    assert pro25.threshold_tokens == 200e3
    assert explainer.price_step_ratio(pro25, "input") == 2
    assert explainer.price_step_ratio(pro25, "output") == 1.5
    pro15 = explainer.PRICE_STEPS["gemini-1.5-pro"]
    assert (pro15.output_below, pro15.output_above, pro15.threshold_tokens) == (5, 10, 128e3)
    with pytest.raises(ValueError, match="kind must be"):
        explainer.price_step_ratio(pro25, "cached")


def test_linkable_scenarios_round_trip_through_the_url() -> None:
    shown = {key: State.of(s.params, s.max_batch) for key, s in explainer.SCENARIOS.items()}
    linkable = {key for key, state in shown.items() if ARTICLE.fits(state)}
    assert {"article-sim", "deepseek-h100", "llama70b-h100", "q1", "article-sim-few-users"} <= linkable
    for key in linkable:
        state, notices = ARTICLE.parse(ARTICLE.encode(shown[key]))
        assert notices == [] and state == shown[key], key
    # Real per-token cache sizes do not fit the simulator's b slider (1 to 8 bytes).
    assert "deepseek-h100-cache" not in linkable


# --- 2. the charts ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_chart_json_is_valid_plotly_in_both_schemes(name: str) -> None:
    spec = json.loads(charts.chart_json(name))
    assert set(spec) == set(charts.SCHEMES)
    for scheme, figure in spec.items():
        go.Figure(figure)  # plotly.py validates every property again
        assert figure["data"], f"{name}/{scheme} has no traces"
        for trace in figure["data"]:
            for axis in ("x", "y"):
                numbers = [v for v in trace.get(axis, []) if not isinstance(v, str)]
                assert all(math.isfinite(v) for v in numbers), f"{name}/{scheme}: {trace.get('name')}"
    light, dark = spec["default"], spec["slate"]
    assert light["layout"]["font"]["color"] != dark["layout"]["font"]["color"]
    assert [t["name"] for t in light["data"]] == [t["name"] for t in dark["data"]]


def test_chart_lines_are_core_sweeps() -> None:
    figure = charts.chart_figure("one-picture", "default")
    s = explainer.scenario("article-sim")
    ends = sweep(s.params, [0, s.max_batch])
    _, scale = time_unit(max(pt.latency_s for pt in ends))
    by_name = {t["name"]: t for t in figure["data"]}
    compute = by_name["T_compute (through the origin)"]
    assert compute["y"] == [pt.t_compute_s / scale for pt in ends]
    memory = by_name["T_memory (starts at N_total / BW)"]
    assert memory["y"] == [pt.t_memory_s / scale for pt in ends]
    crossover = core.crossover_batch(s.params)
    marker = next(t for t in figure["data"] if t["name"].startswith("crossover"))
    assert marker["x"] == [crossover]

    family = charts.chart_figure("long-context-family", "default")
    p = explainer.scenario("deepseek-h100-cache").params
    markers = next(t for t in family["data"] if t["name"] == "crossovers B* with the cache")
    expected = [longcontext.crossover_at_context(p, L) for L in charts.FAMILY_CONTEXTS]
    assert markers["x"] == [b for b in expected if b is not None and b <= 16384]
    assert any("off the chart" in t["name"] for t in family["data"])

    curve = charts.chart_figure("crossover-vs-context", "default")
    line = curve["data"][0]
    for L, b in zip(line["x"], line["y"], strict=True):
        assert b == longcontext.crossover_at_context(p, L)
    wall = longcontext.article_no_crossover_context(p)
    assert max(line["x"]) < wall

    overlap = charts.chart_figure("overlap", "default")
    bars = {t["name"]: t["x"] for t in overlap["data"]}
    _, scale = time_unit(explainer.serial_time_s(SEED_DEFAULTS, 2048))
    assert bars["moving bytes (T_memory)"] == [
        core.t_memory_s(SEED_DEFAULTS, 128) / scale,
        core.t_memory_s(SEED_DEFAULTS, 2048) / scale,
    ]


def test_unknown_chart_and_scheme_fail_loudly() -> None:
    with pytest.raises(ValueError, match="unknown chart"):
        charts.chart_figure("pie", "default")
    with pytest.raises(ValueError, match="scheme must be one of"):
        charts.chart_figure("overlap", "sepia")


# --- 3. the built pages -----------------------------------------------------------


def _html(site: Path, page: str) -> str:
    return (site / page).read_text()


def _article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def sections(html: str) -> dict[str, str]:
    """The article split at each ``<h2 id=...>``; text before the first h2 is ``"top"``."""
    parts = re.split(r'(<h2 id="[^"]+")', _article(html))
    found = {"top": parts[0]}
    for marker, body in zip(parts[1::2], parts[2::2], strict=True):
        found[re.search(r'id="([^"]+)"', marker)[1]] = body
    return found


def spans(fragment: str) -> dict[str, list[tuple[float, str]]]:
    return macro_values(fragment)


def _sweet(p: Params) -> float:
    return core.sweet_spot_batch(p.total_params, p.active_params, p.compute_ops_per_s, p.bandwidth_bytes_per_s)


def _seed(**changes: float) -> Params:
    return SEED_DEFAULTS.replace(**changes)


# (page, heading id, data-macro name, the value computed here with direct core calls, text shown).
# Each macro module function appears at least once (test_every_macro_is_checked_under_a_heading).
EXPECTED: tuple[tuple[str, str, str, float, str], ...] = (
    (
        "move-and-compute/index.html",
        "what-the-two-times-look-like",
        "sv:article-sim:t_memory",
        core.t_memory_s(SEED_DEFAULTS),
        "60.01 ms",
    ),
    (
        "move-and-compute/index.html",
        "what-the-two-times-look-like",
        "sv:article-sim:compute_idle",
        1 - core.t_compute_s(SEED_DEFAULTS) / core.latency_s(SEED_DEFAULTS),
        "78.67%",
    ),
    ("compute-time/index.html", "the-formula", "sv:deepseek-h100:compute_slope", 37e9 / 989.45e12, "37.39 µs"),
    ("compute-time/index.html", "the-formula", "sv:article-sim-dense:compute_slope", 12e9 / 80e12, "150 µs"),
    (
        "memory-time/index.html",
        "the-weights-read-once-shared-by-the-whole-batch",
        "sv:deepseek-h100:t_weights",
        671e9 / 3.35e12,
        "200.3 ms",
    ),
    ("memory-time/index.html", "together-a-sum", "sv:article-sim-1m:memory_slope", 1e6 * 2 / 200e9, "10 µs"),
    (
        "memory-time/index.html",
        "together-a-sum",
        "sv:article-sim-1m:kv_share",
        core.kv_share(_seed(context_tokens=1e6)),
        "2.09%",
    ),
    ("one-picture/index.html", "top", "sv:article-sim:crossover", core.crossover_batch(SEED_DEFAULTS), "600.5"),
    ("one-picture/index.html", "top", "balance_tolerance", 0.1, "10%"),
    (
        "one-picture/index.html",
        "the-three-regions",
        "sv:article-sim:time_per_token_at_crossover",
        core.latency_s(SEED_DEFAULTS, core.crossover_batch(SEED_DEFAULTS)) / core.crossover_batch(SEED_DEFAULTS),
        "100 µs",
    ),
    ("sweet-spot/index.html", "putting-the-two-factors-together", "article_rounded_sweet_spot", 5400.0, "5,400"),
    (
        "sweet-spot/index.html",
        "putting-the-two-factors-together",
        "rounding_gap:deepseek-h100",
        5400 / core.sweet_spot_batch(671e9, 37e9, 1978.9e12 / 2, 3.35e12) - 1,
        "0.8%",
    ),
    (
        "sweet-spot/index.html",
        "the-hardwares-factor-multiply-adds-per-byte",
        "chip_ops_per_byte:a100-sxm:bf16",
        156e12 / 2.039e12,
        "76.5",
    ),
    (
        "sweet-spot/index.html",
        "the-hardwares-factor-multiply-adds-per-byte",
        "chip_ops_per_byte:b200:fp8",
        2250e12 / 8e12,
        "281",
    ),
    (
        "sweet-spot/index.html",
        "the-hardwares-factor-multiply-adds-per-byte",
        "chip_figure:h200:bandwidth:fp8",
        4.8e12,
        "4.8T bytes/s",
    ),
    (
        "two-details/index.html",
        "why-the-step-is-a-maximum",
        "sv:article-sim:serial:B=2048",
        core.t_memory_s(SEED_DEFAULTS, 2048) + core.t_compute_s(SEED_DEFAULTS, 2048),
        "265 ms",
    ),
    ("two-details/index.html", "why-memory-time-is-a-sum", "sv:article-sim:t_kv", 128 * 8192 * 2 / 200e9, "10.49 µs"),
    ("long-context/index.html", "real-cache-sizes", "kv_cache_bytes_per_token:deepseek-v3:bf16:8192", 61 * 576 * 2, "70,272"),
    (
        "long-context/index.html",
        "real-cache-sizes",
        "sv:deepseek-h100-cache:crossover:L=1024",
        (671e9 / 3.35e12) / (37e9 / 989.45e12 - 1024 * 70_272 / 3.35e12),
        "12,586",
    ),
    (
        "long-context/index.html",
        "two-critical-context-lengths",
        "sv:deepseek-h100-cache:no_crossover_context",
        37e9 / 989.45e12 * 3.35e12 / 70_272,
        "1,780",
    ),
    (
        "long-context/index.html",
        "two-critical-context-lengths",
        "sv:deepseek-h100-cache:flip_context",
        37e9 * 3.35e12 / (2 * 989.45e12 * 70_272),
        "891",
    ),
    (
        "long-context/index.html",
        "two-critical-context-lengths",
        "sv:deepseek-h100-cache:crossover_at_flip",
        2 * _sweet(DEEPSEEK_CACHE),
        "10,713",
    ),
    (
        "long-context/index.html",
        "two-critical-context-lengths",
        "sv:deepseek-h100-cache:parity_context",
        671e9 / (128 * 70_272),
        "74,599",
    ),
    ("long-context/index.html", "the-price-step-for-long-prompts", "price:gemini-2.5-pro:output:above", 15.0, "15.00"),
    ("long-context/index.html", "the-price-step-for-long-prompts", "price_ratio:gemini-2.5-pro:output", 1.5, "1.5×"),
    ("long-context/index.html", "the-price-step-for-long-prompts", "price_threshold:gemini-2.5-pro", 200e3, "200,000"),
    (
        "long-context/index.html",
        "the-price-step-for-long-prompts",
        "per_token_ratio:deepseek-h100-cache:B=64:L=200K:deepseek-h100-cache:ref=64:L=100K",
        (671e9 / 3.35e12 + 64 * 200e3 * 70_272 / 3.35e12) / (671e9 / 3.35e12 + 64 * 100e3 * 70_272 / 3.35e12),
        "1.40×",
    ),
    ("symbols/index.html", "the-inputs", "sv:deepseek-h100:compute", 1978.9e12 / 2, "989.45T"),
    ("symbols/index.html", "what-follows-from-them", "sv:deepseek-h100:sparsity", 671 / 37, "18.14"),
    (
        "questions/index.html",
        "q1",
        "lever:q1:bandwidth:B=128:speedup",
        core.latency_s(_seed(context_tokens=1e6, kv_bytes_per_element=1), 128)
        / core.latency_s(_seed(context_tokens=1e6, kv_bytes_per_element=1, bandwidth_bytes_per_s=2e12), 128),
        "4.74×",
    ),
    ("questions/index.html", "q2", "sv:llama70b-h100:sweet_spot", 989.45e12 / 3.35e12, "295.4"),
    (
        "questions/index.html",
        "q2",
        "sv:llama70b-h100-cache:no_crossover_context",
        70.6e9 / 989.45e12 * 3.35e12 / 327_680,
        "729.5",
    ),
    (
        "questions/index.html",
        "q3",
        "speedup:llama70b-h100:llama70b-h100-10bw:B=64",
        max(70.6e9 / 3.35e12 + 64 * 4096 / 3.35e12, 64 * 70.6e9 / 989.45e12)
        / max(70.6e9 / 33.5e12 + 64 * 4096 / 33.5e12, 64 * 70.6e9 / 989.45e12),
        "4.61×",
    ),
    (
        "questions/index.html",
        "q4",
        "per_token_ratio:deepseek-h100-cache:B=8:L=131072:deepseek-h100:ref=crossover",
        ((671e9 + 8 * 131_072 * 70_272) / 3.35e12 / 8)
        / (core.latency_s(DEEPSEEK, core.crossover_batch(DEEPSEEK)) / core.crossover_batch(DEEPSEEK)),
        "743×",
    ),
)


@pytest.mark.parametrize(
    ("page", "heading", "name", "value", "text"), EXPECTED, ids=[f"{e[0].split('/')[0]}:{e[2]}" for e in EXPECTED]
)
def test_number_appears_under_its_heading(
    built_site: Path, page: str, heading: str, name: str, value: float, text: str
) -> None:
    found = sections(_html(built_site, page))
    assert heading in found, f"{page} has no heading {heading!r}: {sorted(found)}"
    shown = spans(found[heading]).get(name)
    assert shown, f"{name} is not under #{heading} on {page}"
    for got_value, got_text in shown:
        assert got_value == pytest.approx(value, rel=1e-9), name
        assert got_text == text, name
    # Negative controls: a value 1e-6 off is told apart, and the number is not
    # claimed by a section it does not belong to.
    assert not any(v == pytest.approx(value * (1 + 1e-6), rel=1e-9) for v, _ in shown)
    others = [h for h in found if h != heading and name not in spans(found[h])]
    assert others, f"no section of {page} is free of {name}: the heading check would prove nothing"


def test_the_home_page_names_the_regime(built_site: Path) -> None:
    top = sections(_html(built_site, "index.html"))["what-the-numbers-look-like"]
    assert f'data-macro="regime:article-sim">{core.regime(SEED_DEFAULTS).value}<' in top


def test_the_heading_check_detects_a_misplaced_number(built_site: Path) -> None:
    found = sections(_html(built_site, "long-context/index.html"))
    assert "price:gemini-2.5-pro:output:above" in spans(found["the-price-step-for-long-prompts"])
    assert "price:gemini-2.5-pro:output:above" not in spans(found["real-cache-sizes"])


def test_every_macro_is_checked_under_a_heading() -> None:
    # scenario_value tags its numbers "sv:..." (the golden snapshot's names).
    tags = {"sv": "scenario_value"}
    checked = {tags.get(tag, tag) for tag in (name.split(":")[0] for _, _, name, _, _ in EXPECTED)}
    # lever_table's cells are named "lever"; regime and price_model print words (regime: test_the_home_page_names_the_regime;
    # price_model: tests/fast/test_prose_numbers.py allows the digits of a product name only through it).
    assert set(site_macros.MACROS) - {"lever_table", "regime", "price_model"} <= checked
    assert "lever" in checked  # lever_table's cells


def test_pages_follow_the_reading_order_and_link_to_the_simulator(built_site: Path) -> None:
    for (_, page), (_, following) in itertools.pairwise(READING_ORDER):
        html = _html(built_site, page)
        nexts = re.findall(r'<div class="rl-next">(.*?)</div>', html, flags=re.S)
        assert nexts, f"{page} has no next-page block"
        target = following.removesuffix("index.html")
        relative = "" if page == "index.html" else "../"
        assert f'href="{relative}{target}"' in nexts[0], f"{page} does not link on to {following}"
        assert re.search(r'href="(\.\./)?simulator/\?B=', nexts[0]), f"{page} does not link to the simulator"
    last = re.findall(r'<div class="rl-next">(.*?)</div>', _html(built_site, "questions/index.html"), flags=re.S)[0]
    assert 'href="../"' in last and 'href="../simulator/?B=' in last


def test_nav_lists_the_pages_in_reading_order(built_site: Path) -> None:
    html = _html(built_site, "index.html")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1]
    positions = [nav.find(f'href="{built.removesuffix("index.html")}"') for _, built in READING_ORDER[1:]]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_simulator_links_round_trip(built_site: Path) -> None:
    links = 0
    for page in PAGES:
        for href in re.findall(r'href="((?:\.\./)?simulator/\?[^"]+)"', _html(built_site, page)):
            query = unquote(urlsplit(href.replace("&amp;", "&")).query)
            state, notices = ARTICLE.parse(query)
            assert notices == [], f"{page}: {href}: {notices}"
            assert ARTICLE.encode(state) == urlsplit(href.replace("&amp;", "&")).query, href
            links += 1
    assert links >= 15


def test_questions_have_collapsible_answers_with_simulator_links(built_site: Path) -> None:
    found = sections(_html(built_site, "questions/index.html"))
    for q in ("q1", "q2", "q3", "q4"):
        block = found[q]
        assert '<details class="success">' in block, q
        inner = block.split("<details", 1)[1]
        assert "simulator/?B=" in inner, f"{q}: the answer has no simulator link"
        assert spans(inner), f"{q}: the answer prints no computed number"


def test_tables_are_real_tables(built_site: Path) -> None:
    regions = sections(_html(built_site, "one-picture/index.html"))["the-three-regions"]
    assert regions.count("<tr>") >= 4 and "memory-bound" in regions and "compute-bound" in regions
    symbols = sections(_html(built_site, "symbols/index.html"))["the-inputs"]
    header = re.search(r"<thead>(.*?)</thead>", symbols, flags=re.S)[1]
    assert all(word in header for word in ("symbol", "unit", "set by"))
    assert symbols.count("<tr>") == 8  # header + B, L, N_total, N_active, b, C, BW


def test_explainer_pages_hold_no_template_leftovers_or_bad_numbers(built_site: Path) -> None:
    for page in PAGES:
        html = _html(built_site, page)
        text = visible_text(html)
        outside_scripts = re.sub(r"<script\b.*?</script>", "", _article(html), flags=re.S)
        for leftover in ("{{", "{%", "{#"):
            assert leftover not in text and leftover not in outside_scripts, f"{page}: {leftover}"
        for word in ("nan", "None", "inf", "NaN", "Infinity"):
            assert not re.search(rf"\b{word}\b", text), f"{page}: {word}"
        for _, value, _ in re.findall(r'data-macro="([^"]+)" data-value="([^"]*)">([^<]*)<', html):
            assert math.isfinite(float(value)), f"{page}: data-value {value!r}"


def test_plotly_is_loaded_only_where_charts_are(built_site: Path) -> None:
    for page in PAGES:
        html = _html(built_site, page)
        expected = PAGE_CHARTS.get(page, ())
        assert re.findall(r'data-chart="([^"]+)"', html) == list(expected), page
        assert html.count("plotly/plotly.min.js") == (1 if expected else 0), page
        assert html.count("javascripts/charts.js") == (1 if expected else 0), page
        for name in expected:
            payload = re.search(rf'<script type="application/json" id="chart-{name}-data">(.*?)</script>', html, re.S)
            spec = json.loads(payload[1])
            assert spec == json.loads(charts.chart_json(name)), name


def _golden_numbers(site: Path) -> dict[str, dict[str, list]]:
    """Every number each page prints, named by its ``data-macro``.

    Most macros spell their arguments into the name; those that do not
    (``sparsity``, ``model_figure``...) get ``#1``, ``#2``... for their
    distinct values, in page order.
    """
    numbers: dict[str, dict[str, list]] = {}
    for page in PAGES:
        page_numbers: dict[str, list] = {}
        for name, shown in macro_values(_html(site, page)).items():
            distinct = list(dict.fromkeys(shown))
            if len(distinct) == 1:
                page_numbers[name] = list(distinct[0])
            else:
                assert ":" not in name, f"{page}: {name} is named by its arguments yet printed two ways"
                for index, (value, text) in enumerate(distinct, start=1):
                    page_numbers[f"{name}#{index}"] = [value, text]
        numbers[page] = dict(sorted(page_numbers.items()))
    return numbers


def golden_text(numbers: dict[str, dict[str, list]]) -> str:
    """The snapshot as JSON with one printed number per line, so diffs read well."""
    pages = []
    for page in sorted(numbers):
        rows = [
            f"    {json.dumps(name, ensure_ascii=False)}: {json.dumps(pair, ensure_ascii=False)}"
            for name, pair in sorted(numbers[page].items())
        ]
        pages.append(f"  {json.dumps(page)}: {{\n" + ",\n".join(rows) + "\n  }")
    return "{\n" + ",\n".join(pages) + "\n}\n"


def compare_with_golden(numbers: dict[str, dict[str, list]], golden: dict[str, dict[str, list]]) -> None:
    """Raise AssertionError unless every page prints exactly the golden names, values (rtol 1e-9) and texts."""
    assert sorted(numbers) == sorted(golden), "pages changed: regenerate with ROOFLINE_UPDATE_GOLDEN=1"
    for page, expected in golden.items():
        got = numbers[page]
        assert sorted(got) == sorted(expected), f"{page}: numbers added or removed; regenerate on purpose"
        for name, (value, text) in expected.items():
            assert got[name][0] == pytest.approx(value, rel=1e-9), f"{page}: {name}"
            assert got[name][1] == text, f"{page}: {name}"


def test_golden_snapshot_of_every_printed_number(built_site: Path) -> None:
    numbers = _golden_numbers(built_site)
    if UPDATE_GOLDEN:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(golden_text(numbers))
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run with ROOFLINE_UPDATE_GOLDEN=1 to create it"
    golden = json.loads(GOLDEN.read_text())
    compare_with_golden(numbers, golden)
    assert sum(len(v) for v in golden.values()) >= 100


def test_golden_comparison_catches_changes(built_site: Path) -> None:
    # Negative controls for the snapshot comparison itself.
    numbers = _golden_numbers(built_site)
    page, name = "sweet-spot/index.html", "article_rounded_sweet_spot"
    value, text = numbers[page][name]
    for changed in ([value * (1 + 1e-8), text], [value, text + "0"]):
        golden = json.loads(json.dumps(numbers))
        golden[page][name] = changed
        with pytest.raises(AssertionError):
            compare_with_golden(numbers, golden)
    golden = json.loads(json.dumps(numbers))
    golden[page]["a_number_nobody_prints"] = [1.0, "1"]
    with pytest.raises(AssertionError):
        compare_with_golden(numbers, golden)
    compare_with_golden(numbers, json.loads(json.dumps(numbers)))  # and the unchanged copy passes


def test_macros_fail_loudly_on_bad_requests() -> None:
    with pytest.raises(ValueError, match="quantity must be one of"):
        site_macros.scenario_value("article-sim", "speed")
    with pytest.raises(ValueError, match="the lines never cross"):
        site_macros.scenario_value("llama70b-h100-cache", "crossover", context=1e5)
    with pytest.raises(ValueError, match="outside the simulator's slider ranges"):

        class Env:
            page = None

        site_macros.simulator_link(Env(), "deepseek-h100-cache")
