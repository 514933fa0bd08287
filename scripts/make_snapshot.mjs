// Makes a Pyodide memory snapshot with the roofline wheel installed and the
// simulator's modules already imported, for the browser to boot from.
//
// Usage: node scripts/make_snapshot.mjs WHEEL_DIR OUT [--stdlib=ZIP] MODULE...
//
// WHEEL_DIR is the wheel unpacked by the caller (src/roofline_site/snapshot.py):
// its files are written straight into the virtual file system from here, so
// no archive passes through the WebAssembly heap that the snapshot copies.
// OUT gets the heap as Pyodide's makeMemorySnapshot() returns it; with OUT
// "-" nothing is written, and the run only reports what the imports imported
// (the caller trims the standard library from that list).
// --stdlib=ZIP: once the imports are done, put ZIP (the trimmed standard
// library, src/roofline_site/stdlib.py) where Python's zip of the standard
// library is, and have zipimport read its directory again, so the directory
// cached in the heap is that of the zip a snapshot boot will fetch.
// The snapshot API is underscored (experimental) in Pyodide 314.0.7: the
// version is pinned in package-lock.json and tests/test_snapshot.py checks it.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadPyodide } from "pyodide";

const args = process.argv.slice(2);
const stdlibArg = args.find((arg) => arg.startsWith("--stdlib="));
const [wheelDir, out, ...modules] = args.filter((arg) => arg !== stdlibArg);
if (!wheelDir || !out || modules.length === 0) {
  console.error("usage: node scripts/make_snapshot.mjs WHEEL_DIR OUT [--stdlib=ZIP] MODULE...");
  process.exit(2);
}
const reportOnly = out === "-";
// _makeSnapshot in both modes: the report must list what the snapshot run imports.
const pyodide = await loadPyodide({ _makeSnapshot: true });
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");

function copyTree(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const target = `${sitePackages}/${relative(wheelDir, path)}`;
    if (statSync(path).isDirectory()) {
      pyodide.FS.mkdirTree(target);
      copyTree(path);
    } else {
      pyodide.FS.writeFile(target, new Uint8Array(readFileSync(path)));
    }
  }
}
copyTree(wheelDir);
pyodide.globals.set("MODULES", pyodide.toPy(modules));
const everything = pyodide.runPython(`
import importlib, sys
for name in MODULES:
    importlib.import_module(name)
del name
",".join(sorted(sys.modules))
`);
if (stdlibArg) {
  // Only modules imported already run here (zipimport is frozen), so the swap
  // imports nothing new. importlib.invalidate_caches() would: it imports
  // importlib.metadata, and that imports the email package.
  const zipPath = pyodide.runPython("next(p for p in __import__('sys').path if p.endswith('.zip'))");
  pyodide.FS.writeFile(zipPath, new Uint8Array(readFileSync(stdlibArg.slice("--stdlib=".length))));
  pyodide.runPython(`
import sys, zipimport
for _importer in list(sys.path_importer_cache.values()):
    if isinstance(_importer, zipimport.zipimporter):
        _importer.invalidate_caches()
        _importer._get_files()
del _importer
`);
}
// Zero the memory the imports used and freed: a freed block keeps its old
// bytes (mostly the sources that were compiled), and every byte of the heap
// ships to the reader. Filling the free blocks with zeroed bytearrays,
// largest first, each size until the heap would grow, and freeing them again
// shrinks the compressed snapshot by about an eighth.
const imported = pyodide.runPython(`
import gc, sys
gc.collect()
import pyodide_js
_sbrk = pyodide_js._module._sbrk
_zeros = []
for _size in (1 << 20, 1 << 18, 1 << 16, 1 << 14, 1 << 12, 1 << 10, 512, 256, 128, 64, 32, 16):
    _top = _sbrk(0)
    for _ in range(200_000):
        _zeros.append(bytearray(_size))
        if _sbrk(0) != _top:
            _zeros.pop()
            break
del _zeros, _size, _top, _sbrk, _, pyodide_js
gc.collect()
",".join(sorted(m for m in sys.modules if m.split(".")[0] in {n.split(".")[0] for n in MODULES}))
`);
pyodide.globals.delete("MODULES");
const report = { imported: imported.split(","), modules: everything.split(","), python: pyodide.version };
if (!reportOnly) {
  const snapshot = pyodide.makeMemorySnapshot();
  writeFileSync(out, snapshot);
  report.bytes = snapshot.length;
}
console.log(JSON.stringify(report));
