"""Bytecode for PyScript's own Python package, made at build time.

PyScript writes its ``pyscript`` package's sources into Pyodide's file system
on every page and imports them; after a snapshot boot CPython would compile
them cold. ``scripts/make_pycache.mjs`` compiles them once, under Node with
the same Pyodide, into checked-hash ``.pyc`` files, and the simulator's boot
module (``pyodide-boot.mjs``) writes those into the file system before
PyScript imports the package. A checked-hash ``.pyc`` is used only when its
source is byte for byte the one compiled, so a mismatch costs the compile it
would have cost anyway, never a wrong module.

Cached under ``build/pycache/`` by a key of its inputs (PyScript's bundle,
the Pyodide runtime, the maker script).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from .assets import NODE_MODULES, ROOT, SetupMissing
from .snapshot import runtime_sha256

__all__ = ["PYCACHE_FILE", "pyscript_bundle", "write_pycache"]

#: The compiled package's path in the built site.
PYCACHE_FILE = "assets/snapshot/pyscript.pycache.json"
MAKER = ROOT / "scripts" / "make_pycache.mjs"
CACHE = ROOT / "build" / "pycache"


def pyscript_bundle() -> Path:
    """PyScript's core bundle (``core-*.js``), which holds its package's sources."""
    bundles = sorted((NODE_MODULES / "@pyscript" / "core" / "dist").glob("core-*.js"))
    if len(bundles) != 1:
        raise SetupMissing(f"expected one PyScript core-*.js bundle, found {len(bundles)}: run scripts/setup.sh")
    return bundles[0]


def _cached() -> Path:
    bundle = pyscript_bundle()
    key = hashlib.sha256(
        json.dumps([hashlib.sha256(p.read_bytes()).hexdigest() for p in (bundle, MAKER)] + [runtime_sha256()]).encode()
    ).hexdigest()[:20]
    path = CACHE / f"{key}.json"
    if not path.is_file():
        node = shutil.which("node")
        if node is None:
            raise SetupMissing("Node.js is needed to compile PyScript's package: run scripts/setup.sh")
        for old in CACHE.glob("*.json*"):
            old.unlink()
        CACHE.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp")
        result = subprocess.run(
            [node, str(MAKER), str(bundle), str(scratch)], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            raise RuntimeError(f"scripts/make_pycache.mjs failed: {(result.stderr or result.stdout)[-2000:]}")
        scratch.replace(path)
    return path


def write_pycache(site_dir: str | Path) -> Path:
    """Copy the compiled package into the built site; returns its path there."""
    target = Path(site_dir) / PYCACHE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_cached(), target)
    return target
