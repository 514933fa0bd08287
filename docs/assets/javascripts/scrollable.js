// A table, code block or formula wider than its column scrolls sideways (on a
// phone, say). Keyboard readers can scroll it only if it can take focus
// (axe: scrollable-region-focusable), so exactly those that overflow join the
// tab order. Sighted readers need to see that it scrolls: each one that
// overflows carries data-scroll ("end", "both" or "start": which way there is
// more), and the stylesheet fades that edge. Runs on every page load and
// resize, and on each scroll of a region; katex-init.js calls it again once
// formulas are typeset, since that changes their width. The simulator's chart
// strip (a phone's swipe between its two charts) is marked the same way.
(() => {
  const SCROLLABLE = ".md-typeset__scrollwrap, .md-typeset pre > code, div.arithmatex, .rl-sim__charts";

  function markEdges(region) {
    const more = region.scrollWidth - region.clientWidth;
    if (more <= 1) {
      region.removeAttribute("data-scroll");
      return;
    }
    const left = region.scrollLeft > 1;
    const right = region.scrollLeft < more - 1;
    region.dataset.scroll = left && right ? "both" : left ? "start" : "end";
  }

  function onScroll(event) {
    markEdges(event.currentTarget);
  }

  function focusScrollable() {
    for (const region of document.querySelectorAll(SCROLLABLE)) {
      if (region.scrollWidth > region.clientWidth) {
        region.tabIndex = 0;
      } else if (!region.matches("pre > code, .rl-sim__charts")) {
        region.removeAttribute("tabindex");
      }
      markEdges(region);
      region.removeEventListener("scroll", onScroll);
      region.addEventListener("scroll", onScroll, { passive: true });
    }
  }

  window.rooflineFocusScrollable = focusScrollable;
  window.addEventListener("resize", focusScrollable);
  document$.subscribe(focusScrollable);
})();
