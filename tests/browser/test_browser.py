"""The built site in headless Chromium, as a reader would use it."""

from __future__ import annotations

import pytest
from conftest import READY_TIMEOUT_MS
from holding import hold
from malformed_urls import BROWSER_QUERY, MALFORMED_URLS

from roofline.web import article as sim
from roofline.web import controls
from roofline.web.article import ARTICLE
from roofline.web.realistic import REALISTIC

pytestmark = pytest.mark.browser


def open_simulator(page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}simulator/{query}")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")


def shown_readouts(page, names: tuple[str, ...] | None = ARTICLE.readout_names) -> dict[str, list[str]]:
    """``data-readout`` name -> [data-value, text]; the article's ten unless ``names`` is None (all)."""
    shown = page.eval_on_selector_all(
        "[data-readout]",
        "els => Object.fromEntries(els.map(e => [e.dataset.readout, [e.dataset.value, e.textContent]]))",
    )
    return shown if names is None else {name: shown[name] for name in names}


def expected_readouts(state: sim.State) -> dict[str, list[str]]:
    out = {}
    for name, readout in ARTICLE.readouts(state).items():
        raw = (
            "" if readout.value is None else (readout.value if isinstance(readout.value, str) else repr(readout.value))
        )
        out[name] = [raw, readout.text]
    return out


def test_simulator_becomes_ready_with_the_cores_readouts(page, site_url: str) -> None:
    open_simulator(page, site_url)
    assert shown_readouts(page) == expected_readouts(sim.DEFAULT_STATE)
    # Issue 24: the status line stays (hiding it moved the page), and says the widget is live.
    assert "Python is running" in page.locator("#sim-status").inner_text()
    assert page.get_attribute("#simulator", "aria-busy") is None
    assert page.eval_on_selector("#sim-chart", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 3


def test_python_takes_over_a_pre_rendered_state_without_painting_it_again(page, site_url: str) -> None:
    open_simulator(page, site_url)
    # The build painted exactly this state with the same core: no second paint, no flash.
    assert page.get_attribute("#simulator", "data-prerendered") == "true"
    assert page.get_attribute("#simulator", "data-renders") is None
    # Each chart drawn once (one per task until Python is live: the step-time chart first).
    page.wait_for_function("performance.getEntriesByName('roofline:charts-painted').length === 1")
    assert page.get_attribute("#sim-chart", "data-draws") == "1"
    assert page.get_attribute("#sim-frontier", "data-draws") == "1"
    first, every = page.evaluate(
        "['roofline:painted', 'roofline:charts-painted'].map((n) => performance.getEntriesByName(n)[0].startTime)"
    )
    assert first <= every
    assert page.evaluate("location.search") == "?" + ARTICLE.encode(sim.DEFAULT_STATE)
    # A state the build did not pre-render is painted by Python once it is live.
    # (The same page again, runtime from cache: PyScript must still find its config.)
    query = "?B=77&B_max=2048&N_active=8G&C=80T&N_total=12G&BW=200G&L=8192&b=2"
    open_simulator(page, site_url, query)
    assert page.get_attribute("#simulator", "data-renders") == "1"
    state, _ = ARTICLE.parse(query)
    assert shown_readouts(page) == expected_readouts(state)


def test_moving_a_slider_updates_readouts_chart_and_url(page, site_url: str) -> None:
    open_simulator(page, site_url)
    before_chart = page.eval_on_selector("#sim-chart", "el => JSON.stringify(el.data.map(t => t.y))")
    slider = page.locator("#sim-L")
    slider.fill("900")
    expected_l = controls.value_at(ARTICLE.control("L"), 900, sim.DEFAULT_STATE)
    state = ARTICLE.with_value(sim.DEFAULT_STATE, "L", expected_l)
    page.wait_for_function(
        "v => document.querySelector('[data-readout=t_memory]').dataset.value === v",
        arg=repr(ARTICLE.readouts(state)["t_memory"].value),
    )
    assert shown_readouts(page) == expected_readouts(state)
    assert page.eval_on_selector("#sim-chart", "el => JSON.stringify(el.data.map(t => t.y))") != before_chart
    # The address bar follows a moment after the drag (browsers throttle replaceState).
    page.wait_for_function("q => location.search === q", arg="?" + ARTICLE.encode(state))
    restored, notices = ARTICLE.parse(page.url.split("?", 1)[1])
    assert notices == [] and restored == state


def test_an_address_whose_path_starts_with_two_slashes_still_boots_and_keeps_its_path(page, site_url: str) -> None:
    # At //simulator/ the path alone reads as a protocol-relative URL (host "simulator"):
    # writing it back into the address bar was a SecurityError that stopped the widget.
    origin = site_url.rstrip("/")
    page.goto(f"{origin}//simulator/?B=900")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    state = ARTICLE.with_value(sim.DEFAULT_STATE, "B", 900.0)
    assert shown_readouts(page) == expected_readouts(state)
    page.wait_for_function("q => location.search === q", arg="?" + ARTICLE.encode(state))
    assert page.evaluate("location.pathname") == "//simulator/"


def test_a_shared_url_restores_the_state(page, site_url: str) -> None:
    query = "?B=900&B_max=4096&N_active=37G&C=989.45T&N_total=671G&BW=3.35T&L=32K&b=1"
    open_simulator(page, site_url, query)
    state, notices = ARTICLE.parse(query)
    assert notices == []
    assert shown_readouts(page) == expected_readouts(state)
    assert page.locator("#sim-notices").is_hidden()
    assert page.input_value("#sim-B") == str(controls.position_of(ARTICLE.control("B"), 900, state))


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
    release = hold(loose_page, "**/pyodide.asm.wasm")
    loose_page.goto(f"{site_url}simulator/")
    loose_page.wait_for_selector('#simulator[data-prerendered="true"]', state="attached")
    assert loose_page.get_attribute("#simulator", "data-ready") == "false"
    assert loose_page.locator("#sim-status").is_visible()
    assert loose_page.eval_on_selector("#sim-chart", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 3
    assert shown_readouts(loose_page) == expected_readouts(sim.DEFAULT_STATE)
    # An input made now is kept for Python.
    loose_page.locator("#sim-B").fill("900")
    release()
    loose_page.wait_for_selector('#simulator[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS)
    state = ARTICLE.with_value(sim.DEFAULT_STATE, "B", controls.value_at(ARTICLE.control("B"), 900, sim.DEFAULT_STATE))
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
    state = ARTICLE.with_value(sim.DEFAULT_STATE, "L", 32_000)
    page.wait_for_function(
        "v => document.querySelector('[data-readout=t_kv]').dataset.value === v",
        arg=ARTICLE.readouts(state)["t_kv"].raw,
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


# --- the realistic mode (issue: presets, memory, cost on the article's chart) ---

from roofline.web import realistic as real  # noqa: E402


def expected_real(state: real.RealState) -> dict[str, list[str]]:
    return {name: [r.raw, r.text] for name, r in REALISTIC.readouts(state).items()}


def test_real_mode_link_shows_the_deployment_readouts(page, site_url: str) -> None:
    query = "?mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K&B=256&B_max=1024&price=2.5"
    open_simulator(page, site_url, query)
    state, notices = REALISTIC.parse(query)
    assert notices == []
    shown = shown_readouts(page, None)
    expected = expected_real(state)
    for name in ("capacity_wall", "throughput", "cost", "crossover", "latency", "bottleneck", "t_memory"):
        assert shown[name] == expected[name], name
    assert float(shown["capacity_wall"][0]) > 0
    assert page.get_attribute("#simulator", "data-mode") == "real"
    assert page.locator("#simr-hw").input_value() == "h200"
    assert page.eval_on_selector("#sim-econ", "el => el.querySelectorAll('.scatterlayer .trace').length") >= 2
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(state))


def test_real_mode_pickers_and_mode_switch(page, site_url: str) -> None:
    open_simulator(page, site_url)
    page.locator("input[name=sim-mode][value=real]").check()
    page.wait_for_selector('#simulator[data-mode="real"]')
    assert shown_readouts(page, None)["capacity_wall"] == expected_real(real.DEFAULT_REAL_STATE)["capacity_wall"]
    page.locator("#simr-hw").select_option("h100-sxm")
    state, _ = real.with_pick(real.DEFAULT_REAL_STATE, "hw", "h100-sxm")
    page.wait_for_function(
        "v => document.querySelector('[data-readout=capacity_wall]').dataset.value === v",
        arg=REALISTIC.readouts(state)["capacity_wall"].raw,
    )
    assert shown_readouts(page, None)["cost"] == expected_real(state)["cost"]
    page.locator("input[name=sim-mode][value=article]").check()
    page.wait_for_selector('#simulator[data-mode="article"]')
    assert shown_readouts(page)["latency"] == expected_readouts(sim.DEFAULT_STATE)["latency"]
    assert page.locator("#simr-hw").is_hidden()


def test_a_model_that_does_not_fit_says_so(page, site_url: str) -> None:
    query = "?mode=real&hw=h100-sxm&model=deepseek-v3&gpus=1&wprec=fp8&kvprec=fp8&L=4096&B=64&B_max=1024&price=2"
    open_simulator(page, site_url, query)
    state, _ = REALISTIC.parse(query)
    shown = shown_readouts(page, None)
    assert shown["capacity_wall"] == expected_real(state)["capacity_wall"]
    assert shown["capacity_wall"][0] == ""
    assert "not" in shown["capacity_wall"][1]


def test_malformed_urls_load_with_notices_and_no_markup(page, site_url: str) -> None:
    """The browser's rows of the one malformed-URL table (tests/malformed_urls.py), on one page load."""
    open_simulator(page, site_url, "?" + BROWSER_QUERY)
    notices = page.locator("#sim-notices")
    assert notices.is_visible()
    text = notices.inner_text()
    for query, name, browser in MALFORMED_URLS:
        if browser:
            assert name in text, (query, text)
    # Nothing from the URL became an element: the notices are text nodes in <p>s only.
    assert page.locator("#sim-notices *:not(p)").count() == 0
    assert page.locator("#simulator script, #simulator img:not(.katex *)").count() == 0
    # The readouts are numbers the core computed for a sane state.
    state, _ = ARTICLE.parse(BROWSER_QUERY)
    assert shown_readouts(page) == expected_readouts(state)


def test_the_last_mode_in_the_url_shows_before_and_after_python_starts(loose_page, site_url: str) -> None:
    """``mode`` given twice: the page and Python both take the last value (one rule, from Python)."""
    release = hold(loose_page, "**/pyodide.asm.wasm")
    loose_page.goto(f"{site_url}simulator/?mode=real&mode=article")
    loose_page.wait_for_selector("#simulator.rl-sim--stale", state="attached")
    visible = "[data-mode-panel]:not([hidden])"
    before = loose_page.eval_on_selector_all(visible, "els => els.map(e => e.dataset.modePanel)")
    assert loose_page.get_attribute("#simulator", "data-mode") == "article" and set(before) == {"article"}
    release()
    loose_page.wait_for_selector('#simulator[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS)
    after = loose_page.eval_on_selector_all(visible, "els => els.map(e => e.dataset.modePanel)")
    assert loose_page.get_attribute("#simulator", "data-mode") == "article" and after == before
    assert "given more than once" in loose_page.locator("#sim-notices").inner_text()


# --- the frontier, the latency target and the batch you would run (issue 13) ---

FRONTIER_NAMES = ("chosen_batch", "binding_limit", "binding_sentence")


def frontier_roles(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The roles (``meta``) of the traces plotly drew in the frontier chart."""
    return page.eval_on_selector("#sim-frontier", "el => (el.data || []).map(t => t.meta)")


def test_the_frontier_and_its_readouts_are_in_the_pre_rendered_paint(loose_page, page_log, site_url: str) -> None:
    release = hold(loose_page, "**/pyodide.asm.wasm")
    loose_page.goto(f"{site_url}simulator/")
    loose_page.wait_for_selector('#simulator[data-prerendered="true"]', state="attached")
    assert loose_page.get_attribute("#simulator", "data-ready") == "false"
    # plotly.js may land after the pre-rendered snapshot: the painter draws when it does.
    loose_page.wait_for_function("() => (document.getElementById('sim-frontier').data || []).length > 0")
    assert {"max", "chosen", "now"} <= set(frontier_roles(loose_page))
    expected = {name: expected_readouts(sim.DEFAULT_STATE)[name] for name in FRONTIER_NAMES}
    assert shown_readouts(loose_page, FRONTIER_NAMES) == expected
    assert expected["chosen_batch"] == ["600.0", "600"] and expected["binding_limit"][0] == "crossover"
    release()
    loose_page.wait_for_selector('#simulator[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS)
    assert shown_readouts(loose_page, FRONTIER_NAMES) == expected
    assert page_log.errors == []


def test_tpot_in_the_url_is_honoured_in_both_modes(page, site_url: str) -> None:
    open_simulator(page, site_url, "?tpot=50")
    state, _ = ARTICLE.parse("tpot=50")
    assert shown_readouts(page, FRONTIER_NAMES) == {n: expected_readouts(state)[n] for n in FRONTIER_NAMES}
    assert shown_readouts(page, ("chosen_batch", "binding_limit")) == {
        "chosen_batch": ["", "none"],
        "binding_limit": ["latency", "the latency target"],
    }
    assert page.is_checked("#sim-tpot-on") and page.locator("#sim-tpot-value").inner_text() == "50 ms"
    assert "target" in frontier_roles(page)
    # Switching the target off takes it out of the URL and the chart.
    page.locator("#sim-tpot-on").uncheck()
    page.wait_for_function("() => !location.search.includes('tpot')")
    assert "target" not in frontier_roles(page)
    assert shown_readouts(page, ("binding_limit",)) == {"binding_limit": ["crossover", "the crossover"]}

    query = "?mode=real&tpot=5&spec=1&draft=2"
    open_simulator(page, site_url, query)
    state, notices = REALISTIC.parse(query)
    assert notices == []
    expected = {name: [r.raw, r.text] for name, r in REALISTIC.readouts(state).items() if name in FRONTIER_NAMES}
    assert shown_readouts(page, FRONTIER_NAMES) == expected and expected["binding_limit"][0] == "latency"
    assert page.is_checked("#simr-spec") and page.is_checked("#simr-tpot-on")
    roles = frontier_roles(page)
    assert {"max", "muted", "target", "now"} <= set(roles)
