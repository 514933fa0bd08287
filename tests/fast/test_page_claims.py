"""Claims the pages make in words, checked against the core (issue 12: items 1 to 5, 8 and 9)."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest
from test_site import macro_values, visible_text

from roofline import comparisons, deployment, presets
from roofline import model as core
from roofline.units import format_number, format_tokens, model_card_tokens, price_sheet_tokens
from roofline.web.article import ARTICLE

SPAN = re.compile(r'<span class="rl-(?:num|word)" data-macro="([^"]+)"(?: data-value="([^"]*)")?>([^<]*)</span>')


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text()


def spans(html_text: str, macro: str) -> list[str]:
    return [html.unescape(text) for name, _, text in SPAN.findall(html_text) if name == macro]


# ---------------------------------------------------------------- item 1: attention's own precision


def test_deepseek_verdict_is_what_the_core_computes(built_site: Path) -> None:
    text = page(built_site, "deployment")
    stated = deployment.compare_with_published(presets.DEEPSEEK_SERVING)
    stages = {k: deployment.compare_with_published(presets.DEEPSEEK_SERVING, **v) for k, v in deployment.CHECK_STAGES.items()}
    assert spans(text, "published_regime") == [stated.predicted.regime.value] * 3 == ["compute-bound"] * 3
    for stage in ("idealised", "layout", "attention"):
        assert set(spans(text, f"published_regime:{stage}")) == {stages[stage].predicted.regime.value}
    assert spans(text, "published_attention_precision") == ["BF16"]
    assert spans(text, "published_layout") == ["tp144-ep144-dpa"]
    words = " ".join(visible_text(text).split())
    assert "BF16 MLA cache" not in words
    assert "the 16-bit cache used below is our assumption" in words
    # The corrected verdict, and the old figure only where it is named as the idealisation.
    assert "modelled as DeepSeek states it runs, the decode step is compute-bound" in words
    assert set(spans(text, "published_throughput_ratio")) == {format_number(stated.throughput_ratio, 2)} == {"4.0"}
    assert set(spans(text, "published_throughput_ratio:idealised")) == {"4.5"}
    assert spans(text, "published_step_ratio:idealised") == ["8.3"]
    assert "the article's idealisation" in words


# ---------------------------------------------------------------- item 2: one function for both tables


@pytest.mark.parametrize("precision", ["fp8", "bf16", "w8a16"])
def test_sweet_spot_tables_agree_across_pages(built_site: Path, precision: str) -> None:
    expected = deployment.precision_sweet_spot("h100-sxm", "deepseek-v3", precision)
    name = f"sweet_spot_batch:deepseek-v3:h100-sxm:{precision}"
    on_sweet_spot = [v for v, _ in macro_values(page(built_site, "sweet-spot"))[name]]
    on_deployment = [v for v, _ in macro_values(page(built_site, "deployment"))[name]]
    assert set(on_sweet_spot) == {expected} and set(on_deployment) == {expected}


def test_bf16_weights_with_bf16_math_balance_where_fp8_does() -> None:
    bf16 = deployment.precision_sweet_spot("h100-sxm", "deepseek-v3", "bf16")
    fp8 = deployment.precision_sweet_spot("h100-sxm", "deepseek-v3", "fp8")
    w8a16 = deployment.precision_sweet_spot("h100-sxm", "deepseek-v3", "w8a16")
    assert bf16 == pytest.approx(fp8, rel=1e-3)
    assert w8a16 == pytest.approx(bf16 / 2, rel=1e-12)


# ---------------------------------------------------------------- item 3: one name per quantity


def test_no_page_calls_c_over_bw_ops_per_byte(built_site: Path) -> None:
    for path in sorted(built_site.rglob("index.html")):
        words = visible_text(path.read_text()).lower()
        for loose in ("ops per byte", "ops-per-byte", "ops/byte"):
            assert loose not in words, f"{path.relative_to(built_site)} says {loose!r}: write multiply-adds per byte"


def test_every_chip_ops_per_byte_in_prose_names_its_unit(built_site: Path) -> None:
    text = page(built_site, "sweet-spot")
    for match in re.finditer(r'data-macro="chip_ops_per_byte:[^"]*"[^>]*>[^<]*</span>', text):
        after = text[match.end() : match.end() + 40]
        cell = text.rfind("<td", 0, match.start()) > text.rfind("</td>", 0, match.start())
        assert after.startswith(" multiply-adds per byte") or cell, text[match.start() - 80 : match.end() + 40]
    header = re.search(r"<th[^>]*>C / BW \(multiply-adds per byte\)</th>", text)
    assert header, "the sweet-spot table's C / BW column must state its unit"


def test_attention_flop_per_kv_byte_is_compared_in_flop_per_byte(built_site: Path) -> None:
    text = page(built_site, "long-context")
    bullet = text[text.index('data-macro="attention_flop_per_kv_byte"') :]
    bullet = bullet[: bullet.index("</li>")]
    assert 'data-macro="chip_flop_per_byte:h100-sxm:bf16"' in bullet and "chip_ops_per_byte" not in bullet
    chip = presets.hardware("h100-sxm")
    flop = core.hardware_ratio(chip.flops_per_s("bf16"), chip.bandwidth_bytes_per_s)
    ops = core.hardware_ratio(chip.compute_ops_per_s("bf16"), chip.bandwidth_bytes_per_s)
    assert flop == pytest.approx(2 * ops)
    assert f'data-value="{flop!r}"' in bullet


# ---------------------------------------------------------------- item 4: wording


def test_copy_engines_are_not_the_path_to_the_tensor_cores(built_site: Path) -> None:
    words = " ".join(visible_text(page(built_site, "two-details")).split())
    assert "copy engines and the memory system" not in words
    assert "DMA" in words and "L2" in words


def test_gqa_elements_count_kv_heads(built_site: Path) -> None:
    text = page(built_site, "memory-time")
    assert "layers × heads × head size" not in visible_text(text)
    assert r"2 \times \text{layers} \times \text{KV heads} \times \text{head dim}" in text
    m = presets.model("llama-3.1-70b")
    assert m.kv_elements_per_layer_token == 2 * m.kv_heads * m.head_dim


# ---------------------------------------------------------------- item 5: token counts


def test_model_card_and_price_sheet_counts_differ() -> None:
    assert model_card_tokens("128K") == 131072
    assert price_sheet_tokens("200K") == 200000
    assert model_card_tokens("1m") == 1048576
    for bad in ("128", "K", "1.5K", "12Q", None):
        with pytest.raises(ValueError, match="token count"):
            model_card_tokens(bad)  # type: ignore[arg-type]
    # One exact-token formatter (roofline.units) prints what either convention reads.
    assert format_tokens(model_card_tokens("128K")) == "131,072"
    assert format_tokens(price_sheet_tokens("200K")) == "200,000"


@pytest.mark.parametrize("name", ["deployment", "long-context"])
def test_contexts_are_printed_exactly_and_the_convention_is_stated(built_site: Path, name: str) -> None:
    text = page(built_site, name)
    words = " ".join(visible_text(text).split())
    assert "131,072" in words and "200,000" in words
    for match in SPAN.finditer(text):
        after = text[match.end() : match.end() + 8]
        if after.startswith(" tokens") and "context" in match.group(1):
            assert re.fullmatch(r"[\d,]+", match.group(3)), f"{name}: context printed as {match.group(3)!r}"


def test_long_context_prints_128k_as_what_it_computes_with(built_site: Path) -> None:
    text = page(built_site, "long-context")
    values = macro_values(text)
    assert (131072.0, "131,072") in values["tokens"]
    assert any(name.endswith("L=131072") for name in values)


# ---------------------------------------------------------------- item 8: the simulator's intro


def test_simulator_intro_says_what_the_defaults_show(built_site: Path) -> None:
    text = page(built_site, "simulator")
    intro = text[: text.index('id="simulator"')]
    assert "visibly tilt" not in intro
    share = core.kv_share(ARTICLE.default.params)
    assert share < 0.01
    assert spans(intro, "seed_kv_share") == [ARTICLE.readouts(ARTICLE.default)["kv_share"].text]
    link = re.search(r'href="\./\?([^"]+)"', intro)
    assert link, "the intro links a state where the tilt is visible"
    state, notices = ARTICLE.parse(html.unescape(link.group(1)))
    assert not notices
    at_edge = state.params.replace(batch=state.max_batch)
    assert core.kv_share(at_edge) > 0.2


# ---------------------------------------------------------------- item 9: how the ceilings grew


def test_growth_note_is_computed_from_cited_chips(built_site: Path) -> None:
    g = comparisons.growth(presets.P100, presets.hardware("b200"))
    assert g.bandwidth_ratio == pytest.approx(8e12 / 732e9)
    assert g.compute_ratio == pytest.approx(2250e12 / 21.2e12)
    assert g.balance_ratio > 5
    text = page(built_site, "sweet-spot")
    assert "by a few" not in visible_text(text)
    values = macro_values(text)
    assert (g.compute_ratio, f"{format_number(g.compute_ratio, 2, about=True)}×") in values["growth_compute"]
    assert (g.bandwidth_ratio, f"{format_number(g.bandwidth_ratio, 2, about=True)}×") in values["growth_bandwidth"]
    assert "732 GB/s" in presets.P100.source and "21.2" in presets.P100.source


# ---------------------------------------------------------------- issue 21: attention keeps MLA's crossover


def _one(values: dict[str, list[tuple[float, str]]], name: str) -> float:
    found = {v for v, _ in values[name]}
    assert len(found) == 1, (name, found)
    return found.pop()


def test_long_context_says_gqa_reads_memory_and_mla_computes(built_site: Path) -> None:
    values = macro_values(page(built_site, "long-context"))
    # Llama-3.1-70B: 2 x 64 x 128 multiply-adds over 2 x 8 x 128 FP8 elements, against the H100's
    # 1,978.9 TFLOP/s / 2 over 3.35 TB/s: far below.
    llama = _one(values, "attention_figure:llama-3.1-70b:h100-sxm:fp8:ops_per_kv_byte")
    ridge_fp8 = _one(values, "attention_figure:llama-3.1-70b:h100-sxm:fp8:ridge")
    assert llama == (2 * 64 * 128) / (2 * 8 * 128) and ridge_fp8 == pytest.approx(1978.9e12 / 2 / 3.35e12)
    assert llama < ridge_fp8 / 30
    # DeepSeek-V3: 128 x (512 + 64 + 512) over 576 elements; H200 and H100 at BF16.
    fp8 = _one(values, "attention_figure:deepseek-v3:h200:fp8:ops_per_kv_byte")
    bf16 = _one(values, "attention_figure:deepseek-v3:h200:bf16:ops_per_kv_byte")
    h200 = _one(values, "attention_figure:deepseek-v3:h200:fp8:ridge")
    h100 = _one(values, "attention_figure:deepseek-v3:h100-sxm:fp8:ridge")
    assert fp8 == pytest.approx(128 * 1088 / 576) and bf16 == pytest.approx(fp8 / 2)
    assert h200 == pytest.approx(989.5e12 / 2 / 4.8e12) and h100 == pytest.approx(989.4e12 / 2 / 3.35e12)
    # The page's words: an H200 is compute-bound with either cache, an H100 with an FP8 one only.
    assert fp8 > bf16 > h200 and fp8 > h100 > bf16
    # Under TP8 the copied latent drops below the ridge.
    assert _one(values, "attention_figure:deepseek-v3:h200:fp8:ops_per_kv_byte:tp8") == pytest.approx(fp8 / 8)
    assert fp8 / 8 < h200
    words = " ".join(visible_text(page(built_site, "long-context")).split())
    assert "holds for grouped-query models" in words and "never disappears" in words


def test_long_context_crossovers_move_left_with_an_fp8_cache(built_site: Path) -> None:
    text = page(built_site, "long-context")
    values = macro_values(text)
    contexts = (1536, 4096, 32768, 131072)

    def line(kv: str, context: int, figure: str, attention: bool) -> float:
        mode = "attention" if attention else "article"
        name = f"long_context_line:deepseek-v3:h100-sxm:{kv}:{context}:{figure}:{mode}"
        if name not in values:  # printed as a word: "none" (crossover) or "never" (critical context)
            assert spans(text, name) == ["none" if figure == "crossover" else "never"], name
            return math.nan
        return _one(values, name)

    counted = [line("fp8", L, "crossover", True) for L in contexts]
    assert counted == sorted(counted, reverse=True) and not any(math.isnan(v) for v in counted)
    assert math.isnan(line("fp8", 4096, "no_crossover_context", True))
    # The article's lines lose the crossover past its critical length; the table's "article" column is
    # the page's own scenario (the same no-crossover context as the section above prints).
    article = line("bf16", 4096, "no_crossover_context", False)
    assert article == pytest.approx(_one(values, "sv:deepseek-h100-cache:no_crossover_context"), rel=1e-12)
    assert line("fp8", 4096, "no_crossover_context", False) == pytest.approx(
        _one(values, "sv:deepseek-h100-cache-fp8:no_crossover_context"), rel=1e-12
    )
    assert line("bf16", 4096, "no_crossover_context", True) > 5 * article
    for L in (4096, 32768, 131072):
        assert math.isnan(line("bf16", L, "crossover", False)) and math.isnan(line("fp8", L, "crossover", False))
    # Computed from first principles at 131,072 tokens: B* = (N_total/BW) / (N_active/C + L (a/C_attn - b/BW)).
    L, bw, c, c_attn = 131072, 3.35e12, 1978.9e12 / 2, 989.4e12 / 2
    a, b = 61 * 128 * 1088, 61 * 576 * 1
    expected = (671e9 / bw) / (37e9 / c + L * (a / c_attn - b / bw))
    assert line("fp8", L, "crossover", True) == pytest.approx(expected, rel=1e-12)
