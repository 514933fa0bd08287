"""The compare page in headless Chromium: it boots, follows its inputs, names bad URLs and exports, offline.

Every page comes from the ``page``/``make_page`` fixtures, which fail a test
on any console error and on any request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import READY_TIMEOUT_MS

from roofline.web.compare import COMPARE, rows

pytestmark = pytest.mark.browser

READY = "#compare[data-ready='true']"


def open_compare(page, site_url: str, query: str = "") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}compare/{'?' + query if query else ''}")
    page.wait_for_selector(READY, timeout=READY_TIMEOUT_MS)


def wait_renders(page, count: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"Number(document.getElementById('compare').dataset.renders || 0) >= {count}")


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(".rl-cmp__title", "els => els.map(e => e.textContent)")


def query_of(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("location.search.slice(1)")


def test_the_page_boots_on_the_prerendered_comparison_and_follows_its_inputs(page, site_url: str) -> None:
    open_compare(page, site_url)
    state, _ = COMPARE.parse("")
    # The build's snapshot was the state asked for: Python went live without painting again.
    assert page.get_attribute("#compare", "data-renders") is None
    assert query_of(page) == COMPARE.encode(state)
    assert int(page.get_attribute("#cmp-chart", "data-draws")) >= 1
    lines = page.eval_on_selector("#cmp-chart", "el => el.data.filter(t => t.mode === 'lines').map(t => t.meta)")
    assert lines == ["compute", "memory", "now", "cost", "target"]
    assert len(titles(page)) == 4 and page.is_hidden("#cmp-notices")

    page.select_option("#cmp-4-hw", "b200")
    wait_renders(page, 1)
    assert "B200" in titles(page)[3]
    changed, _ = COMPARE.with_input(state, "hw4", "b200")
    assert query_of(page) == COMPARE.encode(changed)
    # The table is the CPython view's, number for number.
    shown = page.eval_on_selector("#cmp-4 [data-cmp-row='usd_per_million_output_tokens'] td", "e => e.textContent")
    expected = next(r for r in rows(changed, changed.deployments[3]) if r.name == "usd_per_million_output_tokens")
    assert shown == expected.text

    page.fill("#cmp-tpot", "25")
    page.press("#cmp-tpot", "Enter")
    wait_renders(page, 2)
    assert "tpot=25" in query_of(page).split("&")
    # The focused box stays focused though its block is rewritten.
    assert page.evaluate("document.activeElement.id") == "cmp-tpot"

    page.click("[data-cmp-remove='2']")
    wait_renders(page, 3)
    assert len(titles(page)) == 3 and page.is_enabled("#cmp-add")
    page.click("#cmp-add")
    wait_renders(page, 4)
    assert len(titles(page)) == 4 and page.is_disabled("#cmp-add")
    page.click("#cmp-reset")
    wait_renders(page, 5)
    assert query_of(page) == COMPARE.encode(state)


def test_an_address_whose_path_starts_with_two_slashes_boots_and_keeps_its_path(page, site_url: str) -> None:
    # As the simulator's: the path alone would read as another host when written back.
    page.goto(site_url.rstrip("/") + "//compare/")
    page.wait_for_selector(READY, timeout=READY_TIMEOUT_MS)
    page.wait_for_function("location.search.length > 1")  # the state is written back once Python is live
    assert page.evaluate("location.pathname") == "//compare/"
    assert COMPARE.parse(query_of(page))[1] == []


def test_a_bad_comparison_url_names_each_value_and_the_rest_still_shows(page, site_url: str) -> None:
    query = "hw1=h200&gpus1=8&tp1=3&hw2=h900&gpus2=8&hw3=b200&gpus3=8&hw4=mi300x&hw5=h100-sxm&hw6=h200"
    open_compare(page, site_url, query)
    notices = page.inner_text("#cmp-notices")
    assert page.is_visible("#cmp-notices")
    assert "tp1=3" in notices and "hw2='h900'" in notices and "Deployment 5 (hw5=h100-sxm)" in notices
    assert "Deployment 6" in notices
    state, expected = COMPARE.parse(query)
    assert page.eval_on_selector_all("#cmp-notices p", "ps => ps.map(p => p.textContent)") == expected
    assert len(titles(page)) == 3
    lines = page.eval_on_selector("#cmp-chart", "el => el.data.filter(t => t.mode === 'lines').length")
    assert lines == 4  # three deployments and the target
    assert query_of(page) == COMPARE.encode(state)


def test_exports_download_png_csv_and_json_and_the_link_copies(make_page, site_url: str, tmp_path: Path) -> None:
    page = make_page(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    query = "model=deepseek-v3&isl=2000&osl=500&tpot=40&hw1=h200&gpus1=8&spec1=1&hw2=mi325x&gpus2=8&price2=2.5"
    open_compare(page, site_url, query)
    state, notices = COMPARE.parse(query)
    assert notices == []
    expected = COMPARE.exports(state, [])
    got: dict[str, bytes] = {}
    for button, name in (("#cmp-png", "png"), ("#cmp-csv", "readouts_csv"),
                         ("#cmp-frontier-csv", "frontier_csv"), ("#cmp-json", "json")):
        with page.expect_download() as info:
            page.click(button)
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        got[name] = path.read_bytes()
    assert got["png"][:8] == b"\x89PNG\r\n\x1a\n" and len(got["png"]) > 10_000
    assert json.loads(got["json"]) == json.loads(expected["json"])
    assert got["readouts_csv"].decode() == expected["readouts_csv"]
    assert got["frontier_csv"].decode() == expected["frontier_csv"]
    page.click("#cmp-link")
    page.wait_for_function("document.getElementById('cmp-said').textContent === 'Link copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_the_chart_follows_dark_mode(make_page, site_url: str) -> None:
    page = make_page(color_scheme="dark")
    open_compare(page, site_url)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function("document.getElementById('cmp-chart').dataset.scheme === 'slate'")
    drawn = page.eval_on_selector("#cmp-chart", "el => el.data.find(t => t.meta === 'compute').line.color")
    state, _ = COMPARE.parse("")
    figure = COMPARE.figure(state, "slate")
    assert drawn == next(t for t in figure["data"] if t["meta"] == "compute")["line"]["color"]


# ---------------------------------------------------------------- the simulator's exports and its N_active check


def test_the_simulator_exports_what_the_cli_prints_and_refuses_n_active_above_n_total(
    make_page, site_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from roofline.web.realistic import REALISTIC

    page = make_page(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{site_url}simulator/")
    page.wait_for_selector("#simulator[data-ready='true']", timeout=READY_TIMEOUT_MS)
    before = query_of(page)
    renders = int(page.get_attribute("#simulator", "data-renders") or 0)
    page.fill("#sim-N_active-entry", "20G")
    page.press("#sim-N_active-entry", "Enter")
    page.wait_for_function(f"Number(document.getElementById('simulator').dataset.renders) > {renders}")
    assert "N_active=20G is above N_total (12G params)" in page.inner_text("#sim-notices")
    assert page.get_attribute("#sim-N_active-entry", "aria-invalid") == "true"
    page.wait_for_function(f"location.search.slice(1) === {json.dumps(before)}")

    page.check("input[name='sim-mode'][value='real']")
    page.wait_for_selector("#simulator[data-mode='real']")
    renders = int(page.get_attribute("#simulator", "data-renders") or 0)
    page.fill("#simr-N_active-entry", "900G")
    page.press("#simr-N_active-entry", "Enter")
    page.wait_for_function(f"Number(document.getElementById('simulator').dataset.renders) > {renders}")
    assert "N_active=900G is above N_total (671G params)" in page.inner_text("#sim-notices")
    page.wait_for_function(f"location.search.slice(1) === {json.dumps(REALISTIC.encode(REALISTIC.default))}")

    got: dict[str, bytes] = {}
    for button in ("#sim-json", "#sim-readouts-csv", "#sim-frontier-csv", "#sim-png-frontier"):
        with page.expect_download() as info:
            page.click(button)
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        got[button] = path.read_bytes()
    exported = json.loads(got["#sim-json"])
    assert exported["mode"] == "real" and exported["query"] == REALISTIC.encode(REALISTIC.default)
    printed = subprocess.run(
        [sys.executable, "-m", "roofline", *exported["command"].split()[1:]], capture_output=True, text=True, timeout=60
    )
    assert exported["cli"] == json.loads(printed.stdout)
    assert got["#sim-readouts-csv"].decode().startswith("name,value,text\n")
    assert got["#sim-frontier-csv"].decode().startswith("batch,ms_per_token,")
    assert got["#sim-png-frontier"][:8] == b"\x89PNG\r\n\x1a\n"

    page.fill("#simr-B-entry", "64")
    page.press("#simr-B-entry", "Enter")
    page.wait_for_function("location.search.includes('B=64')")
    page.click("#sim-reset")
    page.wait_for_function(f"location.search.slice(1) === {json.dumps(REALISTIC.encode(REALISTIC.default))}")
    page.click("#sim-link")
    page.wait_for_function("document.getElementById('sim-said').textContent === 'Link copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
