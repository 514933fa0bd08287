"""A browser with JavaScript off still gets the article: its text, its formulas
as readable TeX source, its computed numbers and the simulator's pre-rendered
readouts (all in the HTML the build wrote)."""

from __future__ import annotations

import pytest

from roofline.web import article as sim
from roofline.web.article import ARTICLE

pytestmark = pytest.mark.browser

PAGES = ("", "sweet-spot/", "simulator/")


@pytest.fixture
def no_js_page(make_page):  # type: ignore[no-untyped-def]
    return make_page(java_script_enabled=False)


@pytest.mark.parametrize("path", PAGES)
def test_the_text_and_formulas_read_without_javascript(no_js_page, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page
    page.goto(site_url + path)
    assert page.evaluate("typeof document$") == "undefined", "JavaScript ran"
    article = page.locator(".md-content article")
    assert article.locator("h1").is_visible()
    assert len(article.inner_text()) > 300
    formulas = article.locator(".arithmatex")
    # The simulator page has no formulas in its text (its widget spells them out).
    assert formulas.count() > 0 or path == "simulator/"
    assert article.locator(".katex").count() == 0  # nothing typeset them...
    for i in range(formulas.count()):
        formula = formulas.nth(i)
        text = formula.inner_text()
        # ...so each shows its TeX source, between the delimiters arithmatex wrote.
        assert formula.is_visible() and text.startswith(("\\(", "\\[")), text
        assert len(text) > 4
    numbers = article.locator(".rl-num")
    for i in range(numbers.count()):
        assert numbers.nth(i).is_visible() and numbers.nth(i).inner_text().strip()


def test_the_simulator_shows_its_pre_rendered_readouts(no_js_page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page
    page.goto(site_url + "simulator/")
    expected = ARTICLE.readouts(sim.DEFAULT_STATE)
    seen = {}
    for name in expected:
        element = page.locator(f'#simulator [data-readout="{name}"]')
        assert element.is_visible(), name
        seen[name] = element.inner_text()
    # The realistic mode's own readouts are in the page too, hidden until it is chosen.
    assert page.locator('#simulator [data-readout="capacity_wall"]').is_hidden()
    assert seen == {name: readout.text for name, readout in expected.items()}
    assert page.locator("#simulator").get_attribute("data-ready") != "true"
