"""The built site in headless Chromium, as a reader would use it."""

from __future__ import annotations

import pytest
from conftest import READY_TIMEOUT_MS

from roofline import simulator as sim

pytestmark = pytest.mark.browser


def open_simulator(page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}simulator/{query}")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")


def shown_readouts(page) -> dict[str, list[str]]:
    return page.eval_on_selector_all(
        "[data-readout]",
        "els => Object.fromEntries(els.map(e => [e.dataset.readout, [e.dataset.value, e.textContent]]))",
    )


def expected_readouts(state: sim.State) -> dict[str, list[str]]:
    out = {}
    for name, readout in sim.readouts(state).items():
        raw = (
            "" if readout.value is None else (readout.value if isinstance(readout.value, str) else repr(readout.value))
        )
        out[name] = [raw, readout.text]
    return out


def test_simulator_becomes_ready_with_the_cores_readouts(page, site_url: str) -> None:
    open_simulator(page, site_url)
    assert shown_readouts(page) == expected_readouts(sim.DEFAULT_STATE)
    assert page.locator("#sim-status").is_hidden()
    assert page.eval_on_selector("#sim-chart", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 3


def test_moving_a_slider_updates_readouts_chart_and_url(page, site_url: str) -> None:
    open_simulator(page, site_url)
    before_chart = page.eval_on_selector("#sim-chart", "el => JSON.stringify(el.data.map(t => t.y))")
    slider = page.locator("#sim-L")
    slider.fill("900")
    expected_l = sim.value_at(sim.control("L"), 900, sim.DEFAULT_STATE)
    state = sim.with_value(sim.DEFAULT_STATE, "L", expected_l)
    page.wait_for_function(
        "v => document.querySelector('[data-readout=t_memory]').dataset.value === v",
        arg=repr(sim.readouts(state)["t_memory"].value),
    )
    assert shown_readouts(page) == expected_readouts(state)
    assert page.eval_on_selector("#sim-chart", "el => JSON.stringify(el.data.map(t => t.y))") != before_chart
    assert f"L={expected_l:g}".replace("e+0", "e") in page.url or "L=" in page.url
    restored, notices = sim.parse_query(page.url.split("?", 1)[1])
    assert notices == [] and restored == state


def test_a_shared_url_restores_the_state(page, site_url: str) -> None:
    query = "?B=900&B_max=4096&N_active=37G&C=989.45T&N_total=671G&BW=3.35T&L=32K&b=1"
    open_simulator(page, site_url, query)
    state, notices = sim.parse_query(query)
    assert notices == []
    assert shown_readouts(page) == expected_readouts(state)
    assert page.locator("#sim-notices").is_hidden()
    assert page.input_value("#sim-B") == str(sim.position_of(sim.control("B"), 900, state))


def test_bad_url_values_show_a_notice_and_the_widget_still_works(page, site_url: str) -> None:
    open_simulator(page, site_url, "?B=NaN&L=%3Cscript%3Ealert(1)%3C/script%3E&BW=-5")
    notices = page.locator("#sim-notices")
    assert notices.is_visible()
    text = notices.inner_text()
    assert "B='NaN'" in text and "L='<script>" in text and "BW=-5" in text
    assert page.locator("#sim-notices script").count() == 0
    assert shown_readouts(page) == expected_readouts(sim.DEFAULT_STATE)


def test_pages_load_without_errors_or_foreign_requests(page, page_log, site_url: str) -> None:
    for path in ("", "sweet-spot/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator(".katex").count() > 0, f"{path}: formulas were not typeset"
    assert page_log.requests and all(url.startswith("http://127.0.0.1") for url in page_log.requests)
