"""The realistic mode's serving-estimate switch and attention-precision picker in headless Chromium."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import READY_TIMEOUT_MS
from holding import hold

from roofline.web import realistic as real
from roofline.web import serving_view as serve
from roofline.web.realistic import REALISTIC

pytestmark = pytest.mark.browser

#: The state "Against real servers" links to (so the build pre-renders it): NIM's Llama-3.1-8B case, switch on.
LINKED = "mode=real&hw=h100-sxm&model=llama-3.1-8b&gpus=1&wprec=fp8&kvprec=fp8&L=1500&B=50&B_max=512&price=2&serve=1"
STACKED = "el => (el.data || []).filter(t => t.stackgroup).map(t => t.meta)"
ROLES = [role for _, _, role in serve.TERMS]


def readout(page, name: str) -> list[str]:
    return page.eval_on_selector(f"[data-readout={name}]", "e => [e.dataset.value, e.textContent]")


def expected(state: real.RealState, name: str) -> list[str]:
    shown = REALISTIC.readouts(state)[name]
    return [shown.raw, shown.text]


def held_page(loose_page):  # type: ignore[no-untyped-def]
    """Hold Pyodide's WebAssembly until the returned function releases it."""
    return hold(loose_page, "**/pyodide.asm.wasm")


@pytest.fixture
def loose_page(browser, page_log):
    context = browser.new_context()
    new_page = context.new_page()
    from conftest import _attach

    _attach(new_page, page_log)
    yield new_page
    context.close()


def test_the_linked_switch_shows_the_stacked_terms_before_and_after_python_starts(loose_page, page_log, site_url) -> None:
    state, notices = REALISTIC.parse(LINKED)
    assert notices == [] and state.serving_estimate
    release = held_page(loose_page)
    loose_page.goto(f"{site_url}simulator/?{LINKED}")
    loose_page.wait_for_selector('#simulator[data-prerendered="true"]', state="attached")
    loose_page.wait_for_function(f"() => ({STACKED})(document.getElementById('sim-chart')).length > 0")
    # Before Python: the build's snapshot of this state, terms stacked, switch shown on, readouts exact.
    assert loose_page.get_attribute("#simulator", "data-ready") == "false"
    assert loose_page.eval_on_selector("#sim-chart", STACKED) == ROLES
    assert loose_page.is_checked("#simr-serve")
    for name in serve.READOUT_NAMES:
        assert readout(loose_page, name) == expected(state, name), name
    mirror = loose_page.locator("[data-mirror=serving_tpot]")
    assert mirror.is_visible() and mirror.inner_text() == expected(state, "serving_tpot")[1]
    release()
    loose_page.wait_for_selector('#simulator[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS)
    # After: Python agrees (it did not need to paint again) and keeps the state in the address bar.
    assert loose_page.eval_on_selector("#sim-chart", STACKED) == ROLES
    assert readout(loose_page, "serving_tpot") == expected(state, "serving_tpot")
    loose_page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(state))
    assert page_log.errors == []


def test_the_switch_adds_and_removes_the_terms_and_its_readouts_follow(page, site_url) -> None:
    page.goto(f"{site_url}simulator/?mode=real")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    assert page.eval_on_selector("#sim-chart", STACKED) == []
    page.locator("#simr-serve").check()
    page.wait_for_function(f"() => ({STACKED})(document.getElementById('sim-chart')).length > 0")
    on = replace(real.DEFAULT_REAL_STATE, serving_estimate=True)
    assert page.eval_on_selector("#sim-chart", STACKED) == ROLES
    assert readout(page, "serving_tpot") == expected(on, "serving_tpot")
    assert "serving estimate" in page.locator("#sim-explanation").inner_text()
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(on))
    # The output share moves the workload behind L.
    entry = page.locator("#simr-out-entry")
    entry.fill("20")
    entry.press("Enter")
    moved = REALISTIC.with_value(on, "out", 20)
    page.wait_for_function(
        "v => document.querySelector('[data-readout=serving_workload]').textContent === v",
        arg=expected(moved, "serving_workload")[1],
    )
    assert readout(page, "serving_tpot") == expected(moved, "serving_tpot")
    page.locator("#simr-serve").uncheck()
    page.wait_for_function(f"() => ({STACKED})(document.getElementById('sim-chart')).length === 0")
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(replace(moved, serving_estimate=False)))


def test_attention_precision_url_and_picker(page, site_url) -> None:
    query = "mode=real&hw=h200&model=deepseek-v3&gpus=8&wprec=fp8&kvprec=fp8&L=32K&B=256&B_max=1024&attn=1&aprec=fp8"
    page.goto(f"{site_url}simulator/?{query}")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    state, notices = REALISTIC.parse(query)
    assert notices == [] and state.attention_precision == "fp8"
    assert page.locator("#simr-aprec").input_value() == "fp8"
    assert readout(page, "t_compute") == expected(state, "t_compute")
    assert "only matters when 'Count attention FLOPs' is on" in page.locator("#simr-aprec-help").inner_text()
    # Back to auto: DeepSeek-V3's cited BF16, a longer T_compute.
    page.locator("#simr-aprec").select_option("auto")
    auto = replace(state, attention_precision="auto")
    page.wait_for_function(
        "v => document.querySelector('[data-readout=t_compute]').dataset.value === v", arg=expected(auto, "t_compute")[0]
    )
    assert float(expected(auto, "t_compute")[0]) > float(expected(state, "t_compute")[0])
    assert "in BF16 math (the model's cited precision)" in page.locator("#sim-params").inner_text()
    page.wait_for_function("q => location.search === q", arg="?" + REALISTIC.encode(auto))
    # With attention FLOPs off, the picker is said to be unused.
    page.locator("#simr-aprec").select_option("fp8")
    page.locator("#simr-attn").uncheck()
    page.wait_for_function("() => document.getElementById('sim-params').textContent.includes('is unused')")


def test_a_bad_attention_precision_in_the_url_is_named(page, site_url) -> None:
    page.goto(f"{site_url}simulator/?mode=real&aprec=%3Cb%3Efp4&serve=maybe")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    text = page.locator("#sim-notices").inner_text()
    assert "aprec='<b>fp4' is not a precision" in text and "serve='maybe' is not 1 or 0" in text
    assert page.locator("#sim-notices *:not(p)").count() == 0
    assert page.locator("#simr-aprec").input_value() == "auto"
