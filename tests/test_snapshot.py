"""The Python snapshot the simulator boots from: made at build time, keyed, framed, restorable."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import threading
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from roofline.web.article import ARTICLE
from roofline_site import boot, compress, snapshot

ROOT = Path(__file__).resolve().parents[1]
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

    from roofline_site.assets import wheel_path

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
    with pytest.raises(snapshot.SnapshotError, match="body is 31 bytes"):
        snapshot.read_metadata(framed[:-1])
    with pytest.raises(snapshot.SnapshotError, match="not a roofline snapshot"):
        snapshot.read_metadata(b"\0" * len(framed))


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


def test_pyodide_restores_the_snapshot_under_node() -> None:
    node = shutil.which("node")
    assert node, "Node.js is required (scripts/setup.sh installs it)"
    result = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "restore_snapshot.mjs"), str(snapshot.cached_snapshot())],
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


def test_runtime_files_name_the_snapshot_and_the_boot_module_with_the_wheel_hash() -> None:
    urls = [url for url, _, _ in boot.runtime_files()]
    assert snapshot.SNAPSHOT_FILE in urls
    assert boot.interpreter_url() in urls and boot.interpreter_url().endswith(f"&wheel={snapshot.wheel_sha256()}")
    assert not any(url.startswith("assets/wheels/") for url in urls)
    assert not any(url.endswith("pyodide-lock.json") for url in urls)


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
