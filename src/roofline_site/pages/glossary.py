"""Glossary links and readable search text: two steps of the roofline plugin (:mod:`roofline_site.plugin`).

Two jobs, both on the built HTML rather than in each page's Markdown:

* **Links to the glossary.** The first use of each term of :data:`TERMS` on
  a page (HBM, KV cache, TPOT, ...) becomes a link to its entry on
  ``glossary/``, and the first "the article" links to the home page's
  citation. Done here, once, instead of by hand in fifteen pages: a new page
  or a reworded paragraph gets its links without anyone remembering to add
  them, and a term is never linked twice on a page. MkDocs' ``abbr`` would
  only give a hover title on every use, which touch screens and keyboards
  cannot open. Only running text is linked: never inside a heading, a link,
  code, mathematics, a caption's chart data or the simulator widget.
* **Search without LaTeX.** Material's search indexes a page's HTML, where
  formulas are still TeX source (``\\(N_\\text{total}\\)``) until KaTeX runs
  in the browser; the search results then showed that source. After the
  build, :func:`plain_math` rewrites each formula in the search index as
  text (``N_total``).

The plugin calls :func:`link_page` on every rendered page and
:func:`plain_search_index` among its post-build steps, before compression
gzips the rewritten index.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["GLOSSARY_PAGE", "TERMS", "link_terms", "plain_math"]

#: The glossary's source file; its page links nothing to itself.
GLOSSARY_PAGE = "glossary.md"
#: The home page, where the article is cited (anchor ``the-article``).
HOME_PAGE = "index.md"

#: Each term as (anchor on the glossary page, the words that name it). Linked
#: once per page, at its first use; terms sharing an anchor are linked apart.
TERMS: tuple[tuple[str, str], ...] = (
    ("hbm", r"\bHBM\b"),
    ("bandwidth", r"\b[Bb]andwidth\b"),
    ("flops", r"\bFLOP/s\b|\bFLOPs\b"),
    ("si-prefixes", r"\b\d+(?:\.\d+)?G\b"),
    ("parameters", r"\bN_active\b|\bN_total\b"),
    ("moe", r"\bMoE\b|\b[Mm]ixtures? of experts\b"),
    ("kv-cache", r"\bKV[ -]caches?\b"),
    ("gqa-mla", r"\bGQA\b|\b[Gg]rouped-query\b"),
    ("gqa-mla", r"\bMLA\b"),
    ("precision", r"\bw[48]a16\b"),
    ("precision", r"\bFP8\b|\bBF16\b"),
    ("prefill-decode", r"\b[Pp]refill\b"),
    ("prefill-decode", r"\b[Dd]ecode\b"),
    ("memory-wall", r"\b[Mm]emory wall\b"),
    ("ttft", r"\bTTFT\b"),
    ("tpot", r"\bTPOT\b"),
    ("mtp", r"\bMTP\b"),
    ("mtp", r"\b[Ss]peculative decoding\b|\b[Ss]peculation\b"),
    ("parallelism", r"\bTP\d*\b|\b[Tt]ensor parallelism\b"),
    ("parallelism", r"\bEP\d*\b|\b[Ee]xpert parallelism\b"),
    ("parallelism", r"\bPP\d*\b|\b[Pp]ipeline parallelism\b"),
    ("parallelism", r"\bDP[ -]attention\b"),
)
_ARTICLE = re.compile(r"\b[Tt]he article(?:'s)?\b")

# A tag, its quoted attribute values allowed to hold ">".
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# Where no link goes: links already, headings, code, form parts, scripts, figures' SVG, and tables
# (their cells are data, and a link there sits in a sideways-scrolling box on a phone).
_SKIP_TAGS = frozenset(
    "a abbr button cite code h1 h2 h3 h4 h5 h6 kbd label option pre script select style svg table textarea title".split()
)
# Mathematics (before and after KaTeX), the simulator widget, and macro-built blocks (charts, tables of data).
_SKIP_CLASS = re.compile(r"""class=["'][^"']*\b(?:arithmatex|katex|rl-sim|rl-chart)\b""")


def _link(href: str, text: str) -> str:
    return f'<a class="rl-term" href="{href}">{text}</a>'


def link_terms(html: str, glossary_href: str, home_href: str | None) -> str:
    """``html`` with the first use of each :data:`TERMS` entry linked to ``glossary_href#anchor``.

    ``home_href`` is the home page's address (``None`` on the home page
    itself): the first "the article" links to its citation there.

    >>> link_terms("<p>HBM and <code>HBM</code>, HBM again.</p>", "g/", None)
    '<p><a class="rl-term" href="g/#hbm">HBM</a> and <code>HBM</code>, HBM again.</p>'
    >>> link_terms("<h2>KV cache</h2><p>the KV cache</p>", "g/", None)
    '<h2>KV cache</h2><p>the <a class="rl-term" href="g/#kv-cache">KV cache</a></p>'
    >>> link_terms('<p><span data-macro="m">671G</span> weights</p>', "g/", None)
    '<p><a class="rl-term" href="g/#si-prefixes"><span data-macro="m">671G</span></a> weights</p>'
    """
    patterns = [(re.compile(pattern), f"{glossary_href}#{anchor}") for anchor, pattern in TERMS]
    if home_href is not None:
        patterns.append((_ARTICLE, f"{home_href}#the-article"))
    unused = list(range(len(patterns)))
    out: list[str] = []
    # Per open element: its name, whether links are barred inside it, and whether a link wraps it.
    stack: list[tuple[str, bool, bool]] = []
    position = 0
    for tag in _TAG.finditer(html):
        text = html[position : tag.start()]
        barred = any(skip for _, skip, _ in stack)
        out.append(text if barred or not unused else _link_text(text, patterns, unused))
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        wrap_after = False
        if closing:
            # Close up to the matching element (HTML lets some end tags be left out); a stray one closes nothing.
            if any(open_name == name for open_name, _, _ in stack):
                while True:
                    open_name, _, wrapped = stack.pop()
                    wrap_after = wrap_after or wrapped
                    if open_name == name:
                        break
        elif name not in _VOID and not attributes.rstrip().endswith("/"):
            wrapped = False
            if "data-macro=" in attributes and not barred:
                # A number a macro printed (tests read these spans whole): linked around, never inside.
                inner = html[tag.end() : html.find("<", tag.end())]
                for index in list(unused):
                    pattern, href = patterns[index]
                    if pattern.fullmatch(inner):
                        out.append(f'<a class="rl-term" href="{href}">')
                        unused.remove(index)
                        wrapped = True
                        break
            stack.append(
                (
                    name,
                    True if "data-macro=" in attributes else name in _SKIP_TAGS or bool(_SKIP_CLASS.search(attributes)),
                    wrapped,
                )
            )
        out.append(tag.group(0))
        if wrap_after:
            out.append("</a>")
        position = tag.end()
    out.append(html[position:])
    return "".join(out)


def _link_text(text: str, patterns: list[tuple[re.Pattern[str], str]], unused: list[int]) -> str:
    """One text node with the first match of each unused pattern linked (earliest first, none overlapping)."""
    found = []
    for index in unused:
        match = patterns[index][0].search(text)
        if match:
            found.append((match.start(), match.end(), index))
    if not found:
        return text
    pieces, cursor = [], 0
    for start, end, index in sorted(found):
        if start < cursor:
            continue  # overlaps a term linked just before it; this one waits for a later use
        pieces += [text[cursor:start], _link(patterns[index][1], text[start:end])]
        cursor = end
        unused.remove(index)
    pieces.append(text[cursor:])
    return "".join(pieces)


def _relative(page_url: str, target: str) -> str:
    """``target`` (a site-root-relative folder URL) as seen from the page at ``page_url``."""
    depth = len([part for part in page_url.split("/") if part])
    return "../" * depth + target


def link_page(html: str, page) -> str:  # type: ignore[no-untyped-def]
    """Link each page's first use of every glossary term (not on the glossary itself)."""
    if page.file.src_uri == GLOSSARY_PAGE:
        return html
    home = None if page.file.src_uri == HOME_PAGE else _relative(page.url, "")
    return link_terms(html, _relative(page.url, "glossary/"), home)


# ---------------------------------------------------------------- search text

_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_WORDS = {
    r"\cdot": "·",
    r"\times": "×",
    r"\approx": "≈",
    r"\geq": "≥",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\le": "≤",
    r"\Rightarrow": "⇒",
    r"\Longrightarrow": "⟹",
    r"\implies": "⟹",
    r"\to": "→",
    r"\infty": "∞",
    r"\ll": "≪",
    r"\gg": "≫",
    r"\neq": "≠",
    r"\sum": "Σ",
    r"\quad": " ",
    r"\qquad": " ",
    r"\;": " ",
    "\\ ": " ",
    r"\,": " ",
    r"\:": " ",
    r"\!": "",
    r"\%": "%",
    r"\mu": "µ",
    r"\min": "min",
    r"\max": "max",
    r"\log": "log",
    r"\left": "",
    r"\right": "",
    r"\displaystyle": "",
    r"\boxed": "",
    r"\{": "{",
    r"\}": "}",
}
_FRACTION = re.compile(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}")
_WRAPPED = re.compile(r"\\(?:text|mathrm|mathit|mathbf|operatorname|textbf|textit)\{([^{}]*)\}")
_UNDERBRACE = re.compile(r"\\underbrace\{([^{}]*)\}_(?:\{[^{}]*\}|\\text\{[^{}]*\}|[A-Za-z]+)")
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\{[a-z]+\*?\}")
_COMMAND = re.compile(r"\\[A-Za-z]+")


def plain_math(tex: str) -> str:
    r"""A TeX formula as plain text for the search index: ``\frac{a}{b}`` as ``a / b``, ``N_\text{total}`` as ``N_total``.

    >>> plain_math(r"T = \max\left(\frac{N_\text{total}}{BW},\; \frac{B \cdot N_\text{active}}{C}\right)")
    'T = max(N_total / BW, B · N_active / C)'
    >>> plain_math(r"C \approx 10^{15}")
    'C ≈ 10^15'
    """
    text = re.sub(r"\\\\(?:\[[^\]]*\])?", " ", _ENVIRONMENT.sub(" ", tex))  # environments and line breaks
    for _ in range(4):  # nested \text inside \frac, a fraction inside a fraction
        text = _WRAPPED.sub(r"\1", text)
        text = _FRACTION.sub(r"\1 / \2", text)
        text = _UNDERBRACE.sub(r"\1", text)
    for command in sorted(_WORDS, key=len, reverse=True):
        text = re.sub(re.escape(command) + (r"(?![A-Za-z])" if command[1:].isalpha() else ""), _WORDS[command], text)
    text = _COMMAND.sub("", text)
    text = text.replace("{", "").replace("}", "").replace("&", " ").replace("\\\\", " ")
    return re.sub(r"\s+", " ", text).strip()


def plain_search_index(site: Path) -> None:
    """Rewrite the formulas in Material's search index (in the built ``site``) as plain text."""
    index = Path(site) / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data["docs"]:
        for key in ("title", "text"):
            doc[key] = _MATH.sub(lambda m: plain_math(m.group(1) or m.group(2)), doc.get(key, ""))
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
