// The compare page's painter: the one piece of code that writes the comparison.
//
// It holds no model. It paints snapshots Python computed (roofline.web.compare):
// first the build's, inlined in the page, so the chart and the tables show
// before Pyodide boots; then live ones from docs/compare/main.py after each
// input. Inputs made while Python loads are kept and handed to it. Exports
// (PNG, CSV, JSON) and the copy-link button need no Python: they read the
// snapshot on screen and plotly.js, all from this site.
(() => {
  "use strict";
  const root = document.getElementById("compare");
  if (!root) return;
  const byId = (id) => document.getElementById(id);
  const chart = byId("cmp-chart");
  const cards = byId("cmp-cards");
  const workload = byId("cmp-workload");
  const status = byId("cmp-status");
  const said = byId("cmp-said");
  // The mode bar is off; the PNG comes from its own button (Plotly.downloadImage).
  const PLOT_CONFIG = { displayModeBar: false, responsive: true };
  const theme = window.rooflineTheme;
  let current = null;
  let live = false;
  let drawn = null;
  const pending = [];

  function draw() {
    if (!current || !window.Plotly) return;
    const name = theme.scheme();
    const figure = current.figures[name];
    if (!figure) return api.onScheme?.();
    const text = JSON.stringify(figure);
    if (text !== drawn) {
      window.Plotly.react(chart, figure.data, figure.layout, PLOT_CONFIG);
      drawn = text;
      chart.dataset.draws = String(Number(chart.dataset.draws || 0) + 1);
    }
    for (const [i, color] of (current.swatches[name] || []).entries()) {
      const swatch = root.querySelector(`.rl-cmp__swatch--${i + 1}`);
      if (swatch) swatch.style.backgroundColor = color;
    }
    chart.dataset.scheme = name;
    performance.mark("roofline:painted");
  }

  // Rewrites a block only when its HTML changed, keeping the focused control focused.
  function setHTML(element, markup) {
    if (element.dataset.html === markup) return;
    const focused = element.contains(document.activeElement) ? document.activeElement.id : null;
    element.innerHTML = markup;
    element.dataset.html = markup;
    if (focused) byId(focused)?.focus();
  }

  function showNotices(lines) {
    const box = byId("cmp-notices");
    box.replaceChildren(
      ...lines.map((text) => {
        const line = document.createElement("p");
        line.textContent = text; // never HTML: notices quote the URL
        return line;
      }),
    );
    box.hidden = lines.length === 0;
  }

  function paint(snap) {
    current = snap;
    root.classList.remove("rl-sim--stale");
    showNotices(snap.notices);
    setHTML(workload, snap.workload);
    setHTML(cards, snap.html);
    byId("cmp-add").disabled = snap.count >= Number(root.dataset.max);
    root.dataset.count = String(snap.count);
    draw();
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  function say(text) {
    said.textContent = text;
  }

  function act(action) {
    if (!current) return;
    if (action === "png") {
      window.Plotly?.downloadImage(chart, { format: "png", filename: "roofline-compare", width: 1200, height: 700 });
      say("Chart saved as roofline-compare.png.");
    } else if (action === "json") {
      download("roofline-compare.json", "application/json", current.exports.json);
      say("Saved roofline-compare.json.");
    } else if (action === "readouts_csv" || action === "frontier_csv") {
      const name = `roofline-compare-${action.replace("_csv", "")}.csv`;
      download(name, "text/csv", current.exports[action]);
      say(`Saved ${name}.`);
    } else if (action === "link") {
      const address = location.href;
      const done = () => say("Link copied.");
      if (navigator.clipboard?.writeText) {
        navigator.clipboard.writeText(address).then(done, () => say(`Copy this link: ${address}`));
      } else {
        say(`Copy this link: ${address}`);
      }
    } else if (!live) {
      say("Python is still loading; try again in a moment.");
    } else if (action === "add") {
      api.onAdd?.();
    } else if (action === "reset") {
      api.onReset?.();
      say("Back to the default comparison.");
    }
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.cmpAction) act(button.dataset.cmpAction);
    if (button.dataset.cmpRemove) {
      if (live) api.onRemove?.(Number(button.dataset.cmpRemove));
      else say("Python is still loading; try again in a moment.");
    }
  });
  root.addEventListener("change", (event) => {
    const key = event.target.dataset?.cmpKey;
    if (!key) return;
    const value = event.target.type === "checkbox" ? (event.target.checked ? "1" : "0") : event.target.value;
    if (live) {
      api.onInput?.(key, value);
    } else {
      // Kept for Python, which applies them in order once it starts; the numbers shown are stale until then.
      pending.push([key, value]);
      root.classList.add("rl-sim--stale");
    }
  });

  function fail(reason) {
    if (live) return;
    root.dataset.ready = "failed";
    status.classList.add("rl-sim__status--failed");
    status.querySelector("progress")?.remove();
    byId("cmp-status-text").textContent =
      `The inputs need Python, which runs here as WebAssembly, and it could not start (${reason}). ` +
      "The comparison shown was computed when the site was built and is exact for its inputs; the exports work.";
  }
  if (typeof WebAssembly !== "object") fail("this browser has no WebAssembly");
  addEventListener("unhandledrejection", (event) => fail(String(event.reason?.message || event.reason).slice(0, 160)));
  setTimeout(() => fail("it did not start within 90 seconds"), 90_000);

  const api = {
    scheme: theme.scheme,
    paintJSON(text) {
      paint(JSON.parse(text));
    },
    takePending() {
      return pending.splice(0);
    },
    shows(query) {
      return Boolean(current) && current.query === query;
    },
    goLive() {
      live = true;
      status.hidden = true;
      root.dataset.ready = "true";
    },
    onInput: null,
    onAdd: null,
    onRemove: null,
    onReset: null,
    onScheme: null,
  };
  window.rooflineCompare = api;

  // The build's snapshot is the default comparison's: shown at once when the URL asks for it,
  // and marked stale until Python has read any other URL.
  const inline = JSON.parse(byId("cmp-prerender").textContent);
  current = inline;
  draw();
  if (location.search.replace(/^\?/, "") && location.search.replace(/^\?/, "") !== inline.query) {
    root.classList.add("rl-sim--stale");
  }
  if (!window.Plotly) byId("sim-plotly")?.addEventListener("load", draw);
  theme.register((name) => {
    if (current && current.figures[name]) draw();
    else if (current) api.onScheme?.();
  });
})();
