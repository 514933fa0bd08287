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

const MAGIC = "RLSNAP03"; // src/roofline_site/snapshot.py: MAGIC
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

// Bytes of a same-origin file (the wasm and the trimmed standard library:
// the page has preloaded both, so they come from the cache). The promise is
// marked handled at once: readSnapshot may throw before it awaits it.
function fetchBytes(url) {
  const bytes = fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  bytes.catch(() => {});
  return bytes;
}

async function sha256Hex(bytes) {
  // crypto.subtle exists only in secure contexts (HTTPS, or this machine).
  if (!globalThis.crypto?.subtle) throw new Error("this page is not a secure context, so it cannot check digests");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Reads unsigned LEB128 integers from bytes, from position 0 on; .at is
// the position reached.
function lebReader(bytes) {
  const reader = {
    at: 0,
    next() {
      let value = 0;
      let byte;
      let scale = 1;
      do {
        if (reader.at >= bytes.length) throw new Error("pyodide.asm.wasm ends inside a number");
        byte = bytes[reader.at++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80);
      return value;
    },
  };
  return reader;
}

// The payload of pyodide.asm.wasm's data section (section id 11).
function dataSection(wasm) {
  const read = lebReader(wasm);
  read.at = 8; // past "\0asm" and the version
  while (read.at < wasm.length) {
    const id = wasm[read.at++];
    const size = read.next();
    if (id === 11) return wasm.subarray(read.at, read.at + size);
    read.at += size;
  }
  throw new Error("pyodide.asm.wasm has no data section");
}

// Memory from address start on, bytes long, as the data section's active
// segments leave it when the wasm starts (zeros between them). Only what the
// build accepted is accepted (src/roofline_site/wasm.py): flags 0 or 2
// (memory 0) with an i32.const offset; passive segments are skipped.
function segmentImage(section, start, bytes) {
  const image = new Uint8Array(bytes);
  const read = lebReader(section);
  const count = read.next();
  for (let index = 0; index < count; index++) {
    const flags = read.next();
    if (flags === 1) {
      read.at += read.next();
      continue;
    }
    if (flags === 2) read.next();
    if ((flags !== 0 && flags !== 2) || section[read.at++] !== 0x41) throw new Error(`data segment ${index} is not one the build XOR-ed`);
    const address = read.next(); // non-negative: the build refused the others
    if (section[read.at++] !== 0x0b) throw new Error(`data segment ${index}'s offset is not a constant`);
    const length = read.next();
    if (address < start || address + length > start + bytes) throw new Error(`data segment ${index} lies outside the span the build XOR-ed`);
    image.set(section.subarray(read.at, read.at + length), address - start);
    read.at += length;
  }
  return image;
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

// The frame's metadata, checked against this page, once its first bytes
// are in (pending: what has arrived so far); null while more are needed.
function readHeader(pending) {
  const text = new TextDecoder();
  if (pending.length >= 8 && text.decode(pending.subarray(0, 8)) !== MAGIC) throw new Error("it is not a roofline snapshot");
  if (pending.length < 12) return null;
  const size = new DataView(pending.buffer, pending.byteOffset).getUint32(8, true);
  const offset = Math.ceil((12 + size) / 16) * 16;
  if (pending.length < offset) return null;
  let meta;
  try {
    meta = JSON.parse(text.decode(pending.subarray(12, 12 + size)));
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
  return { meta, offset };
}

// The framed snapshot from response: its metadata, and its body's pieces
// written straight to their places in a heap-sized buffer of zeros as they
// arrive (no second copy of the heap). A snapshot refused on its metadata
// stops downloading there.
async function readFrame(response) {
  const reader = response.body.getReader();
  let pending = new Uint8Array(0);
  let header = null;
  let heap = null;
  let filled = 0; // body bytes placed so far
  let piece = 0; // the extent being filled, and how much of it is
  let pieceFilled = 0;
  const place = (chunk) => {
    const { extents } = header.meta;
    for (let at = 0; at < chunk.length; ) {
      const [start, length] = extents[piece];
      const take = Math.min(length - pieceFilled, chunk.length - at);
      heap.set(chunk.subarray(at, at + take), start + pieceFilled);
      at += take;
      pieceFilled += take;
      if (pieceFilled === length) {
        piece++;
        pieceFilled = 0;
      }
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (!header) {
        const joined = new Uint8Array(pending.length + chunk.length);
        joined.set(pending);
        joined.set(chunk, pending.length);
        pending = joined;
        header = readHeader(pending);
        if (!header) continue;
        heap = new Uint8Array(header.meta.heap_bytes);
        chunk = pending.subarray(header.offset);
        pending = null;
      }
      if (filled + chunk.length > header.meta.body_bytes) throw new Error(`it is longer than ${header.meta.body_bytes} bytes (damaged)`);
      place(chunk);
      filled += chunk.length;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  if (!header) throw new Error("it is not a roofline snapshot");
  if (filled !== header.meta.body_bytes) throw new Error(`it is ${filled} bytes long, not ${header.meta.body_bytes} (damaged)`);
  return { meta: header.meta, heap };
}

// The snapshot as Pyodide wants it, the lock file it carries and the URL of
// the standard library it was made with; throws with a reader-sized reason
// for anything that is not a whole snapshot of this wheel, this wasm and
// that standard library.
async function readSnapshot() {
  // Asked for at once, so all three arrive together.
  const wasmBytes = fetchBytes(`${INDEX_URL}pyodide.asm.wasm`);
  const stdlibURL = new URL("python_stdlib.zip", SNAPSHOT_URL).href; // src/roofline_site/snapshot.py: STDLIB_FILE
  const stdlibBytes = fetchBytes(stdlibURL);
  const response = await fetch(SNAPSHOT_URL);
  if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
  // The build left out the heap's long runs of zeros (the buffer is zeros
  // where no piece lands) and XOR-ed the wasm's data segments into it, undone below.
  const { meta, heap } = await readFrame(response);
  if (new URL(meta.stdlib.file, SNAPSHOT_URL).href !== stdlibURL) throw new Error(`its standard library ${meta.stdlib.file} is not the one the page loads`);
  const [wasm, stdlib] = await Promise.all([wasmBytes, stdlibBytes]);
  const started = performance.now(); // the cost of the checks and the XOR, for the benchmark
  const section = dataSection(new Uint8Array(wasm));
  const [sectionDigest, stdlibDigest] = await Promise.all([sha256Hex(section), sha256Hex(stdlib)]);
  if (sectionDigest !== meta.xor.data_sha256) throw new Error("it was made against another pyodide.asm.wasm (stale)");
  if (stdlibDigest !== meta.stdlib.sha256) throw new Error("its standard library python_stdlib.zip is another one (stale)");
  const { heap_offset_bytes: base, image_start_bytes: start, image_bytes: bytes } = meta.xor;
  xorWords(heap, base + start, segmentImage(section, start, bytes));
  performance.measure("roofline:snapshot-undo", { start: started });
  return { heap, lock: meta.lock, stdLibURL: stdlibURL };
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
      const pyodide = await plainLoadPyodide({ ...config, _loadSnapshot: snapshot.heap, lockFileContents: snapshot.lock, stdLibURL: snapshot.stdLibURL });
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
