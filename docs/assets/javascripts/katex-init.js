// Typeset the \( \) and \[ \] spans pymdownx.arithmatex writes, with the KaTeX
// copy the site serves itself. KaTeX (300 KB) is fetched only by pages that
// have formulas; Material's document$ fires on every page load.
(() => {
  const base = new URL("../vendor/katex/", document.currentScript.src);
  let loading = null;

  function add(tag, attributes) {
    return new Promise((resolve, reject) => {
      const element = Object.assign(document.createElement(tag), attributes);
      element.onload = resolve;
      element.onerror = () => reject(new Error(`could not load ${attributes.src || attributes.href}`));
      document.head.append(element);
    });
  }

  function loadKatex() {
    loading ??= Promise.all([
      add("link", { rel: "stylesheet", href: new URL("katex.min.css", base).href }),
      add("script", { src: new URL("katex.min.js", base).href }).then(() =>
        add("script", { src: new URL("contrib/auto-render.min.js", base).href }),
      ),
    ]);
    return loading;
  }

  document$.subscribe(({ body }) => {
    if (!body.querySelector(".arithmatex")) return;
    loadKatex().then(() => {
      renderMathInElement(body, {
        delimiters: [
          { left: "\\(", right: "\\)", display: false },
          { left: "\\[", right: "\\]", display: true },
        ],
      });
      // Typeset formulas have a new width: let scrollable.js re-check them.
      window.rooflineFocusScrollable?.();
    });
  });
})();
