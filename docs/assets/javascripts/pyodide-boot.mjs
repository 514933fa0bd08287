// PyScript's `interpreter` module for the simulator: Pyodide's own
// loadPyodide, booting from the memory snapshot the build made
// (src/roofline_site/runtime/snapshot.py) when it can, and plainly when it cannot.
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

// src/roofline_site/runtime/snapshot.py: MAGIC; tests/test_snapshot.py hands this module a frame Python wrote.
const MAGIC = "RLSNAP03";
const here = new URL(import.meta.url);
const INDEX_URL = new URL("../vendor/pyodide/", here).href;
const SNAPSHOT_URL = new URL(here.searchParams.get("snapshot") || "../snapshot/roofline.snapshot", here).href;
const WHEEL = here.searchParams.get("wheel");
const WHEEL_URL = new URL(here.searchParams.get("wheel_url") || "", here).href;
// The trimmed standard library the snapshot was made with (src/roofline_site/runtime/snapshot.py: STDLIB_FILE).
const STDLIB_URL = new URL("python_stdlib.zip", SNAPSHOT_URL).href;
// PyScript's own package compiled at build time (src/roofline_site/runtime/pycache.py);
// asked for now, so it arrives with the snapshot. With pycache=none the build
// could not make it (and has said so): nothing to ask for.
const PYCACHE =
  here.searchParams.get("pycache") === "none"
    ? Promise.resolve({ none: true })
    : fetch(new URL("../snapshot/pyscript.pycache.json", here))
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
        .catch((error) => ({ error }));

// How Python booted, for the benchmark and the tests: "snapshot" or "plain".
function record(boot, reason) {
  document.documentElement.dataset.pythonBoot = boot;
  if (reason) document.documentElement.dataset.pythonBootReason = reason;
  performance.mark(`roofline:boot-${boot}`);
}

// Bytes of a same-origin file (the trimmed standard library: the page has
// preloaded it, so it comes from the cache). The promise is
// marked handled at once: readSnapshot may throw before it awaits it.
function fetchBytes(url) {
  const bytes = fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  bytes.catch(() => {});
  return bytes;
}

// SHA-256 of bytes as hex, or null where the browser cannot compute it:
// crypto.subtle exists only in secure contexts (HTTPS, or this machine).
// Without it the digests go unchecked; the Pyodide version and build checks
// still stand between a mismatched runtime and the heap.
async function sha256Hex(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// heap[at + i] ^= image[i], four bytes at a time (at and the length are
// multiples of 4; the build made them so): one long loop that the JIT
// optimises, where a loop per segment (14,579 of them) costs a phone a tenth
// of a second.
function xorWords(heap, at, image) {
  if (at % 4 || image.length % 4 || at + image.length > heap.length) throw new Error("its XOR span does not fit the heap (damaged)");
  const target = new Uint32Array(heap.buffer, heap.byteOffset + at, image.length / 4);
  const source = new Uint32Array(image.buffer, image.byteOffset, image.length / 4);
  for (let word = 0; word < source.length; word++) target[word] ^= source[word];
}

// The frame's metadata, checked against this page (data: the whole file),
// and where its body starts.
function readHeader(data) {
  const text = new TextDecoder();
  if (data.length < 12 || text.decode(data.subarray(0, 8)) !== MAGIC) throw new Error("it is not a roofline snapshot");
  const size = new DataView(data.buffer, data.byteOffset).getUint32(8, true);
  let meta;
  try {
    meta = JSON.parse(text.decode(data.subarray(12, 12 + size)));
  } catch {
    throw new Error("its metadata is damaged");
  }
  if (meta.pyodide !== version) throw new Error(`it was made for Pyodide ${meta.pyodide}, not ${version}`);
  if (!WHEEL || meta.wheel_sha256 !== WHEEL) throw new Error("it was made for another roofline wheel (stale)");
  const sizes = [meta.body_bytes, meta.heap_bytes, meta.xor?.image_bytes];
  if (!sizes.every(Number.isSafeInteger) || meta.body_bytes > meta.heap_bytes || meta.heap_bytes > 2 ** 31) {
    throw new Error("its metadata gives impossible sizes (damaged)");
  }
  if (!meta.xor || !meta.stdlib) throw new Error("its metadata lacks the wasm or the standard library it was made with (damaged)");
  if (new URL(meta.stdlib.file, SNAPSHOT_URL).href !== STDLIB_URL) throw new Error(`its standard library ${meta.stdlib.file} is not the one the page loads`);
  // The pieces of the heap the body holds, in order, without overlaps, summing to the body.
  let end = 0;
  let total = 0;
  for (const extent of Array.isArray(meta.extents) ? meta.extents : [null]) {
    const [start, length] = Array.isArray(extent) ? extent : [];
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < end || length <= 0 || start + length > meta.heap_bytes) {
      throw new Error("its metadata gives impossible pieces of the heap (damaged)");
    }
    end = start + length;
    total += length;
  }
  if (total !== meta.body_bytes) throw new Error("its pieces do not add up to its body (damaged)");
  return { meta, offset: Math.ceil((12 + size) / 16) * 16 };
}

// The heap the frame holds: each piece of its body put back at its place.
// The build left out the heap's long runs of zeros, and a new buffer is zeros
// where no piece lands.
function placeBody(data, { meta, offset }) {
  const length = Math.max(data.length - offset, 0);
  if (length !== meta.body_bytes) throw new Error(`it is ${length} bytes long, not ${meta.body_bytes} (damaged)`);
  const heap = new Uint8Array(meta.heap_bytes);
  let at = offset;
  for (const [start, size] of meta.extents) {
    heap.set(data.subarray(at, at + size), start);
    at += size;
  }
  return heap;
}

// The snapshot as Pyodide wants it (still XOR-ed with the wasm's data
// segments: undone by xorOnInstantiate), the lock file it carries and the URL
// of the standard library it was made with; throws with a reader-sized reason
// for anything that is not a whole snapshot of this wheel. `complete` settles
// once the standard library is checked, or rejects with the reason it is not
// the one the snapshot was made with.
async function readSnapshot() {
  // Asked for at once, so both arrive together.
  const stdlibBytes = fetchBytes(STDLIB_URL);
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const header = readHeader(data);
  const { meta } = header;
  const heap = placeBody(data, header);
  const complete = stdlibBytes.then(sha256Hex).then((digest) => {
    if (digest !== null && digest !== meta.stdlib.sha256) throw new Error("its standard library python_stdlib.zip is another one (stale)");
  });
  complete.catch(() => {}); // handled where it is awaited (xorOnInstantiate)
  return { heap, complete, lock: meta.lock, stdLibURL: STDLIB_URL, xor: meta.xor };
}

// Undoes the build's XOR with the wasm's data segments once Pyodide has
// instantiated the wasm and the standard library is checked (complete),
// before Pyodide copies the heap in: Pyodide's glue goes on only once the
// instantiation's promise, which this holds, settles. The fresh memory holds
// exactly those segments, zeros between them (the wasm has no start
// function), so the page need not read the 9.6 MB wasm again to learn them:
// they are copied out at instantiation, before anything can write to the
// memory. Until the XOR is undone the heap's first word is held back, so
// Pyodide rejects the heap as not a snapshot: a span that is not the one the
// build XOR-ed with (another pyodide.asm.wasm) or a standard library that is
// not the snapshot's ends in a plain boot that says why (refused); a wasm
// instantiated where the page cannot see it leaves Pyodide to refuse the heap.
function xorOnInstantiate(heap, xor, complete) {
  const originals = { instantiate: WebAssembly.instantiate, instantiateStreaming: WebAssembly.instantiateStreaming };
  const firstWord = heap.slice(0, 4);
  heap.fill(0, 0, 4);
  const state = { refused: null, restore: () => Object.assign(WebAssembly, originals) };
  const undo = async (result) => {
    state.restore();
    performance.mark("roofline:wasm-instantiated");
    const memory = result.instance.exports.memory;
    const fresh = new Uint8Array(memory.buffer, xor.image_start_bytes, xor.image_bytes).slice();
    const digest = sha256Hex(fresh);
    try {
      await complete;
    } catch (error) {
      state.refused = error.message;
      return result;
    }
    const started = performance.now(); // the cost of the check and the XOR, for the benchmark
    const found = await digest;
    if (found !== null && found !== xor.image_sha256) {
      state.refused = "it was made against another pyodide.asm.wasm (stale)";
      return result;
    }
    heap.set(firstWord, 0);
    xorWords(heap, xor.heap_offset_bytes + xor.image_start_bytes, fresh);
    performance.measure("roofline:snapshot-undo", { start: started });
    return result;
  };
  WebAssembly.instantiateStreaming = (...args) => originals.instantiateStreaming.apply(WebAssembly, args).then(undo);
  // Pyodide's fallback when streaming fails: instantiate(bytes) gives {module, instance} too.
  WebAssembly.instantiate = (...args) =>
    originals.instantiate.apply(WebAssembly, args).then((result) => (result.instance ? undo(result) : result));
  return state;
}

// Write PyScript's package's bytecode where CPython looks for it, before
// PyScript writes the sources and imports them. Only time is at stake: a .pyc
// that does not match its source is ignored by CPython, so any problem here is
// logged and skipped.
async function writePycache(pyodide) {
  const pycache = await PYCACHE;
  if (pycache.none) return pyodide;
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
    const xor = xorOnInstantiate(snapshot.heap, snapshot.xor, snapshot.complete);
    try {
      const pyodide = await plainLoadPyodide({
        ...config,
        _loadSnapshot: snapshot.heap,
        lockFileContents: snapshot.lock,
        stdLibURL: snapshot.stdLibURL,
      });
      record("snapshot");
      return pyodide;
    } catch (error) {
      xor.restore();
      const reason = xor.refused || `Pyodide refused it: ${String(error.message || error).split("\n")[0]}`;
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
