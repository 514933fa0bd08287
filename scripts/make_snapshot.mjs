// Makes a Pyodide memory snapshot with the roofline wheel installed and the
// simulator's modules already imported, for the browser to boot from.
//
// Usage: node scripts/make_snapshot.mjs WHEEL_DIR OUT MODULE...
//
// WHEEL_DIR is the wheel unpacked by the caller (src/roofline_site/snapshot.py):
// its files are written straight into the virtual file system from here, so
// no archive passes through the WebAssembly heap that the snapshot copies.
// OUT gets the heap as Pyodide's makeMemorySnapshot() returns it.
// The snapshot API is underscored (experimental) in Pyodide 314.0.7: the
// version is pinned in package-lock.json and tests/test_snapshot.py checks it.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadPyodide } from "pyodide";

const [wheelDir, out, ...modules] = process.argv.slice(2);
if (!wheelDir || !out || modules.length === 0) {
  console.error("usage: node scripts/make_snapshot.mjs WHEEL_DIR OUT MODULE...");
  process.exit(2);
}
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
// Import, then zero the memory the imports used and freed: a freed block
// keeps its old bytes (mostly the sources that were compiled), and every byte
// of the heap ships to the reader. Filling the free blocks with zeroed
// bytearrays, largest first, each size until the heap would grow, and freeing
// them again shrinks the compressed snapshot by about an eighth.
const imported = pyodide.runPython(`
import gc, importlib, sys
for name in MODULES:
    importlib.import_module(name)
del name
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
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(out, snapshot);
console.log(JSON.stringify({ bytes: snapshot.length, imported: imported.split(","), python: pyodide.version }));
