"""The theme overrides: the Content-Security-Policy in every built page, and
Material's search partial with its accessible name. (The crawl in
tests/browser/test_crawl.py proves the policy in a browser; these check the HTML.)"""

from __future__ import annotations

import base64
import doctest
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from roofline_site.plugin import RooflinePlugin
from roofline_site.serve import csp

ROOT = Path(__file__).resolve().parents[2]
PLOTLY = ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


class Head(HTMLParser):
    """Collects the CSP meta tags, what loads before them, and inline styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.loaded_before: list[str] = []
        self.style_elements = 0
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self.script_urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(attributes.get("content") or "")
        elif not self.policies and (
            tag in ("script", "style") or (tag == "link" and attributes.get("rel") == "stylesheet")
        ):
            self.loaded_before.append(tag)
        if tag == "style":
            self.style_elements += 1
        if "style" in attributes:
            self.style_attributes.append(f"<{tag} style={attributes['style']!r}>")
        self.handlers += [f"<{tag} {name}>" for name in attributes if name.startswith("on")]
        self.script_urls += [
            f"<{tag} {name}={value!r}>"
            for name, value in attributes.items()
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:")
        ]


def parse(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_the_csp_modules_doctests_pass() -> None:
    assert doctest.testmod(csp).failed == 0


def test_every_page_carries_one_policy_before_any_style_or_script(built_site: Path) -> None:
    found = pages(built_site)
    assert len(found) >= 4  # home, sweet spot, simulator, 404
    all_scripts = {csp.script_hash(s) for page in found for s in csp.inline_scripts(page.read_text())}
    expected = csp.policy(sorted(all_scripts))
    for page in found:
        head = parse(page.read_text())
        assert head.policies == [expected], page
        assert head.loaded_before == [], f"{page}: loaded before the policy: {head.loaded_before}"


def test_scripts_run_only_from_the_site_or_by_hash(built_site: Path) -> None:
    for page in pages(built_site):
        html = page.read_text()
        script_src = directives(parse(html).policies[0])["script-src"]
        assert "'unsafe-inline'" not in script_src
        assert [s for s in script_src if not s.startswith("'sha256-")] == [
            "'self'",
            "'unsafe-eval'",
            "'wasm-unsafe-eval'",
        ]
        for source in csp.inline_scripts(html):
            assert csp.script_hash(source) in script_src
        head = parse(html)
        assert head.handlers == [], f"{page}: inline event handlers need 'unsafe-hashes'"
        assert head.script_urls == [], f"{page}: javascript: URLs are refused"


def test_no_inline_styles_in_the_markup(built_site: Path) -> None:
    # style-src has no 'unsafe-inline': a style="" or <style> in the HTML would be
    # dropped by the browser (and reported). Scripts setting element.style are fine.
    for page in pages(built_site):
        head = parse(page.read_text())
        assert head.style_elements == 0, page
        assert head.style_attributes == [], page


def test_everything_else_is_the_site_itself(built_site: Path) -> None:
    policy = directives(parse((built_site / "index.html").read_text()).policies[0])
    for name in ("default-src", "font-src", "connect-src", "worker-src", "base-uri", "form-action"):
        assert policy[name] == ["'self'"], name
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == policy["frame-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'", *csp.STYLE_HASHES.values()]
    assert not any("http" in source or source == "*" for sources in policy.values() for source in sources)


def test_plotly_stylesheet_hash_matches_the_vendored_plotly() -> None:
    # plotly.js adds <style id="ce8d…">MapLibre CSS</style> at load; upgrading it may change the text.
    source = PLOTLY.read_text(encoding="utf-8")
    literal = re.search(
        r"createElement\(\"style\"\);?\s*\w+\.id=\"[0-9a-f]{64}\",\w+\.textContent='((?:[^'\\]|\\.)*)'", source
    )
    assert literal, "plotly.min.js no longer injects its MapLibre stylesheet this way: re-check STYLE_HASHES"
    assert "\\" not in literal.group(1), "the stylesheet has JS escapes: decode them before hashing"
    digest = base64.b64encode(hashlib.sha256(literal.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp.STYLE_HASHES.values()
    assert csp.script_hash("") in csp.STYLE_HASHES.values()  # the empty <style> plotly fills by insertRule


def test_the_dev_server_policy_allows_its_live_reload_script() -> None:
    script_src = directives(csp.policy(["'sha256-x'"], dev_server=True))["script-src"]
    assert "'unsafe-inline'" in script_src and "'sha256-x'" not in script_src


def test_a_page_without_the_placeholder_fails_the_build() -> None:
    class Page:
        class file:
            src_uri = "broken.md"

    plugin = RooflinePlugin()
    with pytest.raises(PluginError, match=r"broken\.md"):
        plugin.on_post_page("<html><head></head></html>", page=Page, config={})
    with pytest.raises(PluginError, match=r"404\.html"):
        plugin.on_post_template("<html></html>", template_name="404.html", config={})
    assert plugin.on_post_template("<urlset/>", template_name="sitemap.xml", config={}) == "<urlset/>"


def test_inline_scripts_are_found_as_the_browser_runs_them() -> None:
    html = (
        '<script>a()</script><script type="module">b()</script><script type="application/json">{}</script>'
        '<script type="py">c</script><script src="x.js"></script><SCRIPT TYPE="text/javascript">d()</SCRIPT>'
    )
    assert csp.inline_scripts(html) == ["a()", "b()", "d()"]
    assert csp.script_hash("a\r\nb") == csp.script_hash("a\nb")


def test_the_search_partial_is_materials_with_an_accessible_name() -> None:
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(encoding="utf-8")

    def body(text: str) -> str:
        return re.sub(r"\A\{#-.*?-#\}\n", "", text, flags=re.S)

    labelled = body(theirs).replace('role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">', 1)
    assert labelled != body(theirs), "Material's search dialog changed: update overrides/partials/search.html"
    assert body(ours) == labelled
