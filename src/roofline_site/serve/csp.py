"""A strict Content-Security-Policy on every built page.

``overrides/main.html`` writes ``<meta http-equiv="Content-Security-Policy"
content="roofline-csp">`` at the end of Material's ``site_meta`` block, before
any stylesheet or script, so the policy governs all of them. After the build,
:func:`fill_policy` replaces that placeholder in every page with :data:`POLICY` plus the
SHA-256 hash of each inline script found in any page (Material writes three:
the ``__md_scope`` storage helpers, which differ by folder depth, the palette
restore and the tab-anchor fix). Hashing the final HTML keeps the policy right
when Material changes those scripts, so scripts need no ``'unsafe-inline'``.

Every page gets the same policy, the union of what any page needs: with
Material's ``navigation.instant`` the first page's meta tag stays in force
while the reader moves on, so a stricter home page would block the simulator.

The roofline plugin (:mod:`roofline_site.plugin`) checks each rendered page
with :func:`check_page` and runs :func:`fill_policy` once every page is final.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

__all__ = [
    "PLACEHOLDER",
    "POLICY",
    "STYLE_HASHES",
    "check_page",
    "fill_policy",
    "inline_scripts",
    "policy",
    "script_hash",
]

#: What ``overrides/main.html`` puts in the meta tag's ``content``.
PLACEHOLDER = "roofline-csp"

#: The policy, directive by directive. Each extra beyond ``'self'`` is there
#: because a page needs it, found by loading every page (the simulator
#: included) in Chromium with the policy on; tests/browser/test_crawl.py records
#: violations and wants none.
POLICY: dict[str, tuple[str, ...]] = {
    # Anything not named below: only the site itself.
    "default-src": ("'self'",),
    # The site's own files; Pyodide compiling its WebAssembly; PyScript (its
    # polyscript core builds hook functions with Function(), which Pyodide
    # alone does not need). Each page's inline-script hashes are appended.
    "script-src": ("'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"),
    # Stylesheets from the site, plus the two <style> elements plotly.js adds
    # (see STYLE_HASHES); no 'unsafe-inline'. Scripts that set element.style
    # through the CSSOM (KaTeX, plotly, Material) are not affected.
    "style-src": ("'self'",),
    # Material's CSS draws its icons as data: SVG masks; plotly.js's PNG export
    # (the compare page's "Chart as PNG") renders the chart's SVG through a blob: image.
    "img-src": ("'self'", "data:", "blob:"),
    # KaTeX's fonts, served from assets/vendor/katex/fonts.
    "font-src": ("'self'",),
    # fetch(): the search index, Pyodide's stdlib and lock file, the wheel, main.py.
    "connect-src": ("'self'",),
    # Material's search worker.
    "worker-src": ("'self'",),
    # No plugins, no <base> rewriting, forms submit only to the site, no frames.
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-src": ("'none'",),
}

#: Inline stylesheets the vendored plotly.js (plotly.js-basic-dist-min 4.1.1) adds
#: to <head> when it loads: an empty <style id="plotly.js-style-global"> that
#: it then fills through the CSSOM (insertRule, which CSP allows), and the
#: MapLibre stylesheet its bundle carries. Upgrading plotly.js may change the
#: second; tests/test_csp.py recomputes it from node_modules and the crawl
#: reports any other (Chromium's message names the hash it wanted).
STYLE_HASHES: dict[str, str] = {
    "plotly.js global style element (empty, filled by insertRule)": "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "plotly.js bundled MapLibre stylesheet": "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
}

# Script types a browser runs (HTML's JavaScript MIME type essences, plus module).
_JS_TYPES = frozenset(
    {
        "",
        "module",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)


class _Scripts(HTMLParser):
    """Collects the text of every inline script a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = dict(attrs)
        kind = (attributes.get("type") or "").strip().lower()
        runs = kind in _JS_TYPES
        self._current = [] if runs and "src" not in attributes else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.found.append("".join(self._current))
            self._current = None


def inline_scripts(html: str) -> list[str]:
    """The source text of each inline script a browser would run, in page order.

    >>> inline_scripts('<script>a()</script><script src="x.js"></script><script type="py">b</script>')
    ['a()']
    """
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return parser.found


def script_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script.

    The browser hashes the script's text as UTF-8 after the HTML parser turned
    CR LF and lone CR into LF, so the same is done here.

    >>> script_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(script_hashes: list[str] | tuple[str, ...] = (), *, dev_server: bool = False) -> str:
    """:data:`POLICY` as the meta tag's ``content``, allowing ``script_hashes`` too.

    ``dev_server`` (``mkdocs serve``) allows inline scripts instead, because
    its live-reload script is injected per request and cannot be hashed.

    >>> policy().split("; ")[1]
    "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'"
    """
    directives = {name: list(sources) for name, sources in POLICY.items()}
    directives["style-src"] += STYLE_HASHES.values()
    if dev_server:
        directives["script-src"].append("'unsafe-inline'")
    else:
        directives["script-src"] += sorted(set(script_hashes))
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


_MARKER = f'content="{PLACEHOLDER}"'


def check_page(output: str, where: str) -> None:
    """Fail the build unless a rendered page carries the placeholder exactly once (filled in after the build).

    Raises:
        PluginError: naming ``where`` (the page's source, or the template).
    """
    found = output.count(_MARKER)
    if found != 1:
        raise PluginError(f"{where}: expected one CSP placeholder from overrides/main.html, found {found}")


def fill_policy(site_dir: str | Path, *, dev_server: bool = False) -> None:
    """Write one policy, allowing every page's inline scripts, into every page of the built site."""
    site = Path(site_dir)
    pages = {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    pages = {path: html for path, html in pages.items() if _MARKER in html}
    hashes = {script_hash(source) for html in pages.values() for source in inline_scripts(html)}
    content = f'content="{policy(sorted(hashes), dev_server=dev_server)}"'
    for path, html in pages.items():
        path.write_text(html.replace(_MARKER, content), encoding="utf-8")
