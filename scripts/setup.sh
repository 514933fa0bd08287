#!/usr/bin/env bash
# Set up everything the site build needs, from the package registries only:
#   .venv/          Python tools pinned by requirements.lock, plus roofline (editable; it registers the MkDocs plugin)
#   node_modules/   Pyodide, PyScript, plotly.js and KaTeX pinned by package-lock.json
#   build/wheel/    the roofline wheel the browser loads, built from src/ with pypa build (roofline_site.runtime.build_wheel)
#   build/pycache/  PyScript's own package as bytecode, or why it could not be made (roofline_site.runtime.compile_pycache)
# Safe to run again: each step is skipped when it is already up to date.
# Usage: scripts/setup.sh [--browser]   (--browser also installs Debian's chromium for the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

need() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
  if ! need apt-get; then
    echo "setup: please install $* with your package manager" >&2
    exit 1
  fi
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Python 3.11+ with venv, Node.js 18+ with npm.
need python3 || apt_install python3 python3-venv
need node || apt_install nodejs npm
if $want_browser && ! need chromium; then
  echo "setup: installing Debian's chromium for the browser tests"
  apt_install chromium
fi

stamp=.venv/.requirements.lock
if [[ ! -x .venv/bin/python ]] || ! cmp -s requirements.lock "$stamp"; then
  echo "setup: creating .venv from requirements.lock"
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.lock
  cp requirements.lock "$stamp"
  rm -f .venv/.pyproject.toml
fi

# roofline itself, editable, with its entry points (the roofline command and
# the site's MkDocs plugin); redone when pyproject.toml changes. Offline: no
# dependencies, and setuptools from the lock instead of an isolated build.
# A src/roofline.egg-info left by an older wheel build would hide the new
# entry points wherever src/ comes first on the path (pytest), so it goes;
# the next wheel build writes it again.
if ! cmp -s pyproject.toml .venv/.pyproject.toml; then
  echo "setup: installing roofline into .venv (editable)"
  rm -rf src/roofline.egg-info
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  cp pyproject.toml .venv/.pyproject.toml
fi

if ! cmp -s package-lock.json node_modules/.roofline-lock 2>/dev/null; then
  echo "setup: npm ci (Pyodide, PyScript, plotly.js, KaTeX)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.roofline-lock
fi

# The same wheel the build copies into the site; rebuilt only if what it is made of changed.
PYTHONPATH=src .venv/bin/python -c "from roofline_site.runtime import build_wheel; print('setup: wheel', build_wheel().name)"
# PyScript's package as bytecode, the same way (the pages' boot markup depends on whether it could be made).
PYTHONPATH=src .venv/bin/python -c "from roofline_site.runtime import compile_pycache; print('setup: bytecode', compile_pycache().name)"
