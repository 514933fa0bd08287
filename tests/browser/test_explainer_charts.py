"""The explainer in Chromium (layer 4 of tests/fast/test_explainer.py): every chart draws its traces
in both colour schemes, at phone width, with no console error on any page."""

from __future__ import annotations

import json

import pytest
from test_explainer import PAGE_CHARTS, PAGES

from roofline_site.charts import catalog as charts

CHART_STATE = """els => els.map(el => ({
    name: el.dataset.chart,
    scheme: el.dataset.scheme,
    traces: el.data.length,
    drawn: el.querySelectorAll('g.trace').length,
    font: el.layout.font.color,
    width: el.getBoundingClientRect().width,
}))"""


def _wait_for_charts(page, count: int, scheme: str) -> list[dict]:
    page.wait_for_function(
        "([n, s]) => { const els = [...document.querySelectorAll('.rl-chart')];"
        " return els.length === n && els.every(e => e.dataset.ready === 'true' && e.dataset.scheme === s); }",
        arg=[count, scheme],
    )
    return page.eval_on_selector_all(".rl-chart", CHART_STATE)


@pytest.mark.browser
@pytest.mark.parametrize("page_path", sorted(PAGE_CHARTS))
def test_charts_draw_their_traces_and_follow_the_colour_scheme(page, site_url: str, page_path: str) -> None:
    names = PAGE_CHARTS[page_path]
    page.goto(site_url + page_path.removesuffix("index.html"))
    drawn = _wait_for_charts(page, len(names), "default")
    for chart in drawn:
        spec = json.loads(charts.chart_json(chart["name"]))
        assert chart["traces"] == len(spec["default"]["data"]) > 0
        assert chart["drawn"] == chart["traces"], f"{chart['name']}: not every trace was drawn"
        assert chart["font"] == spec["default"]["layout"]["font"]["color"]
    # Material's palette toggle flips data-md-color-scheme; every chart redraws in the dark palette.
    page.locator("label[for='__palette_1']").first.click()
    for chart in _wait_for_charts(page, len(names), "slate"):
        spec = json.loads(charts.chart_json(chart["name"]))
        assert chart["font"] == spec["slate"]["layout"]["font"]["color"]
        assert chart["drawn"] == chart["traces"]


@pytest.mark.browser
def test_charts_fit_a_phone_in_dark_mode(make_page, site_url: str) -> None:
    phone = make_page(viewport={"width": 390, "height": 844}, color_scheme="dark")
    for page_path, names in sorted(PAGE_CHARTS.items()):
        phone.goto(site_url + page_path.removesuffix("index.html"))
        for chart in _wait_for_charts(phone, len(names), "slate"):
            assert 300 <= chart["width"] <= 390, chart
            assert chart["drawn"] == chart["traces"]
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page_path} scrolls sideways on a phone"


@pytest.mark.browser
def test_every_explainer_page_loads_cleanly(page, page_log, site_url: str) -> None:
    for page_path in PAGES:
        page.goto(site_url + page_path.removesuffix("index.html"))
        page.wait_for_load_state("networkidle")
        assert page.locator(".katex").count() > 0, f"{page_path}: formulas were not typeset"
        if page_path in PAGE_CHARTS:
            _wait_for_charts(page, len(PAGE_CHARTS[page_path]), "default")
        assert page_log.errors == [], f"{page_path}: {page_log.errors}"
    # The fixture also fails the test on any request to another host.
