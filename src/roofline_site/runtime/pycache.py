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

The maker finds the sources in PyScript's minified bundle by the shape of the
code around them. It buys 0.1 to 0.4 s, so a PyScript that bundles them
otherwise must not stop the build: the maker then exits with
:data:`NOT_FOUND`, the build logs a warning and goes on without the bytecode
(:func:`skipped` gives the reason, kept beside the cache so the next build
does not ask again), the page is not told to fetch the file
(:func:`.boot.runtime_files`), and the boot module is told there is none
(``pycache=none`` in its URL), so PyScript's package compiles in the page as
it would without this step.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

from .assets import NODE_MODULES, ROOT, SetupMissing
from .snapshot import runtime_sha256

__all__ = ["NOT_FOUND", "PYCACHE_FILE", "pyscript_bundle", "skipped", "write_pycache"]

#: The compiled package's path in the built site.
PYCACHE_FILE = "assets/snapshot/pyscript.pycache.json"
MAKER = ROOT / "scripts" / "make_pycache.mjs"
CACHE = ROOT / "build" / "pycache"
#: The maker's exit status when the bundle's package sources are not where it looks.
NOT_FOUND = 3
# Not a logger under "mkdocs": a strict build counts those warnings as errors,
# and a missing speed-up is no error.
_log = logging.getLogger(__name__)


def pyscript_bundle() -> Path:
    """PyScript's core bundle (``core-*.js``), which holds its package's sources."""
    bundles = sorted((NODE_MODULES / "@pyscript" / "core" / "dist").glob("core-*.js"))
    if len(bundles) != 1:
        raise SetupMissing(f"expected one PyScript core-*.js bundle, found {len(bundles)}: run scripts/setup.sh")
    return bundles[0]


def _cached() -> Path:
    """The compiled package's cache file, made if missing; a ``.skipped`` file beside it holds why it could not be."""
    bundle = pyscript_bundle()
    key = hashlib.sha256(
        json.dumps([hashlib.sha256(p.read_bytes()).hexdigest() for p in (bundle, MAKER)] + [runtime_sha256()]).encode()
    ).hexdigest()[:20]
    path = CACHE / f"{key}.json"
    if not path.is_file() and not path.with_suffix(".skipped").is_file():
        node = shutil.which("node")
        if node is None:
            raise SetupMissing("Node.js is needed to compile PyScript's package: run scripts/setup.sh")
        for old in [*CACHE.glob("*.json*"), *CACHE.glob("*.skipped")]:
            old.unlink()
        CACHE.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(".tmp")
        result = subprocess.run(
            [node, str(MAKER), str(bundle), str(scratch)], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        if result.returncode == NOT_FOUND:
            reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "sources not found"
            path.with_suffix(".skipped").write_text(reason)
        elif result.returncode != 0:
            raise RuntimeError(f"scripts/make_pycache.mjs failed: {(result.stderr or result.stdout)[-2000:]}")
        else:
            scratch.replace(path)
    return path


def skipped() -> str | None:
    """Why this build has no compiled package (the maker could not find the sources), or None when it has one."""
    marker = _cached().with_suffix(".skipped")
    return marker.read_text() if marker.is_file() else None


def write_pycache(site_dir: str | Path) -> Path | None:
    """Copy the compiled package into the built site; returns its path there, or None when it was skipped."""
    reason = skipped()
    if reason is not None:
        _log.warning("roofline: PyScript's package is not compiled at build time (it compiles in the page): %s", reason)
        return None
    target = Path(site_dir) / PYCACHE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_cached(), target)
    return target
