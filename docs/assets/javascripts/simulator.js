// The simulator's painter: the one piece of code that writes the widget.
//
// It holds no model. It paints "snapshots" that Python computed: first a
// pre-rendered one from the build (the default state inlined in the page,
// every link the site makes in simulator/prerender.json), so the chart and readouts appear
// before Pyodide boots; then live ones from docs/simulator/main.py after each
// input. It also keeps the page honest while Python loads: inputs made early
// are remembered for Python, numbers that do not match the URL are marked
// stale, and a failed boot says so in words instead of spinning.
(() => {
  "use strict";
  const root = document.getElementById("simulator");
  if (!root) return;
  // Ids, selectors, the mode rule and the charts, as Python wrote them (roofline.web.page).
  const C = JSON.parse(document.getElementById("rl-constants").textContent);
  const status = document.getElementById("sim-status");
  const statusText = document.getElementById("sim-status-text");
  const PLOT_CONFIG = { displayModeBar: false, responsive: true };
  let current = null;
  let live = false;

  // The reader's colour scheme, as the site's one theme script (charts.js) reads it.
  const theme = window.rooflineTheme;
  const scheme = theme.scheme;
  let drawnScheme = null;
  const byId = (id) => document.getElementById(id);

  function setMode(mode) {
    root.dataset.mode = mode;
    for (const panel of root.querySelectorAll("[data-mode-panel]")) panel.hidden = panel.dataset.modePanel !== mode;
    for (const radio of root.querySelectorAll(`input[name="${C.modeRadio}"]`)) radio.checked = radio.value === mode;
  }

  // What each chart element shows: its figure's traces and layout as JSON
  // text. A chart whose figure is the same is not drawn again (Plotly.react
  // costs most of a full draw even then). Plotly.react takes traces whose
  // arrays are new objects, as parsed JSON always is, for changed ones and
  // recomputes them; a figure whose traces stay (the step-time chart when B
  // moves) is handed the traces plotly.js already holds, so it redraws the
  // layout (the marker) only. No layout.datarevision: measured in Chromium, a
  // changed one made plotly.js's update of the two charts about 5% slower
  // than new arrays alone. Each element counts its draws in data-draws (tests read it).
  const drawn = {};

  // Until Python is live, one chart is drawn per task, the step-time chart
  // first, so the chart at the top is on screen before the frontier below it
  // is drawn (each plotly.js drawing is a long task; on the phone profile a
  // second of one). Live updates draw every chart in the same frame.
  // roofline:painted marks the first chart on screen, roofline:charts-painted every one.
  let deferred = null;
  // A figure's JSON text, taken the first time it is seen: before plotly.js
  // draws it, since plotly.js writes into the traces it is given.
  const texts = new WeakMap();
  function textOf(figure) {
    if (!texts.has(figure)) texts.set(figure, [JSON.stringify(figure.data), JSON.stringify(figure.layout)]);
    return texts.get(figure);
  }

  function drawChart() {
    if (!current || !window.Plotly) return;
    // Live snapshots carry the current scheme only: ask Python for the other.
    const name = scheme();
    if (!current.figures[name]) return api.onScheme?.();
    const oneOnly = !live;
    let drewOne = false;
    let more = false;
    for (const [key, id] of Object.entries(C.charts)) {
      const figure = current[key]?.[name];
      if (!figure) {
        // Not in this mode (its panel is hidden): drawn afresh when it shows again, at the size it then has.
        delete drawn[id];
        continue;
      }
      const [data, layout] = textOf(figure);
      const last = drawn[id];
      if (last?.data === data && last.layout === layout) continue;
      if (oneOnly && drewOne) {
        more = true;
        continue;
      }
      drewOne = true;
      const element = byId(id);
      const traces = last?.data === data && element.data ? element.data : figure.data;
      window.Plotly.react(element, traces, figure.layout, PLOT_CONFIG);
      drawn[id] = { data, layout };
      element.dataset.draws = String(Number(element.dataset.draws || 0) + 1);
    }
    drawnScheme = name;
    performance.mark("roofline:painted");
    if (more) {
      // After this frame is painted, the next chart.
      deferred ??= requestAnimationFrame(() => setTimeout(() => {
        deferred = null;
        drawChart();
      }));
    } else {
      performance.mark("roofline:charts-painted");
    }
  }

  // Writes that would not change anything are skipped: on a slider drag most
  // of the widget stays the same, and each write can cost a style recalculation.
  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function paint(snap) {
    const previous = current;
    current = snap;
    const mode = snap.mode || "article";
    if (root.dataset.mode !== mode) setMode(mode);
    // Live, the charts first: plotly.js reads the page's layout while it
    // draws, and texts written before it would have it lay the page out
    // mid-draw; written after, the page is laid out once, for the frame
    // (measured on the phone profile: about 3% of a slider input). Until
    // Python is live, the readouts first: they are on screen at once, the
    // chart a long task later.
    const charts = () => {
      root.classList.remove("rl-sim--stale");
      drawChart();
    };
    if (live) charts();
    const same = previous && (previous.mode || "article") === mode;
    for (const [name, [raw, text]] of Object.entries(snap.readouts)) {
      if (same && previous.readouts[name]?.[0] === raw && previous.readouts[name]?.[1] === text) continue;
      const element = root.querySelector(`[data-readout="${name}"]`);
      if (element) {
        setText(element, text);
        element.dataset.value = raw;
      }
      for (const mirror of root.querySelectorAll(`[data-mirror="${name}"]`)) setText(mirror, text);
    }
    for (const [key, control] of Object.entries(snap.controls)) {
      const before = same ? previous.controls[key] : null;
      const base = `${C.prefixes[mode]}-${key}`;
      const slider = byId(base);
      if (!before || before.max !== control.max) slider.max = control.max;
      // Leave the thumb under the reader's finger where it is.
      if ((document.activeElement !== slider || !live) && Number(slider.value) !== control.position) {
        slider.value = control.position;
      }
      if (!before || before.text !== control.text) {
        slider.setAttribute("aria-valuetext", control.text);
        setText(byId(`${base}-value`), control.text);
      }
      if (!before || Boolean(before.overridden) !== Boolean(control.overridden)) {
        slider.closest(".rl-sim__control").classList.toggle("rl-sim__control--edited", Boolean(control.overridden));
      }
      if (!before || before.range !== control.range) setText(byId(`${base}-range`), control.range);
      // An optional slider's on/off box (the latency target).
      if ("enabled" in control) byId(`${base}-on`).checked = control.enabled;
      // The box being typed in is left alone, unless Python took its number (data-committed):
      // then it shows the value in use, clamped or respelled.
      const entry = byId(`${base}-entry`);
      const committed = entry.dataset.committed === "1";
      if ((committed || document.activeElement !== entry) && entry.value !== control.entry) {
        entry.value = control.entry;
        entry.removeAttribute("aria-invalid");
      }
      if (committed) delete entry.dataset.committed;
    }
    for (const [key, value] of Object.entries(snap.pickers || {})) {
      const picker = byId(`${C.prefixes[mode]}-${key}`);
      if (picker.value !== value) picker.value = value;
    }
    for (const [key, on] of Object.entries(snap.toggles || {})) byId(`${C.prefixes[mode]}-${key}`).checked = on;
    for (const label of root.querySelectorAll("[data-batch-label]")) setText(label, snap.batch);
    setText(byId("sim-explanation"), snap.explanation);
    setText(byId("sim-params"), snap.params);
    if (!live) charts();
  }

  function showNotices(lines) {
    const box = byId("sim-notices");
    box.replaceChildren(
      ...lines.map((text) => {
        const line = document.createElement("p");
        line.textContent = text; // never HTML: notices quote the URL
        return line;
      }),
    );
    box.hidden = lines.length === 0;
    // They share the status line's slot: once live, the status gives way to them, and comes back.
    if (live) status.hidden = lines.length > 0;
  }

  function fail(reason) {
    if (live) return;
    root.dataset.ready = "failed";
    root.removeAttribute("aria-busy");
    status.classList.add("rl-sim__status--failed");
    status.querySelector("progress")?.remove();
    statusText.textContent =
      "The sliders need Python, which runs here as WebAssembly, and it could not start " +
      `(${reason}). The chart and numbers shown were computed when the site was built and are exact ` +
      "for these parameters; reload to try again, or use a browser with WebAssembly enabled.";
    for (const input of root.querySelectorAll("input, select")) input.disabled = true;
  }

  // Inputs made while Python loads: remembered on the element for Python to apply.
  root.addEventListener("input", (event) => {
    if (!live && event.target.matches(C.early)) event.target.dataset.touched = "1";
  });
  root.addEventListener("change", (event) => {
    if (live) return;
    if (event.target.matches(C.earlyChange)) event.target.dataset.touched = "1";
    // Switching mode before Python is ready shows that mode's panel at once (marked stale).
    if (event.target.name === C.modeRadio) {
      setMode(event.target.value);
      root.classList.add("rl-sim--stale");
    }
  });

  if (typeof WebAssembly !== "object") fail("this browser has no WebAssembly");
  addEventListener("unhandledrejection", (event) => fail(String(event.reason?.message || event.reason).slice(0, 160)));
  addEventListener("error", (event) => {
    if (event.message) fail(event.message.slice(0, 160));
  });
  // A runtime file that fails to load: a <script>/<link> fires an error event;
  // fetches made by Pyodide only show up in resource timing with their status.
  const RUNTIME = /vendor\/(pyscript|pyodide)\/|\/wheels\//;
  document.addEventListener(
    "error",
    (event) => {
      const url = event.target?.src || event.target?.href || "";
      if (RUNTIME.test(url)) fail(`could not load ${url.split("/").pop()}`);
    },
    true,
  );
  if (typeof PerformanceObserver === "function") {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (RUNTIME.test(entry.name) && entry.responseStatus >= 400) {
          fail(`${entry.name.split("/").pop()} answered HTTP ${entry.responseStatus}`);
        }
      }
    }).observe({ type: "resource", buffered: true });
  }
  // Last resort, so the page never shows a spinner forever.
  setTimeout(() => fail("it did not start within 90 seconds"), 90_000);

  // plotly.js loads async from the <head>: if it is not here yet, draw when it is.
  if (!window.Plotly) byId("sim-plotly")?.addEventListener("load", drawChart);
  // Redrawn by the theme script when the reader switches light/dark (a real switch only).
  theme.register((name) => {
    if (drawnScheme !== null && name !== drawnScheme) drawChart();
  });

  // Share and export: PNGs from plotly.js, CSV and JSON from Python (roofline.web.export), all offline.
  const said = byId("sim-said");
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  const FILES = { json: ["json", "application/json"], readouts_csv: ["readouts.csv", "text/csv"], frontier_csv: ["frontier.csv", "text/csv"] };
  root.addEventListener("click", (event) => {
    const action = event.target.closest("[data-sim-action]")?.dataset.simAction;
    if (!action || !said) return;
    if (action === "png_step" || action === "png_frontier") {
      const chart = byId(action === "png_step" ? "sim-chart" : "sim-frontier");
      const filename = `roofline-${action === "png_step" ? "step-time" : "frontier"}`;
      window.Plotly?.downloadImage(chart, { format: "png", filename, width: 1200, height: 700 });
      said.textContent = `Chart saved as ${filename}.png.`;
    } else if (action === "link") {
      const address = location.href;
      const copied = navigator.clipboard?.writeText(address);
      if (copied) copied.then(() => (said.textContent = "Link copied."), () => (said.textContent = `Copy this link: ${address}`));
      else said.textContent = `Copy this link: ${address}`;
    } else if (!live) {
      said.textContent = "Python is still loading; try again in a moment.";
    } else if (action === "reset") {
      api.onReset?.();
      said.textContent = "Back to this mode's defaults.";
    } else if (FILES[action]) {
      const [suffix, type] = FILES[action];
      const name = `roofline-simulator-${root.dataset.mode}-${suffix}`.replace("-json", ".json");
      download(name, type, String(api.onExport(action)));
      said.textContent = `Saved ${name}.`;
    }
  });

  const api = {
    scheme,
    paint,
    paintJSON(text, notices) {
      showNotices(notices);
      paint(JSON.parse(text));
    },
    onScheme: null,
    onExport: null,
    onReset: null,
    showNotices,
    fail,
    goLive() {
      live = true;
      // The status stays, saying so: hiding it would move everything below (and leave a hole).
      // It keeps the height it had while loading, so a shorter line moves nothing either.
      status.style.minHeight = `${status.getBoundingClientRect().height}px`;
      status.querySelector("progress")?.remove();
      statusText.textContent =
        "Python is running in your browser: the chart and every number below now follow each slider as you move it.";
      status.hidden = byId("sim-notices").hidden === false;
      root.dataset.ready = "true";
      root.removeAttribute("aria-busy");
      performance.mark("roofline:live");
    },
    get live() {
      return live;
    },
    // Whether the page shows the pre-rendered snapshot of exactly this state.
    shows(query) {
      return Boolean(current) && root.dataset.prerendered === "true" && current.query === query;
    },
  };
  window.rooflineSimulator = api;

  function prerendered(snap) {
    if (live) return;
    if (snap) {
      paint(snap);
      root.dataset.prerendered = "true";
      performance.mark("roofline:prerendered");
    } else {
      // No build-time snapshot of this state: what shows is the default's, dimmed, and the line says so.
      root.classList.add("rl-sim--stale");
      statusText.textContent =
        "Loading Python in your browser: the dimmed numbers below are the default's, not this link's, until it is ready.";
    }
  }

  // Pre-rendered snapshots: the default state's is inline (no request to
  // wait for); those of the links the site makes come in one fetch.
  const query = decodeURIComponent(location.search.replace(/^\?/, "").replace(/\+/g, " "));
  // The mode the URL asks for, by Python's rule for a key given more than once.
  const modes = new URLSearchParams(location.search).getAll(C.mode.key);
  const asked = C.mode.repeated === "last" ? modes.at(-1) : modes[0];
  if (asked === C.mode.real) setMode(C.mode.real);
  try {
    const inline = JSON.parse(byId("sim-prerender").textContent)[query];
    if (inline) {
      prerendered(inline);
    } else {
      fetch(root.dataset.linkedPrerender)
        .then((response) => (response.ok ? response.json() : {}))
        .then((table) => prerendered(table[query]))
        .catch(() => prerendered(null));
    }
  } catch {
    prerendered(null);
  }
})();
