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
    # The address bar follows a moment after the drag (browsers throttle replaceState).
    page.wait_for_function("q => location.search === q", arg="?" + sim.to_query(state))
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
        page.wait_for_selector(".arithmatex .katex")
        assert page.locator(".arithmatex:not(:has(.katex))").count() == 0, f"{path}: formulas left untypeset"
    assert page_log.requests and all(url.startswith("http://127.0.0.1") for url in page_log.requests)


@pytest.fixture
def loose_page(browser, page_log):
    """A page whose runtime requests the test may hold or break; errors are checked by the test."""
    context = browser.new_context()
    new_page = context.new_page()
    from conftest import _attach

    _attach(new_page, page_log)
    yield new_page
    context.close()


def test_chart_and_readouts_are_painted_before_python_runs(loose_page, page_log, site_url: str) -> None:
    held = []
    loose_page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    loose_page.goto(f"{site_url}simulator/")
    loose_page.wait_for_selector('#simulator[data-prerendered="true"]', state="attached")
    assert loose_page.get_attribute("#simulator", "data-ready") == "false"
    assert loose_page.locator("#sim-status").is_visible()
    assert loose_page.eval_on_selector("#sim-chart", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 3
    assert shown_readouts(loose_page) == expected_readouts(sim.DEFAULT_STATE)
    # An input made now is kept for Python.
    loose_page.locator("#sim-B").fill("900")
    for route in held:
        route.continue_()
    loose_page.wait_for_selector('#simulator[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS)
    state = sim.with_value(sim.DEFAULT_STATE, "B", sim.value_at(sim.control("B"), 900, sim.DEFAULT_STATE))
    assert shown_readouts(loose_page) == expected_readouts(state)
    assert page_log.errors == []


def test_an_unknown_query_is_marked_stale_until_python_computes_it(loose_page, site_url: str) -> None:
    loose_page.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
    loose_page.goto(f"{site_url}simulator/?L=123456")
    loose_page.wait_for_selector("#simulator.rl-sim--stale", state="attached")
    assert loose_page.get_attribute("#simulator", "data-prerendered") is None


def test_without_webassembly_runtime_the_page_explains_and_keeps_the_numbers(loose_page, site_url: str) -> None:
    loose_page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="blocked by the test"))
    loose_page.goto(f"{site_url}simulator/")
    loose_page.wait_for_selector('#simulator[data-ready="failed"]', state="attached", timeout=READY_TIMEOUT_MS)
    status = loose_page.locator("#sim-status")
    assert status.is_visible()
    assert "WebAssembly" in status.inner_text()
    assert loose_page.locator("progress").count() == 0
    assert loose_page.locator(".py-error:visible").count() == 0
    assert loose_page.eval_on_selector("#sim-chart", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 3
    assert shown_readouts(loose_page) == expected_readouts(sim.DEFAULT_STATE)
    assert loose_page.locator("#sim-B").is_disabled()


def test_typed_values_are_checked_and_applied(page, site_url: str) -> None:
    open_simulator(page, site_url)
    entry = page.locator("#sim-L-entry")
    entry.fill("32K")
    entry.press("Enter")
    state = sim.with_value(sim.DEFAULT_STATE, "L", 32_000)
    page.wait_for_function(
        "v => document.querySelector('[data-readout=t_kv]').dataset.value === v",
        arg=sim.readouts(state)["t_kv"].raw,
    )
    assert page.locator("#sim-L-value").inner_text() == "32K tok"
    entry.fill("lots")
    entry.press("Enter")
    page.wait_for_selector("#sim-L-entry[aria-invalid=true]")
    assert "L='lots' is not a finite number" in page.locator("#sim-notices").inner_text()
    assert shown_readouts(page) == expected_readouts(state)


def test_dark_mode_rethemes_the_chart(page, site_url: str) -> None:
    open_simulator(page, site_url)
    light = page.eval_on_selector("#sim-chart", "el => el.layout.font.color")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("c => document.getElementById('sim-chart').layout.font.color !== c", arg=light)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
