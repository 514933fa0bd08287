"""What the build makes once and keeps under ``build/``, remade only when what it is made from changes.

One rule for every such output (the wheel, the Python snapshot, PyScript's
bytecode, the compressed copies of the large files): beside the output, a
file or a folder, lies ``OUTPUT.key``, the SHA-256 of its inputs
(:func:`inputs_key`): the bytes of each input file, each file of an input
folder, and every other value that changes what is made (a module list, a
compression quality). The output is reused while that key is the key of
its inputs now (:func:`is_fresh`); otherwise :func:`cached` makes it again.

It is made under a temporary name beside it and renamed into place, and the
key is written last, so an interrupted make never leaves an output whose key
matches.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = ["cached", "file_sha256", "inputs_key", "is_fresh", "key_file"]


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inputs_key(*inputs: Path | str) -> str:
    """SHA-256 (hex) of what an output is made from, in the order given.

    A file counts by its bytes; a folder by each file under it, its path
    relative to the folder and its bytes (``__pycache__`` left out: Python
    writes it whenever it imports); a ``str`` as itself.
    """
    digest = hashlib.sha256()
    for item in inputs:
        if isinstance(item, str):
            digest.update(f"value\0{item}\0".encode())
        elif item.is_dir():
            files = sorted(p for p in item.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            for path in files:
                digest.update(f"file {path.relative_to(item).as_posix()}\0{file_sha256(path)}\0".encode())
        else:
            digest.update(f"file\0{file_sha256(item)}\0".encode())
    return digest.hexdigest()


def key_file(output: Path) -> Path:
    """Where the key of ``output`` is kept: ``OUTPUT.key`` beside it."""
    return output.with_name(output.name + ".key")


def is_fresh(output: Path, key: str) -> bool:
    """True when ``output`` exists and was made from inputs whose key is ``key``."""
    stamp = key_file(output)
    return output.exists() and stamp.is_file() and stamp.read_text() == key


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def cached(output: Path, key: str, make: Callable[[Path], object]) -> Path:
    """``output``, made again by ``make(temporary)`` unless it is fresh for ``key``; returns ``output``.

    ``make`` writes a file or a folder at the path it is given, which then
    replaces ``output``; the key is written beside it once it is in place.
    """
    if is_fresh(output, key):
        return output
    stamp = key_file(output)
    stamp.unlink(missing_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    _remove(temporary)
    output.parent.mkdir(parents=True, exist_ok=True)
    make(temporary)
    _remove(output)
    temporary.replace(output)
    stamp.write_text(key)
    return output
