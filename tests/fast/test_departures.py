"""The browser tests' rule for failed requests (conftest.Departures): only what leaving the page cancelled is excused."""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import Departures


@dataclass(eq=False)
class FakePage:
    closed: bool = False
    main_frame: object = None

    def is_closed(self) -> bool:
        return self.closed


@dataclass(eq=False)
class FakeFrame:
    page: FakePage


@dataclass(eq=False)
class FakeRequest:
    frame: FakeFrame
    navigation: bool = False
    failure: str | None = None
    headers: dict = field(default_factory=dict)

    def is_navigation_request(self) -> bool:
        return self.navigation


def _page() -> tuple[FakePage, FakeFrame]:
    page = FakePage()
    page.main_frame = FakeFrame(page)
    return page, page.main_frame


def test_an_idle_fetch_aborted_by_the_next_navigation_is_the_browsers_doing() -> None:
    _, frame = _page()
    watched = Departures()
    watched.on_request(FakeRequest(frame, navigation=True))  # the page loads
    prefetch = FakeRequest(frame)  # prefetch-runtime.js asks for prefetch.json
    watched.on_request(prefetch)
    watched.on_request(FakeRequest(frame, navigation=True))  # the crawl moves on
    prefetch.failure = "net::ERR_ABORTED"
    assert watched.cancelled_by_leaving(prefetch)


def test_a_fetch_the_old_page_starts_while_the_navigation_is_under_way_is_the_browsers_doing() -> None:
    # On a busy machine the page being left reaches its load event (and its idle fetch) only
    # after the crawl asked for the next page, and before that page commits.
    _, frame = _page()
    watched = Departures()
    watched.on_request(FakeRequest(frame, navigation=True))
    watched.on_committed(frame)
    watched.on_request(FakeRequest(frame, navigation=True))  # the crawl moves on
    late = FakeRequest(frame)  # the old document's idle fetch, after that
    watched.on_request(late)
    late.failure = "net::ERR_ABORTED"  # the next page's commit cut it
    watched.on_committed(frame)
    assert watched.cancelled_by_leaving(late)


def test_a_request_aborted_by_closing_the_page_is_the_browsers_doing() -> None:
    page, frame = _page()
    watched = Departures()
    request = FakeRequest(frame)
    watched.on_request(request)
    page.closed = True
    request.failure = "net::ERR_ABORTED"
    assert watched.cancelled_by_leaving(request)


def test_real_failures_still_fail() -> None:
    _, frame = _page()
    watched = Departures()
    watched.on_request(FakeRequest(frame, navigation=True))
    watched.on_committed(frame)  # the page is in place
    # Aborted while the page stayed: the page (or a bug) cancelled it, not the navigation.
    stayed = FakeRequest(frame)
    watched.on_request(stayed)
    stayed.failure = "net::ERR_ABORTED"
    assert not watched.cancelled_by_leaving(stayed)
    # Refused, then the page left: still a failure.
    refused = FakeRequest(frame)
    watched.on_request(refused)
    watched.on_request(FakeRequest(frame, navigation=True))
    refused.failure = "net::ERR_CONNECTION_REFUSED"
    assert not watched.cancelled_by_leaving(refused)
    watched.on_committed(frame)
    # Made by the new document, after the navigation committed: not excused by it.
    fresh = FakeRequest(frame)
    watched.on_request(fresh)
    fresh.failure = "net::ERR_ABORTED"
    assert not watched.cancelled_by_leaving(fresh)
    # A request never seen (a worker's) is judged by its failure alone.
    assert not watched.cancelled_by_leaving(FakeRequest(frame, failure="net::ERR_ABORTED"))
