"""Find numbers typed by hand into a built page's prose (used by test_prose_numbers.py).

A number on a page is either printed by a macro (which wraps it in an element
with a ``data-macro`` attribute: ``<span class="rl-num" data-macro=…>``, or a
block a macro generates whole, such as the simulator or a measurement table)
or it is one of the kinds of number that are not figures at all. Everything
else in the prose is a number typed by hand, and the test fails on it.

Not figures, allowed by rule (no list of exceptions):

* part of a name: digits glued to a word with letters, as in H100, FP8,
  DeepSeek-V3, Llama-3.1-70B, Qwen3-235B-A22B, x86_64;
* a number format's bit width: 4-bit, 8-bit, 16 bits (4, 8, 16, 32, 64);
* a year (1900 to 2099) or an ISO date (2026-11-26);
* an ordinal: 1st, 2nd, 95th;
* a label's number: a heading that starts "3. …", or "section 2",
  "question 4", "step 1", "figure 2", "table 1", "part 3";
* a quotation: text inside quotation marks ("about 300", “…”) reproduces what
  a source says, and the page says whose words they are;
* code, keyboard input and mathematics (``<code>``, ``<pre>``, ``<kbd>``,
  KaTeX/arithmatex), where numbers are examples and symbols, not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["ABOUT_WORDS", "Found", "about_numbers", "hand_typed_numbers", "prose_blocks"]

#: Elements whose text is never prose.
_SKIP_TAGS = frozenset({"script", "style", "code", "pre", "kbd", "svg", "math", "noscript", "template"})
#: Elements that end a block of prose (a quotation or a name never runs across them).
_BLOCK_TAGS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "summary", "dt", "dd"})
_VOID_TAGS = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"})
#: The characters that enclose a macro's output in a block's text.
MACRO, MACRO_END = "\ufffc", "\ufffd"
_MACRO_OUTPUT = re.compile(f"{MACRO}([^{MACRO_END}]*){MACRO_END}")
#: Words that announce a rounded figure (item 7 of issue 12).
ABOUT_WORDS = ("about", "roughly", "around", "nearly", "almost", "approximately", "≈", "~")

_NUMBER = re.compile(r"(?:19|20)\d\d-\d\d-\d\d|\d[\d,]*(?:\.\d+)*")
_LABEL_WORDS = re.compile(r"(?:section|question|step|figure|table|part|item)\s+$", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”')
_DATE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_BIT_WIDTH = re.compile(r"(?:4|8|16|32|64)[- ]bits?\b")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)\b")


@dataclass(frozen=True, slots=True)
class Found:
    """A number in a block of prose: the number, the block's text around it, and the block's tag."""

    number: str
    context: str
    tag: str


class _Blocks(HTMLParser):
    """Text of each block inside ``<article>``, skipped parts dropped, macro output as :data:`MACRO`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.skipping = 0
        self.article = 0
        self.blocks: list[tuple[str, list[str]]] = []
        self.current: list[tuple[str, list[str]]] = []
        self.macro_depth: int | None = None
        self.macro_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            return
        names = dict(attrs)
        classes = (names.get("class") or "").split()
        skip = (
            tag in _SKIP_TAGS
            or "data-macro" in names
            or "data-macro-block" in names
            or "arithmatex" in classes
            or "headerlink" in classes
        )
        if skip and not self.skipping and self.article and self.current and "data-macro" in names:
            self.macro_depth, self.macro_text = len(self.stack), []
        self.stack.append((tag, skip))
        if skip:
            self.skipping += 1
        if tag == "article":
            self.article += 1
        if tag in _BLOCK_TAGS:
            self.current.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, skip = self.stack.pop()
            if skip:
                self.skipping -= 1
            if self.macro_depth == len(self.stack):
                self.macro_depth = None
                if self.current:
                    self.current[-1][1].append(MACRO + " ".join("".join(self.macro_text).split()) + MACRO_END)
            if open_tag == "article":
                self.article -= 1
            if open_tag in _BLOCK_TAGS and self.current:
                self.blocks.append(self.current.pop())
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.macro_depth is not None:
            self.macro_text.append(data)
        if self.article and not self.skipping and self.current:
            self.current[-1][1].append(data)


def prose_blocks(html: str) -> list[tuple[str, str]]:
    """``(tag, text)`` of every block of prose in the page's ``<article>``, whitespace collapsed."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return [(tag, " ".join("".join(parts).split())) for tag, parts in parser.blocks]


def _allowed(text: str, start: int, end: int, tag: str, quoted: list[tuple[int, int]]) -> bool:
    before, after = text[:start], text[end:]
    run = re.search(r"[\w.\-]*$", before)
    if run and re.search(r"[A-Za-z]", run.group()):
        return True  # part of a name: H100, Llama-3.1-70B, gpt-oss-120b
    if _DATE.match(text, start) or (_YEAR.fullmatch(text[start:end]) and not re.match(r"[,.]?\d", after)):
        return True
    if _ORDINAL.match(text, start) or _BIT_WIDTH.match(text, start):
        return True
    if tag.startswith("h") and tag[1:].isdigit() and not before.strip() and after.startswith(". "):
        return True  # a numbered heading
    if _LABEL_WORDS.search(before):
        return True
    return any(low < start and end <= high for low, high in quoted)


def hand_typed_numbers(html: str) -> list[Found]:
    """Every number in the page's prose that no macro printed and no rule allows."""
    found = []
    for tag, text in prose_blocks(html):
        text = _MACRO_OUTPUT.sub(MACRO, text)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        for match in _NUMBER.finditer(text):
            start = match.start()
            number = match.group().rstrip(".,")
            if not number or _allowed(text, start, start + len(number), tag, quoted):
                continue
            found.append(Found(number, text[max(0, start - 60) : start + len(number) + 40], tag))
    return found


def about_numbers(html: str) -> list[tuple[str, str]]:
    """``(number text, context)`` for each macro output that prose introduces with "about" or the like."""
    out = []
    for _, text in prose_blocks(html):
        for match in _MACRO_OUTPUT.finditer(text):
            words = _MACRO_OUTPUT.sub(lambda m: m.group(1), text[: match.start()]).rstrip().lower()
            if words.endswith(ABOUT_WORDS):
                out.append((match.group(1), words[-60:] + " " + match.group(1)))
    return out
