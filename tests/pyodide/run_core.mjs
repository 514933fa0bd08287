// Runs the roofline core's checks on Pyodide's CPython (3.14), under Node.
// Usage: node tests/pyodide/run_core.mjs WHEEL CHECKS_PY
// Installs the wheel the site serves, runs every module's doctests and the
// plain-assert checks in CHECKS_PY, and prints "N passed, N failed".
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelPath, checksPath] = process.argv.slice(2);
if (!wheelPath || !checksPath) {
  console.error("usage: node tests/pyodide/run_core.mjs WHEEL CHECKS_PY");
  process.exit(2);
}
const pyodide = await loadPyodide();
// Node's pyodide wants a Uint8Array, not a Buffer.
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel");
pyodide.globals.set("CHECKS_SOURCE", readFileSync(checksPath, "utf8"));
const summary = pyodide.runPython(`
import json, sys
namespace = {"__name__": "pyodide_checks"}
exec(compile(CHECKS_SOURCE, "checks.py", "exec"), namespace)
result = namespace["run_all"]()
json.dumps({"python": sys.version.split()[0], **result})
`);
const { python, passed, failed, failures } = JSON.parse(summary);
console.log(`Pyodide Python ${python}`);
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
