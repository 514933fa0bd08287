"""How the simulator page fetches and boots Python: the order, and the snapshot.

Three rules, each measured on a throttled phone-class profile
(``scripts/bench_browser.py --profile phone``), where the runtime's bytes
and the chart's compete for one slow link:

* the chart first: plotly.js is requested from the ``<head>`` at high
  priority (``overrides/main.html``), and nothing of the runtime is requested
  until its bytes have arrived;
* then the runtime, every file at once and at low priority, so the browser
  never has to discover them one import at a time;
* PyScript's ``interpreter`` is ``pyodide-boot.mjs``, which restores the
  build's memory snapshot (:mod:`.snapshot`) and names, in its URL, the wheel
  the snapshot must have been made for.

The explainer pages fetch the same files (same URLs) in idle time
(``prefetch-runtime.js``), so a reader who reaches the simulator through
the site finds them in the cache. :data:`PREFETCH_FILE` lists them, written
after the build from :func:`runtime_files`, the one list both use.
"""

from __future__ import annotations

import json
from pathlib import Path

from .assets import NODE_MODULES, VENDOR, WHEELS, wheel_path
from .snapshot import SNAPSHOT_FILE, wheel_sha256

__all__ = ["BOOT_MODULE", "PREFETCH_FILE", "boot_script", "interpreter_url", "runtime_files", "write_prefetch_list"]

#: PyScript's interpreter module, from ``docs/assets/javascripts``.
BOOT_MODULE = "assets/javascripts/pyodide-boot.mjs"
#: The runtime files the explainer pages prefetch, as a JSON list of site-relative URLs.
PREFETCH_FILE = "assets/snapshot/prefetch.json"
#: The simulator's glue, fetched by PyScript relative to the page.
MAIN_PY = "simulator/main.py"


def interpreter_url(root: str = "") -> str:
    """The boot module's URL, naming the wheel's SHA-256 (the snapshot's key)."""
    return f"{root}{BOOT_MODULE}?wheel={wheel_sha256()}"


def runtime_files() -> list[tuple[str, str, str]]:
    """``(site-relative URL, rel, as)`` for everything the simulator fetches to boot Python.

    ``pyodide-lock.json`` is not among them: a snapshot boot takes the little
    of it that Pyodide needs from the snapshot's metadata, and only a plain
    boot (the fallback) fetches it.
    """
    pyscript = sorted(p.name for p in (NODE_MODULES / "@pyscript" / "core" / "dist").glob("core*.js"))
    return [
        *((f"{VENDOR}/pyscript/{name}", "modulepreload", "") for name in pyscript),
        (interpreter_url(), "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.mjs", "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.asm.mjs", "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.asm.wasm", "preload", "fetch"),
        (f"{VENDOR}/pyodide/python_stdlib.zip", "preload", "fetch"),
        (SNAPSHOT_FILE, "preload", "fetch"),
        (f"{WHEELS}/{wheel_path().name}", "preload", "fetch"),
        (MAIN_PY, "preload", "fetch"),
    ]


def boot_script(root: str) -> str:
    """An inline script that starts the runtime once plotly.js's bytes are in.

    It waits for the resource-timing entry of the ``<head>``'s plotly.js
    (``#sim-plotly``), which the browser adds when the download ends, before
    the script runs; a failed or missing plotly.js starts it at once. Added
    by a script, not as ``<link>`` tags: with JavaScript off, the runtime
    could not run, so it is not downloaded.
    """
    files = json.dumps([[f"{root}{url}", rel, kind] for url, rel, kind in runtime_files() if not url.endswith("core.js")])
    core = json.dumps(f"{root}{VENDOR}/pyscript/core.js")
    return (
        "<script>(() => {"
        "let started = false;"
        "const start = () => {"
        "if (started) return; started = true;"
        f"for (const [href, rel, as] of {files}) {{"
        'const link = Object.assign(document.createElement("link"), { rel, href, fetchPriority: "low" });'
        'if (as) { link.as = as; link.crossOrigin = "anonymous"; } document.head.append(link); }'
        f'document.head.append(Object.assign(document.createElement("script"), {{ type: "module", src: {core} }}));'
        "};"
        'const plotly = document.getElementById("sim-plotly");'
        "const arrived = () => !plotly || window.Plotly || performance.getEntriesByName(plotly.src).length > 0;"
        "if (arrived()) return start();"
        'plotly.addEventListener("load", start); plotly.addEventListener("error", start);'
        "new PerformanceObserver((list, observer) => {"
        "if (list.getEntries().some((entry) => entry.name === plotly.src)) { observer.disconnect(); start(); }"
        '}).observe({ type: "resource" });'
        "})();</script>"
    )


def write_prefetch_list(site_dir: str | Path) -> Path:
    """Write :data:`PREFETCH_FILE`: the URLs ``prefetch-runtime.js`` fetches in idle time."""
    target = Path(site_dir) / PREFETCH_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([url for url, _, _ in runtime_files()]))
    return target
