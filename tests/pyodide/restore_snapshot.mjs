// Boots Pyodide under Node from a framed roofline snapshot (src/roofline_site/snapshot.py)
// and prints, as JSON, what Python sees: proof that Pyodide's underscored
// snapshot API (_loadSnapshot) still restores what the build made.
// Usage: node tests/pyodide/restore_snapshot.mjs SNAPSHOT
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const data = new Uint8Array(readFileSync(process.argv[2]));
const size = new DataView(data.buffer, data.byteOffset).getUint32(8, true);
const meta = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + size)));
const heap = new Uint8Array(meta.heap_bytes);
heap.set(data.subarray(Math.ceil((12 + size) / 16) * 16));
const started = performance.now();
const pyodide = await loadPyodide({ _loadSnapshot: heap, lockFileContents: meta.lock });
const restored_ms = performance.now() - started;
const seen = pyodide.runPython(`
import json, sys
from roofline.web.article import ARTICLE
json.dumps({
    "preloaded": sorted(m for m in sys.modules if m.startswith("roofline")),
    "query": ARTICLE.snapshot(ARTICLE.default, schemes=())["query"],
    "python": sys.version.split()[0],
})
`);
console.log(JSON.stringify({ ...JSON.parse(seen), restored_ms }));
