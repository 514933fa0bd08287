// A module-resolution hook (node:module register) that hands pyodide-boot.mjs
// the stand-in Pyodide beside this file in place of the vendored one, which
// exists only in a built site.
const FAKE = new URL("fake-pyodide.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith("/vendor/pyodide/pyodide.mjs")) return { url: FAKE, shortCircuit: true };
  return nextResolve(specifier, context);
}
