// Draw the charts the build embedded in the page (one JSON figure per colour
// scheme, next to each .rl-chart element) with the plotly.js the site serves
// itself, and redraw them when the reader switches between light and dark:
// Material sets data-md-color-scheme on <body> ("default" or "slate").
(() => {
  const CONFIG = { displayModeBar: false, responsive: true };

  const scheme = () => (document.body.getAttribute("data-md-color-scheme") === "slate" ? "slate" : "default");

  function draw(element) {
    const source = document.getElementById(`${element.id}-data`);
    const figures = JSON.parse(source.textContent);
    const name = scheme();
    const figure = figures[name] || figures.default;
    return Plotly.react(element, figure.data, figure.layout, CONFIG).then(() => {
      element.dataset.scheme = name;
      element.dataset.ready = "true";
    });
  }

  function drawAll() {
    document.querySelectorAll(".rl-chart[data-chart]").forEach((element) => {
      draw(element).catch((error) => console.error(`chart ${element.dataset.chart}: ${error}`));
    });
  }

  function start() {
    drawAll();
    new MutationObserver(drawAll).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
