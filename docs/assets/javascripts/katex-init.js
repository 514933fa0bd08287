// Typeset the \( \) and \[ \] spans pymdownx.arithmatex writes, with the KaTeX
// copy the site serves itself. Material's document$ fires on every page load.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  });
  focusWideFormulas();
});

// A display formula wider than the column scrolls sideways (on a phone, say);
// keyboard readers can scroll it only if it can take focus (axe:
// scrollable-region-focusable), so such formulas join the tab order.
function focusWideFormulas() {
  for (const formula of document.querySelectorAll("div.arithmatex")) {
    if (formula.scrollWidth > formula.clientWidth) {
      formula.tabIndex = 0;
    } else {
      formula.removeAttribute("tabindex");
    }
  }
}
window.addEventListener("resize", focusWideFormulas);
