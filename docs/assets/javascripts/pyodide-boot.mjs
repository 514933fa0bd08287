// PyScript's `interpreter` module for the simulator: Pyodide's own
// loadPyodide, booting from the memory snapshot the build made
// (src/roofline_site/snapshot.py) when it can, and plainly when it cannot.
//
// PyScript imports this module in place of pyodide.mjs and calls its
// loadPyodide() and reads its version, so both are exported. The page names
// the wheel it serves in this module's URL (?wheel=SHA-256); a snapshot made
// for another wheel or another Pyodide, a damaged one, or a missing one is
// refused with a console warning that says why, and Python boots as it
// would without a snapshot: the reader always gets the sliders.
import { loadPyodide as plainLoadPyodide, version } from "../vendor/pyodide/pyodide.mjs";

export { version };

const MAGIC = "RLSNAP01"; // src/roofline_site/snapshot.py: MAGIC
const here = new URL(import.meta.url);
const INDEX_URL = new URL("../vendor/pyodide/", here).href;
const SNAPSHOT_URL = new URL(here.searchParams.get("snapshot") || "../snapshot/roofline.snapshot", here).href;
const WHEEL = here.searchParams.get("wheel");

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

export async function loadPyodide(options = {}) {
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
  return plainLoadPyodide(config);
}
