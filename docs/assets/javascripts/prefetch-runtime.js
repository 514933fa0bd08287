// On the explainer pages: fetch the simulator's Python runtime, its memory
// snapshot and the roofline wheel while the reader reads, so that the
// simulator finds them in the browser's cache. The list is written at build
// time (src/roofline_site/boot.py) from the same list the simulator page
// preloads, so the URLs match exactly. Skipped on the simulator page itself,
// when the reader asked to save data, and on slow links ("2g").
(() => {
  "use strict";
  if (document.getElementById("simulator")) return;
  const connection = navigator.connection;
  if (connection && (connection.saveData || /2g/.test(connection.effectiveType || ""))) return;
  // This file is assets/javascripts/prefetch-runtime.js: the site root is two folders up.
  const root = new URL("../../", document.currentScript.src);
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 2000));
  addEventListener("load", () =>
    idle(() =>
      fetch(new URL("assets/snapshot/prefetch.json", root))
        .then((response) => (response.ok ? response.json() : []))
        .then((urls) => {
          for (const url of urls) {
            const href = new URL(url, root).href;
            const link = Object.assign(document.createElement("link"), { rel: "prefetch", href });
            link.crossOrigin = "anonymous";
            document.head.append(link);
          }
        })
        .catch(() => {}), // an optimisation only: the simulator fetches what it lacks
    ),
  );
})();
