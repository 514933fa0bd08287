"""The reader's fixes of issue 24 in headless Chromium: what a keyboard, a phone and a new reader see."""

from __future__ import annotations

import pytest
from conftest import READY_TIMEOUT_MS

from roofline.web.article import ARTICLE
from roofline.web.realistic import REALISTIC

pytestmark = pytest.mark.browser

#: What the focused element shows, as computed: its outline and its box shadow.
_RING = """() => {
  const el = document.activeElement;
  // Material's header and drawers style their own focus; the site's rule covers the content.
  if (!el.closest(".md-content")) return null;
  const style = getComputedStyle(el);
  const kind = el.tagName === "INPUT" ? `input:${el.type}` : el.tagName.toLowerCase();
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1;
  return [kind, outline || style.boxShadow !== "none", el.id || el.className];
}"""


def _tab_through(page, presses: int) -> dict[str, list[tuple[bool, str]]]:
    """Tab ``presses`` times from the top of the page; each focused element's kind and whether it shows a ring."""
    seen: dict[str, list[tuple[bool, str]]] = {}
    page.locator("body").click(position={"x": 1, "y": 1})
    for _ in range(presses):
        page.keyboard.press("Tab")
        hit = page.evaluate(_RING)
        if hit is None:
            continue
        kind, ringed, name = hit
        seen.setdefault(kind, []).append((ringed, name))
    return seen


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_kind_of_control_shows_a_focus_ring_when_reached_by_keyboard(make_page, site_url, scheme) -> None:
    """Sliders, check boxes, radios, number boxes, selects and buttons: a computed outline or shadow on focus."""
    page = make_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}simulator/?mode=real")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    seen = _tab_through(page, 160)
    for kind in ("input:range", "input:checkbox", "input:radio", "input:text", "select"):
        assert kind in seen, f"never reached a {kind} by Tab: {sorted(seen)}"
    # A button: the code blocks' copy buttons on the hardware page.
    page.goto(f"{site_url}hardware/")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    seen.update({k: v for k, v in _tab_through(page, 80).items() if k == "button"})
    assert "button" in seen, sorted(seen)
    unringed = {kind: [name for ringed, name in hits if not ringed] for kind, hits in seen.items()}
    assert {kind: names for kind, names in unringed.items() if names} == {}


#: Every overflowing table wrapper and display formula: how it overflows and what shows it.
_WIDE = """() => [...document.querySelectorAll('.md-content .md-typeset__scrollwrap, .md-content div.arithmatex')]
  .map((el) => {
    const style = getComputedStyle(el);
    return {
      what: el.matches('div.arithmatex') ? 'formula' : 'table',
      text: el.textContent.trim().slice(0, 50),
      overflows: el.scrollWidth > el.clientWidth + 1,
      scrolls: ['auto', 'scroll'].includes(style.overflowX),
      cue: el.dataset.scroll || '',
      mask: style.maskImage || style.webkitMaskImage || 'none',
      right: el.getBoundingClientRect().right,
    };
  })"""


#: Formulas typeset and search started (as the crawl waits for them, tests/crawl_support.py).
_SETTLED = """() => document.readyState !== 'loading'
  && [...document.querySelectorAll('.arithmatex')].every((el) => el.querySelector('.katex'))
  && !/Initializing/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')"""


def _pages(built_site) -> list[str]:
    return sorted(
        str(p.parent.relative_to(built_site)).replace(".", "") + "/"
        for p in built_site.rglob("index.html")
        if "assets" not in p.parts and "404" not in p.parts
    )


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_table_and_formula_fits_a_phone_or_scrolls_with_a_visible_cue(make_page, site_url, built_site, scheme) -> None:
    page = make_page(viewport={"width": 390, "height": 844}, color_scheme="dark" if scheme == "slate" else "light")
    problems, wide = [], 0
    for path in _pages(built_site):
        page.goto(f"{site_url}{path.lstrip('/')}")
        # Formulas change width when KaTeX typesets them; the cue is set after that (katex-init.js).
        # Search and the runtime prefetch finish first, so that leaving the page cuts no request short.
        page.wait_for_function(_SETTLED)
        page.wait_for_load_state("networkidle")
        for region in page.evaluate(_WIDE):
            if region["right"] > 390 + 1:
                problems.append((path, region["what"], region["text"], "runs past the screen"))
            if not region["overflows"]:
                continue
            wide += 1
            if not (region["scrolls"] and region["cue"] == "end" and region["mask"] != "none"):
                problems.append((path, region["what"], region["text"], region["cue"], region["mask"]))
    assert problems == []
    assert wide > 5, "the phone width should leave some tables wide enough to scroll"


def test_the_cue_follows_the_scroll_and_v_punchline_fits(make_page, site_url) -> None:
    page = make_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site_url}sweet-spot/")
    page.wait_for_function("() => [...document.querySelectorAll('div.arithmatex')].every(d => d.querySelector('.katex'))")
    # V's punchline, B_optimal = model x hardware, in full on the phone.
    punchline = page.locator("div.arithmatex", has_text="optimal").first
    assert punchline.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    table = page.locator(".md-typeset__scrollwrap[data-scroll]").first
    table.evaluate("el => { el.scrollLeft = 10; }")
    page.wait_for_function("el => el.dataset.scroll === 'both'", arg=table.element_handle())
    table.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_function("el => el.dataset.scroll === 'start'", arg=table.element_handle())


def test_the_phone_chart_strip_says_it_swipes_and_the_answers_follow_the_sliders(make_page, site_url) -> None:
    page = make_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site_url}simulator/?mode=real")
    assert page.locator(".rl-sim__swipe").is_visible()
    assert page.get_attribute(".rl-sim__charts", "data-scroll") == "end"
    gap = page.evaluate(
        """() => {
      const sliders = document.querySelectorAll('[data-mode-panel=real] input[type=range]');
      const last = sliders[sliders.length - 1].getBoundingClientRect().bottom;
      const answer = document.querySelector('.rl-sim__group--answer').getBoundingClientRect().top;
      return answer - last;
    }"""
    )
    assert 0 < gap < 200
    desktop = make_page(viewport={"width": 1280, "height": 900})
    desktop.goto(f"{site_url}simulator/")
    assert desktop.locator(".rl-sim__swipe").is_hidden()


def _hold_python(page) -> list:
    """Hold Pyodide's WebAssembly back (the page shows its pre-rendered state); returns the held requests."""
    held: list = []
    page.route("**/pyodide.asm.wasm", lambda route: route.continue_() if held and held[0] is None else held.append(route))
    return held


def _release(page, held: list) -> None:
    routes = list(held)
    held.clear()
    held.append(None)
    for route in routes:
        route.continue_()
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")


def _layout_top(page) -> float:
    return page.evaluate("() => document.querySelector('.rl-sim__layout').getBoundingClientRect().top + scrollY")


def test_going_live_and_a_notice_move_nothing_and_booting_shows_busy(page, site_url) -> None:
    held = _hold_python(page)
    page.goto(f"{site_url}simulator/?mode=nonsense")
    page.wait_for_selector("#simulator.rl-sim--stale", state="attached")
    assert page.get_attribute("#simulator", "aria-busy") == "true"
    ring = page.evaluate("() => getComputedStyle(document.querySelector('.rl-sim__status'), '::before').animationName")
    assert ring == "rl-spin"
    # No snapshot for this link: the line says the dimmed numbers are not its own.
    assert "not this link's" in page.locator("#sim-status-text").inner_text()
    before = _layout_top(page)
    _release(page, held)
    assert page.get_attribute("#simulator", "aria-busy") is None
    assert "mode='nonsense' is not 'article' or 'real'" in page.locator("#sim-notices").inner_text()
    assert _layout_top(page) == before
    page.locator("#sim-B-entry").fill("64")
    page.locator("#sim-B-entry").press("Enter")
    page.wait_for_function("() => document.getElementById('sim-notices').hidden")
    assert "Python is running" in page.locator("#sim-status").inner_text()
    assert _layout_top(page) == before


def test_a_hand_typed_real_link_is_pre_rendered_exactly(page, site_url) -> None:
    held = _hold_python(page)
    page.goto(f"{site_url}simulator/?mode=real")
    page.wait_for_selector('#simulator[data-prerendered="true"]', state="attached")
    assert page.get_attribute("#simulator", "data-mode") == "real"
    assert "rl-sim--stale" not in page.get_attribute("#simulator", "class")
    default = REALISTIC.readouts(REALISTIC.default)
    assert page.get_attribute("[data-readout=throughput]", "data-value") == default["throughput"].raw
    _release(page, held)


def test_entries_clear_the_invalid_mark_and_show_the_clamped_value(page, site_url) -> None:
    page.goto(f"{site_url}simulator/")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    entry = page.locator("#sim-B-entry")
    entry.fill("lots")
    entry.press("Enter")
    page.wait_for_selector("#sim-B-entry[aria-invalid=true]")
    entry.fill("1e9")
    entry.press("Enter")
    clamped = ARTICLE.with_value(ARTICLE.default, "B", 1e9)
    shown = ARTICLE.controls_snapshot(clamped)["B"]["entry"]
    page.wait_for_function("v => document.getElementById('sim-B-entry').value === v", arg=shown)
    assert entry.get_attribute("aria-invalid") is None
    assert entry.evaluate("el => el === document.activeElement")


def test_a_hardware_pick_names_the_overrides_it_replaced(page, site_url) -> None:
    page.goto(f"{site_url}simulator/?mode=real&C=500T")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    page.locator("#simr-hw").select_option("h100-sxm")
    page.wait_for_function("() => document.getElementById('sim-notices').textContent.includes('your own C')")
    assert not page.locator("#simr-C").evaluate("el => el.closest('.rl-sim__control').classList.contains('rl-sim__control--edited')")
