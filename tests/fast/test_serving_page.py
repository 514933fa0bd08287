"""The page "Against real servers": its numbers come from the same core functions as scripts/fit_serving.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from roofline import band, calibration, serving
from roofline.units import format_percent
from roofline_site.pages import serving as page_macros

SPAN = re.compile(r'<span class="rl-num" data-macro="([^"]+)" data-value="([^"]*)">([^<]*)</span>')


def _html(site: Path) -> str:
    return (site / "against-real-servers" / "index.html").read_text()


def _spec(page: str, chart_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>', page, re.S)
    assert found is not None, chart_id
    return json.loads(found.group(1).replace("<\\/", "</"))


def _block(page: str, name: str) -> str:
    found = re.search(rf'<div data-macro-block="{name}">(.*?)</div>', page, re.S)
    assert found is not None, name
    return found.group(1)


def test_the_page_leads_with_the_per_regime_table_not_a_pooled_figure(built_site: Path) -> None:
    page = _html(built_site)
    article = page[page.index("<article") :]
    first_table = article.index('data-macro-block="srv_regime_table_source"')
    assert first_table < article.index('id="srv-bias-chart"') < article.index('data-macro-block="srv_loso_table"')
    assert "srv_error_estimate" not in article[:first_table]  # no pooled headline before the table
    rows = calibration.leave_one_group_out(calibration.load(), "source")
    table = _block(page, "srv_regime_table_source")
    for by in calibration.TABLE_KEYS:
        for r in calibration.regime_table(rows, by)[:-1]:
            assert f">{format_percent(r.signed_median_error)}</td>" in table
            assert f">{format_percent(r.median_abs_error)}</td>" in table
    for protocol in ("engine", "chip"):
        _block(page, f"srv_regime_table_{protocol}")


def test_prose_figures_are_the_cores(built_site: Path) -> None:
    found = {macro: float(value) for macro, value, _ in SPAN.findall(_html(built_site))}
    points = calibration.load()
    assert found["srv_count_points"] == len(points)
    assert found["srv_constant_overhead_per_layer_s"] == serving.FITTED.overhead_per_layer_s
    engine = calibration.regime_table(calibration.leave_one_engine_out(points), "family")[-1]
    assert found["srv_protocol_error_engine_signed"] == engine.signed_median_error
    total = calibration.coverage_summary(calibration.band_coverage(points))
    assert found["srv_coverage_share"] == total.share
    assert found["srv_coverage_nominal"] == total.nominal
    assert found["srv_band_rule_min_points"] == band.MIN_POINTS
    page = _html(built_site)
    for source in {p.source.title for p in points}:
        assert source in page


def test_the_bias_chart_has_one_trace_per_source_and_the_zero_line(built_site: Path) -> None:
    page = _html(built_site)
    spec = _spec(page, "srv-bias-chart")
    traces = spec["figure"]["data"]
    sources = [t for t in traces if t["meta"].startswith("s")]
    loso = calibration.leave_one_source_out(calibration.load())
    assert [t["name"] for t in sources] == [r.source.title for r in loso]
    for trace, row in zip(sources, loso, strict=True):
        assert trace["y"] == pytest.approx([100 * e for e in row.errors], rel=1e-12)
    assert [t["meta"] for t in traces].count("ideal") == 1
    assert spec["figure"]["layout"]["xaxis"]["type"] == "log"
    assert set(spec["themes"]["default"]) >= {t["meta"] for t in traces}
    assert page.count('src="../assets/javascripts/charts.js"') == 1  # both charts, one renderer


def test_the_measured_chart_has_every_point_and_the_ideal_line(built_site: Path) -> None:
    spec = _spec(_html(built_site), "srv-chart")
    traces = spec["figure"]["data"]
    roles = [t["meta"] for t in traces]
    assert roles.count("ideal") == 1 and "article" in roles and "band" not in roles
    measured = sum(len(t["x"]) for t in traces if t["meta"].startswith("s"))
    assert measured == len(calibration.load())
    assert spec["figure"]["layout"]["xaxis"]["type"] == "log" and spec["figure"]["layout"]["yaxis"]["type"] == "log"


def test_the_page_names_what_it_cannot_vouch_for(built_site: Path) -> None:
    untrusted = _block(_html(built_site), "srv_untrusted")
    assert "Single-point sources" in untrusted and "No published point at all" in untrusted
    assert "several nodes" in untrusted  # the MoE points are two single figures
    bands = _block(_html(built_site), "srv_band_table")
    assert bands.count("<tr>") == len(band.BANDS) + 1


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
        (lambda: page_macros.srv_regime_table("colour"), "protocol must be one of"),
        (lambda: page_macros.srv_protocol_error("source", "mean"), "stat must be one of"),
        (lambda: page_macros.srv_coverage("best"), "which must be one of"),
        (lambda: page_macros.srv_band_rule("width"), "what must be one of"),
    ):
        with pytest.raises(ValueError, match=needle):
            call()
