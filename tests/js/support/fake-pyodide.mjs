// A stand-in for Pyodide's pyodide.mjs: the version the boot module checks a
// snapshot against, and a loadPyodide that records how it was called. A
// snapshot boot is refused as Pyodide itself refuses a heap it cannot use, so
// what is under test is the boot module's own checks and its fallback.
export const version = "314.0.7";

export const calls = [];

export async function loadPyodide(config) {
  calls.push(config);
  if (config._loadSnapshot) throw new Error("Snapshot is not valid\n(the stand-in restores no heap)");
  const unpacked = [];
  return {
    unpacked,
    runPython: () => "/lib/python3.14/site-packages",
    unpackArchive: (bytes, format, options) => unpacked.push({ bytes: bytes.byteLength, format, ...options }),
  };
}
