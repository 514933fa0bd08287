// PyScript's `interpreter` module for the simulator: Pyodide's own
// loadPyodide, booting from the memory snapshot the build made
// (src/roofline_site/snapshot.py) when it can, and plainly when it cannot.
//
// PyScript imports this module in place of pyodide.mjs and calls its
// loadPyodide() and reads its version, so both are exported. The page names
// the wheel it serves in this module's URL (?wheel_url=...&wheel=SHA-256); a
// snapshot made for another wheel or another Pyodide, a damaged one, or a
// missing one is refused with a console warning that says why, and Python
// boots as it would without a snapshot, the wheel fetched and unpacked here:
// the reader always gets the sliders. A snapshot boot fetches no wheel: every
// roofline module the page can reach is imported in it already.
import { loadPyodide as plainLoadPyodide, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const MAGIC = "RLSNAP01"; // src/roofline_site/snapshot.py: MAGIC
const here = new URL(import.meta.url);
const INDEX_URL = new URL("../vendor/pyodide/", here).href;
const SNAPSHOT_URL = new URL(here.searchParams.get("snapshot") || "../snapshot/roofline.snapshot", here).href;
const WHEEL = here.searchParams.get("wheel");
const WHEEL_URL = new URL(here.searchParams.get("wheel_url") || "", here).href;
// PyScript's own package compiled at build time (src/roofline_site/pycache.py);
// asked for now, so it arrives with the snapshot.
const PYCACHE = fetch(new URL("../snapshot/pyscript.pycache.json", here))
  .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
  .catch((error) => ({ error }));

// How Python booted, for the benchmark and the tests: "snapshot" or "plain".
function record(boot, reason) {
  document.documentElement.dataset.pythonBoot = boot;
  if (reason) document.documentElement.dataset.pythonBootReason = reason;
  performance.mark(`roofline:boot-${boot}`);
}

// The snapshot as Pyodide wants it, and the lock file it carries; throws with
// a reader-sized reason for anything that is not a whole snapshot of this wheel.
async function readSnapshot() {
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder();
  if (data.length < 16 || text.decode(data.subarray(0, 8)) !== MAGIC) throw new Error("it is not a roofline snapshot");
  const size = new DataView(data.buffer, data.byteOffset).getUint32(8, true);
  let meta;
  try {
    meta = JSON.parse(text.decode(data.subarray(12, 12 + size)));
  } catch {
    throw new Error("its metadata is damaged");
  }
  const offset = Math.ceil((12 + size) / 16) * 16;
  if (meta.pyodide !== version) throw new Error(`it was made for Pyodide ${meta.pyodide}, not ${version}`);
  if (!WHEEL || meta.wheel_sha256 !== WHEEL) throw new Error("it was made for another roofline wheel (stale)");
  if (data.length - offset !== meta.body_bytes || meta.body_bytes > meta.heap_bytes) {
    throw new Error(`it is ${data.length - offset} bytes long, not ${meta.body_bytes} (damaged)`);
  }
  // The build trimmed the heap's trailing zeros; Pyodide wants it whole.
  const heap = new Uint8Array(meta.heap_bytes);
  heap.set(data.subarray(offset));
  return { heap, lock: meta.lock };
}

// Write PyScript's package's bytecode where CPython looks for it, before
// PyScript writes the sources and imports them. Only time is at stake: a .pyc
// that does not match its source is ignored by CPython, so any problem here is
// logged and skipped.
async function writePycache(pyodide) {
  const pycache = await PYCACHE;
  try {
    if (pycache.error) throw pycache.error;
    if (pycache.pyodide !== version) throw new Error(`it was made for Pyodide ${pycache.pyodide}`);
    for (const [path, base64] of Object.entries(pycache.files)) {
      const full = `${pycache.cwd}/${path}`;
      pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      pyodide.FS.writeFile(full, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    }
    document.documentElement.dataset.pycache = "written";
  } catch (error) {
    console.warn(`roofline: PyScript's package will be compiled in the page: ${error.message}`);
  }
  return pyodide;
}

export async function loadPyodide(options = {}) {
  return writePycache(await bootPyodide(options));
}

async function bootPyodide(options) {
  const config = { ...options, indexURL: INDEX_URL };
  let snapshot = null;
  try {
    snapshot = await readSnapshot();
  } catch (error) {
    console.warn(`roofline: booting Python without the snapshot ${SNAPSHOT_URL}: ${error.message}`);
    record("plain", error.message);
  }
  if (snapshot) {
    try {
      const pyodide = await plainLoadPyodide({ ...config, _loadSnapshot: snapshot.heap, lockFileContents: snapshot.lock });
      record("snapshot");
      return pyodide;
    } catch (error) {
      const reason = `Pyodide refused it: ${String(error.message || error).split("\n")[0]}`;
      console.warn(`roofline: booting Python without the snapshot ${SNAPSHOT_URL}: ${reason}`);
      record("plain", reason);
    }
  }
  const [pyodide, wheel] = await Promise.all([plainLoadPyodide(config), fetch(WHEEL_URL)]);
  if (!wheel.ok) throw new Error(`roofline: the wheel ${WHEEL_URL} answered HTTP ${wheel.status}`);
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  pyodide.unpackArchive(await wheel.arrayBuffer(), "zip", { extractDir: sitePackages });
  return pyodide;
}
