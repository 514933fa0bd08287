// The simulator page's boot order, inlined into the page by boot.py's
// boot_script() (an inline classic script, so it runs where the parser meets
// it, before anything is fetched; the CSP allows it by its hash, csp.py). Its
// data is the script element's data-runtime attribute, written by boot.py:
// {"data": [[href, rel, as], ...], "code": [[href, rel, as], ...], "core": href}.
// Lines that start with a line comment are left out of the page.
//
// The runtime's data is requested once plotly.js's bytes have arrived (its
// resource-timing entry, which the browser adds when the download ends, before
// the script runs); its code once the chart is painted (the roofline:painted
// mark simulator.js sets). Each phase also starts if plotly.js fails, and the
// code at the window's load at the latest, so a painter that never paints
// cannot keep the sliders from coming alive. Added by a script, not as <link>
// tags: with JavaScript off the runtime could not run, so it is not downloaded.
(() => {
  const { data, code, core } = JSON.parse(document.currentScript.dataset.runtime);
  const fetchAll = (files) => {
    for (const [href, rel, as] of files) {
      const link = Object.assign(document.createElement("link"), { rel, href, fetchPriority: "low" });
      if (as) {
        link.as = as;
        link.crossOrigin = "anonymous";
      }
      document.head.append(link);
    }
  };
  const once = (run) => {
    let done = false;
    return () => {
      if (!done) {
        done = true;
        run();
      }
    };
  };
  const startData = once(() => fetchAll(data));
  const startCode = once(() => {
    startData();
    fetchAll(code);
    document.head.append(Object.assign(document.createElement("script"), { type: "module", src: core }));
  });
  const plotly = document.getElementById("sim-plotly");
  const painted = () => performance.getEntriesByName("roofline:painted").length > 0;
  if (!plotly || window.Plotly || performance.getEntriesByName(plotly.src).length > 0) startData();
  if (!plotly || painted()) startCode();
  if (plotly) {
    plotly.addEventListener("load", startData);
    plotly.addEventListener("error", startCode);
  }
  addEventListener("load", startCode);
  new PerformanceObserver((list, observer) => {
    for (const entry of list.getEntries()) {
      if (plotly && entry.name === plotly.src) startData();
      if (entry.name === "roofline:painted") {
        observer.disconnect();
        startCode();
      }
    }
  }).observe({ entryTypes: ["resource", "mark"] });
})();
