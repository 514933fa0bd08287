"""The whole built site in headless Chromium: every page, link and anchor, by
direct load and by clicking, with the Content-Security-Policy on and axe-core
run on every page in both colour schemes and at phone width. How the crawl works is in
tests/crawl_support.py; the counts are printed after the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crawl_support import AXE_JS, ROOT, Crawl, Tally, page_key

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def crawl(browser: object, site_url: str, request: pytest.FixtureRequest) -> Iterator[Tally]:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run scripts/setup.sh (npm ci installs axe-core)")
    tally = Crawl(browser, site_url).run()
    print_counts(
        request, "site crawl", [*tally.summary(), *(f"axe in #simulator: {v}" for v in tally.axe_blocking("widget"))]
    )
    yield tally


def print_counts(request: pytest.FixtureRequest, title: str, lines: list[str]) -> None:
    """Write ``lines`` to the test log even while pytest captures output."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        reporter.write_sep("-", title)
        for line in lines:
            reporter.write_line(line)


def test_the_crawl_reached_every_built_page(crawl: Tally, built_site: Path) -> None:
    built = {
        page_key("/" + path.relative_to(built_site).as_posix())
        for path in built_site.rglob("*.html")
        if "assets" not in path.parts
    }
    assert set(crawl.pages) == built, "pages no link leads to, or links to pages that were not built"
    assert crawl.clicks >= len(built) - 1 and crawl.back_navigations > 0


def test_clicks_navigate_instantly_exactly_when_material_is_told_to(crawl: Tally) -> None:
    from mkdocs.config import load_config

    instant = "navigation.instant" in load_config(str(ROOT / "mkdocs.yml")).theme["features"]
    if instant:
        # Only the walk's first page is a document load. Material instant-loads only the
        # URLs in sitemap.xml, with site_url's host and the page's scheme but site_url's
        # port: the test build needs site_url set to the address the tests serve it on.
        assert crawl.click_documents == 1, "navigation.instant is on, but clicks still load documents"
    else:
        assert crawl.click_documents > crawl.back_navigations + 1


def test_no_request_leaves_the_site(crawl: Tally) -> None:
    assert crawl.requests > 0
    assert crawl.foreign_requests == []


def test_no_response_is_an_error_and_no_request_fails(crawl: Tally) -> None:
    assert crawl.responses > 0
    assert crawl.bad_responses == []
    assert crawl.failed_requests == []


def test_no_console_or_page_errors(crawl: Tally) -> None:
    assert crawl.console_errors == []
    assert crawl.page_errors == []


def test_the_content_security_policy_is_never_violated(crawl: Tally) -> None:
    assert crawl.csp_violations == []


def test_no_broken_links_or_anchors(crawl: Tally) -> None:
    assert crawl.links and crawl.anchors_checked > 0
    assert crawl.broken_links == []
    assert crawl.broken_anchors == []


def test_every_chart_drew_its_traces_and_every_formula_is_typeset(crawl: Tally) -> None:
    assert crawl.charts_checked > 0 and crawl.formulas_checked > 0
    assert crawl.not_ready == []
    assert crawl.blank_charts == []
    assert crawl.untypeset == []


def test_the_simulator_works_every_time_it_is_reached(crawl: Tally) -> None:
    # By direct load, then by clicks (in, out, and in again), then on a phone.
    assert crawl.simulator_arrivals >= 4
    assert crawl.simulator_ready == crawl.simulator_arrivals


def test_axe_finds_nothing_serious_outside_the_simulator_widget(crawl: Tally) -> None:
    schemes = {scheme for scheme, _, _ in crawl.axe}
    assert schemes == {"light", "dark", "phone"}
    assert {key for _, key, _ in crawl.axe} == set(crawl.pages)
    assert crawl.axe_blocking("page") == []


def test_axe_finds_nothing_serious_in_the_simulator_widget(crawl: Tally) -> None:
    assert any(part == "widget" for _, _, part in crawl.axe)
    assert crawl.axe_blocking("widget") == []


def test_the_csp_recorder_sees_a_violation(browser: object, site_url: str) -> None:
    # Negative control: an inline script the policy does not list is refused and recorded.
    crawler = Crawl(browser, site_url)
    context = crawler._context()
    page = context.new_page()
    page.goto(site_url)
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    page.wait_for_function("() => window.rooflineCspCount > 0")
    assert page.evaluate("window.injected") is None
    context.close()
    assert any("script-src" in v for v in crawler.tally.csp_violations), crawler.tally.csp_violations
    assert any("Content Security Policy" in e for e in crawler.tally.console_errors)


def test_a_fetch_the_old_page_starts_while_leaving_is_excused_and_only_that(browser: object, built_site: Path) -> None:
    """The race behind a busy machine's flake, forced in order: the crawl asks for the next page, and
    the page it is leaving only then reaches ``load`` and its idle fetch of ``prefetch.json``, which the
    next page's commit aborts. The request was made after the navigation started, by the document being
    left: the browser's doing. A fetch the page itself aborts while staying is still a failure."""
    import functools
    import http.server
    import threading

    from conftest import Departures, _static_server

    next_page_asked = threading.Event()  # the server has the request for the page we go to
    prefetch_asked = threading.Event()  # the page we leave has asked for prefetch.json
    done = threading.Event()

    class Held(_static_server().QuietHandler):
        def send_head(self):  # type: ignore[no-untyped-def]
            if self.path.startswith("/long-context/"):
                next_page_asked.set()
                prefetch_asked.wait(30)  # the old document is still alive until this page commits
            elif self.path.endswith("/prefetch-runtime.js"):
                next_page_asked.wait(30)  # so the old page's load (and idle fetch) comes after we left
            elif "/prefetch.json" in self.path:
                prefetch_asked.set()
                done.wait(30)  # in flight until something aborts it
            return super().send_head()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Held, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    departures = Departures()
    departures.watch(context)
    verdicts: dict[str, bool] = {}
    context.on(
        "requestfailed", lambda r: verdicts.setdefault(r.url.rsplit("/", 1)[-1], departures.cancelled_by_leaving(r))
    )
    try:
        page = context.new_page()
        page.goto(base + "sweet-spot/", wait_until="commit")
        page.goto(base + "long-context/", wait_until="commit")
        page.wait_for_function("() => !!document.querySelector('.md-content article')")
        assert prefetch_asked.is_set()
        assert verdicts.get("prefetch.json") is True, verdicts
        # Negative control: the page stays and aborts a fetch of its own (held by the server until then).
        with page.expect_event("requestfailed"):
            page.evaluate(
                """() => { const c = new AbortController();
                           fetch('../assets/snapshot/prefetch.json?own', { signal: c.signal }).catch(() => {});
                           setTimeout(() => c.abort(), 50); }"""
            )
        assert verdicts.get("prefetch.json?own") is False, verdicts
    finally:
        done.set()
        context.close()
        server.shutdown()
        server.server_close()
