// Draws the "Check it on real hardware" charts. The build embeds each figure as JSON
// (src/roofline_site/hardware.py) with a colour per trace role for each Material
// scheme; this file only picks the reader's scheme, draws with the site's own
// plotly.js, and redraws when the reader toggles light/dark.
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, responsive: true };

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "slate" : "default";
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function themed(spec, name) {
    var theme = spec.themes[name] || spec.themes["default"];
    var data = copy(spec.figure.data);
    var layout = copy(spec.figure.layout);
    data.forEach(function (trace) {
      var color = theme[trace.meta];
      if (!color) return;
      if (trace.line) trace.line.color = color;
      trace.marker = Object.assign(trace.marker || {}, { color: color });
      if (trace.error_y) trace.error_y.color = color;
    });
    layout.font = Object.assign(layout.font || {}, { color: theme.text });
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        Object.assign(layout[key], { gridcolor: theme.grid, linecolor: theme.grid, zerolinecolor: theme.grid });
      }
    });
    (layout.annotations || []).forEach(function (note) {
      note.font = Object.assign(note.font || {}, { color: note.name === "crossover" ? theme.crossover : theme.text });
    });
    (layout.shapes || []).forEach(function (shape) {
      if (shape.line) shape.line.color = theme.crossover;
    });
    return { data: data, layout: layout };
  }

  function render(el) {
    var drawn = themed(el.rooflineSpec, scheme());
    return Plotly.react(el, drawn.data, drawn.layout, CONFIG);
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".rl-hw-chart"));
    charts.forEach(function (el) {
      el.rooflineSpec = JSON.parse(document.getElementById(el.dataset.figure).textContent);
      render(el).then(function () {
        el.dataset.ready = "true";
      });
    });
    if (charts.length) {
      new MutationObserver(function () {
        charts.forEach(render);
      }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
