"""The Python snapshot the simulator boots from: made at build time, keyed, framed, restorable."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import threading
import urllib.request
import zipfile
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from roofline.web.article import ARTICLE
from roofline_site.runtime import boot, snapshot, stdlib
from roofline_site.runtime import wasm as wasm_module
from roofline_site.serve import compress

ROOT = Path(__file__).resolve().parents[2]
#: The snapshot API is underscored (experimental): bumping Pyodide must be a deliberate act.
PINNED_PYODIDE = "314.0.7"


def test_pyodide_is_pinned_because_the_snapshot_api_is_experimental() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == PINNED_PYODIDE
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"] == PINNED_PYODIDE


def test_the_modules_to_preload_come_from_what_main_py_imports(tmp_path: Path) -> None:
    modules = snapshot.snapshot_modules()
    assert {"json", "roofline.web.article", "roofline.web.realistic"} <= set(modules)
    assert not {"js", "pyodide", "pyodide.ffi", "pyscript"} & set(modules)
    # A page importing something else gets that instead, with no list to edit.
    page = tmp_path / "main.py"
    page.write_text("import js\nfrom roofline import units\nfrom roofline.model import crossover\nimport csv\n")
    derived = set(snapshot.snapshot_modules(page))
    assert {"roofline", "roofline.units", "roofline.model", "csv"} <= derived
    assert "roofline.simulator" not in derived and "js" not in derived
    # Followed through the wheel: what units.py imports comes too, and nothing the page cannot reach.
    assert "roofline.checks" in derived and "roofline.cli" not in derived


def test_the_snapshot_holds_every_roofline_module_the_page_can_reach() -> None:
    """Closed under import, inside functions too: a snapshot boot never needs the wheel's files."""
    import ast
    import zipfile

    from roofline_site.runtime.assets import wheel_path

    modules = set(snapshot.snapshot_modules())
    with zipfile.ZipFile(wheel_path()) as archive:
        files = [n for n in archive.namelist() if n.endswith(".py")]
        sources = {n[: -len(".py")].removesuffix("/__init__").replace("/", "."): archive.read(n) for n in files}
        packages = {n[: -len("/__init__.py")].replace("/", ".") for n in files if n.endswith("/__init__.py")}
    checked = 0
    for name in modules & set(sources):
        package = name if name in packages else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(sources[name])):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # from ..model import x, in roofline.web.article: roofline.model
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
                base = ".".join(part for part in (base, node.module or "") if part)
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            checked += 1
            reached = {n for n in names if n.split(".")[0] == "roofline" and n in sources}
            assert reached <= modules, (name, reached - modules)
    assert checked > 50
    assert {"roofline.web.realistic", "roofline.serving", "roofline.speculative"} <= modules


def test_frame_round_trip_and_refusals() -> None:
    heap = b"\x01\x02\x03\x04" * 8 + b"\0" * 64
    framed = snapshot.frame(heap, {"wheel_sha256": "ab", "pyodide": PINNED_PYODIDE})
    meta = snapshot.read_metadata(framed)
    assert meta["heap_bytes"] == len(heap) and meta["body_bytes"] == 32  # trailing zeros trimmed
    assert "xor" not in meta and snapshot.unframe(framed) == heap
    # Long zero runs inside the heap are left out too, and put back.
    gappy = b"\x07" * 8 + bytes(3 * snapshot.MIN_ZERO_RUN) + b"\x09" * 8 + bytes(5)
    framed_gappy = snapshot.frame(gappy, {"pyodide": PINNED_PYODIDE})
    meta = snapshot.read_metadata(framed_gappy)
    assert meta["extents"] == [[0, 8], [8 + 3 * snapshot.MIN_ZERO_RUN, 8]] and meta["body_bytes"] == 16
    assert snapshot.unframe(framed_gappy) == gappy
    with pytest.raises(snapshot.SnapshotError, match="body is 31 bytes"):
        snapshot.read_metadata(framed[:-1])
    with pytest.raises(snapshot.SnapshotError, match="not a roofline snapshot"):
        snapshot.read_metadata(b"\0" * len(framed))


def _boot_module_reads(framed: bytes, wheel: str, tmp_path: Path) -> dict:
    """How ``pyodide-boot.mjs`` boots from ``framed`` (under Node, with a stand-in Pyodide: tests/js/support)."""
    node = shutil.which("node")
    assert node, "Node.js is required (scripts/setup.sh installs it)"
    path = tmp_path / "framed.snapshot"
    path.write_bytes(framed)
    harness = ROOT / "tests" / "js" / "support" / "boot-harness.mjs"
    result = subprocess.run([node, str(harness), str(path), wheel], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_boot_module_reads_the_frame_python_writes(tmp_path: Path) -> None:
    """One frame format in two languages: MAGIC, the metadata's length, the padding and the extents agree.

    A frame made by :func:`snapshot.frame` passes every check of the boot
    module's and reaches Pyodide (here a stand-in, which refuses the heap) as
    the very heap it was made from, each piece back at its place; with
    another magic the boot module refuses it as not a snapshot.
    """
    wheel = "d" * 64
    heap = bytes(snapshot.MIN_ZERO_RUN) + b"abcd" + bytes(snapshot.MIN_ZERO_RUN) + b"efgh" + bytes(8)
    meta = {
        "wheel_sha256": wheel,
        "pyodide": PINNED_PYODIDE,
        "lock": {"info": {}, "packages": {}},
        "stdlib": {"file": Path(snapshot.STDLIB_FILE).name, "sha256": "0" * 64},
        # What frame() writes when given the wasm (not needed for the boot module's checks).
        "xor": {"image_bytes": 4, "image_start_bytes": 0, "heap_offset_bytes": 0, "image_sha256": "0" * 64},
    }
    framed = snapshot.frame(heap, meta)
    assert snapshot.read_metadata(framed)["extents"] == [[snapshot.MIN_ZERO_RUN, 4], [2 * snapshot.MIN_ZERO_RUN + 4, 4]]
    seen = _boot_module_reads(framed, wheel, tmp_path)
    assert seen["boot"] == "plain" and seen["reason"].startswith("Pyodide refused it:"), seen
    assert seen["heap_sha256"] == hashlib.sha256(heap).hexdigest()
    other = b"RLSNAP00" + framed[len(snapshot.MAGIC) :]
    assert _boot_module_reads(other, wheel, tmp_path)["reason"] == "it is not a roofline snapshot"


def test_the_cached_snapshot_is_keyed_to_this_wheel_and_runtime() -> None:
    path = snapshot.cached_snapshot()
    meta = snapshot.read_metadata(path.read_bytes())
    assert meta["wheel_sha256"] == snapshot.wheel_sha256()
    assert meta["runtime_sha256"] == snapshot.runtime_sha256()
    assert meta["pyodide"] == PINNED_PYODIDE
    assert meta["modules"] == snapshot.snapshot_modules()
    assert {"roofline.web.article", "roofline.web.realistic"} <= set(meta["imported"])
    # Cached: asking again makes nothing new.
    assert snapshot.cached_snapshot() == path and path.stat().st_mtime == snapshot.cached_snapshot().stat().st_mtime
    assert json.dumps(meta["lock"]["packages"]) == "{}"


def test_the_site_gets_the_snapshot_of_the_wheel_it_serves(built_site: Path) -> None:
    meta = snapshot.read_metadata((built_site / snapshot.SNAPSHOT_FILE).read_bytes())
    (served,) = (built_site / "assets" / "wheels").glob("roofline-*.whl")
    assert meta["wheel_sha256"] == snapshot.wheel_sha256(served)
    assert f"&amp;wheel={meta['wheel_sha256']}" in (built_site / "simulator" / "index.html").read_text()


def test_a_snapshot_for_another_wheel_is_refused_at_build_time(tmp_path: Path) -> None:
    wheels = tmp_path / "assets" / "wheels"
    wheels.mkdir(parents=True)
    (wheels / snapshot.wheel_path().name).write_bytes(b"another wheel")
    with pytest.raises(snapshot.SnapshotError, match="not the one the site serves"):
        snapshot.write_snapshot(tmp_path)


@pytest.mark.slow
def test_pyodide_restores_the_snapshot_under_node(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is required (scripts/setup.sh installs it)"
    framed = snapshot.cached_snapshot()
    heap = tmp_path / "heap"
    heap.write_bytes(snapshot.unframe(framed.read_bytes(), snapshot.WASM.read_bytes()))
    result = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "restore_snapshot.mjs"), str(framed), str(heap), str(snapshot.cached_stdlib())],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["python"].startswith("3.14")
    assert {"roofline.web.article", "roofline.web.realistic"} <= set(seen["preloaded"])
    assert seen["query"] == ARTICLE.encode(ARTICLE.default)
    # Kept in the trimmed zip and not imported by the snapshot: they import
    # (json.tool from a package whose __init__.py the zip no longer holds).
    kept = ("statistics", "csv", "json.tool", "urllib.parse", "datetime", "pyodide.http")
    assert {name: seen["imports"][name] for name in kept} == dict.fromkeys(kept, True)
    # What stdlib.NOT_IN_A_PAGE drops is gone after a snapshot boot.
    assert {name: seen["imports"][name] for name in ("email", "xml.dom", "unittest")} == dict.fromkeys(
        ("email", "xml.dom", "unittest"), False
    )


def test_the_frame_xors_the_wasm_data_segments_out_and_back() -> None:
    wasm = snapshot.WASM.read_bytes()
    framed = snapshot.cached_snapshot().read_bytes()
    meta = snapshot.read_metadata(framed)
    assert meta["xor"]["data_sha256"] == hashlib.sha256(wasm_module.data_section(wasm)).hexdigest()
    heap = snapshot.unframe(framed, wasm)
    assert len(heap) == meta["heap_bytes"] and heap[:4] != b"\0\0\0\0"
    # Most bytes the data segments put in memory are unchanged: zeros in the body.
    shipped_heap = bytearray(meta["heap_bytes"])
    at = len(framed) - meta["body_bytes"]
    for start, length in meta["extents"]:
        shipped_heap[start : start + length] = framed[at : at + length]
        at += length
    segments = wasm_module.data_segments(wasm)
    first = segments[0]
    at = meta["xor"]["heap_offset_bytes"] + first.address_bytes
    shipped = shipped_heap[at : at + len(first.data)]
    assert shipped.count(0) > 0.9 * len(first.data) > first.data.count(0)
    # With those zeros and the heap's empty stretches left out, most of the heap is not shipped.
    assert meta["body_bytes"] < 0.5 * meta["heap_bytes"]
    section = wasm_module.data_section(wasm)
    at = wasm.index(section) + len(section) // 2
    with pytest.raises(snapshot.SnapshotError, match=r"another pyodide\.asm\.wasm"):
        snapshot.unframe(framed, wasm[:at] + bytes([wasm[at] ^ 1]) + wasm[at + 1 :])
    with pytest.raises(snapshot.SnapshotError, match=r"another pyodide\.asm\.wasm"):
        snapshot.unframe(framed)


def test_the_trimmed_stdlib_is_stored_and_drops_imported_and_unneeded_files() -> None:
    meta = snapshot.read_metadata(snapshot.cached_snapshot().read_bytes())
    trimmed = snapshot.cached_stdlib()
    assert meta["stdlib"] == {"file": "python_stdlib.zip", "sha256": hashlib.sha256(trimmed.read_bytes()).hexdigest()}
    with zipfile.ZipFile(trimmed) as archive:
        infos = archive.infolist()
    names = {info.filename for info in infos}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
    assert "statistics.py" in names and "json/tool.py" in names and "encodings/utf_16.py" in names
    assert not {"json/__init__.py", "dataclasses.py", "os.py"} & names  # imported (os is frozen)
    assert not any(name.startswith(("email/", "xml/", "unittest/")) for name in names)
    assert not {"pdb.py", "encodings/cp1252.py", "encodings/shift_jis.py"} & names


def test_trim_stdlib_on_a_small_zip(tmp_path: Path) -> None:
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("json/__init__.py", "json/tool.py", "email/__init__.py", "pdb.py", "csv.py", "encodings/cp437.py"):
            archive.writestr(name, f"# {name}\n" * 50)
    out = tmp_path / "trimmed.zip"
    report = stdlib.trim_stdlib(full, ["json", "sys"], out)
    assert report.kept == ("json/tool.py", "csv.py")
    assert report.imported == ("json/__init__.py",)
    assert set(report.not_in_a_page) == {"email/__init__.py", "pdb.py", "encodings/cp437.py"}
    with zipfile.ZipFile(out) as archive:
        assert archive.read("csv.py") == b"# csv.py\n" * 50
        assert archive.getinfo("csv.py").compress_type == zipfile.ZIP_STORED
    # Deterministic: the same input, the same bytes.
    again = tmp_path / "again.zip"
    stdlib.trim_stdlib(full, ["json"], again)
    assert again.read_bytes() == out.read_bytes()


def test_wasm_data_segments_of_a_hand_made_module() -> None:
    # A module with one memory-0 active segment (flags 0) at 1024, one passive
    # segment, and one flags-2 segment at 624485 (a three-byte LEB128).
    segments = b"".join(
        [
            bytes([3]),
            bytes([0, 0x41, 0x80, 0x08, 0x0B, 2]) + b"hi",
            bytes([1, 3]) + b"abc",
            bytes([2, 0, 0x41, 0xE5, 0x8E, 0x26, 0x0B, 1]) + b"!",
        ]
    )
    module = b"\0asm\x01\0\0\0" + bytes([1, 1, 0]) + bytes([11, len(segments)]) + segments
    found = wasm_module.data_segments(module)
    assert [(s.address_bytes, s.data) for s in found] == [(1024, b"hi"), (624485, b"!")]
    with pytest.raises(wasm_module.WasmError, match="not a WebAssembly"):
        wasm_module.data_segments(b"<html>" + module)
    bad = module.replace(bytes([0, 0x41, 0x80, 0x08]), bytes([0, 0x23, 0x80, 0x08]))  # global.get: not a constant
    with pytest.raises(wasm_module.WasmError, match=r"not an i32\.const"):
        wasm_module.data_segments(bad)


def test_runtime_files_name_the_snapshot_and_the_boot_module_with_the_wheel_hash() -> None:
    urls = [url for url, _, _ in boot.runtime_files()]
    assert snapshot.SNAPSHOT_FILE in urls and snapshot.STDLIB_FILE in urls
    assert not any(url.endswith("pyodide/python_stdlib.zip") for url in urls)  # the full one is the fallback's
    assert boot.interpreter_url() in urls and boot.interpreter_url().endswith(f"&wheel={snapshot.wheel_sha256()}")
    assert not any(url.startswith("assets/wheels/") for url in urls)
    assert not any(url.endswith("pyodide-lock.json") for url in urls)


def test_pyscript_plugins_are_preloaded_with_its_core() -> None:
    names = boot.pyscript_modules()
    assert "core.js" in names
    for plugin in boot.PYSCRIPT_PLUGINS:
        assert sum(1 for name in names if name.rsplit("-", 1)[0] == plugin) == 1, (plugin, names)
    urls = {url: rel for url, rel, _ in boot.runtime_files()}
    assert all(urls[f"assets/vendor/pyscript/{name}"] == "modulepreload" for name in names)


def test_precompressed_copies_are_served_with_content_encoding(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from static_server import QuietHandler

    page = "<p>" + "roofline " * 500 + "</p>"
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "tiny.js").write_text("x")
    large = "".join(f"const v{i} = {i * 7919 % 104729};\n" for i in range(20_000))  # over the brotli threshold
    (tmp_path / "large.js").write_text(large)
    site = tmp_path / "site"
    site.mkdir()
    for name in ("index.html", "tiny.js", "large.js"):
        (tmp_path / name).rename(site / name)
    tmp_path = site
    assert compress.precompress(site, cache=site.parent / "cache") == 2  # tiny.js is below MIN_BYTES
    assert gzip.decompress((tmp_path / "index.html.gz").read_bytes()).decode() == page
    assert not (tmp_path / "index.html.br").exists() and (tmp_path / "large.js.br").is_file()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with urllib.request.urlopen(urllib.request.Request(base, headers={"Accept-Encoding": "gzip"})) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"].startswith("text/html")
            assert gzip.decompress(response.read()).decode() == page
        request = urllib.request.Request(base + "large.js", headers={"Accept-Encoding": "gzip, deflate, br"})
        with urllib.request.urlopen(request) as response:  # brotli first, when there is a copy
            assert response.headers["Content-Encoding"] == "br"
            assert len(response.read()) == (tmp_path / "large.js.br").stat().st_size < len(large) // 4
        with urllib.request.urlopen(base + "index.html") as response:  # no Accept-Encoding: the file as it is
            assert response.headers["Content-Encoding"] is None
            assert response.read().decode() == page
    finally:
        server.shutdown()
        server.server_close()


def test_a_zip_of_stored_entries_is_compressed_and_a_deflated_one_is_not(tmp_path: Path) -> None:
    text = "".join(f"def f{i}(x):\n    return x * {i}\n" for i in range(200))
    for name, method in (("stored.zip", zipfile.ZIP_STORED), ("deflated.zip", zipfile.ZIP_DEFLATED)):
        with zipfile.ZipFile(tmp_path / name, "w", method) as archive:
            archive.writestr("module.py", text)
    (tmp_path / "broken.zip").write_bytes(b"PK" + b"\0" * 2000)
    assert compress.compressible(tmp_path / "stored.zip")
    assert not compress.compressible(tmp_path / "deflated.zip")
    assert not compress.compressible(tmp_path / "broken.zip")
    assert compress.precompress(tmp_path, cache=tmp_path / "cache") == 1
    assert gzip.decompress((tmp_path / "stored.zip.gz").read_bytes()) == (tmp_path / "stored.zip").read_bytes()
    assert not (tmp_path / "deflated.zip.gz").exists()
