"""The whole-site crawl behind tests/browser/test_crawl.py.

A :class:`Crawl` drives one Chromium context over the built site and tallies
everything that can go wrong: requests to other hosts, responses >= 400,
failed requests, console and page errors, Content-Security-Policy
violations, broken links and anchors, charts without traces, formulas left as
TeX source, and axe-core's accessibility violations.

It reads pages the two ways a reader reaches them:

* **direct load**: start at the home page and follow every internal link
  breadth-first with ``page.goto``, so every page is loaded cold once;
* **clicks**: start at the home page again, switch to the dark scheme with
  Material's toggle, then click every distinct internal link target (a page,
  or a page and a fragment) once, coming back with the browser's Back button;
  then click into the simulator, out of it and into it again;
* **on a phone**: every page again at 390 px wide, the navigation drawer
  opened (Material's phone layout loads icons the desktop one does not).

Nothing waits for the ``load`` event after a click: arrival means the
address and title of the target page are in place and its content settled
(formulas typeset, charts drawn, the simulator ready), so the crawl works the
same with Material's ``navigation.instant``, where a click swaps the page
body without loading a document.

Pyodide takes seconds to boot, so the simulator is reached a bounded number
of times (:data:`MAX_SIMULATOR_ARRIVALS` by click, plus a direct load at
each width).

axe-core comes from ``node_modules`` (npm ``axe-core``, pinned) and is
evaluated in the page through the DevTools protocol, which is not a network
request and, unlike ``add_script_tag`` (an inline ``<script>``), is not
refused by the site's own Content-Security-Policy.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from conftest import READY_TIMEOUT_MS, Departures, cut_prefetch

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIMULATOR_ROOT = "#simulator"
#: Click arrivals at the simulator page (each boots Pyodide again without
#: instant navigation): in, out and in again, plus links that only it has.
MAX_SIMULATOR_ARRIVALS = 3
#: A phone held upright (the issue's 390 px).
PHONE_VIEWPORT = {"width": 390, "height": 844}
#: How long a page may take to typeset its formulas and draw its charts.
SETTLE_TIMEOUT_MS = 20_000
#: axe-core impacts that fail the build.
BLOCKING_IMPACTS = ("serious", "critical")

_CSP_RECORDER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.rooflineCspCount = (window.rooflineCspCount || 0) + 1;
  window.rooflineCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || 'inline'} ` +
    `(${event.sourceFile || location.href}:${event.lineNumber})`
  );
});
"""

# Everything the crawl reads off a page, in one round trip.
_SNAPSHOT = """
() => {
  const article = document.querySelector('.md-content article') || document.body;
  const math = [...document.querySelectorAll('.arithmatex')];
  const clone = article.cloneNode(true);
  clone.querySelectorAll('.katex, pre, code, script, style, textarea').forEach((el) => el.remove());
  const text = clone.textContent;
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map((el) => ({
    id: el.id || el.className,
    traces: (el.data || []).length,
    drawn: el.querySelectorAll('.trace').length,
    paths: [...el.querySelectorAll('.trace path')].filter((p) => (p.getAttribute('d') || '').length > 2).length,
  }));
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id)
    .concat([...document.querySelectorAll('a[name]')].map((a) => a.name));
  const links = [...document.querySelectorAll('a[href], link[rel=next][href], link[rel=prev][href]')].map((a) => ({
    raw: a.getAttribute('href'),
    url: a.href,
    tag: a.tagName.toLowerCase(),
    blank: a.target === '_blank',
  }));
  return {
    url: location.href,
    title: document.title,
    math: math.length,
    untypeset: math.filter((el) => !el.querySelector('.katex')).map((el) => el.textContent.trim().slice(0, 60)),
    leftovers: ['\\\\(', '\\\\)', '\\\\[', '\\\\]', '$$'].filter((d) => text.includes(d)),
    charts,
    ids,
    links,
  };
}
"""

# True once the formulas are typeset, the charts drawn and search is ready.
_SETTLED = """
() => {
  if (document.readyState === 'loading') return false;
  if ([...document.querySelectorAll('.arithmatex')].some((el) => !el.querySelector('.katex'))) return false;
  if ([...document.querySelectorAll('.js-plotly-plot')].some((el) => !el.querySelector('.trace'))) return false;
  const search = document.querySelector('.md-search-result__meta');
  return !search || !/Initializing/i.test(search.textContent);
}
"""

# Whether a click on the element would land on it: scrolled into view, its box
# the same for two animation frames running (stable), and the element at its
# centre is it or inside it (not covered). Counted in frames, not seconds, so a
# busy machine gives the same answer, only later; a box still moving after 600
# frames counts as not clickable.
_CLICKABLE = """
async (el) => {
  el.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const box = () => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); };
  let before = box();
  let stable = false;
  for (let i = 0; i < 600 && !stable; i++) {
    await frame();
    const now = box();
    stable = now === before;
    before = now;
  }
  const r = el.getBoundingClientRect();
  if (!stable || !r.width || !r.height) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && el.contains(hit);
}
"""

# The target's address and title are in place and its whole body is parsed
# (a full load: DOMContentLoaded; instant navigation swaps the body at once).
_ARRIVED = """
([path, title]) => location.pathname === path && (title === null || document.title === title) &&
  document.readyState !== 'loading' && !!document.querySelector('.md-content article')
"""

_RUN_AXE = """
async (context) => {
  const result = await axe.run(context ?? document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


def page_key(url: str) -> str:
    """A page's identity: its path, with ``index.html`` dropped (``/sweet-spot/``)."""
    path = urlsplit(url).path or "/"
    return re.sub(r"(^|/)index\.html$", r"\1", path) or "/"


def is_page(url: str) -> bool:
    return urlsplit(url).path.endswith(("/", ".html"))


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written on one page."""

    source: str  # page key of the page it is on
    raw: str  # the href attribute as written
    url: str  # resolved, fragment included
    blank: bool  # target=_blank

    @property
    def target(self) -> str:
        return page_key(self.url)

    @property
    def fragment(self) -> str:
        return unquote(urlsplit(self.url).fragment)


@dataclass
class Tally:
    """What the crawl saw. Every list here must end up empty."""

    requests: int = 0
    responses: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    broken_anchors: list[str] = field(default_factory=list)
    blank_charts: list[str] = field(default_factory=list)
    untypeset: list[str] = field(default_factory=list)
    not_ready: list[str] = field(default_factory=list)
    # Counts of what was checked.
    pages: dict[str, str] = field(default_factory=dict)  # key -> title
    ids: dict[str, set[str]] = field(default_factory=dict)  # key -> element ids
    links: list[Link] = field(default_factory=list)
    external_links: set[str] = field(default_factory=set)
    direct_loads: int = 0
    clicks: int = 0
    keyboard_follows: int = 0
    back_navigations: int = 0
    phone_loads: int = 0
    click_documents: int = 0  # documents loaded during the click walk (0 extra with instant navigation)
    simulator_arrivals: int = 0
    simulator_ready: int = 0
    anchors_checked: int = 0
    resources_checked: int = 0
    charts_checked: int = 0
    formulas_checked: int = 0
    clicked_targets: set[tuple[str, str]] = field(default_factory=set)
    unclicked_targets: list[str] = field(default_factory=list)
    # axe: (scheme, page key, part) -> violations; part is "page" or "widget".
    axe: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)
    seconds: float = 0.0
    #: Every step of the crawl, in order (printed when a test fails).
    steps: list[str] = field(default_factory=list)

    def axe_blocking(self, part: str) -> list[str]:
        return [
            f"{scheme} {key} {v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'][:4])}"
            for (scheme, key, where), violations in sorted(self.axe.items())
            if where == part
            for v in violations
            if v["impact"] in BLOCKING_IMPACTS
        ]

    def axe_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for violations in self.axe.values():
            for v in violations:
                counts[v["impact"] or "unknown"] += len(v["nodes"])
        return dict(counts)

    def summary(self) -> list[str]:
        """The counts, one per line, for the test log."""
        axe_runs = len(self.axe)
        widget = len(self.axe_blocking("widget"))
        return [
            f"pages: {len(self.pages)} ({', '.join(sorted(self.pages))}); direct loads {self.direct_loads}, "
            f"clicks {self.clicks} (+{self.keyboard_follows} by keyboard), back {self.back_navigations}; "
            f"documents loaded during the clicks: {self.click_documents}; at 390 px: {self.phone_loads}",
            f"simulator: {self.simulator_arrivals} arrivals, ready {self.simulator_ready} times",
            f"requests: {self.requests}, responses: {self.responses}",
            f"requests to other hosts: {len(self.foreign_requests)}",
            f"responses >= 400: {len(self.bad_responses)}; failed requests: {len(self.failed_requests)}",
            f"console errors: {len(self.console_errors)}; page errors: {len(self.page_errors)}",
            f"CSP violations: {len(self.csp_violations)}",
            f"links: {len(self.links)} internal, {len(self.external_links)} external (not followed), "
            f"{self.resources_checked} non-page resources fetched; broken links: {len(self.broken_links)}",
            f"anchors checked: {self.anchors_checked}; broken anchors: {len(self.broken_anchors)}; "
            f"link targets clicked: {len(self.clicked_targets)}, left to the static check: {len(self.unclicked_targets)}",
            f"charts checked: {self.charts_checked}, without traces: {len(self.blank_charts)}",
            f"formula checks: {self.formulas_checked} formulas, untypeset or leftover source: {len(self.untypeset)}",
            f"axe runs: {axe_runs}; nodes by impact: {self.axe_counts()}; "
            f"serious/critical outside the widget: {len(self.axe_blocking('page'))}, inside #simulator: {widget}",
            f"crawl took {self.seconds:.1f} s",
        ]


class Crawl:
    """One crawl of the site at ``base`` (see the module docstring)."""

    def __init__(self, browser: object, base: str, *, viewport: dict[str, int] | None = None) -> None:
        self.base = base
        self.host = urlsplit(base).netloc
        self.tally = Tally()
        self.browser = browser
        self.viewport = viewport or {"width": 1280, "height": 900}
        self._departures: dict[object, Departures] = {}  # each open context's
        self._axe_source = AXE_JS.read_text(encoding="utf-8") + "\n;0"

    # -- plumbing ---------------------------------------------------------
    def _close(self, context: object) -> None:
        """Close a context this crawl opened, saying first that what the close aborts is our leaving."""
        self._departures.pop(context).closing()
        context.close()

    def _context(self, **options: object) -> object:
        context = self.browser.new_context(**{"viewport": self.viewport, **options})
        t = self.tally
        context.expose_function("rooflineCspViolation", lambda text: t.csp_violations.append(str(text)))
        context.add_init_script(_CSP_RECORDER)
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        # A request the page cancelled by leaving (the next goto or click aborted it) is not a failure.
        departures = Departures()
        departures.watch(context)
        self._departures[context] = departures
        context.on(
            "requestfailed",
            lambda r: (
                None
                if departures.cancelled_by_leaving(r) or cut_prefetch(r)
                else t.failed_requests.append(f"{r.url} ({r.failure})")
            ),
        )
        context.on("console", lambda m: t.console_errors.append(m.text) if m.type == "error" else None)
        context.on("weberror", lambda e: t.page_errors.append(str(e.error)))
        return context

    def _on_request(self, request: object) -> None:
        self.tally.requests += 1
        url = request.url
        if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != self.host:
            self.tally.foreign_requests.append(url)

    def _on_response(self, response: object) -> None:
        self.tally.responses += 1
        if response.status >= 400:
            self.tally.bad_responses.append(f"{response.status} {response.url}")

    def _absolute(self, key: str) -> str:
        return urljoin(self.base, key)

    # -- one page ---------------------------------------------------------
    def _settle(self, page: object, where: str) -> None:
        """Wait for the simulator (if any) and for formulas, charts and search."""
        if page.locator(SIMULATOR_ROOT).count():
            self.tally.simulator_arrivals += 1
            try:
                page.wait_for_selector(
                    f'{SIMULATOR_ROOT}[data-ready="true"]', state="attached", timeout=READY_TIMEOUT_MS
                )
                self.tally.simulator_ready += 1
            except Exception:  # tallied, and the tests say what failed
                self.tally.not_ready.append(f"{where}: the simulator never set data-ready=true")
        try:
            page.wait_for_function(_SETTLED, timeout=SETTLE_TIMEOUT_MS)
        except Exception:  # the snapshot below names what did not settle
            self.tally.not_ready.append(f"{where}: formulas, charts or search did not settle")

    def _check(self, page: object, where: str) -> dict:
        """Check the page on screen now; returns its snapshot."""
        snap = page.evaluate(_SNAPSHOT)
        t = self.tally
        t.formulas_checked += snap["math"]
        t.untypeset += [f"{where}: not typeset: {text}" for text in snap["untypeset"]]
        t.untypeset += [f"{where}: TeX source left in the text: {d}" for d in snap["leftovers"]]
        for chart in snap["charts"]:
            t.charts_checked += 1
            if not (chart["traces"] and chart["drawn"] >= chart["traces"] and chart["paths"]):
                t.blank_charts.append(f"{where}: chart {chart['id']} drew no traces: {chart}")
        return snap

    def _axe(self, page: object, scheme: str, key: str) -> None:
        if page.evaluate("typeof axe") == "undefined":
            page.evaluate(self._axe_source)
        if page.locator(SIMULATOR_ROOT).count():
            self.tally.axe[(scheme, key, "page")] = page.evaluate(_RUN_AXE, {"exclude": [[SIMULATOR_ROOT]]})
            self.tally.axe[(scheme, key, "widget")] = page.evaluate(_RUN_AXE, {"include": [[SIMULATOR_ROOT]]})
        else:
            self.tally.axe[(scheme, key, "page")] = page.evaluate(_RUN_AXE, None)

    # -- phase 1: direct loads ---------------------------------------------
    def direct(self, extra: tuple[str, ...] = ("404.html",)) -> None:
        """Load every page reachable from the home page (and ``extra``) once."""
        t = self.tally
        context = self._context()
        page = context.new_page()
        queue = [self.base, *(self._absolute(path) for path in extra)]
        seen: set[str] = set()
        resources: set[str] = set()
        while queue:
            url = queue.pop(0)
            key = page_key(url)
            if key in seen:
                continue
            seen.add(key)
            response = page.goto(url, wait_until="commit")
            t.direct_loads += 1
            t.steps.append(f"load {key}")
            if response is None or response.status >= 400:
                t.broken_links.append(f"{key}: status {response.status if response else 'none'}")
                continue
            page.wait_for_function(_ARRIVED, arg=[urlsplit(page.url).path, None])
            self._settle(page, key)
            snap = self._check(page, key)
            t.pages[key] = snap["title"]
            t.ids[key] = set(snap["ids"])
            self._axe(page, "light", key)
            for found in snap["links"]:
                parts = urlsplit(found["url"])
                if parts.scheme in ("mailto", "tel"):
                    t.external_links.add(found["url"])
                elif parts.scheme not in ("http", "https"):
                    t.broken_links.append(f"{key}: {found['raw']!r} is not a web link")
                elif parts.netloc != self.host:
                    t.external_links.add(found["url"])
                else:
                    link = Link(source=key, raw=found["raw"], url=found["url"], blank=found["blank"])
                    t.links.append(link)
                    if is_page(link.url):
                        queue.append(urlunsplit(parts._replace(fragment="", query="")))
                    else:
                        resources.add(urlunsplit(parts._replace(fragment="")))
        for url in sorted(resources):
            t.resources_checked += 1
            status = context.request.get(url).status
            if status >= 400:
                t.broken_links.append(f"{url}: status {status}")
        self._close(context)
        # Every fragment must name an element of the page it points at.
        for link in t.links:
            if link.fragment and is_page(link.url):
                t.anchors_checked += 1
                if link.fragment not in t.ids.get(link.target, set()):
                    t.broken_anchors.append(f"{link.source}: {link.raw!r} has no element #{link.fragment}")

    # -- phase 2: clicks -----------------------------------------------------
    def _arrive(self, page: object, key: str, where: str) -> bool:
        self.tally.steps.append(where)
        title = self.tally.pages.get(key)
        try:
            page.wait_for_function(_ARRIVED, arg=[key, title], timeout=READY_TIMEOUT_MS)
        except Exception:  # tallied as a broken link
            self.tally.broken_links.append(f"{where}: never arrived at {key} ({page.url})")
            return False
        self._settle(page, where)
        self._check(page, where)
        return True

    def _follow(self, page: object, link: Link) -> None:
        """Click ``link`` (or press Enter on it when it is not visible)."""
        candidates = page.locator(f"a[href={_css_string(link.raw)}]")
        for i in range(candidates.count()):
            candidate = candidates.nth(i)
            if not candidate.is_visible():
                continue
            # Visible, stable and not covered, else the next copy of the link. Was a
            # trial click with a 1.5 s timeout: on a busy machine a clickable
            # link could miss it and be followed by keyboard instead.
            if not candidate.evaluate(_CLICKABLE):
                continue
            candidate.click()
            self.tally.clicks += 1
            return
        # Hidden or covered until focused (Material's skip link): as a keyboard reader.
        candidates.first.focus()
        page.keyboard.press("Enter")
        self.tally.keyboard_follows += 1

    def _check_fragment(self, page: object, link: Link, where: str) -> None:
        self.tally.steps.append(where)
        if not link.fragment:
            return
        self.tally.anchors_checked += 1
        try:
            page.wait_for_function("f => decodeURIComponent(location.hash.slice(1)) === f", arg=link.fragment)
        except Exception:  # tallied
            self.tally.broken_anchors.append(f"{where}: clicking {link.raw!r} did not set #{link.fragment}")
            return
        exists = page.evaluate(
            'f => !!(document.getElementById(f) || document.querySelector(`a[name="${CSS.escape(f)}"]`))',
            link.fragment,
        )
        if not exists:
            self.tally.broken_anchors.append(f"{where}: {link.raw!r} has no element #{link.fragment}")

    def _go_to(self, page: object, key: str, scheme: str, axed: set[str]) -> None:
        """From the page on screen, click a link to page ``key`` and check the arrival."""
        current = page_key(page.url)
        if current == key:
            return
        route = next(
            (
                link
                for link in self.tally.links
                if link.source == current and link.target == key and not link.fragment and not link.blank
            ),
            None,
        )
        if route is None:
            self.tally.broken_links.append(f"{current}: no link to {key} to click")
            page.goto(self._absolute(key))
        else:
            self._follow(page, route)
        if self._arrive(page, key, f"{current} -> {key} (click)"):
            self._axe_once(page, scheme, key, axed)

    def _axe_once(self, page: object, scheme: str, key: str, axed: set[str]) -> None:
        if key not in axed:
            axed.add(key)
            self._axe(page, scheme, key)

    def clicks(self) -> None:
        """Click every distinct internal link target once (see the module docstring)."""
        t = self.tally
        home = page_key(self.base)
        simulator = next((key for key, ids in t.ids.items() if SIMULATOR_ROOT[1:] in ids), None)
        # One link per distinct target, from a page other than the simulator when there is one.
        chosen: dict[tuple[str, str], Link] = {}
        for link in t.links:
            if not is_page(link.url) or link.blank or link.source not in t.pages:
                continue
            goal = (link.target, link.fragment)
            best = chosen.get(goal)
            if best is None or (best.source == simulator and link.source != simulator):
                chosen[goal] = link
        by_source: dict[str, list[Link]] = defaultdict(list)
        for link in chosen.values():
            by_source[link.source].append(link)

        context = self._context()
        page = context.new_page()
        page.on("domcontentloaded", lambda _: setattr(t, "click_documents", t.click_documents + 1))
        page.goto(self.base, wait_until="commit")
        t.direct_loads += 1
        self._arrive(page, home, "home (start of the click walk)")
        # A reader's choice that sticks: Material's palette toggle, to the dark scheme.
        page.locator("label[for^='__palette_']:visible").first.click()
        page.wait_for_selector("body[data-md-color-scheme='slate']", state="attached")
        scheme = "dark"
        axed: set[str] = set()
        self._axe_once(page, scheme, home, axed)

        reachable = {home} | {link.target for link in t.links}
        for source in (key for key in t.pages if key != simulator and key in by_source and key in reachable):
            self._go_to(page, source, scheme, axed)
            for link in by_source[source]:
                if link.target == simulator:
                    continue  # below, a bounded number of times
                where = f"{source} -> {link.raw} (click)"
                self._follow(page, link)
                if link.target == source:
                    self._check_fragment(page, link, where)
                else:
                    if self._arrive(page, link.target, where):
                        self._axe_once(page, scheme, link.target, axed)
                        self._check_fragment(page, link, where)
                    page.go_back(wait_until="commit")
                    t.back_navigations += 1
                    self._arrive(page, source, f"back to {source}")
                t.clicked_targets.add((link.target, link.fragment))

        if simulator is not None:
            self._simulator_round_trip(page, simulator, chosen, by_source, scheme, axed)
        self._close(context)
        for (key, fragment), link in sorted(chosen.items()):
            if (key, fragment) not in t.clicked_targets:
                t.unclicked_targets.append(f"{link.source}: {link.raw}")

    def _simulator_round_trip(
        self,
        page: object,
        simulator: str,
        chosen: dict[tuple[str, str], Link],
        by_source: dict[str, list[Link]],
        scheme: str,
        axed: set[str],
    ) -> None:
        """Into the simulator, its own links, out, and in again: it must work every time."""
        t = self.tally
        arrivals = 0
        into = [link for link in chosen.values() if link.target == simulator and link.source != simulator]
        into.sort(key=lambda link: (bool(link.fragment), link.source))

        def enter(link: Link | None) -> None:
            nonlocal arrivals
            arrivals += 1
            if link is None:
                self._go_to(page, simulator, scheme, axed)
                return
            self._go_to(page, link.source, scheme, axed)
            self._follow(page, link)
            if self._arrive(page, simulator, f"{link.source} -> {link.raw} (click)"):
                self._axe_once(page, scheme, simulator, axed)
                self._check_fragment(page, link, f"{link.source} -> {link.raw}")
            t.clicked_targets.add((link.target, link.fragment))

        enter(into.pop(0) if into else None)
        own = by_source.get(simulator, [])
        for link in [link for link in own if link.target == simulator]:
            self._follow(page, link)
            self._check_fragment(page, link, f"{simulator} -> {link.raw} (click)")
            t.clicked_targets.add((link.target, link.fragment))
        leaving = [link for link in own if link.target != simulator] or [
            next(link for link in t.links if link.source == simulator and link.target == page_key(self.base))
        ]
        for link in leaving:
            if arrivals >= MAX_SIMULATOR_ARRIVALS:
                break
            self._follow(page, link)
            if self._arrive(page, link.target, f"{simulator} -> {link.raw} (click, leaving)"):
                self._check_fragment(page, link, f"{simulator} -> {link.raw}")
            t.clicked_targets.add((link.target, link.fragment))
            enter(into.pop(0) if into else None)  # and back in: it must work again
        while into and arrivals < MAX_SIMULATOR_ARRIVALS:
            enter(into.pop(0))

    # -- phase 3: a phone ---------------------------------------------------
    def phone(self) -> None:
        """Every page again at 390 px wide, with Material's navigation drawer opened."""
        t = self.tally
        context = self._context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
        page = context.new_page()
        for key in t.pages:
            page.goto(self._absolute(key), wait_until="commit")
            t.direct_loads += 1
            t.phone_loads += 1
            if not self._arrive(page, key, f"{key} (phone)"):
                continue
            page.locator("label[for='__drawer']:visible").first.tap()
            page.wait_for_selector("#__drawer:checked", state="attached")
            self._axe(page, "phone", key)
        self._close(context)

    def run(self) -> Tally:
        started = time.monotonic()
        self.direct()
        self.clicks()
        self.phone()
        self.tally.seconds = time.monotonic() - started
        return self.tally


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (for attribute selectors)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
