// ESLint's flat config for the site's JavaScript (scripts/test.sh runs it).
// Three kinds of file, each with the globals it really has: the page scripts
// (classic scripts in the browser), the boot module (an ES module in the
// browser) and the build's and tests' Node modules. The recommended rules
// only: they find bugs, not style.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", "build/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["docs/assets/javascripts/*.js", "src/roofline_site/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        ...globals.browser,
        // Material for MkDocs' observable of page loads (navigation.instant).
        document$: "readonly",
        // KaTeX's auto-render extension, loaded by katex-init.js before it calls it.
        renderMathInElement: "readonly",
      },
    },
  },
  {
    files: ["docs/assets/javascripts/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["scripts/*.mjs", "tests/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
