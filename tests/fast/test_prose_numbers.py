"""Every number a page shows comes from the core or a cited table, through a macro (issue 12, items 6 and 7).

See tests/prose_numbers.py for what counts as prose and which numbers are
allowed by rule (names, years, ordinals, labels, quotations, code, maths).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from prose_numbers import about_numbers, hand_typed_numbers

from roofline.units import ABOUT_DIGITS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))

HOW_TO_FIX = (
    "A figure from a source belongs in a cited table of the core (src/roofline/presets: a preset, or a "
    "published record such as presets/published.py) and reaches the page through a macro; a derived figure "
    "is computed in src/roofline and printed by a macro (src/roofline_site), which wraps it in "
    '<span class="rl-num" data-macro=...>. A macro that prints a whole block (a table, a widget) wraps the '
    "block in an element with a data-macro attribute. Numbers that are not figures are allowed by rule: names "
    "(H100, FP8, Llama-3.1-70B), bit widths (8-bit), years, ISO dates, ordinals, numbered headings and "
    '"section 2"-style labels, quotations in quotation marks, and anything in code or maths.'
)


def built_page(site: Path, page: str) -> Path:
    """The HTML MkDocs builds from docs/``page`` (use_directory_urls)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


def significant_figures(text: str) -> int:
    digits = re.sub(r"[^\d.]", "", text.split()[0] if text.split() else "").strip(".")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0"))
    return len(digits.lstrip("0").rstrip("0")) or 1


@pytest.mark.parametrize("page", PAGES)
def test_no_number_is_typed_in_by_hand(built_site: Path, page: str) -> None:
    html = built_page(built_site, page).read_text()
    found = hand_typed_numbers(html)
    lines = [f"  {f.number!r} in <{f.tag}>: …{f.context}…" for f in found]
    assert not found, f"docs/{page} has {len(found)} hand-typed number(s):\n" + "\n".join(lines) + "\n" + HOW_TO_FIX


@pytest.mark.parametrize("page", PAGES)
def test_prose_that_says_about_rounds_to_three_figures(built_site: Path, page: str) -> None:
    html = built_page(built_site, page).read_text()
    loose = [(text, context) for text, context in about_numbers(html) if significant_figures(text) > ABOUT_DIGITS]
    assert not loose, (
        f"docs/{page}: prose says 'about' before a number with more than {ABOUT_DIGITS} significant figures: "
        + "; ".join(f"{text!r} in …{context}" for text, context in loose)
        + ". Print it with the macro's about=True (roofline.units.format_number(..., about=True))."
    )


def test_the_scanner_flags_figures_and_allows_what_is_not_a_figure() -> None:
    page = (
        "<article><h2>3. DeepSeek-V3 on an H100</h2>"
        "<p>each node makes 14.8K tokens/s, about 90% of 3.35 TB/s, and costs $2 per GPU-hour.</p>"
        "<p>Llama-3.1-70B in 8-bit weights, 2025, on 2026-11-26, the 95th percentile, section 2, "
        'the article\'s "about 300", <code>--batch 128</code>, <span class="arithmatex">\\(10^{15}\\)</span>, '
        '<span class="rl-num" data-macro="x" data-value="5356.0">5,356</span>.</p>'
        '<div data-macro="table"><table><tr><td>1,234</td></tr></table></div>'
        "</article><p>outside the article: 42</p>"
    )
    assert [f.number for f in hand_typed_numbers(page)] == ["14.8", "90", "3.35", "2"]


def test_the_about_check_reads_the_macros_text() -> None:
    page = (
        '<article><p>at about <span class="rl-num" data-macro="x" data-value="891.3">891.3</span> tokens, '
        'and exactly <span class="rl-num" data-macro="y" data-value="5356.09">5,356</span>, '
        'about <span class="rl-num" data-macro="z" data-value="12700.0">12,700</span>.</p></article>'
    )
    assert [text for text, _ in about_numbers(page)] == ["891.3", "12,700"]
    assert [significant_figures(t) for t in ("891.3", "12,700", "5,356", "0.020", "4.5 ms")] == [4, 3, 4, 2, 2]
