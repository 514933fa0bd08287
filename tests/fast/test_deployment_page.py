"""The page "From the whiteboard to a deployment": its numbers, its links, its golden snapshot.

The snapshot (tests/golden/deployment.json) holds every computed number the
page prints, in order. When a change to the core or the presets moves them on
purpose, regenerate it with ``ROOFLINE_UPDATE_GOLDEN=1 pytest tests/fast/test_deployment_page.py``
and review the diff.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from pathlib import Path

import pytest
from test_site import macro_values, visible_text

from roofline import deployment as dep
from roofline import presets
from roofline.web import realistic as real
from roofline.web.realistic import REALISTIC
from roofline_site.pages import deployment as page_macros

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "deployment.json"
SPAN = re.compile(r'<span class="rl-num" data-macro="([^"]+)" data-value="([^"]*)">([^<]*)</span>')


def page_html(site: Path) -> str:
    return (site / "deployment" / "index.html").read_text()


def page_numbers(site: Path) -> list[dict[str, object]]:
    numbers = []
    for macro, value, text in SPAN.findall(page_html(site)):
        number = float(value)
        numbers.append({"macro": macro, "value": None if math.isnan(number) else number, "text": html.unescape(text)})
    return numbers


def test_page_numbers_match_the_golden_snapshot(built_site: Path) -> None:
    numbers = page_numbers(built_site)
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


def test_page_prints_the_cores_numbers(built_site: Path) -> None:
    values = macro_values(page_html(built_site))
    four_k = real.deployment_of(page_macros.case_state("deepseek-h200x8-4k"))
    assert (float(dep.capacity_batch(four_k)), "3,175") in values["case_capacity"]
    assert (dep.deployment_crossover_batch(four_k), "18,900") in values["case_crossover"]
    comparison = dep.compare_with_published(presets.DEEPSEEK_SERVING)
    assert (comparison.observed_tokens_per_s_per_gpu, "1,850") in values["published_observed_per_gpu"]
    assert values["published_predicted_step"] == [(comparison.predicted.step_s, "21.82 ms")] * 2
    # The published step gives each user 1.85 tokens (MTP at its cited 85%): 1.85 / 21 tokens/s.
    assert values["published_observed_step"] == [(pytest.approx(1.85 / 21, rel=1e-12), "88.1 ms")] * 2
    # DeepSeek-V3 on one H100: no batch fits, and the page says so in words, not with a number.
    one = real.deployment_of(page_macros.case_state("deepseek-h100x1"))
    assert dep.capacity_batch(one) == 0
    assert any(math.isnan(v) and text == "no batch fits" for v, text in values["case_capacity"])
    # Negative control: no capacity is ever printed negative.
    assert all(math.isnan(v) or v >= 1 for v, _ in values["case_capacity"])


def test_every_case_has_one_simulator_link_that_round_trips(built_site: Path) -> None:
    links = re.findall(r'<a class="rl-sim-link" data-case="([^"]+)" href="([^"]+)">', page_html(built_site))
    cases = [case for case, _ in links]
    assert sorted(cases) == sorted(page_macros.CASES) and len(set(cases)) == len(cases)
    for case, href in links:
        href = html.unescape(href)
        assert href.startswith("../simulator/?mode=real&")
        state, notices = REALISTIC.parse(href.split("?", 1)[1])
        assert notices == [] and state == page_macros.case_state(case)


def test_page_is_in_the_nav_and_clean(built_site: Path) -> None:
    index = (built_site / "index.html").read_text()
    assert 'href="deployment/"' in index
    text = visible_text(page_html(built_site))
    for word in ("nan", "None", "inf"):
        assert not re.search(rf"\b{word}\b", text)
    for url in re.findall(r'<(?:script|img|link|iframe)\b[^>]*?(?:src|href)="(https?:[^"]+)"', page_html(built_site)):
        raise AssertionError(f"request to another host: {url}")


def test_unknown_case_or_figure_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose one of: deepseek-h100x1"):
        page_macros.case_state("nope")
    with pytest.raises(ValueError, match="figure must be one of"):
        page_macros.case("deepseek-h100x1", "nope")


def test_attention_counted_turns_the_deepseek_verdicts_over(built_site: Path) -> None:
    values = macro_values(page_html(built_site))
    cases = {name: real.deployment_of(page_macros.case_state(name)) for name in page_macros.CASES}
    # The article's lines: the crossover past the wall (4K), none at all (BF16 cache, 32K).
    assert dep.deployment_crossover_batch(cases["deepseek-h200x8-4k"]) > dep.capacity_batch(cases["deepseek-h200x8-4k"])
    assert dep.deployment_crossover_batch(cases["deepseek-h200x8-4k-bf16kv"]) is None
    assert dep.deployment_crossover_batch(cases["deepseek-h200x8-32k"]) is None
    # Attention counted: inside the wall at 4K ("the crossover binds"), past the halved wall with a
    # BF16 cache ("memory binds"), just inside it at 32K, and smaller at 32K than at 4K.
    four, bf16, long = (cases[f"deepseek-h200x8-{k}-attn"] for k in ("4k", "4k-bf16kv", "32k"))
    assert all(d.attention_flops and d.active_layout is dep.IDEAL for d in (four, bf16, long))
    assert dep.deployment_crossover_batch(four) < dep.capacity_batch(four)
    assert dep.deployment_crossover_batch(bf16) > dep.capacity_batch(bf16)
    assert dep.deployment_crossover_batch(long) < dep.capacity_batch(long) < dep.deployment_crossover_batch(long) * 1.05
    assert dep.deployment_crossover_batch(long) < dep.deployment_crossover_batch(four)
    assert (dep.deployment_crossover_batch(four), "1,800") in values["case_crossover"]
    # Each of these cases opens the simulator with attention on.
    opened, notices = REALISTIC.parse(REALISTIC.encode(page_macros.case_state("deepseek-h200x8-4k-attn")))
    assert notices == [] and opened.attention_flops and opened.ideal_layout


LAYOUTS = ("ideal", "default", "tp8-ep8-dpa")


@pytest.mark.parametrize("case", ["deepseek-h200x8-4k", "deepseek-h200x8-32k"])
def test_the_layout_table_is_the_cores(built_site: Path, case: str) -> None:
    values = macro_values(page_html(built_site))
    for layout in LAYOUTS:
        d = page_macros.layout_deployment(case, layout)
        assert d.attention_flops and d.gpus == 8 and d.kv_bytes_per_element == 1
        [(wall, _)] = values[f"layout_case:{case}:{layout}:wall"]
        assert wall == dep.capacity_batch(d)
        [(crossover, _)] = values[f"layout_case:{case}:{layout}:crossover"]
        expected = dep.deployment_crossover_batch(d)
        assert (math.isnan(crossover) and expected is None) or crossover == expected
    assert page_macros.layout_deployment(case, "default").active_layout.key == "tp8"


def test_the_layout_walls_are_the_ones_the_issue_cites(built_site: Path) -> None:
    values = macro_values(page_html(built_site))

    def text(name: str) -> str:
        [(_, shown)] = values[name]
        return shown

    # DeepSeek-V3, 8 x H200, FP8 weights and cache, 4K: 3,175 even, 396 under TP8, 2,368 under DP attention.
    assert text("layout_case:deepseek-h200x8-4k:ideal:wall") == "3,175"
    assert text("layout_case:deepseek-h200x8-4k:default:wall") == "396"
    assert text("layout_case:deepseek-h200x8-4k:tp8-ep8-dpa:wall") == "2,368"
    assert text("layout_case:deepseek-h200x8-4k:default:crossover") == "none"
    assert text("layout_case:deepseek-h200x8-4k:default:kv_copies") == "8"
    # Llama-3.1-70B: 8 KV heads, so TP16 holds each twice and halves the wall; PP copies nothing.
    assert text("layout_case:llama70b-h100x16-8k:tp16:kv_copies") == "2"
    ideal = dep.capacity_batch(page_macros.layout_deployment("llama70b-h100x16-8k", "ideal"))
    assert values["layout_case:llama70b-h100x16-8k:default:wall"][0][0] == ideal
    assert values["layout_case:llama70b-h100x16-8k:tp16:wall"][0][0] == pytest.approx(ideal / 2, abs=1)


def test_the_engines_defaults_name_their_sources(built_site: Path) -> None:
    page = page_html(built_site)
    words = re.findall(r'<span class="rl-word" data-macro="layout_word:([^"]+):source">([^<]*)</span>', page)
    assert [(name, html.unescape(text)) for name, text in words] == [
        ("deepseek-h200x8-4k:default", dep.LAYOUT_SOURCES["one-node"]),
        ("llama70b-h100x16-8k:default", dep.LAYOUT_SOURCES["dense-multi-node"]),
    ]
    with pytest.raises(ValueError, match="choose one of: deepseek-h200x8-32k"):
        page_macros.layout_deployment("nope", "ideal")
    with pytest.raises(ValueError, match="word must be one of"):
        page_macros.layout_word("deepseek-h200x8-4k", "ideal", "nope")
