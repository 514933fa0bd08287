"""Shared fixtures: one site build per run, a static server on a free port,
and headless Debian Chromium that fails a test on any console or page error
and records every request so tests can prove the site stays on 127.0.0.1.
Also the lanes: each test gets the markers of its folder (tests/lanes.py)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lanes
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ROOFLINE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Any name but the loopback address fails to resolve: a stray CDN URL
    # shows up as a failed request instead of a silent download.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
#: How long Pyodide may take to boot on a 2-core CI machine (cold, no cache).
READY_TIMEOUT_MS = 90_000


@pytest.fixture(scope="session", autouse=True)
def roofline_wheel() -> Path:
    """The wheel of the sources under test, and PyScript's bytecode, each made once per run if its inputs changed.

    As the site build does before its pages render: the getters the tests
    call (``assets.wheel_path``, ``pycache.skipped``) make nothing, and
    refuse a stale output.
    """
    from roofline_site.runtime import build_wheel, compile_pycache

    compile_pycache()
    return build_wheel()


def _conftest_fixtures(item: pytest.Item) -> set[str]:
    """The fixtures of this file that ``item`` uses, directly or through others (not a
    parametrized argument that happens to share a name, such as ``page``)."""
    definitions = getattr(item, "_fixtureinfo", None)  # pytest's resolved closure; no public API gives it
    if definitions is None:
        return set()
    return {
        name for name, defs in definitions.name2fixturedefs.items() if defs[-1].func.__code__.co_filename == __file__
    }


@pytest.hookimpl(tryfirst=True)  # before -m deselects by the markers this adds
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its lane folder's markers; stop the run if any test sits in a lane
    too light for what it needs (lanes.misplaced)."""
    sources: dict[Path, str] = {}
    problems = []
    for item in items:
        path = item.path
        if not (path.name.startswith("test_") and path.is_relative_to(lanes.TESTS)):
            continue  # the doctests of src/ run in the fast lane
        lane = lanes.lane_of(path)
        own = {mark.name for mark in item.iter_markers()} & lanes.LANE_MARKS
        if path not in sources:
            sources[path] = path.read_text(encoding="utf-8")
        reasons = lanes.misplaced(lane, own, _conftest_fixtures(item), sources[path])
        problems += [f"{item.nodeid}: {reason}" for reason in reasons]
        for mark in lanes.LANES.get(lane, ()):
            item.add_marker(mark)
    if problems:
        raise pytest.UsageError("tests in the wrong lane (see tests/lanes.py):\n" + "\n".join(problems))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test run with ``--strict`` into a temp dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = tmp_path_factory.mktemp("site")
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    build(config)
    return site_dir


def _static_server():  # type: ignore[no-untyped-def]
    """``scripts/static_server.py`` as a module (scripts/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("static_server", ROOT / "scripts" / "static_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL of the built site served on 127.0.0.1 at a free port."""
    # Served as scripts/static_server.py serves it: the build's gzip copies, with Content-Encoding.
    handler = functools.partial(_static_server().QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test.sh installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class PageLog:
    """What a page did: console errors, uncaught errors, every request URL."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).hostname not in ("127.0.0.1", None) and not url.startswith(("data:", "blob:"))
        ]


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


def cut_prefetch(request: object) -> bool:
    """A request the test cut short by leaving or closing the page, of a kind that is not the page's
    doing: a ``<link rel=prefetch>`` (the explainer pages fetch the simulator's runtime in idle
    time), or the favicon, which the browser itself asks for after the page loads. Not an error."""
    if request.failure != "net::ERR_ABORTED":
        return False
    return request.headers.get("sec-purpose", "").startswith("prefetch") or request.url.endswith("/favicon.png")


class Departures:
    """Which failed requests a page cancelled by leaving: the browser's doing, not a failure.

    A navigation (``goto``, a click, a reload) or closing the page aborts what
    the old document still had in flight, such as ``prefetch-runtime.js``'s
    idle-time fetches; Chromium reports those as ``net::ERR_ABORTED`` when the
    new document commits. The old document lives on from the navigation's
    request until that commit, and may still start requests in between (its
    ``load`` event and idle callback can come late on a busy machine), so a
    request counts as cancelled by leaving when it failed so and, since it was
    made, its page has started another main-frame navigation or has closed, or
    it was made while a main-frame navigation was under way (a request of the
    document being left). Any other failure, aborted or not, is still a failure.
    """

    def __init__(self) -> None:
        self._leaves: dict[object, int] = {}  # page -> main-frame navigations started
        self._underway: set[object] = set()  # pages whose latest main-frame navigation has not committed
        # request -> (page, navigations started when it was made, made while one was under way)
        self._made: dict[object, tuple[object, int, bool]] = {}
        self._closing = False

    def closing(self) -> None:
        """Say the test is about to close what it watches: Chromium may report the requests that closing
        aborts before ``page.is_closed()`` turns true, so the closer says so first."""
        self._closing = True

    def on_request(self, request: object) -> None:
        try:
            page = request.frame.page
        except Exception:  # a worker's request has no frame; it is judged by its failure alone
            return
        if request.is_navigation_request() and request.frame == page.main_frame:
            self._leaves[page] = self._leaves.get(page, 0) + 1
            self._underway.add(page)
        self._made[request] = (page, self._leaves.get(page, 0), page in self._underway)

    def on_finished(self, request: object) -> None:
        self._made.pop(request, None)

    def on_committed(self, frame: object) -> None:
        """A frame's navigation committed: a new document (or a fragment) is in place."""
        if frame == frame.page.main_frame:
            self._underway.discard(frame.page)

    def watch(self, target: object) -> None:
        """Follow the requests and commits of ``target``, a page or a browser context."""
        target.on("request", self.on_request)
        target.on("requestfinished", self.on_finished)
        if hasattr(target, "main_frame"):
            target.on("framenavigated", self.on_committed)
        else:
            target.on("page", lambda page: page.on("framenavigated", self.on_committed))

    def cancelled_by_leaving(self, request: object) -> bool:
        made = self._made.pop(request, None)
        if request.failure != "net::ERR_ABORTED" or made is None:
            return False
        page, leaves, while_leaving = made
        return self._closing or page.is_closed() or while_leaving or self._leaves.get(page, 0) > leaves


def _attach(page: object, log: PageLog) -> None:
    page.on(
        "console",
        lambda message: (
            log.errors.append(f"console.{message.type}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: log.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: log.requests.append(request.url))
    departures = Departures()
    departures.watch(page)
    page.on(
        "requestfailed",
        lambda request: (
            None
            if departures.cancelled_by_leaving(request) or cut_prefetch(request)
            else log.errors.append(f"request failed: {request.url}")
        ),
    )


def _make_page(browser: object, log: PageLog, **options: object) -> object:
    context = browser.new_context(**options)
    page = context.new_page()
    _attach(page, log)
    return page


@pytest.fixture
def page(browser: object, page_log: PageLog) -> Iterator[object]:
    """A fresh page (own context: cold cache); the test fails on any error it logged."""
    new_page = _make_page(browser, page_log)
    yield new_page
    new_page.context.close()
    assert page_log.errors == [], "the page logged errors"
    assert page_log.foreign_requests() == [], "the page asked a host other than 127.0.0.1"


@pytest.fixture
def make_page(browser: object, page_log: PageLog) -> Iterator[object]:
    """Factory for pages with options (viewport, colour scheme); same error checks."""
    pages: list[object] = []

    def factory(**options: object) -> object:
        new_page = _make_page(browser, page_log, **options)
        pages.append(new_page)
        return new_page

    yield factory
    for opened in pages:
        opened.context.close()
    assert page_log.errors == [], "the page logged errors"
    assert page_log.foreign_requests() == [], "the page asked a host other than 127.0.0.1"
