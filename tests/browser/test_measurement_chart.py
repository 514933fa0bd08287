"""The measured-hardware page's chart in Chromium (the page's numbers: tests/fast/test_measurement.py)."""

from __future__ import annotations

import pytest

from roofline_site.pages import hardware


@pytest.mark.browser
def test_the_chart_draws_in_both_schemes_without_errors(make_page, site_url: str) -> None:
    for scheme, theme in (("light", "default"), ("dark", "slate")):
        page = make_page(color_scheme=scheme)
        page.goto(f"{site_url}hardware/")
        page.wait_for_selector('.rl-hw-chart[data-ready="true"]', state="attached")
        traces = page.eval_on_selector(".rl-hw-chart", "el => el.data.map(t => [t.meta, t.marker && t.marker.color])")
        roles = {role for role, _ in traces}
        assert {"measured", "max", "sum"} <= roles
        measured_colour = next(colour for role, colour in traces if role == "measured")
        assert measured_colour == hardware.THEMES[theme]["measured"]
        assert page.locator(".rl-hw-chart .scatterlayer .trace").count() >= 6
