// Compiles PyScript's own Python package to bytecode, for the simulator page
// to write into Pyodide's file system before PyScript imports it.
//
// Usage: node scripts/make_pycache.mjs CORE_JS OUT
//
// On every page PyScript writes the sources of its `pyscript` package (held as
// strings in its core-*.js bundle) into the working directory and imports
// them. After a snapshot boot CPython compiles them cold, about a tenth of a
// second on the desktop profile and four times that on the phone profile. A
// checked-hash .pyc beside each source skips the compiler: CPython uses it
// only when the source it hashes is byte for byte the one compiled here, and
// compiles the source as before otherwise. So a PyScript that writes other
// sources costs time, never correctness. OUT is JSON:
// {"pyodide": version, "cwd": dir, "files": {path under cwd: base64 .pyc}}.
//
// Exit status 3, with the reason on stderr, when the bundle's package sources
// cannot be found in it (PyScript changed how it bundles them): the build then
// warns and goes on without the bytecode (src/roofline_site/runtime/pycache.py).
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [coreJs, out] = process.argv.slice(2);
if (!coreJs || !out) {
  console.error("usage: node scripts/make_pycache.mjs CORE_JS OUT");
  process.exit(2);
}

// Status 3: the sources are not where this script looks for them.
const NOT_FOUND = 3;
class NotFound extends Error {}

// The bundle builds its package from one object literal, {pyscript: {"__init__.py": "...", ...}},
// handed to the function that writes it out: find it and read it as the bundle would.
function pyscriptSources(bundle) {
  const found = /\(\s*"\.",\s*\{\s*pyscript\s*:\s*\{/.exec(bundle);
  if (!found) throw new NotFound(`${coreJs}: PyScript's package sources not found (has PyScript changed?)`);
  const start = bundle.indexOf("{", found.index);
  let depth = 0;
  let quote = null;
  for (let i = start; i < bundle.length; i++) {
    const c = bundle[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
    } else if (c === "{") {
      depth++;
    } else if (c === "}" && --depth === 0) {
      return new Function(`return ${bundle.slice(start, i + 1)}`)();
    }
  }
  throw new NotFound(`${coreJs}: PyScript's package sources do not end`);
}

function* files(tree, prefix = "") {
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === "string") yield [`${prefix}${name}`, value];
    else yield* files(value, `${prefix}${name}/`);
  }
}

function readSources() {
  let found;
  try {
    found = [...files(pyscriptSources(readFileSync(coreJs, "utf8")))];
  } catch (error) {
    // What the literal evaluates to may be something else than a tree of strings.
    throw error instanceof NotFound ? error : new NotFound(`${coreJs}: PyScript's package sources unreadable: ${error.message}`);
  }
  if (!found.some(([path]) => path === "pyscript/__init__.py")) {
    throw new NotFound(`${coreJs}: no pyscript/__init__.py among PyScript's sources`);
  }
  return found;
}

let sources;
try {
  sources = readSources();
} catch (error) {
  if (!(error instanceof NotFound)) throw error;
  console.error(error.message);
  process.exit(NOT_FOUND);
}
const pyodide = await loadPyodide();
pyodide.globals.set("SOURCES", pyodide.toPy(Object.fromEntries(sources)));
const result = pyodide.runPython(`
import base64, importlib.util, json, os, py_compile

cwd = os.getcwd()
compiled = {}
for relative, text in sorted(SOURCES.items()):
    path = os.path.join(cwd, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # As PyScript writes it: pathlib's write_text, UTF-8.
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    if not relative.endswith(".py"):
        continue
    cache = importlib.util.cache_from_source(path)
    py_compile.compile(path, cfile=cache, dfile=path, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open(cache, "rb") as stream:
        compiled[os.path.relpath(cache, cwd)] = base64.b64encode(stream.read()).decode()
json.dumps({"cwd": cwd, "files": compiled})
`);
writeFileSync(out, JSON.stringify({ pyodide: pyodide.version, ...JSON.parse(result) }));
console.log(JSON.stringify({ files: sources.length, pyodide: pyodide.version }));
