// Brotli-compresses one file with Node's own zlib (no new dependency).
// Usage: node scripts/brotli.mjs IN OUT
// Quality 5: on the Python snapshot it keeps most of brotli's gain over gzip
// in seconds, where quality 11 takes minutes (src/roofline_site/compress.py).
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node scripts/brotli.mjs IN OUT");
  process.exit(2);
}
const data = readFileSync(input);
const packed = brotliCompressSync(data, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
  },
});
writeFileSync(output, packed);
