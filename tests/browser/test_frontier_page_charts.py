"""The page "What sets the batch" in Chromium: its charts draw in both colour schemes and fit a phone
(its numbers: tests/fast/test_frontier_page.py)."""

from __future__ import annotations

import json

import pytest

from roofline_site.charts import catalog as charts

FRONTIER_CHARTS = ("frontier-derivation", "frontier-dense", "frontier-deepseek", "frontier-long-context")


@pytest.mark.browser
def test_page_draws_its_charts_in_both_schemes_without_errors(page, page_log, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from test_explainer_charts import _wait_for_charts

    page.goto(site_url + "what-sets-the-batch/")
    drawn = _wait_for_charts(page, len(FRONTIER_CHARTS), "default")
    assert [chart["name"] for chart in drawn] == list(FRONTIER_CHARTS)
    for chart in drawn:
        spec = json.loads(charts.chart_json(chart["name"]))
        assert chart["drawn"] == chart["traces"] == len(spec["default"]["data"]) > 0, chart
    assert page.locator(".katex").count() > 0
    page.locator("label[for='__palette_1']").first.click()
    for chart in _wait_for_charts(page, len(FRONTIER_CHARTS), "slate"):
        assert chart["font"] == json.loads(charts.chart_json(chart["name"]))["slate"]["layout"]["font"]["color"]
    assert page_log.errors == []


@pytest.mark.browser
def test_page_fits_a_phone(make_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    from test_explainer_charts import _wait_for_charts

    phone = make_page(viewport={"width": 390, "height": 844}, color_scheme="dark")
    phone.goto(site_url + "what-sets-the-batch/")
    for chart in _wait_for_charts(phone, len(FRONTIER_CHARTS), "slate"):
        assert 300 <= chart["width"] <= 390, chart
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
