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
});
