#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: installs what it needs first
# (venv from requirements.lock, npm ci, Debian's chromium), then ruff, ESLint
# and the JavaScript unit tests (Node's test runner: tests/js/), then pytest
# (core, CLI, site build, Pyodide under Node, headless Chromium).
# Usage: scripts/test.sh [pytest args...]
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
