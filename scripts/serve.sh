#!/usr/bin/env bash
# Set up, build the site and serve it on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C stops).
# Usage: scripts/serve.sh [--dev]   (--dev: mkdocs' live-reloading server instead of the static build)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
port="${PORT:-8000}"
if [[ "${1:-}" == "--dev" ]]; then
  exec .venv/bin/mkdocs serve --dev-addr "127.0.0.1:${port}"
fi
.venv/bin/mkdocs build --strict --site-dir site
echo "serving the built site at http://127.0.0.1:${port}/"
exec .venv/bin/python scripts/static_server.py --directory site --port "$port"
