"""Gzip and brotli copies of the built site's files, for hosts that serve precompressed files.

A static host compresses what it serves (GitHub Pages does it on the fly;
nginx's ``gzip_static`` and ``scripts/static_server.py`` send a ``FILE.gz``
next to ``FILE`` with ``Content-Encoding: gzip``). Writing the copies at build
time means the largest files, the WebAssembly runtime and the Python
snapshot, are compressed once and as hard as is worth it, never per request.

Every compressible file gets gzip (Python's standard library has it, and
every browser accepts it). Files of at least 256 KB (the runtime, plotly.js,
the Python snapshot, its standard library) also get ``FILE.br``, brotli from
Node's own zlib (``scripts/brotli.mjs``; Node is already a build
dependency). Browsers ask for brotli only from secure origins (HTTPS, or
this machine).

Brotli's quality, :data:`BROTLI_QUALITY`, is 11, the highest. Measured on
this 2-core machine with Pyodide 314.0.7 (window 16 MB; bytes on the wire,
and seconds to compress):

=====================  ===============  ===============  ===============  ===============
file                   quality 5        quality 9        quality 10       quality 11
=====================  ===============  ===============  ===============  ===============
snapshot (XOR-ed)      3.47 MB, 1.5 s   3.24 MB, 4.6 s   2.97 MB, 30 s    2.89 MB, 33 s
pyodide.asm.wasm       3.28 MB, 3.5 s   3.13 MB, 14 s    2.86 MB, 81 s    2.77 MB, 43 s
trimmed stdlib zip     0.41 MB, 0.1 s                                     0.36 MB, 10 s
=====================  ===============  ===============  ===============  ===============

Quality 11 against 5 saves about 1.1 MB for a phone's snapshot boot, a
second at 9 Mbit/s, and costs about a minute and a half of one core per
fresh build (a CI run from a clean clone builds once); the large files are
compressed in parallel, so the wait is about that of the slowest. The large
files' copies are kept in ``build/precompressed/``, keyed as every build cache
is (:mod:`roofline_site.buildcache`) by the file's bytes and how it is
compressed, so a local rebuild recompresses only what changed: the snapshot,
when the wheel changed (about half a minute).

A ``.zip`` is compressible when its entries are stored rather than
deflated (the trimmed standard library, :mod:`roofline_site.runtime.stdlib`); a zip of deflated
entries (Pyodide's own, the wheel) is not compressed again.

:func:`precompress` is the roofline plugin's last step
(:data:`roofline_site.plugin.POST_BUILD`): it must run after every other step
has written its files, the CSP filled into the pages included.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from ..buildcache import cached, inputs_key, key_file

__all__ = ["BROTLI_QUALITY", "COMPRESSED_SUFFIXES", "MIN_BYTES", "compressible", "precompress"]

ROOT = Path(__file__).resolve().parents[3]

#: What gzip shrinks; fonts and images are compressed already, and so are
#: zips unless their entries are stored (:func:`compressible`).
COMPRESSED_SUFFIXES = frozenset(
    {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".snapshot", ".svg", ".xml", ".txt", ".py", ".map"}
)
#: Below this a compressed copy saves less than a network packet.
MIN_BYTES = 1024
#: Brotli's quality for the large files (0 to 11); the table above says why 11.
BROTLI_QUALITY = 11
_GZIP_LEVEL = 6
_BROTLI = ROOT / "scripts" / "brotli.mjs"
_CACHE = ROOT / "build" / "precompressed"
# Above this, a file's copy is cached across builds (and gets brotli).
_CACHE_BYTES = 256 * 1024


def compressible(path: Path) -> bool:
    """True for a file worth a compressed copy: a text or binary format above,
    or a zip whose entries are all stored (uncompressed)."""
    if path.stat().st_size < MIN_BYTES:
        return False
    if path.suffix in COMPRESSED_SUFFIXES:
        return True
    if path.suffix != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    except zipfile.BadZipFile:
        return False


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same input gives the same bytes, build after build.
    return gzip.compress(data, compresslevel=_GZIP_LEVEL, mtime=0)


def _gzip_file(source: Path, target: Path) -> None:
    target.write_bytes(_gzip(source.read_bytes()))


def _brotli_file(source: Path, target: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for the brotli copies: run scripts/setup.sh")
    subprocess.run(
        [node, str(_BROTLI), str(source), str(target), str(BROTLI_QUALITY)],
        check=True,
        timeout=900,
    )


def precompress(site_dir: str | Path, cache: Path = _CACHE) -> int:
    """Write ``FILE.gz`` (and for large files ``FILE.br``) beside each compressible file; returns how many."""
    site = Path(site_dir)
    written = 0
    # (the copy in the cache, its key, how it is made from the file, the copy in the site)
    jobs: list[tuple[Path, str, Callable[[Path, Path], None], Path, Path]] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or not compressible(path):
            continue
        written += 1
        if path.stat().st_size < _CACHE_BYTES:
            path.with_name(path.name + ".gz").write_bytes(_gzip(path.read_bytes()))
            continue
        # One cache entry per site path: build/precompressed/assets--snapshot--roofline.snapshot.br
        name = path.relative_to(site).as_posix().replace("/", "--")
        for suffix, key, make in (
            (".gz", inputs_key(path, f"gzip level {_GZIP_LEVEL}"), _gzip_file),
            (".br", inputs_key(path, _BROTLI, f"brotli quality {BROTLI_QUALITY}"), _brotli_file),
        ):
            jobs.append((cache / (name + suffix), key, make, path, path.with_name(path.name + suffix)))
    # Brotli at quality 11 takes tens of seconds a file: run them side by side.
    with ThreadPoolExecutor() as pool:
        for made in [pool.submit(cached, copy, key, partial(make, source)) for copy, key, make, source, _ in jobs]:
            made.result()
    for copy, _, _, _, target in jobs:
        shutil.copyfile(copy, target)
    # Drop copies of files that no longer exist in this form, so the cache
    # stays the size of one site (not when compressing a site without large files).
    keep = {path for copy, *_ in jobs for path in (copy, key_file(copy))}
    if keep:
        for stale in cache.iterdir():
            if stale not in keep:
                stale.unlink()
    return written
