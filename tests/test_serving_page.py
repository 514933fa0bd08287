"""The page "Against real servers": its numbers come from the same core functions as the LOSO script."""

from __future__ import annotations

import json
import re
from pathlib import Path

from roofline import calibration, serving
from roofline.units import format_percent
from roofline_site import serving as page_macros

SPAN = re.compile(r'<span class="rl-num" data-macro="([^"]+)" data-value="([^"]*)">([^<]*)</span>')


def _html(site: Path) -> str:
    return (site / "against-real-servers" / "index.html").read_text()


def test_lead_figures_are_the_cores_leave_one_source_out(built_site: Path) -> None:
    found = {macro: float(value) for macro, value, _ in SPAN.findall(_html(built_site))}
    pooled = calibration.pooled_held_out(calibration.leave_one_source_out(calibration.load()))
    assert found["srv_error_estimate"] == pooled.median_abs_error
    assert found["srv_error_article"] == pooled.article_median_abs_error
    assert found["srv_count_points"] == len(calibration.load())
    assert found["srv_constant_overhead_per_layer_s"] == serving.FITTED.overhead_per_layer_s
    page = _html(built_site)
    assert format_percent(pooled.median_abs_error) in page
    for source in {p.source.title for p in calibration.load()}:
        assert source in page


def test_chart_spec_has_every_point_the_ideal_line_and_the_band(built_site: Path) -> None:
    page = _html(built_site)
    spec_text = re.search(r'<script type="application/json" id="srv-chart-spec">(.*?)</script>', page, re.S)
    assert spec_text is not None
    spec = json.loads(spec_text.group(1).replace("<\\/", "</"))
    traces = spec["figure"]["data"]
    roles = [t["meta"] for t in traces]
    assert roles.count("ideal") == 1 and roles.count("band") == 2 and "article" in roles
    measured = sum(len(t["x"]) for t in traces if t["meta"].startswith("s"))
    assert measured == len(calibration.load())
    assert spec["figure"]["layout"]["xaxis"]["type"] == "log" and spec["figure"]["layout"]["yaxis"]["type"] == "log"
    assert 'src="../assets/javascripts/charts.js"' in page


def test_page_is_in_the_nav_and_clean(built_site: Path) -> None:
    page = _html(built_site)
    assert "Against real servers" in (built_site / "index.html").read_text()
    for stray in ("{{", "{%", ">nan<", ">None<", ">inf<"):
        assert stray not in page


def test_bad_macro_arguments_name_the_choices() -> None:
    for call, needle in (
        (lambda: page_macros.srv_count("gpus"), "what must be one of"),
        (lambda: page_macros.srv_error("best"), "which must be one of"),
        (lambda: page_macros.srv_share("nim-1.8.0-llama-3.1-8b-h100", 1, 1, 1, "kv_s"), "has no point"),
        (lambda: page_macros.srv_constant("nope"), "unknown constant"),
    ):
        try:
            call()
        except ValueError as exc:
            assert needle in str(exc)
        else:
            raise AssertionError(f"no error for {needle}")
