// The simulator's painter (docs/assets/javascripts/simulator.js) in a DOM of
// its own (jsdom), with the site's theme script (charts.js) and a stand-in
// for plotly.js that records what it is asked to draw. The page markup here
// is the least simulator.js reads; the real markup is built by
// src/roofline_site/simulator/widget.py and exercised by the browser tests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, test } from "node:test";
import { JSDOM } from "jsdom";

const javascripts = new URL("../../docs/assets/javascripts/", import.meta.url);
const THEME = readFileSync(new URL("charts.js", javascripts), "utf8");
const PAINTER = readFileSync(new URL("simulator.js", javascripts), "utf8");

// What roofline.web.page.page_constants() gives, as far as simulator.js reads it.
const CONSTANTS = {
  prefixes: { article: "sim", real: "simr" },
  mode: { key: "mode", real: "real", repeated: "last" },
  modeRadio: "sim-mode",
  early: "[data-slider], input[name='sim-mode']",
  earlyChange: "[data-entry], [data-slider], input[name='sim-mode']",
  charts: { figures: "sim-chart", frontier: "sim-frontier" },
};

const figure = (y, title = "t") => ({ data: [{ x: [1, 2], y, meta: "compute" }], layout: { title } });

// A snapshot as roofline.web.mode's snapshot() shapes it.
function snapshot({ batch = "128", crossover = ["300", "300"], step = [1, 2], frontier = [3, 4], title = "t" } = {}) {
  return {
    mode: "article",
    query: "",
    readouts: { crossover },
    controls: { B: { max: 100, position: 42, text: batch, range: "1 to 2K", entry: batch } },
    batch,
    explanation: `At B = ${batch} the step is memory-bound.`,
    params: "N = 8G",
    figures: { default: figure(step, title) },
    frontier: { default: figure(frontier) },
  };
}

const MARKUP = `
<div id="simulator" data-mode="article" data-ready="false" data-linked-prerender="prerender.json">
  <div id="sim-status"><progress></progress><span id="sim-status-text">Starting Python…</span></div>
  <input type="radio" name="sim-mode" value="article" checked><input type="radio" name="sim-mode" value="real">
  <section data-mode-panel="article">
    <div class="rl-sim__control">
      <input type="range" id="sim-B" data-slider min="0" max="10" value="0">
      <span id="sim-B-value"></span><span id="sim-B-range"></span><input id="sim-B-entry" data-entry>
    </div>
    <output data-readout="crossover"></output><span data-mirror="crossover"></span><span data-batch-label></span>
    <div id="sim-chart"></div><div id="sim-frontier"></div>
  </section>
  <section data-mode-panel="real" hidden></section>
  <p id="sim-explanation"></p><p id="sim-params"></p><div id="sim-notices" hidden></div>
</div>`;

const opened = [];
afterEach(() => {
  // Their timers too (the painter's 90-second last resort).
  for (const dom of opened.splice(0)) dom.window.close();
});

// A page with the painter running; `prerender` is the inline table of pre-rendered snapshots by query.
function open({ prerender = { "": snapshot() }, search = "", linked = {} } = {}) {
  const dom = new JSDOM(
    `<!doctype html><body data-md-color-scheme="default">${MARKUP}
     <script type="application/json" id="rl-constants">${JSON.stringify(CONSTANTS)}</script>
     <script type="application/json" id="sim-prerender">${JSON.stringify(prerender)}</script></body>`,
    { url: `https://roofline.test/simulator/${search}`, runScripts: "outside-only", pretendToBeVisual: true },
  );
  opened.push(dom);
  const { window } = dom;
  const draws = [];
  window.Plotly = {
    react(element, data, layout) {
      draws.push({ id: element.id, data, layout });
      element.data = data;
    },
  };
  const marks = [];
  window.performance.mark = (name) => marks.push(name);
  const fetched = [];
  window.fetch = async (url) => {
    fetched.push(String(url));
    return { ok: true, json: async () => linked };
  };
  window.eval(THEME);
  window.eval(PAINTER);
  const doc = window.document;
  const frame = () => new Promise((resolve) => window.requestAnimationFrame(() => window.setTimeout(resolve, 0)));
  return { window, doc, draws, marks, fetched, frame, sim: window.rooflineSimulator, $: (s) => doc.querySelector(s) };
}

test("the pre-rendered snapshot is painted before Python runs: readouts, slider, texts", () => {
  const { $, marks, sim } = open();
  assert.equal($("#simulator").dataset.prerendered, "true");
  assert.equal($('[data-readout="crossover"]').textContent, "300");
  assert.equal($('[data-readout="crossover"]').dataset.value, "300");
  assert.equal($('[data-mirror="crossover"]').textContent, "300");
  assert.equal($("#sim-B").max, "100");
  assert.equal($("#sim-B").value, "42");
  assert.equal($("#sim-B").getAttribute("aria-valuetext"), "128");
  assert.equal($("#sim-B-value").textContent, "128");
  assert.equal($("#sim-B-range").textContent, "1 to 2K");
  assert.equal($("#sim-B-entry").value, "128");
  assert.equal($("[data-batch-label]").textContent, "128");
  assert.match($("#sim-explanation").textContent, /memory-bound/);
  assert.equal(sim.shows(""), true);
  assert.equal(sim.live, false);
  assert.ok(marks.includes("roofline:prerendered"));
});

test("until Python is live, one chart is drawn per frame, the step-time chart first", async () => {
  const { draws, marks, frame } = open();
  assert.deepEqual(draws.map((d) => d.id), ["sim-chart"]);
  assert.ok(marks.includes("roofline:painted") && !marks.includes("roofline:charts-painted"));
  await frame();
  await frame();
  assert.deepEqual(draws.map((d) => d.id), ["sim-chart", "sim-frontier"]);
  assert.ok(marks.includes("roofline:charts-painted"));
});

test("live, a chart whose figure did not change is not drawn again, and unchanged traces are reused", () => {
  const { draws, doc, sim } = open({ prerender: {} });
  sim.goLive();
  assert.equal(doc.getElementById("simulator").dataset.ready, "true");
  // Live, the status line stays (it says Python is running) unless a notice takes its slot.
  assert.equal(doc.getElementById("sim-status").hidden, false);
  sim.paint(snapshot());
  assert.deepEqual(draws.map((d) => d.id), ["sim-chart", "sim-frontier"]);
  sim.paint(snapshot()); // the same state again
  assert.equal(draws.length, 2);
  sim.paint(snapshot({ title: "moved" })); // only the step-time chart's layout changes
  assert.equal(draws.length, 3);
  assert.equal(draws[2].id, "sim-chart");
  assert.equal(draws[2].data, draws[0].data, "the traces plotly.js already holds");
  assert.equal(doc.getElementById("sim-chart").dataset.draws, "2");
  sim.paint(snapshot({ step: [5, 6] }));
  assert.notEqual(draws[3].data, draws[0].data);
});

test("a state with no pre-rendered snapshot is fetched from the linked table, else marked stale", async () => {
  const linked = { "B=7": { ...snapshot({ batch: "7" }), query: "B=7" } };
  const page = open({ prerender: {}, search: "?B=7", linked });
  assert.deepEqual(page.fetched, ["prerender.json"]);
  await page.frame();
  assert.equal(page.$("[data-batch-label]").textContent, "7");
  assert.equal(page.sim.shows("B=7"), true);

  const missing = open({ prerender: {}, search: "?B=9", linked });
  await missing.frame();
  assert.ok(missing.$("#simulator").classList.contains("rl-sim--stale"));
  assert.equal(missing.$("#simulator").dataset.prerendered, undefined);
});

test("inputs made while Python loads are remembered; switching mode shows that panel, marked stale", () => {
  const { $, window } = open();
  const slider = $("#sim-B");
  slider.dispatchEvent(new window.Event("input", { bubbles: true }));
  assert.equal(slider.dataset.touched, "1");
  const real = $('input[name="sim-mode"][value="real"]');
  real.checked = true;
  real.dispatchEvent(new window.Event("change", { bubbles: true }));
  assert.equal($("#simulator").dataset.mode, "real");
  assert.equal($('[data-mode-panel="real"]').hidden, false);
  assert.equal($('[data-mode-panel="article"]').hidden, true);
  assert.ok($("#simulator").classList.contains("rl-sim--stale"));
});

test("the URL's mode, given twice, is the last one (Python's rule)", () => {
  const { $ } = open({ search: "?mode=article&mode=real" });
  assert.equal($("#simulator").dataset.mode, "real");
});

test("a failed boot says why in words and disables the inputs; once live, a late error changes nothing", () => {
  const page = open();
  page.sim.fail("the wheel answered HTTP 404");
  assert.equal(page.$("#simulator").dataset.ready, "failed");
  assert.match(page.$("#sim-status-text").textContent, /could not start \(the wheel answered HTTP 404\)/);
  assert.equal(page.$("#sim-status progress"), null);
  assert.ok([...page.doc.querySelectorAll("#simulator input")].every((input) => input.disabled));

  const live = open();
  live.sim.goLive();
  live.sim.fail("late");
  assert.equal(live.$("#simulator").dataset.ready, "true");
  assert.equal(live.$("#sim-B").disabled, false);
});

test("notices are text, never HTML (they quote the URL)", () => {
  const { $, sim } = open();
  sim.showNotices(["<img src=x onerror=alert(1)> is not a number", "second"]);
  const box = $("#sim-notices");
  assert.equal(box.hidden, false);
  assert.equal(box.querySelectorAll("p").length, 2);
  assert.equal(box.querySelector("img"), null);
  assert.match(box.textContent, /<img src=x/);
  sim.showNotices([]);
  assert.equal(box.hidden, true);
});
