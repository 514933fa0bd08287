"""The reader's fixes of issue 24 in headless Chromium: what a keyboard, a phone and a new reader see."""

from __future__ import annotations

import pytest

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
