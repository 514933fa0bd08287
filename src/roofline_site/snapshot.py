"""The Python heap the simulator boots from: a Pyodide memory snapshot made at build time.

A plain Pyodide boot starts CPython, then compiles every module it imports
from the standard library's sources. The build does that once, under Node
(``scripts/make_snapshot.mjs``), with the roofline wheel installed and the
modules that ``docs/simulator/main.py`` imports already imported, and ships
the resulting WebAssembly heap; ``docs/assets/javascripts/pyodide-boot.mjs``
restores it in the browser and falls back to a plain boot if it cannot.

The file the site serves is this module's own frame around Pyodide's
snapshot, so the browser can refuse a stale or damaged one before handing it
to Pyodide::

    8 bytes   MAGIC
    4 bytes   length of the metadata, little-endian
    metadata  JSON: wheel_sha256, pyodide, runtime_sha256, modules, lock
              (the lock file less its packages), heap_bytes (Pyodide's snapshot) and body_bytes (as shipped)
    padding   zeros up to a multiple of 16 bytes
    body      Pyodide's snapshot without its trailing zeros (restored by
              padding back to heap_bytes)

Making one takes about 20 s, so it is cached under ``build/snapshot/`` by a
key of everything it depends on (the wheel, the Pyodide runtime files, the
module list, the maker script and this module) and remade only when one of them changes.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .assets import NODE_MODULES, ROOT, WHEELS, SetupMissing, wheel_path

__all__ = [
    "MAGIC",
    "SNAPSHOT_FILE",
    "SnapshotError",
    "frame",
    "make_snapshot",
    "read_metadata",
    "runtime_sha256",
    "snapshot_modules",
    "wheel_sha256",
    "write_snapshot",
]

#: The snapshot's path in the built site.
SNAPSHOT_FILE = "assets/snapshot/roofline.snapshot"
#: The first bytes of the framed snapshot; bump the digits if the frame changes.
MAGIC = b"RLSNAP01"
#: Standard-library modules PyScript itself imports after Python starts (its
#: ``pyscript`` package, and unpacking the wheel), found by listing
#: ``sys.modules`` in the browser after a snapshot boot; imported in advance too.
PYSCRIPT_STDLIB = ("encodings.cp437", "html", "html.entities", "sysconfig")
#: The page whose imports the snapshot makes in advance.
MAIN_PY = ROOT / "docs" / "simulator" / "main.py"
MAKER = ROOT / "scripts" / "make_snapshot.mjs"
CACHE = ROOT / "build" / "snapshot"
# The runtime files whose bytes end up in (or must match) the heap: the
# WebAssembly and its JavaScript glue, and the standard library whose zip
# directory CPython caches in the heap.
_RUNTIME_FILES = ("pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "package.json")


class SnapshotError(RuntimeError):
    """A snapshot could not be made, or a file is not a snapshot of ours."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def wheel_sha256(wheel: Path | None = None) -> str:
    """SHA-256 (hex) of the wheel the site serves: the key a page checks."""
    return _sha256(wheel or wheel_path())


def runtime_sha256() -> str:
    """One SHA-256 over the vendored Pyodide files a snapshot depends on."""
    digest = hashlib.sha256()
    for name in _RUNTIME_FILES:
        path = NODE_MODULES / "pyodide" / name
        if not path.is_file():
            raise SetupMissing(f"{path} is missing: run scripts/setup.sh (it runs npm ci)")
        digest.update(f"{name}:{_sha256(path)}\n".encode())
    return digest.hexdigest()


def _pyodide_version() -> str:
    return json.loads((NODE_MODULES / "pyodide" / "package.json").read_text())["version"]


def _imports(tree: ast.AST, package: str, in_wheel: set[str]) -> set[str]:
    """Every module a parsed file imports, at the top or inside a function.

    ``from a import b`` counts ``a.b`` too when the wheel has that submodule;
    relative imports are resolved against ``package``.
    """
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in in_wheel)
    return found


def snapshot_modules(main_py: Path = MAIN_PY, wheel: Path | None = None) -> list[str]:
    """Every module the page can import that the snapshot can hold, sorted.

    The closure of ``main_py``'s imports through the wheel: each module the
    page imports, then each module those import, at the top or inside a
    function, until nothing new turns up; with the standard-library modules
    met on the way. So a snapshot boot never needs the wheel's files: every
    roofline module the page could reach is already imported (checked by
    ``tests/test_snapshot.py``). Browser-only modules (``js``, ``pyodide``,
    ``pyscript``) are left to the page; :data:`PYSCRIPT_STDLIB` is added.
    Deriving the list from the sources means a renamed or added module needs
    no edit here.
    """
    with zipfile.ZipFile(wheel or wheel_path()) as archive:
        sources = {
            n[: -len(".py")].removesuffix("/__init__").replace("/", "."): (archive.read(n), n.endswith("__init__.py"))
            for n in archive.namelist()
            if n.endswith(".py")
        }
    in_wheel = set(sources)
    tops = {name.split(".")[0] for name in in_wheel}
    pending = _imports(ast.parse(main_py.read_text(), str(main_py)), "", in_wheel)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        # Importing a.b.c runs a and a.b first.
        pending.update(".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1))
        if name in sources:
            text, is_package = sources[name]
            package = name if is_package else name.rpartition(".")[0]
            pending.update(_imports(ast.parse(text, name), package, in_wheel) - seen)
    keep = {
        name
        for name in seen
        if name in in_wheel or (name.split(".")[0] not in tops and name.split(".")[0] in sys.stdlib_module_names)
    }
    return sorted((keep - {"js"}) | set(PYSCRIPT_STDLIB))


def frame(heap: bytes, metadata: dict) -> bytes:
    """The file the site serves: :data:`MAGIC`, metadata, padding, trimmed heap."""
    body = heap.rstrip(b"\0")
    meta = json.dumps({**metadata, "heap_bytes": len(heap), "body_bytes": len(body)}, sort_keys=True).encode()
    head = MAGIC + struct.pack("<I", len(meta)) + meta
    return head + b"\0" * (-len(head) % 16) + body


def read_metadata(data: bytes) -> dict:
    """The metadata of a framed snapshot, checked for shape and length.

    Raises:
        SnapshotError: if ``data`` is not a whole snapshot in our frame.
    """
    if data[: len(MAGIC)] != MAGIC:
        raise SnapshotError(f"not a roofline snapshot (starts with {data[:8]!r})")
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    try:
        meta = json.loads(data[start : start + size])
    except ValueError as error:
        raise SnapshotError(f"snapshot metadata is not JSON: {error}") from None
    offset = start + size + (-(start + size) % 16)
    if len(data) - offset != meta.get("body_bytes"):
        raise SnapshotError(f"snapshot body is {len(data) - offset} bytes, its metadata says {meta.get('body_bytes')!r}")
    return meta


def make_snapshot(wheel: Path, modules: list[str], out: Path) -> dict:
    """Run ``scripts/make_snapshot.mjs`` under Node and frame its heap into ``out``."""
    node = shutil.which("node")
    if node is None:
        raise SetupMissing("Node.js is needed to make the Python snapshot: run scripts/setup.sh")
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = Path(scratch) / "wheel"
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
        heap = Path(scratch) / "heap"
        result = subprocess.run(
            [node, str(MAKER), str(unpacked), str(heap), *modules],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise SnapshotError(f"scripts/make_snapshot.mjs failed: {(result.stderr or result.stdout)[-2000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        lock = json.loads((NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
        metadata = {
            "wheel_sha256": wheel_sha256(wheel),
            # What Pyodide needs of its lock file when no package is loaded, so
            # a snapshot boot skips fetching the whole file.
            "lock": {"info": lock["info"], "packages": {}},
            "pyodide": report["python"],
            "runtime_sha256": runtime_sha256(),
            "modules": modules,
            "imported": report["imported"],
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(frame(heap.read_bytes(), metadata))
    return metadata


def cached_snapshot() -> Path:
    """The framed snapshot for the current wheel and runtime, made if not cached."""
    wheel = wheel_path()
    modules = snapshot_modules(wheel=wheel)
    key = hashlib.sha256(
        json.dumps([wheel_sha256(wheel), runtime_sha256(), modules, _sha256(MAKER), _sha256(Path(__file__))]).encode()
    ).hexdigest()[:20]
    path = CACHE / f"{key}.snapshot"
    if not path.is_file():
        for old in CACHE.glob("*.snapshot*"):
            old.unlink()
        make_snapshot(wheel, modules, path.with_suffix(".tmp"))
        path.with_suffix(".tmp").replace(path)
    if _pyodide_version() != read_metadata(path.read_bytes())["pyodide"]:
        raise SnapshotError(f"{path} was made by another Pyodide than {_pyodide_version()}")
    return path


def write_snapshot(site_dir: str | Path) -> Path:
    """Copy the cached snapshot into the built site; returns its path there.

    Raises:
        SnapshotError: if the snapshot was not made for the wheel the site
            serves (``copy_runtime`` must have copied the wheel first).
    """
    site = Path(site_dir)
    target = site / SNAPSHOT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached_snapshot(), target)
    served = site / WHEELS / wheel_path().name
    made_for = read_metadata(target.read_bytes())["wheel_sha256"]
    if not served.is_file() or made_for != wheel_sha256(served):
        raise SnapshotError(f"{target} was made for wheel {made_for[:12]}…, not the one the site serves ({served})")
    return target
