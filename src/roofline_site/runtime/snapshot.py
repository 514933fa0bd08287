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
              (the lock file less its packages), heap_bytes (Pyodide's snapshot),
              body_bytes (as shipped), xor and stdlib (below)
    padding   zeros up to a multiple of 16 bytes
    body      Pyodide's snapshot, XOR-ed with pyodide.asm.wasm's active data
              segments, without its long runs of zeros: the metadata's
              ``extents`` list the [start, length] of each piece kept, in
              order, and the body is those pieces end to end

Two thirds of the heap are zeros once the data segments are XOR-ed out
(the stack, free memory the build zeroed, the data segments' unchanged
bytes). Compression shrinks them to nothing on the wire, but the browser
still moves every decoded byte through its network stack and the page's
stream reader, about a third of a second for 28 MB on the desktop profile:
dropping runs of :data:`MIN_ZERO_RUN` bytes or more ships about 11 MB instead.

Pyodide's snapshot is a header (``heap_offset_bytes`` long) and then a copy
of the WebAssembly memory, whose first 3 MB or so are still the bytes the
wasm's data segments put there. XOR-ing each segment in at
``heap_offset_bytes + its address`` (:mod:`.wasm`) makes those bytes zeros,
about 1.3 MB less of brotli. The browser does not read the wasm for it:
when Pyodide instantiates the wasm, the fresh memory holds exactly those
segments (with zeros between them, and no start function has run), so the
boot module takes the span ``image_start_bytes`` / ``image_bytes``
(:func:`.wasm.segment_span`) from there, checks its SHA-256 against
``xor.image_sha256``, and XORs it back in one pass before Pyodide copies
the heap in. ``xor.data_sha256`` (the wasm's data section) is what
:func:`unframe` checks at build time. The metadata's ``stdlib`` names the
trimmed standard library the snapshot was made with (:mod:`.stdlib`,
:data:`STDLIB_FILE`) and its SHA-256; a snapshot boot must load that zip and
no other, since zipimport's directory of it is in the heap.

Making one takes two runs of Pyodide under Node, about 10 s, so the snapshot
and its standard library are kept in ``build/snapshot/``, keyed as every build
cache is (:mod:`roofline_site.buildcache`) by everything they are made from
(the wheel, the Pyodide runtime files, the module list, the maker script and
the modules that frame and trim), and remade only when one of them changes.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ..buildcache import cached, file_sha256, inputs_key
from .assets import NODE_MODULES, ROOT, WHEELS, SetupMissing, wheel_path
from .stdlib import trim_stdlib
from .wasm import data_section, data_segments, segment_image, segment_span, xor_segments

__all__ = [
    "MAGIC",
    "MIN_ZERO_RUN",
    "SNAPSHOT_FILE",
    "STDLIB_FILE",
    "SnapshotError",
    "frame",
    "make_snapshot",
    "read_metadata",
    "runtime_sha256",
    "snapshot_modules",
    "unframe",
    "wheel_sha256",
    "write_snapshot",
]

#: The snapshot's path in the built site.
SNAPSHOT_FILE = "assets/snapshot/roofline.snapshot"
#: The trimmed standard library a snapshot boot loads (``stdLibURL``), beside the snapshot.
STDLIB_FILE = "assets/snapshot/python_stdlib.zip"
#: The first bytes of the framed snapshot; bump the digits if the frame changes.
MAGIC = b"RLSNAP03"
WASM = NODE_MODULES / "pyodide" / "pyodide.asm.wasm"
FULL_STDLIB = NODE_MODULES / "pyodide" / "python_stdlib.zip"
#: Zero runs at least this long are left out of the body (a few dozen pieces remain).
MIN_ZERO_RUN = 4096
#: Standard-library modules PyScript itself imports after Python starts (its
#: ``pyscript`` package, and unpacking the wheel), found by listing
#: ``sys.modules`` in the browser after a snapshot boot; imported in advance too.
PYSCRIPT_STDLIB = ("encodings.cp437", "html", "html.entities", "sysconfig")
#: The page whose imports the snapshot makes in advance.
MAIN_PY = ROOT / "docs" / "simulator" / "main.py"
#: The compare page's, whose imports the same snapshot holds too (one runtime for both pages).
COMPARE_PY = ROOT / "docs" / "compare" / "main.py"
MAKER = ROOT / "scripts" / "make_snapshot.mjs"
#: The folder the snapshot and its trimmed standard library are kept in, under their names in the site.
CACHE = ROOT / "build" / "snapshot"
# The maker and the modules that trim and frame: a change to any changes what a snapshot holds.
_MAKERS = (MAKER, Path(__file__), Path(__file__).with_name("stdlib.py"), Path(__file__).with_name("wasm.py"))
# The runtime files whose bytes end up in (or must match) the heap: the
# WebAssembly and its JavaScript glue, and the standard library whose zip
# directory CPython caches in the heap.
_RUNTIME_FILES = ("pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "package.json")


class SnapshotError(RuntimeError):
    """A snapshot could not be made, or a file is not a snapshot of ours."""


def wheel_sha256(wheel: Path | None = None) -> str:
    """SHA-256 (hex) of the wheel the site serves: the key a page checks."""
    return file_sha256(wheel or wheel_path())


def _runtime_files() -> list[Path]:
    paths = [NODE_MODULES / "pyodide" / name for name in _RUNTIME_FILES]
    for path in paths:
        if not path.is_file():
            raise SetupMissing(f"{path} is missing: run scripts/setup.sh (it runs npm ci)")
    return paths


def runtime_sha256() -> str:
    """One SHA-256 over the vendored Pyodide files a snapshot depends on."""
    return inputs_key(*_runtime_files())


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


def snapshot_modules(main_py: Path | tuple[Path, ...] = (MAIN_PY, COMPARE_PY), wheel: Path | None = None) -> list[str]:
    """Every module the page can import that the snapshot can hold, sorted.

    The closure of ``main_py``'s imports (by default both pages', the
    simulator's and the compare page's) through the wheel: each module the
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
    pending: set[str] = set()
    for page in (main_py,) if isinstance(main_py, Path) else main_py:
        pending |= _imports(ast.parse(page.read_text(), str(page)), "", in_wheel)
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


def frame(heap: bytes, metadata: dict, wasm: bytes | None = None) -> bytes:
    """The file the site serves: :data:`MAGIC`, metadata, padding, body.

    Args:
        heap: Pyodide's snapshot (its header, then the WebAssembly memory).
        metadata: what the browser checks before restoring.
        wasm: the ``pyodide.asm.wasm`` the snapshot was made with; when given,
            the body is XOR-ed with its active data segments and the metadata
            says so (``xor``), else the body is ``heap`` as it is.
    """
    extra: dict = {"heap_bytes": len(heap)}
    if wasm is not None:
        # Pyodide's header is [magic, its own length, ...] as 32-bit words.
        (offset,) = struct.unpack_from("<I", heap, 4)
        segments = data_segments(wasm)
        heap = xor_segments(heap, segments, base_bytes=offset)
        start, length = segment_span(segments, base_bytes=offset)
        extra["xor"] = {
            "data_sha256": hashlib.sha256(data_section(wasm)).hexdigest(),
            "heap_offset_bytes": offset,
            # The span the segments cover, in whole words: the browser XORs it in one pass.
            "image_start_bytes": start,
            "image_bytes": length,
            # That span of memory as the wasm starts: the browser checks it before undoing the XOR.
            "image_sha256": hashlib.sha256(segment_image(segments, start, length)).hexdigest(),
        }
    extents = _extents(heap)
    body = b"".join(heap[start : start + length] for start, length in extents)
    extra["extents"] = extents
    meta = json.dumps({**metadata, **extra, "body_bytes": len(body)}, sort_keys=True).encode()
    head = MAGIC + struct.pack("<I", len(meta)) + meta
    return head + b"\0" * (-len(head) % 16) + body


def _extents(heap: bytes) -> list[list[int]]:
    """[start, length] of each piece of ``heap`` between zero runs of :data:`MIN_ZERO_RUN` or more.

    >>> _extents(bytes(5000) + b"ab" + bytes(10) + b"c" + bytes(5000) + b"d" + bytes(9))
    [[5000, 13], [10013, 1]]
    """
    # Trailing zeros of any length go too: the browser's buffer is zeros.
    heap = heap.rstrip(b"\0")
    extents: list[list[int]] = []
    at = 0
    for run in re.finditer(rb"\0{%d,}" % MIN_ZERO_RUN, heap):
        if run.start() > at:
            extents.append([at, run.start() - at])
        at = run.end()
    if at < len(heap):
        extents.append([at, len(heap) - at])
    return extents


def _body_start(data: bytes) -> int:
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    end = len(MAGIC) + 4 + size
    return end + (-end % 16)


def unframe(data: bytes, wasm: bytes | None = None) -> bytes:
    """Pyodide's snapshot back from a framed one: what the browser hands Pyodide.

    Raises:
        SnapshotError: if ``data`` is not whole, or was XOR-ed against
            another wasm than ``wasm`` (or ``wasm`` is missing).
    """
    meta = read_metadata(data)
    heap = bytearray(meta["heap_bytes"])
    at = _body_start(data)
    for start, length in meta["extents"]:
        heap[start : start + length] = data[at : at + length]
        at += length
    heap = bytes(heap)
    xor = meta.get("xor")
    if xor is None:
        return heap
    if wasm is None or hashlib.sha256(data_section(wasm)).hexdigest() != xor["data_sha256"]:
        raise SnapshotError("the snapshot was XOR-ed against another pyodide.asm.wasm")
    return xor_segments(heap, data_segments(wasm), base_bytes=xor["heap_offset_bytes"])


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
    offset = _body_start(data)
    if len(data) - offset != meta.get("body_bytes"):
        raise SnapshotError(f"snapshot body is {len(data) - offset} bytes, its metadata says {meta.get('body_bytes')!r}")
    return meta


def _run_maker(unpacked: Path, out: str, modules: list[str], *extra: str) -> dict:
    node = shutil.which("node")
    if node is None:
        raise SetupMissing("Node.js is needed to make the Python snapshot: run scripts/setup.sh")
    result = subprocess.run(
        [node, str(MAKER), str(unpacked), out, *extra, *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SnapshotError(f"scripts/make_snapshot.mjs failed: {(result.stderr or result.stdout)[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def make_snapshot(wheel: Path, modules: list[str], out: Path, stdlib_out: Path) -> dict:
    """Make the trimmed standard library (``stdlib_out``) and the framed snapshot (``out``).

    Two runs of ``scripts/make_snapshot.mjs``: the first only imports, to
    learn every module the imports pull in (whose files the trimmed zip can
    drop); the second imports again, swaps the trimmed zip in, and snapshots.
    """
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = Path(scratch) / "wheel"
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
        first = _run_maker(unpacked, "-", modules)
        stdlib_out.parent.mkdir(parents=True, exist_ok=True)
        trim_stdlib(FULL_STDLIB, first["modules"], stdlib_out)
        heap = Path(scratch) / "heap"
        report = _run_maker(unpacked, str(heap), modules, f"--stdlib={stdlib_out}")
        if report["modules"] != first["modules"]:
            changed = sorted(set(report["modules"]) ^ set(first["modules"]))
            raise SnapshotError(f"the two runs of scripts/make_snapshot.mjs imported different modules: {changed}")
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
            # A file name relative to the snapshot's own URL.
            "stdlib": {"file": Path(STDLIB_FILE).name, "sha256": file_sha256(stdlib_out)},
        }
        wasm = WASM.read_bytes()
        framed = frame(heap.read_bytes(), metadata, wasm)
        if unframe(framed, wasm) != heap.read_bytes():
            raise SnapshotError("the framed snapshot does not give Pyodide's snapshot back")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(framed)
    return metadata


def cached_snapshot() -> Path:
    """The framed snapshot for the current wheel and runtime, made if its inputs changed.

    Its trimmed standard library is beside it, :func:`cached_stdlib`.
    """
    wheel = wheel_path()
    modules = snapshot_modules(wheel=wheel)
    key = inputs_key(wheel, *_runtime_files(), json.dumps(modules), *_MAKERS)

    def make(folder: Path) -> None:
        make_snapshot(wheel, modules, folder / Path(SNAPSHOT_FILE).name, folder / Path(STDLIB_FILE).name)

    path = cached(CACHE, key, make) / Path(SNAPSHOT_FILE).name
    if _pyodide_version() != read_metadata(path.read_bytes())["pyodide"]:
        raise SnapshotError(f"{path} was made by another Pyodide than {_pyodide_version()}")
    return path


def cached_stdlib() -> Path:
    """The trimmed standard library the cached snapshot was made with."""
    return cached_snapshot().with_name(Path(STDLIB_FILE).name)


def write_snapshot(site_dir: str | Path) -> Path:
    """Copy the cached snapshot and its standard library into the built site; returns the snapshot's path.

    Raises:
        SnapshotError: if the snapshot was not made for the wheel the site
            serves (``copy_runtime`` must have copied the wheel first), or
            with another standard library than the one beside it.
    """
    site = Path(site_dir)
    target = site / SNAPSHOT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    made = cached_snapshot()
    shutil.copy2(made, target)
    shutil.copy2(made.with_name(Path(STDLIB_FILE).name), site / STDLIB_FILE)
    meta = read_metadata(target.read_bytes())
    served = site / WHEELS / wheel_path().name
    made_for = meta["wheel_sha256"]
    if not served.is_file() or made_for != wheel_sha256(served):
        raise SnapshotError(f"{target} was made for wheel {made_for[:12]}…, not the one the site serves ({served})")
    if file_sha256(site / STDLIB_FILE) != meta["stdlib"]["sha256"]:
        raise SnapshotError(f"{site / STDLIB_FILE} is not the standard library {target} was made with")
    return target
