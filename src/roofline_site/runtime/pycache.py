"""Bytecode for PyScript's own Python package, made at build time.

PyScript writes its ``pyscript`` package's sources into Pyodide's file system
on every page and imports them; after a snapshot boot CPython would compile
them cold. ``scripts/make_pycache.mjs`` compiles them once, under Node with
the same Pyodide, into checked-hash ``.pyc`` files, and the simulator's boot
module (``pyodide-boot.mjs``) writes those into the file system before
PyScript imports the package. A checked-hash ``.pyc`` is used only when its
source is byte for byte the one compiled, so a mismatch costs the compile it
would have cost anyway, never a wrong module.

Kept in ``build/pycache/``, keyed as every build cache is
(:mod:`roofline_site.buildcache`) by its inputs: PyScript's bundle, the maker
script and the Pyodide runtime. :func:`compile_pycache` makes it, as an
explicit step: the site build runs it before any page renders (the roofline
plugin's ``on_pre_build``: the pages' boot markup depends on whether it was
skipped), and so do setup and the test session; :func:`skipped` and
:func:`write_pycache` only read it.

The maker finds the sources in PyScript's minified bundle by the shape of the
code around them. It buys 0.1 to 0.4 s, so a PyScript that bundles them
otherwise must not stop the build: the maker then exits with
:data:`NOT_FOUND`, the build logs a warning and goes on without the bytecode
(:func:`skipped` gives the reason, kept in the cache in place of the
bytecode so the next build does not ask again), the page is not told to
fetch the file (:func:`.boot.runtime_files`), and the boot module is told there is none
(``pycache=none`` in its URL), so PyScript's package compiles in the page as
it would without this step.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from ..buildcache import cached, inputs_key, is_fresh
from .assets import NODE_MODULES, ROOT, SetupMissing
from .snapshot import runtime_sha256

__all__ = ["NOT_FOUND", "PYCACHE_FILE", "compile_pycache", "pyscript_bundle", "skipped", "write_pycache"]

#: The compiled package's path in the built site.
PYCACHE_FILE = "assets/snapshot/pyscript.pycache.json"
MAKER = ROOT / "scripts" / "make_pycache.mjs"
#: The folder that holds the compiled package (``pyscript.pycache.json``), or why it could not be made (``skipped.txt``).
CACHE = ROOT / "build" / "pycache"
_COMPILED = Path(PYCACHE_FILE).name
_SKIPPED = "skipped.txt"
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


def _key(bundle: Path) -> str:
    return inputs_key(bundle, MAKER, runtime_sha256())


def compile_pycache() -> Path:
    """Compile PyScript's package into :data:`CACHE` unless what is there was made from the inputs as they are; returns it.

    The folder then holds the compiled package, or ``skipped.txt`` with why it
    could not be made (:func:`skipped`).
    """
    bundle = pyscript_bundle()
    return cached(CACHE, _key(bundle), lambda folder: _compile(bundle, folder))


def _made() -> Path:
    """The folder :func:`compile_pycache` made from the inputs as they are now; makes nothing.

    Raises:
        SetupMissing: if there is none, or it was made from another bundle, maker or Pyodide.
    """
    if not is_fresh(CACHE, _key(pyscript_bundle())):
        raise SetupMissing(
            f"PyScript's compiled package in {CACHE} is missing or was made from other inputs: the site build "
            "makes it before its pages render (roofline_site.runtime.compile_pycache), or run scripts/setup.sh"
        )
    return CACHE


def _compile(bundle: Path, folder: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise SetupMissing("Node.js is needed to compile PyScript's package: run scripts/setup.sh")
    folder.mkdir()
    result = subprocess.run(
        [node, str(MAKER), str(bundle), str(folder / _COMPILED)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode == NOT_FOUND:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "sources not found"
        (folder / _SKIPPED).write_text(reason)
    elif result.returncode != 0:
        raise RuntimeError(f"scripts/make_pycache.mjs failed: {(result.stderr or result.stdout)[-2000:]}")


def skipped() -> str | None:
    """Why this build has no compiled package (the maker could not find the sources), or None when it has one."""
    marker = _made() / _SKIPPED
    return marker.read_text() if marker.is_file() else None


def write_pycache(site_dir: str | Path) -> Path | None:
    """Copy the compiled package into the built site; returns its path there, or None when it was skipped."""
    reason = skipped()
    if reason is not None:
        _log.warning("roofline: PyScript's package is not compiled at build time (it compiles in the page): %s", reason)
        return None
    target = Path(site_dir) / PYCACHE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(_made() / _COMPILED, target)
    return target
