// A table, code block or formula wider than its column scrolls sideways (on a
// phone, say). Keyboard readers can scroll it only if it can take focus
// (axe: scrollable-region-focusable), so exactly those that overflow join the
// tab order. Runs on every page load and resize; katex-init.js calls it again
// once formulas are typeset, since that changes their width.
(() => {
  const SCROLLABLE = ".md-typeset__scrollwrap, .md-typeset pre > code, div.arithmatex";

  function focusScrollable() {
    for (const region of document.querySelectorAll(SCROLLABLE)) {
      if (region.scrollWidth > region.clientWidth) {
        region.tabIndex = 0;
      } else if (!region.matches("pre > code")) {
        region.removeAttribute("tabindex");
      }
    }
  }

  window.rooflineFocusScrollable = focusScrollable;
  window.addEventListener("resize", focusScrollable);
  document$.subscribe(focusScrollable);
})();
