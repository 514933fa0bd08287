// The site's one theme script: it follows the reader's light/dark choice for
// every plotly chart on a page. Material sets data-md-color-scheme on <body>
// ("default" or "slate"); this is the only place that reads it.
//
// Charts register a draw function that takes the scheme's name:
// - build-time charts (.rl-chart, src/roofline_site/charts.py) carry one
//   figure per scheme, made from the one palette (roofline.web.palette);
// - the hardware charts (.rl-hw-chart, src/roofline_site/hardware.py) carry
//   one figure whose traces name their role in `meta`, re-coloured here by role;
// - the simulator (simulator.js) registers its own chart, drawn from Python's snapshots.
(() => {
  "use strict";
  if (window.rooflineTheme) return;
  const CONFIG = { displayModeBar: false, responsive: true };
  const scheme = () => (document.body.getAttribute("data-md-color-scheme") === "slate" ? "slate" : "default");
  const draws = [];
  let shown = null;

  function register(draw) {
    draws.push(draw);
    if (shown !== null) draw(shown);
  }

  // A copy of `figure` with each trace coloured by its role (trace.meta) from `palette`.
  function byRole(figure, palette) {
    const data = JSON.parse(JSON.stringify(figure.data));
    const layout = JSON.parse(JSON.stringify(figure.layout));
    for (const trace of data) {
      const color = palette[trace.meta];
      if (!color) continue;
      if (trace.line) trace.line.color = color;
      trace.marker = Object.assign(trace.marker || {}, { color });
      if (trace.error_y) trace.error_y.color = color;
    }
    layout.font = Object.assign(layout.font || {}, { color: palette.text });
    for (const key of Object.keys(layout)) {
      if (/^[xy]axis\d*$/.test(key)) {
        Object.assign(layout[key], { gridcolor: palette.grid, linecolor: palette.grid, zerolinecolor: palette.grid });
      }
    }
    for (const note of layout.annotations || []) {
      note.font = Object.assign(note.font || {}, { color: note.name === "crossover" ? palette.crossover : palette.text });
    }
    for (const shape of layout.shapes || []) if (shape.line) shape.line.color = palette.crossover;
    return { data, layout };
  }

  function react(element, figure) {
    return window.Plotly.react(element, figure.data, figure.layout, CONFIG).then(() => {
      element.dataset.ready = "true";
    });
  }

  function start() {
    for (const element of document.querySelectorAll(".rl-chart[data-chart]")) {
      const figures = JSON.parse(document.getElementById(`${element.id}-data`).textContent);
      register((name) =>
        react(element, figures[name] || figures.default)
          .then(() => {
            element.dataset.scheme = name;
          })
          .catch((error) => console.error(`chart ${element.dataset.chart}: ${error}`)),
      );
    }
    for (const element of document.querySelectorAll(".rl-hw-chart")) {
      const spec = JSON.parse(document.getElementById(element.dataset.figure).textContent);
      register((name) => react(element, byRole(spec.figure, spec.themes[name] || spec.themes.default)));
    }
    shown = scheme();
    for (const draw of draws) draw(shown);
    // Material sets the attribute on load even when it does not change: redraw only for a real switch.
    new MutationObserver(() => {
      if (scheme() === shown) return;
      shown = scheme();
      for (const draw of draws) draw(shown);
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  window.rooflineTheme = { scheme, register };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
