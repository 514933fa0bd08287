// Boots docs/assets/javascripts/pyodide-boot.mjs under Node with a stand-in
// Pyodide (fake-pyodide.mjs), a fetch that serves the given files, and the
// little of `document` the module writes to, and reports how Python booted.
//
// As a script, for tests/pyodide/test_snapshot.py (a frame made by Python, read by the
// boot module): node tests/js/support/boot-harness.mjs SNAPSHOT_FILE WHEEL_SHA256
// prints {"boot", "reason", "warnings", "heap_sha256"} as JSON, the last the
// SHA-256 of the heap the boot module handed Pyodide (null if it handed none).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath } from "node:url";

register("./pyodide-hooks.mjs", import.meta.url);

const BOOT = new URL("../../../docs/assets/javascripts/pyodide-boot.mjs", import.meta.url);
export const ORIGIN = "https://roofline.test";
export const SNAPSHOT_URL = `${ORIGIN}/assets/snapshot/roofline.snapshot`;
export const STDLIB_URL = `${ORIGIN}/assets/snapshot/python_stdlib.zip`;
export const WHEEL_URL = `${ORIGIN}/assets/wheels/roofline-0.1.0-py3-none-any.whl`;
let instances = 0;

// `files`: URL -> bytes (Uint8Array) or an HTTP status; anything else answers 404.
// `params`: more of the module's URL query (pycache=none).
export async function boot({ files = {}, wheel = "a".repeat(64), params = {} } = {}) {
  const warnings = [];
  const dataset = {};
  globalThis.document = { documentElement: { dataset } };
  const fetched = [];
  globalThis.fetch = async (url) => {
    fetched.push(String(url));
    const body = files[String(url)];
    if (body === undefined || typeof body === "number") return new Response(null, { status: body ?? 404 });
    return new Response(body, { status: 200 });
  };
  const warn = console.warn;
  console.warn = (message) => warnings.push(String(message));
  try {
    // A fresh instance of the module each time: it reads its URL's query once.
    const query = new URLSearchParams({ snapshot: SNAPSHOT_URL, wheel_url: WHEEL_URL, wheel, ...params, instance: ++instances });
    const module = await import(`${BOOT.href}?${query}`);
    const fake = await import("./fake-pyodide.mjs");
    const before = fake.calls.length;
    const pyodide = await module.loadPyodide({});
    return {
      boot: dataset.pythonBoot,
      reason: dataset.pythonBootReason,
      warnings,
      calls: fake.calls.slice(before),
      unpacked: pyodide.unpacked,
      fetched,
      pycache: dataset.pycache,
    };
  } finally {
    console.warn = warn;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, wheel] = process.argv.slice(2);
  const result = await boot({ files: { [SNAPSHOT_URL]: readFileSync(file), [WHEEL_URL]: new Uint8Array(4) }, wheel });
  const heap = result.calls.find((call) => call._loadSnapshot)?._loadSnapshot;
  const heap_sha256 = heap ? createHash("sha256").update(heap).digest("hex") : null;
  console.log(JSON.stringify({ boot: result.boot, reason: result.reason, warnings: result.warnings, heap_sha256 }));
}
