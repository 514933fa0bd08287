"""How the simulator page fetches and boots Python: the order, and the snapshot.

Three rules, each measured on a throttled phone-class profile
(``scripts/bench_browser.py --profile phone``), where the runtime's bytes
and the chart's compete for one slow link:

* the chart first: plotly.js and the painter are requested from the
  ``<head>`` (``overrides/main.html``), and nothing of the runtime is
  requested until plotly.js's bytes have arrived;
* then the runtime's data (the WebAssembly, the snapshot, the standard
  library), every file at once and at low priority, so the browser never has
  to discover them one import at a time; fetching them costs the main thread
  nothing;
* its JavaScript (PyScript, Pyodide's glue), which the main thread must
  parse and run, only once the chart is painted: on the phone profile the
  glue's 1.2 MB competed with plotly.js's first draw;
* PyScript's ``interpreter`` is ``pyodide-boot.mjs``, which restores the
  build's memory snapshot (:mod:`.snapshot`) and names, in its URL, the wheel
  the snapshot must have been made for.

The explainer pages fetch the same files (same URLs) in idle time
(``prefetch-runtime.js``), so a reader who reaches the simulator through
the site finds them in the cache. :data:`PREFETCH_FILE` lists them, written
after the build from :func:`runtime_files`, the one list both use.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from . import pycache
from .assets import NODE_MODULES, VENDOR, wheel_path
from .pycache import PYCACHE_FILE
from .snapshot import SNAPSHOT_FILE, STDLIB_FILE, wheel_sha256

__all__ = [
    "BOOT_MODULE",
    "BOOT_ORDER_JS",
    "PREFETCH_FILE",
    "PYSCRIPT_PLUGINS",
    "boot_script",
    "interpreter_url",
    "pyscript_modules",
    "runtime_files",
    "write_prefetch_list",
]

#: PyScript's interpreter module, from ``docs/assets/javascripts``.
BOOT_MODULE = "assets/javascripts/pyodide-boot.mjs"
#: The runtime files the explainer pages prefetch, as a JSON list of site-relative URLs.
PREFETCH_FILE = "assets/snapshot/prefetch.json"
#: The simulator's glue, fetched by PyScript relative to the page.
MAIN_PY = "simulator/main.py"


def interpreter_url(root: str = "") -> str:
    """The boot module's URL, naming the wheel's SHA-256 (the snapshot's key) and where it is.

    A snapshot boot needs no wheel: every roofline module the page can reach
    is imported in the snapshot (:func:`.snapshot.snapshot_modules`). Only a
    plain boot, the fallback, fetches and unpacks it, so PyScript's ``files``
    does not name it.
    """
    url = f"{root}{BOOT_MODULE}?wheel_url=../wheels/{wheel_path().name}&wheel={wheel_sha256()}"
    # Without PyScript's bytecode (pycache.skipped), the module is told not to ask for it.
    return url + ("&pycache=none" if pycache.skipped() is not None else "")


#: PyScript's plugins, which its core imports one by one once it runs (even
#: those the page's config turns off: it imports each to learn its name).
#: Each import was a round trip after the core had started; preloaded with the
#: core, they are in the module map when it asks.
PYSCRIPT_PLUGINS = ("error", "deprecations-manager", "donkey", "py-editor", "py-game", "py-terminal")


def pyscript_modules() -> list[str]:
    """The file names of PyScript's core and of its plugins' modules (:data:`PYSCRIPT_PLUGINS`), hashes and all."""
    dist = NODE_MODULES / "@pyscript" / "core" / "dist"
    core = sorted(p.name for p in dist.glob("core*.js"))
    plugins = sorted(p.name for p in dist.glob("*.js") if p.name.rsplit("-", 1)[0] in PYSCRIPT_PLUGINS)
    return core + plugins


def runtime_files() -> list[tuple[str, str, str]]:
    """``(site-relative URL, rel, as)`` for everything the simulator fetches to boot Python.

    ``pyodide-lock.json`` and the roofline wheel are not among them: a
    snapshot boot takes the little of the lock file that Pyodide needs from
    the snapshot's metadata and has every module of the wheel it needs
    already imported; only a plain boot (the fallback) fetches them. Nor is
    PyScript's bytecode when the build could not make it (:func:`.pycache.skipped`).
    """
    bytecode = [(PYCACHE_FILE, "preload", "fetch")] if pycache.skipped() is None else []
    return [
        *((f"{VENDOR}/pyscript/{name}", "modulepreload", "") for name in pyscript_modules()),
        (interpreter_url(), "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.mjs", "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.asm.mjs", "modulepreload", ""),
        (f"{VENDOR}/pyodide/pyodide.asm.wasm", "preload", "fetch"),
        (STDLIB_FILE, "preload", "fetch"),
        (SNAPSHOT_FILE, "preload", "fetch"),
        *bytecode,
        (MAIN_PY, "preload", "fetch"),
    ]


#: The boot order's JavaScript, inlined by :func:`boot_script`.
BOOT_ORDER_JS = Path(__file__).with_name("boot-order.js")


def boot_script(root: str) -> str:
    """An inline script that starts the runtime: its data once plotly.js's bytes are in, its code once the chart is painted.

    The code is ``boot-order.js`` beside this module (which says how, and
    why), less its comment lines; the URLs it adds, with ``root`` in front,
    are its element's ``data-runtime``. Inline, so it runs where the parser
    meets it; the same text on every page, so one CSP hash allows it.
    """
    entries = [(f"{root}{url}", rel, kind) for url, rel, kind in runtime_files() if not url.endswith("core.js")]
    runtime = {
        "data": [[href, rel, kind] for href, rel, kind in entries if rel == "preload"],
        "code": [[href, rel, kind] for href, rel, kind in entries if rel != "preload"],
        "core": f"{root}{VENDOR}/pyscript/core.js",
    }
    lines = BOOT_ORDER_JS.read_text(encoding="utf-8").splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
    return f"<script data-runtime='{html.escape(json.dumps(runtime), quote=True)}'>\n{code}\n</script>"


def write_prefetch_list(site_dir: str | Path) -> Path:
    """Write :data:`PREFETCH_FILE`: the URLs ``prefetch-runtime.js`` fetches in idle time."""
    target = Path(site_dir) / PREFETCH_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([url for url, _, _ in runtime_files()]))
    return target
