"""The page "What sets the batch": its numbers come from the core, and it agrees
with the sweet-spot and deployment pages where they speak of the same deployment."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import pytest
from test_site import macro_values

from roofline import deployment as dep
from roofline import frontier as fr
from roofline import presets
from roofline.web import realistic as real
from roofline_site.charts import catalog as charts
from roofline_site.pages import deployment as deployment_macros
from roofline_site.pages import frontier as page_macros

SENTENCE = re.compile(r'<span class="rl-sentence" data-macro="frontier:([^:"]+):sentence">([^<]*)</span>')
LIMIT = re.compile(r'<span class="rl-limit" data-macro="frontier:([^:"]+):limit">([^<]*)</span>')


def page_html(site: Path, slug: str = "what-sets-the-batch") -> str:
    return (site / slug / "index.html").read_text()


def one(values: dict[str, list[tuple[float, str]]], macro: str) -> tuple[float, str]:
    found = values[macro]
    assert len({v for v, _ in found if not math.isnan(v)} | {t for v, t in found if math.isnan(v)}) == 1, found
    return found[0]


def test_page_is_in_the_nav_after_the_deployment_page(built_site: Path) -> None:
    text = Path("mkdocs.yml").read_text()
    assert text.index("deployment.md") < text.index("what-sets-the-batch.md") < text.index("simulator/index.md")
    assert (built_site / "what-sets-the-batch" / "index.html").exists()


def test_page_prints_the_cores_choices(built_site: Path) -> None:
    page = page_html(built_site)
    values = macro_values(page)
    for name in page_macros.CASES:
        report = fr.evaluate_frontier(
            page_macros.case(name).lines(), page_macros.case(name).target_s, page_macros.case(name).max_batch
        )
        if f"frontier:{name}:batch" in values:
            value, text = one(values, f"frontier:{name}:batch")
            if report.choice.batch is None:
                assert math.isnan(value) and text == "none"
            else:
                assert value == report.choice.batch and text == f"{report.choice.batch:,}"
    # Hand-checked: the article's accelerator stops at its crossover, B = 600 (B* = 600.49).
    assert one(values, "frontier:article:crossover") == (600.0, "600")
    sentences = dict(SENTENCE.findall(page))
    limits = dict(LIMIT.findall(page))
    # DeepSeek-V3 on 8 x H200, FP8 weights and cache, attention counted (issue 21, item 5).
    # Under TP8 (the engines' default) the copied latent puts the wall at 396 at 4K, 49 at 32K, no crossover.
    assert html.unescape(sentences["deepseek-4k"]).startswith("Memory binds: at most 396 sequences")
    assert html.unescape(sentences["deepseek-4k"]).endswith("there is no crossover).")
    assert html.unescape(sentences["deepseek-32k"]).startswith("Memory binds: at most 49 sequences")
    # Under DP attention + EP8 the crossover binds at 4K (2,108 inside a wall of 2,368), memory at 32K (296, 455).
    assert html.unescape(sentences["deepseek-dpa-4k"]).startswith("The crossover binds: past B = 2,108")
    assert "memory would hold 2,368" in html.unescape(sentences["deepseek-dpa-4k"])
    assert html.unescape(sentences["deepseek-dpa-32k"]) == (
        "Memory binds: at most 296 sequences fit beside the weights (there is no target; the crossover would allow 455)."
    )
    assert html.unescape(sentences["llama70b-fp8-fast"]).startswith("The latency target binds: B = 47 ")
    assert html.unescape(sentences["deepseek-4k-fast"]).startswith("The latency target binds: B = 104 ")
    assert html.unescape(sentences["deepseek-dpa-4k-mtp"]).startswith("The crossover binds: past B = 883")
    # A target no batch meets: a sentence, never a number.
    assert html.unescape(sentences["llama70b-bf16-fast"]).startswith("No batch meets the 20 ms target")
    assert limits == {
        "llama70b-fp8-service": "memory",
        "deepseek-4k-service": "memory",
        "deepseek-dpa-4k-service": "crossover",
        "deepseek-4k-mtp-fast": "memory",
        "deepseek-dpa-4k-mtp-fast": "crossover",
    }
    # The article's lines are kept, named, for where that picture stops holding: 18,865 past a wall of 3,175.
    assert one(values, "frontier:deepseek-article-4k:crossover") == (18865.0, "18,865")
    assert one(values, "frontier:deepseek-even-4k:crossover") == (1798.0, "1,798")
    assert one(values, "frontier:deepseek-even-32k:crossover") == (388.0, "388")
    # Every DeepSeek case the page names runs attention counted unless it is one of the article's lines.
    for name, c in page_macros.CASES.items():
        if c.deployment is not None:
            assert c.deployment.attention_flops is ("-article-" not in name), name
            assert (c.deployment.layout is None) is not ("-dpa-" in name or "-even-" in name or "-article-" in name)
    for name, sentence in sentences.items():
        assert html.unescape(sentence) == page_macros.report(name).sentence


def test_the_three_pages_agree(built_site: Path) -> None:
    mine = macro_values(page_html(built_site))
    deployment = macro_values(page_html(built_site, "deployment"))
    sweet = page_html(built_site, "sweet-spot")
    # The same deployments as the deployment page's layout table: DeepSeek-V3, 8 x H200, FP8, FP8 cache,
    # attention counted, under the engines' default (TP8) and under DP attention + EP8, at 4K and 32K.
    for mine_name, theirs, layout in (
        ("deepseek-4k", "deepseek-h200x8-4k", "default"),
        ("deepseek-32k", "deepseek-h200x8-32k", "default"),
        ("deepseek-dpa-4k", "deepseek-h200x8-4k", "tp8-ep8-dpa"),
        ("deepseek-dpa-32k", "deepseek-h200x8-32k", "tp8-ep8-dpa"),
        ("deepseek-even-4k", "deepseek-h200x8-4k", "ideal"),
        ("deepseek-even-32k", "deepseek-h200x8-32k", "ideal"),
    ):
        d = deployment_macros.layout_deployment(theirs, layout)
        assert d == page_macros.case(mine_name).deployment, mine_name
        # (this page prints these figures or the sentences made of them; the first test ties both to the report)
        choice = page_macros.report(mine_name).choice
        wall = choice.memory_batch
        assert wall is not None and (wall, f"{wall:,}") in deployment[f"layout_case:{theirs}:{layout}:wall"]
        # The deployment page's crossover (a real number) and this page's last batch before it.
        theirs_crossover = deployment[f"layout_case:{theirs}:{layout}:crossover"]
        if choice.crossover_batch is None:
            assert all(math.isnan(v) for v, _ in theirs_crossover), mine_name
        else:
            assert any(math.floor(v) == choice.crossover_batch for v, _ in theirs_crossover), mine_name
    # The article's lines are the simulator's default state, which the deployment page opens.
    article = real.deployment_of(deployment_macros.case_state("deepseek-h200x8-4k"))
    assert article == page_macros.case("deepseek-article-4k").deployment
    assert (one(mine, "frontier:deepseek-article-4k:wall")[0], "3,175") in deployment["case_capacity"]
    crossover, _ = one(mine, "frontier:deepseek-article-4k:crossover")
    assert any(math.floor(v) == crossover for v, _ in deployment["case_crossover"])
    sweet_spot, text = one(mine, "frontier:deepseek-4k:sweet_spot")
    assert (sweet_spot, text) in deployment["case_sweet_spot"]
    # The even split with attention counted, as the simulator opens it with attn=1.
    attn = real.deployment_of(deployment_macros.case_state("deepseek-h200x8-4k-attn"))
    assert attn == page_macros.case("deepseek-even-4k").deployment
    # Under TP8 the best batch is the wall, and per-GPU throughput there is the deployment page's figure.
    tp8 = page_macros.case("deepseek-4k").deployment
    wall, _ = one(mine, "frontier:deepseek-4k:wall")
    assert dep.best_batch(tp8) == wall
    per_gpu, text = one(mine, "frontier:deepseek-4k:per_gpu")
    assert (pytest.approx(per_gpu, rel=1e-12), text) in deployment["layout_case:deepseek-h200x8-4k:default:per_gpu"]
    llama = deployment_macros.layout_deployment("llama70b-h100x2-8k", "default")
    assert llama == page_macros.case("llama70b-fp8").deployment
    assert (one(mine, "frontier:llama70b-fp8:wall")[0], "66") in deployment["case_capacity"]
    # The sweet-spot page's closing: the crossover is the largest batch worth running, and
    # memory or the target usually stop the batch first. Every batch this page chooses is
    # within its crossover, and for DeepSeek-V3 the KV-free sweet spot lies below the article's crossover.
    for name in page_macros.CASES:
        choice = page_macros.report(name).choice
        if choice.batch is not None and choice.crossover_batch is not None:
            assert choice.batch <= choice.crossover_batch, name
    assert sweet_spot < crossover
    limits = [page_macros.report(name).choice.limit for name in page_macros.CASES if name != "article"]
    assert sum(limit is not fr.Limit.CROSSOVER for limit in limits) > len(limits) / 2
    assert 'href="../what-sets-the-batch/"' in sweet
    closing = sweet[sweet.index('id="the-simplification-comes-back-to-bite"') :]
    assert "largest batch worth running" in closing and "what-sets-the-batch" in closing
    # The sweet spot this page quotes is the deployment module's KV-free sweet spot.
    assert sweet_spot == pytest.approx(dep.kv_free_sweet_spot(tp8), rel=1e-12)
    # The page's simulator links open what the simulator accepts today: no layout keys.
    for href in re.findall(r'class="rl-sim-link"[^>]*href="([^"]+)"', page_html(built_site)):
        query = html.unescape(href).split("?", 1)[1]
        assert not {kv.split("=")[0] for kv in query.split("&")} & {"tp", "ep", "dpa", "pp"}, href


def test_published_figures_are_the_cited_ones(built_site: Path) -> None:
    values = macro_values(page_html(built_site))
    assert one(values, "acceptance_low") == (0.85, "85%")
    assert one(values, "acceptance_high") == (0.9, "90%")
    assert one(values, "mtp_reported_speedup") == (1.8, "1.8")
    # DeepSeek's service pace (20 tokens/s per user) as a target: 50 ms.
    assert one(values, "frontier:deepseek-4k-service:target") == (0.05, "50 ms")
    assert presets.DEEPSEEK_SERVING.tokens_per_s_per_user_low == 20.0


def test_charts_are_built_from_the_same_reports(built_site: Path) -> None:
    page = page_html(built_site)
    for name in ("frontier-derivation", "frontier-dense", "frontier-deepseek", "frontier-long-context"):
        match = re.search(rf'<script type="application/json" id="chart-{name}-data">(.*?)</script>', page, re.S)
        assert match, name
        spec = json.loads(match.group(1).replace("<\\/", "</"))
        assert set(spec) == {"default", "slate"}
    spec = json.loads(charts.chart_json("frontier-deepseek"))["default"]
    curve = next(t for t in spec["data"] if t["name"] == page_macros.case("deepseek-4k-fast").label)
    report = page_macros.report("deepseek-4k-fast")
    assert curve["customdata"] == [pt.batch for pt in report.points]
    assert curve["y"] == pytest.approx([pt.tokens_per_s_per_gpu for pt in report.points])
    chosen = [t for t in spec["data"] if t["name"].endswith("(latency binds)")]
    assert chosen and chosen[0]["x"] == pytest.approx([report.chosen.tokens_per_s_per_user])


# --- golden snapshot ---------------------------------------------------------------

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "frontier.json"
SPAN = re.compile(r'<span class="rl-num" data-macro="([^"]+)" data-value="([^"]*)">([^<]*)</span>')


def test_page_numbers_match_the_golden_snapshot(built_site: Path) -> None:
    """Every number the page prints, in order. Regenerate on purpose with
    ``ROOFLINE_UPDATE_GOLDEN=1 pytest tests/fast/test_frontier_page.py`` and review the diff."""
    import os

    numbers = []
    for macro, value, text in SPAN.findall(page_html(built_site)):
        number = float(value)
        numbers.append({"macro": macro, "value": None if math.isnan(number) else number, "text": html.unescape(text)})
    numbers += [
        {"macro": f"sentence:{name}", "value": None, "text": html.unescape(text)}
        for name, text in SENTENCE.findall(page_html(built_site))
    ]
    if os.environ.get("ROOFLINE_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps({"numbers": numbers}, indent=1, ensure_ascii=False) + "\n")
        pytest.skip(f"rewrote {GOLDEN.name}: review the diff")
    golden = json.loads(GOLDEN.read_text())["numbers"]
    assert [n["macro"] for n in numbers] == [g["macro"] for g in golden]
    for number, expected in zip(numbers, golden, strict=True):
        assert number["text"] == expected["text"], expected
        if expected["value"] is None:
            assert number["value"] is None, expected
        else:
            assert number["value"] == pytest.approx(expected["value"], rel=1e-9), expected
