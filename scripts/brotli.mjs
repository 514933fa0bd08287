// Brotli-compresses one file with Node's own zlib (no new dependency).
// Usage: node scripts/brotli.mjs IN OUT QUALITY
// The quality, and why, is src/roofline_site/serve/compress.py's BROTLI_QUALITY.
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const [input, output, quality] = process.argv.slice(2);
const level = Number(quality);
if (!input || !output || !Number.isInteger(level) || level < 0 || level > 11) {
  console.error(`usage: node scripts/brotli.mjs IN OUT QUALITY (an integer 0 to 11, got ${JSON.stringify(quality)})`);
  process.exit(2);
}
const data = readFileSync(input);
const packed = brotliCompressSync(data, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: level,
    // A 16 MB window: the snapshot and the wasm repeat themselves across megabytes.
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
  },
});
writeFileSync(output, packed);
