"""Issue 24's reader's fixes that need no browser: the article cited, the glossary and its links,
plain-text formulas for search, and the simulator's states that used to change without a word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from roofline.web.article import ARTICLE
from roofline.web.realistic import REALISTIC, with_pick
from roofline_site.pages import glossary

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Relearning LLMs 02: Writing Inference as Equations"


def test_every_linked_term_has_an_entry_on_the_glossary_page() -> None:
    anchors = set(re.findall(r"\{ #([a-z-]+) \}", (ROOT / "docs" / "glossary.md").read_text()))
    assert {anchor for anchor, _ in glossary.TERMS} <= anchors
    assert "the-article" in anchors


def test_the_first_use_only_is_linked_and_never_inside_math_code_headings_or_links() -> None:
    html = (
        "<h2>MoE</h2>"
        '<p><span class="arithmatex">\\(MoE\\)</span> <code>MoE</code> <a href="x">MoE</a> '
        "A MoE model. Another MoE. <em>TPOT</em> and TPOT.</p>"
        '<div class="rl-sim"><p>HBM</p></div><p>HBM here</p>'
    )
    out = glossary.link_terms(html, "../glossary/", "../")
    assert out.count('href="../glossary/#moe"') == 1
    assert "A <a class=\"rl-term\" href=\"../glossary/#moe\">MoE</a> model" in out
    assert out.count('href="../glossary/#tpot"') == 1 and "<em><a" in out
    # Not in the widget, so the first use is the paragraph after it.
    assert '<div class="rl-sim"><p>HBM</p></div><p><a class="rl-term" href="../glossary/#hbm">HBM</a> here' in out
    assert out.startswith("<h2>MoE</h2>")


def test_the_article_links_to_its_citation_except_on_the_home_page() -> None:
    text = "<p>As the article says, the article is right.</p>"
    assert glossary.link_terms(text, "glossary/", "../").count('href="../#the-article"') == 1
    assert "the-article" not in glossary.link_terms(text, "glossary/", None)


def test_home_page_and_simulator_name_the_article() -> None:
    home = " ".join((ROOT / "docs" / "index.md").read_text().split())
    assert TITLE in home and "{ #the-article }" in home
    assert TITLE in (ROOT / "src" / "roofline_site" / "simulator" / "widget.py").read_text()


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"N_\text{total} / N_\text{active}", "N_total / N_active"),
        (r"T \geq \max(T_\text{memory},\ T_\text{compute})", "T ≥ max(T_memory, T_compute)"),
        (
            r"\begin{aligned} a &= b \\[0.4em] \Longrightarrow\quad B_\text{optimal} &= "
            r"\underbrace{\frac{N_\text{total}}{N_\text{active}}}_\text{model} \times \underbrace{\frac{C}{BW}}_\text{hardware} \end{aligned}",
            "a = b ⟹ B_optimal = N_total / N_active × C / BW",
        ),
    ],
)
def test_formulas_read_as_plain_text_for_search(tex: str, plain: str) -> None:
    assert glossary.plain_math(tex) == plain


def test_the_search_index_is_rewritten_without_tex(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    docs = [{"location": "a/", "title": "\\(B^*\\)", "text": "<p>With \\(C \\approx 10^{15}\\) and</p> \\[ x = \\frac{a}{b} \\]"}]
    index.write_text(json.dumps({"config": {}, "docs": docs}))
    glossary.plain_search_index(tmp_path)
    doc = json.loads(index.read_text())["docs"][0]
    assert doc["text"] == "<p>With C ≈ 10^15 and</p> x = a / b" and doc["title"] == "B^*"


def test_an_unknown_mode_is_named_in_a_notice_and_the_article_mode_shows() -> None:
    state, notices = ARTICLE.parse("mode=nonsense&B=64")
    assert state.batch == 64
    assert notices == ["mode='nonsense' is not 'article' or 'real'; showing the article's model."]
    assert ARTICLE.parse("mode=article&B=64")[1] == []


def test_changing_hardware_says_which_typed_overrides_it_replaced() -> None:
    state, notices = REALISTIC.parse("mode=real&C=500T&BW=3T")
    assert notices == [] and state.compute_ops_per_s == 500e12
    new, notices = with_pick(state, "hw", "h100-sxm")
    assert new.compute_ops_per_s is None and new.bandwidth_bytes_per_s is None
    assert len(notices) == 1 and "C and BW" in notices[0]
    # The same chip again, or a model change, drops no hardware figure and says nothing about one.
    assert with_pick(state, "hw", state.hardware)[1] == []
    assert with_pick(state, "model", "llama-3.1-70b")[1] == []
    typed_model, _ = REALISTIC.parse("mode=real&N_total=100G&N_active=10G")
    assert "N_total and N_active" in with_pick(typed_model, "model", "llama-3.1-70b")[1][0]


def test_simulator_axes_print_numbers_as_the_readouts_do_and_one_zero_at_the_origin() -> None:
    from roofline.web.charts import CHARTS

    for mode in (ARTICLE, REALISTIC):
        state = mode.parse("B_max=8192" if mode is ARTICLE else "mode=real&B_max=4096")[0]
        for chart in CHARTS:
            if not chart.shown_in(mode):
                continue
            layout = chart.draw(mode, state, "default")["layout"]
            for axis in ("xaxis", "yaxis"):
                text = layout[axis]["ticktext"]
                assert len([t for t in text if t]) >= 2, (chart.key, axis, text)
                assert not any(t.endswith("k") for t in text), (chart.key, axis, text)
            if layout["xaxis"]["type"] == "linear":
                assert layout["xaxis"]["ticktext"][0] == "0" and layout["yaxis"]["ticktext"][0] == ""
            # The legend sits above the plot, not over the lines.
            assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] >= 1


def test_memory_wall_and_batch_labels_sit_at_the_top_on_a_backing() -> None:
    from roofline.web.charts import time_figure

    layout = time_figure(REALISTIC, REALISTIC.parse("mode=real&B_max=128&B=32")[0])["layout"]
    labels = {note["text"]: note for note in layout["annotations"]}
    wall = next(note for text, note in labels.items() if text.startswith("memory wall"))
    now = next(note for text, note in labels.items() if text.strip().startswith("B ="))
    for note in (wall, now):
        assert note["y"] >= 0.95 and note["yanchor"] == "top" and note["bgcolor"] != "rgba(0,0,0,0)"
    assert labels["does not fit in memory"]["y"] < 0.1


def test_a_narrow_log_axis_still_gets_two_labels() -> None:
    from roofline.web.charts import log_ticks

    ticks = log_ticks(0.0554, 0.0972)
    assert sum(0.0554 <= t <= 0.0972 for t in ticks) >= 2
