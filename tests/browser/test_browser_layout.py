"""The realistic mode's layout pickers in headless Chromium: a picked layout moves the memory wall."""

from __future__ import annotations

import pytest
from conftest import READY_TIMEOUT_MS

from roofline.web.realistic import REALISTIC

pytestmark = pytest.mark.browser

WALL = "document.querySelector('[data-readout=capacity_wall]')"


def test_picking_a_layout_moves_the_wall_and_a_refused_one_is_named(page, site_url) -> None:
    """The page fixture fails the test on any console or page error."""
    page.goto(f"{site_url}simulator/?mode=real")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    default = REALISTIC.readouts(REALISTIC.default)
    assert page.locator("[data-readout=capacity_wall]").inner_text() == default["capacity_wall"].text == "49 sequences"
    assert "SGLang" in page.locator("[data-readout=layout_source]").inner_text()
    assert page.locator("#simr-tp").input_value() == "auto"
    # DP attention, then EP 8: the latent is no longer copied on every GPU, the shared weights are.
    page.locator("#simr-dpa").select_option("1")
    page.locator("#simr-ep").select_option("8")
    state, notices = REALISTIC.parse("mode=real&dpa=1&ep=8")
    assert notices == []
    wall = REALISTIC.readouts(state)["capacity_wall"]
    page.wait_for_function(f"v => {WALL}.dataset.value === v", arg=wall.raw)
    assert page.locator("[data-readout=capacity_wall]").inner_text() == wall.text == "296 sequences"
    assert page.locator("[data-readout=layout]").inner_text().startswith("tp8-ep8-dpa")
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(state))
    # The even split: the article's wall.
    page.locator("#simr-ideal").check()
    page.wait_for_function(f"() => {WALL}.textContent === '396 sequences'")
    assert page.locator("#simr-ep").input_value() == "auto"
    # A TP that does not divide the GPUs: a notice naming it, and the engines' default again.
    page.locator("#simr-tp").select_option("3")
    page.wait_for_function("() => document.getElementById('sim-notices').textContent.includes('tp=3')")
    assert "using the engine default tp8" in page.locator("#sim-notices").inner_text()
    page.wait_for_function(f"() => {WALL}.textContent === '49 sequences'")
    assert page.locator("#simr-tp").input_value() == "auto"


def test_a_hand_typed_bad_layout_is_named_and_the_page_keeps_working(page, site_url) -> None:
    page.goto(f"{site_url}simulator/?mode=real&tp=NaN&pp=-1&dpa=%3Cb%3E")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    text = page.locator("#sim-notices").inner_text()
    assert "tp='NaN' is not a whole number of chips" in text and "pp=-1 is not allowed" in text
    assert "dpa='<b>' is not 1 or 0" in text and page.locator("#sim-notices b").count() == 0
    assert page.locator("[data-readout=capacity_wall]").inner_text() == "49 sequences"
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(REALISTIC.default))
