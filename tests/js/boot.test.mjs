// The boot module's refusals (docs/assets/javascripts/pyodide-boot.mjs): a
// snapshot that is missing, not ours, made for another Pyodide or another
// wheel, or whose metadata is damaged is refused with a console warning that
// says why, and Python boots plainly, the wheel fetched and unpacked. Run
// against a stand-in Pyodide (support/fake-pyodide.mjs); tests/pyodide/test_snapshot.py
// also hands this module a frame that Python made.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SNAPSHOT_URL, STDLIB_URL, WHEEL_URL, boot } from "./support/boot-harness.mjs";

const WHEEL = "b".repeat(64);
const encoder = new TextEncoder();

// A frame as src/roofline_site/runtime/snapshot.py's frame() writes it: magic, the
// metadata's length (little-endian), the metadata, zeros to 16 bytes, the body.
function frame(meta, { magic = "RLSNAP03", body = new Uint8Array(meta.body_bytes ?? 0) } = {}) {
  const json = encoder.encode(JSON.stringify(meta));
  const head = 12 + json.length;
  const bytes = new Uint8Array(Math.ceil(head / 16) * 16 + body.length);
  bytes.set(encoder.encode(magic), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  bytes.set(body, Math.ceil(head / 16) * 16);
  return bytes;
}

// Metadata the boot module accepts, as far as the frame goes.
const GOOD = {
  pyodide: "314.0.7",
  wheel_sha256: WHEEL,
  heap_bytes: 64,
  body_bytes: 8,
  extents: [[16, 8]],
  xor: { image_bytes: 4, image_start_bytes: 0, heap_offset_bytes: 0, image_sha256: "0".repeat(64) },
  stdlib: { file: "python_stdlib.zip", sha256: "0".repeat(64) },
  lock: { info: {}, packages: {} },
};

async function bootWith(snapshot, status, params = {}) {
  const files = { [WHEEL_URL]: new Uint8Array([80, 75, 5, 6]), [STDLIB_URL]: new Uint8Array(8) };
  files[SNAPSHOT_URL] = snapshot ?? status;
  return boot({ files, wheel: WHEEL, params });
}

function assertPlain(result, reason) {
  assert.equal(result.boot, "plain");
  assert.match(result.reason, reason);
  assert.ok(result.warnings.some((w) => w.includes("booting Python without the snapshot") && reason.test(w)), result.warnings.join("\n"));
  const last = result.calls.at(-1);
  assert.equal(last._loadSnapshot, undefined, "the plain boot hands Pyodide no heap");
  assert.deepEqual(result.unpacked, [{ bytes: 4, format: "zip", extractDir: "/lib/python3.14/site-packages" }]);
}

test("a missing snapshot: plain boot, saying the HTTP status", async () => {
  assertPlain(await bootWith(undefined, 404), /it answered HTTP 404/);
});

test("a file that is not a roofline snapshot", async () => {
  assertPlain(await bootWith(frame(GOOD, { magic: "RLSNAP02" })), /it is not a roofline snapshot/);
  assertPlain(await bootWith(encoder.encode("<!doctype html>")), /it is not a roofline snapshot/);
  assertPlain(await bootWith(new Uint8Array(0)), /it is not a roofline snapshot/);
});

test("a snapshot made for another Pyodide", async () => {
  assertPlain(await bootWith(frame({ ...GOOD, pyodide: "0.27.0" })), /made for Pyodide 0\.27\.0, not 314\.0\.7/);
});

test("a snapshot made for another wheel (stale)", async () => {
  assertPlain(await bootWith(frame({ ...GOOD, wheel_sha256: "c".repeat(64) })), /another roofline wheel \(stale\)/);
});

test("damaged metadata: not JSON, impossible sizes, pieces that do not fit or add up", async () => {
  const broken = frame(GOOD);
  broken.fill(0x7b, 12, 20); // "{{{{{{{{"
  assertPlain(await bootWith(broken), /its metadata is damaged/);
  assertPlain(await bootWith(frame({ ...GOOD, heap_bytes: 4 })), /impossible sizes/);
  assertPlain(await bootWith(frame({ ...GOOD, heap_bytes: 2 ** 32 })), /impossible sizes/);
  assertPlain(await bootWith(frame({ ...GOOD, extents: [[60, 8]] })), /impossible pieces of the heap/);
  assertPlain(await bootWith(frame({ ...GOOD, extents: [[16, 4], [8, 4]] })), /impossible pieces of the heap/);
  assertPlain(await bootWith(frame({ ...GOOD, extents: [[16, 4]] })), /do not add up to its body/);
});

test("metadata that lacks the wasm or the standard library, or names another standard library", async () => {
  const { stdlib, ...noStdlib } = GOOD;
  assert.ok(stdlib);
  assertPlain(await bootWith(frame(noStdlib)), /lacks the wasm or the standard library/);
  const { xor, ...noXor } = GOOD;
  assert.ok(xor);
  assertPlain(await bootWith(frame(noXor)), /impossible sizes/); // the size of the wasm's span is one of them
  const other = { ...GOOD, stdlib: { file: "other_stdlib.zip", sha256: "0".repeat(64) } };
  assertPlain(await bootWith(frame(other)), /standard library other_stdlib\.zip is not the one the page loads/);
});

test("a body cut short or running on: damaged", async () => {
  const body = (bytes) => ({ body: new Uint8Array(bytes) });
  assertPlain(await bootWith(frame(GOOD, body(GOOD.body_bytes - 1))), /it is 7 bytes long, not 8 \(damaged\)/);
  assertPlain(await bootWith(frame(GOOD, body(GOOD.body_bytes + 1))), /it is 9 bytes long, not 8 \(damaged\)/);
  assertPlain(await bootWith(frame(GOOD).subarray(0, 20)), /its metadata is damaged/);
});

test("a frame the module accepts is handed to Pyodide, and Pyodide's own refusal still ends in a plain boot", async () => {
  const body = Uint8Array.from({ length: GOOD.body_bytes }, (_, i) => i + 1);
  const result = await bootWith(frame(GOOD, { body }));
  const first = result.calls[0];
  assert.ok(first._loadSnapshot instanceof Uint8Array && first._loadSnapshot.length === GOOD.heap_bytes);
  // The body's one piece at its place (extents [[16, 8]]), zeros elsewhere.
  const expected = new Uint8Array(GOOD.heap_bytes);
  expected.set(body, 16);
  assert.deepEqual(first._loadSnapshot, expected);
  assert.equal(first.stdLibURL, STDLIB_URL);
  assert.deepEqual(first.lockFileContents, GOOD.lock);
  assertPlain(result, /Pyodide refused it: Snapshot is not valid$/);
});

test("PyScript's bytecode: a missing file is a warning; with pycache=none (the build skipped it) it is not asked for", async () => {
  const missing = await bootWith(undefined, 404);
  assert.ok(missing.fetched.some((url) => url.endsWith("/pyscript.pycache.json")));
  assert.ok(missing.warnings.some((w) => w.includes("PyScript's package will be compiled in the page: HTTP 404")));
  assert.equal(missing.pycache, undefined);

  const none = await bootWith(undefined, 404, { pycache: "none" });
  assert.ok(!none.fetched.some((url) => url.includes("pycache")), none.fetched.join("\n"));
  assert.ok(!none.warnings.some((w) => w.includes("PyScript's package")), none.warnings.join("\n"));
  assert.equal(none.boot, "plain");
});
