"""The page "From the whiteboard to a deployment": its numbers, its links, its golden snapshot.

The snapshot (tests/golden/deployment.json) holds every computed number the
page prints, in order. When a change to the core or the presets moves them on
purpose, regenerate it with ``ROOFLINE_UPDATE_GOLDEN=1 pytest tests/test_deployment_page.py``
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
from roofline_site import deployment as page_macros

GOLDEN = Path(__file__).resolve().parent / "golden" / "deployment.json"
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
    assert (dep.crossover_batch(four_k), "18,900") in values["case_crossover"]
    comparison = dep.compare_with_published(presets.DEEPSEEK_SERVING)
    assert (comparison.observed_tokens_per_s_per_gpu, "1,850") in values["published_observed_per_gpu"]
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
