"""Gzip copies of the built site's files, for hosts that serve precompressed files.

A static host compresses what it serves (GitHub Pages does it on the fly;
nginx's ``gzip_static`` and ``scripts/static_server.py`` send a ``FILE.gz``
next to ``FILE`` with ``Content-Encoding: gzip``). Writing the copies at build
time means the largest files, the WebAssembly runtime and the Python
snapshot, are compressed once and as hard as is worth it, never per request.

Every compressible file gets gzip (Python's standard library has it, and
every browser accepts it). Files of at least 256 KB (the runtime, plotly.js,
the Python snapshot) also get ``FILE.br``, brotli at quality 5 from Node's own
zlib (``scripts/brotli.mjs``; Node is already a build dependency): on the
snapshot it is about a sixth smaller than gzip, in seconds; quality 11 would
save a little more but takes minutes per snapshot. Browsers ask for brotli
only from secure origins (HTTPS, or this machine).

Large files' copies are cached under ``build/precompressed/`` by their
SHA-256, so a rebuild recompresses only what changed.

This file is a MkDocs hook (``hooks:`` in mkdocs.yml, after ``csp.py``): it
must run after every other step has written the pages, so it imports nothing
from the package around it.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path

__all__ = ["COMPRESSED_SUFFIXES", "MIN_BYTES", "on_post_build", "precompress"]

ROOT = Path(__file__).resolve().parents[2]

#: What gzip shrinks; zips, wheels, fonts and images are compressed already.
COMPRESSED_SUFFIXES = frozenset(
    {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".snapshot", ".svg", ".xml", ".txt", ".py", ".map"}
)
#: Below this a compressed copy saves less than a network packet.
MIN_BYTES = 1024
_CACHE = ROOT / "build" / "precompressed"
# Above this, a file's copy is cached across builds.
_CACHE_BYTES = 256 * 1024


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same input gives the same bytes, build after build.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _gzip_file(source: Path, target: Path) -> None:
    target.write_bytes(_gzip(source.read_bytes()))


def _brotli_file(source: Path, target: Path) -> None:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for the brotli copies: run scripts/setup.sh")
    subprocess.run([node, str(ROOT / "scripts" / "brotli.mjs"), str(source), str(target)], check=True, timeout=600)


def precompress(site_dir: str | Path, cache: Path = _CACHE) -> int:
    """Write ``FILE.gz`` (and for large files ``FILE.br``) beside each compressible file; returns how many."""
    site = Path(site_dir)
    written = 0
    keep: set[Path] = set()
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSED_SUFFIXES or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        target = path.with_name(path.name + ".gz")
        if len(data) < _CACHE_BYTES:
            target.write_bytes(_gzip(data))
        else:
            digest = hashlib.sha256(data).hexdigest()
            for suffix, make in ((".gz", _gzip_file), (".br", _brotli_file)):
                cached = cache / f"{digest}{suffix}"
                if not cached.is_file():
                    cache.mkdir(parents=True, exist_ok=True)
                    make(path, cached.with_suffix(".tmp"))
                    cached.with_suffix(".tmp").replace(cached)
                keep.add(cached)
                shutil.copyfile(cached, path.with_name(path.name + suffix))
        written += 1
    # Drop copies of files that no longer exist in this form, so the cache
    # stays the size of one site (not when compressing a site without large files).
    if keep and cache.is_dir():
        for stale in [*cache.glob("*.gz"), *cache.glob("*.br")]:
            if stale not in keep:
                stale.unlink()
    return written


def on_post_build(config) -> None:  # type: ignore[no-untyped-def]
    """Compress the finished site (the CSP hook has filled in every page by now)."""
    precompress(config["site_dir"])
