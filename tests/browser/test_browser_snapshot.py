"""The simulator's two boots in Chromium: from the build's snapshot, and the plain fallback.

A missing, stale or damaged snapshot must be refused, said on the console,
and followed by a plain boot that leaves the reader working sliders.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import READY_TIMEOUT_MS
from holding import hold

from roofline_site.runtime import snapshot

pytestmark = pytest.mark.browser

BOOT = "document.documentElement.dataset.pythonBoot"
REASON = "document.documentElement.dataset.pythonBootReason || ''"


def _ready(page, site_url: str) -> None:
    page.goto(f"{site_url}simulator/")
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")


def _slider_still_drives_python(page) -> None:
    before = page.get_attribute('[data-readout="t_memory"]', "data-value")
    page.fill("#sim-L-entry", "500K")
    page.press("#sim-L-entry", "Enter")
    page.wait_for_function(
        f"document.querySelector('[data-readout=\"t_memory\"]').dataset.value !== {json.dumps(before)}",
        timeout=READY_TIMEOUT_MS,
    )


def test_the_simulator_boots_from_the_snapshot(page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _ready(page, site_url)
    assert page.evaluate(BOOT) == "snapshot"
    # The lock file is only for a plain boot; the snapshot carries what Pyodide needs of it.
    assert not any(url.endswith("pyodide-lock.json") for url in requested)
    assert any(url.endswith(snapshot.SNAPSHOT_FILE) for url in requested)
    # Every roofline module the page can reach is in the snapshot: no wheel to fetch.
    assert not any(url.endswith(".whl") for url in requested), requested
    assert any(url.endswith(snapshot.STDLIB_FILE) for url in requested)  # the trimmed standard library
    # The undo of the wasm XOR ran, and the wasm it read was the one the page had already fetched.
    undo, wasm = page.evaluate(
        """() => [performance.getEntriesByName("roofline:snapshot-undo").length,
                  performance.getEntriesByType("resource").filter((e) => e.name.endsWith("pyodide.asm.wasm"))
                    .map((e) => e.transferSize)]"""
    )
    assert undo == 1
    assert sum(1 for size in wasm if size > 0) == 1, wasm  # downloaded once; the other reads hit the cache
    _slider_still_drives_python(page)
    # Realistic mode's modules too, though the article's panel never imports them.
    page.check("input[value='real']")
    page.wait_for_selector('#simulator[data-mode="real"]', timeout=READY_TIMEOUT_MS, state="attached")
    assert page.evaluate(BOOT) == "snapshot"
    assert not any(url.endswith(".whl") for url in requested), requested


def test_pyscript_package_bytecode_is_written_before_pyscript_imports_it(page, site_url: str) -> None:
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    _ready(page, site_url)
    assert not any("PyScript's package will be compiled" in text for text in warnings), warnings
    assert page.evaluate("document.documentElement.dataset.pycache") == "written"


def test_the_runtime_data_waits_for_plotly_and_its_code_for_the_painted_chart(page, site_url: str) -> None:
    _ready(page, site_url)
    timing = page.evaluate(
        """() => {
      const entry = (part) => performance.getEntriesByType("resource").find((e) => e.name.includes(part));
      return {plotly: entry("plotly.min.js").responseEnd, wasm: entry("pyodide.asm.wasm").startTime,
              snapshot: entry("roofline.snapshot").startTime, core: entry("pyscript/core.js").startTime,
              glue: entry("pyodide.asm.mjs").startTime,
              painted: performance.getEntriesByName("roofline:painted")[0].startTime};
    }"""
    )
    assert timing["wasm"] >= timing["plotly"] and timing["snapshot"] >= timing["plotly"], timing
    assert timing["core"] >= timing["painted"] and timing["glue"] >= timing["painted"], timing


def test_every_module_of_the_runtime_is_preloaded(page, site_url: str) -> None:
    """PyScript's plugins, Pyodide's glue and the boot module: none is found one import at a time."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    _ready(page, site_url)
    preloaded = set(page.eval_on_selector_all('link[rel="modulepreload"]', "links => links.map((l) => l.href)"))
    modules = [url for url in requested if re.search(r"/vendor/(pyscript|pyodide)/[^/?]+\.m?js$|/pyodide-boot\.mjs", url)]
    assert any("py-terminal" in url for url in modules)  # a plugin PyScript imports, though the page turns it off
    # core.js is the one <script type="module"> the page adds; everything it imports was preloaded.
    assert [url for url in modules if url not in preloaded and not url.endswith("/pyscript/core.js")] == []


def test_the_wasm_is_instantiated_while_the_standard_library_is_still_arriving(page, site_url: str) -> None:
    """Only the XOR's undo and the copy of the heap wait for the standard library's digest (here: held back)."""
    release = hold(page, f"**/{snapshot.STDLIB_FILE}")
    page.goto(f"{site_url}simulator/")
    page.wait_for_function(
        "performance.getEntriesByName('roofline:wasm-instantiated').length > 0", timeout=READY_TIMEOUT_MS
    )
    assert page.evaluate(BOOT) is None  # not booted: the heap is not whole
    release()
    page.wait_for_selector('#simulator[data-ready="true"]', timeout=READY_TIMEOUT_MS, state="attached")
    assert page.evaluate(BOOT) == "snapshot"
    _slider_still_drives_python(page)


def test_the_sliders_come_alive_when_the_chart_is_never_painted(page, site_url: str) -> None:
    """plotly.js arrives but defines nothing: no chart, no paint mark; the runtime's code starts at load."""
    page.route("**/plotly.min.js", lambda route: route.fulfill(status=200, body="", content_type="text/javascript"))
    _ready(page, site_url)
    assert page.evaluate(BOOT) == "snapshot"
    assert page.evaluate("performance.getEntriesByName('roofline:painted').length") == 0


def _other_wasm(data: bytes) -> bytes:
    """The same snapshot, claiming another wasm's memory at start (same length)."""
    meta = snapshot.read_metadata(data)
    return data.replace(meta["xor"]["image_sha256"].encode(), b"0" * 64, 1)


def _stale(data: bytes) -> bytes:
    """The same snapshot, claiming another wheel (same length, so only the key differs)."""
    meta = snapshot.read_metadata(data)
    return data.replace(meta["wheel_sha256"].encode(), b"0" * 64, 1)


@pytest.mark.parametrize(
    ("case", "serve", "reason"),
    [
        ("missing", None, "HTTP 404"),
        ("stale", _stale, "stale"),
        ("another wasm", _other_wasm, "made against another pyodide.asm.wasm"),
        ("truncated", lambda data: data[: len(data) // 2], "damaged"),
        ("not a snapshot", lambda data: b"<!doctype html>" + data[15:], "not a roofline snapshot"),
    ],
)
def test_a_refused_snapshot_falls_back_to_a_plain_boot(
    page, page_log, built_site: Path, site_url: str, case: str, serve, reason: str
) -> None:
    data = (built_site / snapshot.SNAPSHOT_FILE).read_bytes()
    if serve is None:
        page.route("**/roofline.snapshot", lambda route: route.fulfill(status=404, body="not here"))
    else:
        body = serve(data)
        page.route(
            "**/roofline.snapshot",
            lambda route: route.fulfill(status=200, body=body, content_type="application/octet-stream"),
        )
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    _ready(page, site_url)
    assert page.evaluate(BOOT) == "plain", case
    assert reason in page.evaluate(REASON), case
    assert any("booting Python without the snapshot" in text and reason in text for text in warnings), warnings
    # A plain boot has no modules in memory: it fetches the wheel and unpacks it.
    assert page.evaluate("performance.getEntriesByType('resource').some((e) => e.name.endsWith('.whl'))")
    _slider_still_drives_python(page)
    if serve is None:  # Chromium's own line for the 404 we served on purpose: the only error allowed
        expected = "console.error: Failed to load resource: the server responded with a status of 404 (Not Found)"
        assert page_log.errors.count(expected) == 1, page_log.errors
        page_log.errors.remove(expected)


def test_another_standard_library_is_refused(page, built_site: Path, site_url: str) -> None:
    """The snapshot holds zipimport's directory of its trimmed zip: any other zip would mislead it."""
    other = (built_site / "assets" / "vendor" / "pyodide" / "python_stdlib.zip").read_bytes()
    page.route(f"**/{snapshot.STDLIB_FILE}", lambda route: route.fulfill(status=200, body=other))
    _ready(page, site_url)
    assert page.evaluate(BOOT) == "plain"
    assert "standard library" in page.evaluate(REASON)
    _slider_still_drives_python(page)


def test_a_snapshot_pyodide_rejects_falls_back_too(page, built_site: Path, site_url: str) -> None:
    """Our frame intact, Pyodide's own header inside damaged: Pyodide throws, the page boots plainly."""
    data = bytearray((built_site / snapshot.SNAPSHOT_FILE).read_bytes())
    meta_end = 12 + int.from_bytes(data[8:12], "little")
    body = meta_end + (-meta_end % 16)
    data[body : body + 4] = b"\xff\xff\xff\xff"  # Pyodide's magic number
    page.route("**/roofline.snapshot", lambda route: route.fulfill(status=200, body=bytes(data)))
    _ready(page, site_url)
    assert page.evaluate(BOOT) == "plain"
    assert "Pyodide refused it" in page.evaluate(REASON)
    _slider_still_drives_python(page)


def test_explainer_pages_prefetch_the_runtime_in_idle_time(page, built_site: Path, site_url: str) -> None:
    urls = json.loads((built_site / "assets" / "snapshot" / "prefetch.json").read_text())
    with page.expect_request(lambda request: request.url.endswith(snapshot.SNAPSHOT_FILE), timeout=READY_TIMEOUT_MS):
        page.goto(f"{site_url}sweet-spot/")
    hrefs = page.eval_on_selector_all('link[rel="prefetch"]', "links => links.map(l => l.href)")
    assert sorted(hrefs) == sorted(f"{site_url}{url}" for url in urls)
