#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: installs what it needs first
# (venv from requirements.lock, npm ci, Debian's chromium), then ruff, ESLint
# and the JavaScript unit tests (Node's test runner: tests/js/), then pytest:
# with no arguments every lane, tests/fast, slow, pyodide and browser (core,
# CLI, site build, Pyodide under Node, headless Chromium) and src/'s doctests.
# Usage: scripts/test.sh [pytest args...]   e.g. -m "not browser and not slow", or tests/fast
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export NO_MKDOCS_2_WARNING=1
echo "== ruff"
.venv/bin/ruff check .
echo "== eslint"
node_modules/.bin/eslint .
echo "== node --test"
node --test tests/js/
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
