"""The browser benchmark's pure-JS slider update paints what the Python widget paints.

``scripts/bench_browser.py`` divides the Python widget's slider time by a
pure-JavaScript update's. That ratio means something only if the JavaScript
draws the same charts: here it runs once in the page and its figures are
checked against the package's for the same slider position.
"""

from __future__ import annotations

import importlib.util
import math

import pytest
from conftest import READY_TIMEOUT_MS, ROOT

from roofline.web import controls
from roofline.web.article import ARTICLE, DEFAULT_STATE
from roofline.web.charts import CHARTS

pytestmark = pytest.mark.browser


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_browser", ROOT / "scripts" / "bench_browser.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(a: list[float], b: list[float]) -> bool:
    # The JS update does not round L to three significant figures as the slider does: 1% covers it.
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-2, abs_tol=1e-9) for x, y in zip(a, b, strict=True))


def test_the_pure_js_update_draws_the_figures_python_draws(page, site_url: str) -> None:
    bench = _bench()
    page.goto(f"{site_url}simulator/")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    # One input of each kind, at the same slider position: the pure-JS update is drawn last.
    times = page.evaluate(bench.MEASURE_JS, bench.measure_args(1))
    assert len(times["python"]) == len(times["js"]) == 1
    assert len(times["split"]["python"]) == 1 and times["split"]["plot"]["js"][0] > 0
    position = float(page.input_value("#sim-L"))
    state = ARTICLE.with_value(DEFAULT_STATE, "L", controls.value_at(ARTICLE.control("L"), position, DEFAULT_STATE))
    assert state.context_tokens != DEFAULT_STATE.context_tokens
    for chart in CHARTS:
        if not chart.shown_in(ARTICLE):
            continue
        expected = chart.draw(ARTICLE, state, "default")
        shown = page.evaluate(
            "id => { const el = document.getElementById(id); return {data: el.data, layout: el.layout}; }",
            chart.element,
        )
        assert [t["meta"] for t in shown["data"]] == [t["meta"] for t in expected["data"]], chart.key
        for got, want in zip(shown["data"], expected["data"], strict=True):
            assert _close(got["x"], want["x"]) and _close(got["y"], want["y"]), (chart.key, want["name"])
        for axis in ("xaxis", "yaxis"):
            assert _close(shown["layout"][axis]["range"], expected["layout"][axis]["range"]), (chart.key, axis)
