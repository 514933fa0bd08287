// Boots Pyodide under Node from a framed roofline snapshot (src/roofline_site/runtime/snapshot.py)
// and prints, as JSON, what Python sees: proof that Pyodide's underscored
// snapshot API (_loadSnapshot) still restores what the build made, with the
// trimmed standard library it was made with.
// Usage: node tests/pyodide/restore_snapshot.mjs SNAPSHOT PYODIDE_HEAP STDLIB_ZIP
// PYODIDE_HEAP is Pyodide's snapshot as the frame gives it back (the build's
// snapshot.unframe; the browser's own undo is tested in Chromium).
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [framed, heapPath, stdlib] = process.argv.slice(2);
const data = new Uint8Array(readFileSync(framed));
const size = new DataView(data.buffer, data.byteOffset).getUint32(8, true);
const meta = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + size)));
const heap = new Uint8Array(readFileSync(heapPath));
const started = performance.now();
const pyodide = await loadPyodide({ _loadSnapshot: heap, lockFileContents: meta.lock, stdLibURL: stdlib });
const restored_ms = performance.now() - started;
const seen = pyodide.runPython(`
import importlib, json, sys
from roofline.web.article import ARTICLE

def imports(name):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        return False
    return True

json.dumps({
    "preloaded": sorted(m for m in sys.modules if m.startswith("roofline")),
    "query": ARTICLE.snapshot(ARTICLE.default, schemes=())["query"],
    "python": sys.version.split()[0],
    "imports": {name: imports(name) for name in ("statistics", "csv", "json.tool", "urllib.parse", "datetime", "pyodide.http", "email", "xml.dom", "unittest")},
})
`);
console.log(JSON.stringify({ ...JSON.parse(seen), restored_ms }));
