"""URL query strings, read and written the way ``urllib.parse`` does it, and the simulator's rules for them.

One rule for a key given more than once, in Python and in the page's
JavaScript alike: **the last value wins** (:data:`REPEATED`,
:func:`last_values`), the ``mode`` key included (:func:`mode_of`).

:func:`parse_pairs` behaves as ``urllib.parse.parse_qsl(q, keep_blank_values=True)``
and :func:`encode_pairs` as ``urllib.parse.urlencode(pairs, safe="")``; the
tests hold both to ``urllib.parse`` on arbitrary text. They exist because
``urllib.parse`` imports :mod:`ipaddress`, which Pyodide compiles on first
import: about 120 ms of the simulator's start-up, more than the rest of the
package takes to import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .controls import shorten

__all__ = ["MODE_KEY", "REPEATED", "encode_pairs", "last_values", "mode_of", "parse_pairs", "unquote_plus"]

#: The URL key that picks the simulator's mode; ``mode=real`` is the realistic one.
MODE_KEY = "mode"
#: Which value of a key given more than once applies (the page's JavaScript reads this too).
REPEATED = "last"

_ASCII_RUNS = re.compile("([\\x00-\\x7f]+)")
_HEX = frozenset("0123456789abcdefABCDEF")
# The characters urllib.parse.quote_plus never escapes (RFC 3986 unreserved).
_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def unquote_plus(text: str) -> str:
    """``+`` to a space, then ``%XX`` escapes to the UTF-8 text they spell.

    A ``%`` not followed by two hex digits stays as it is; bytes that are not
    UTF-8 become U+FFFD, as in ``urllib.parse.unquote_plus``.

    >>> unquote_plus("32K+tokens%2C%20%E2%89%88%20ok%zz")
    '32K tokens, ≈ ok%zz'
    """
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    # As urllib does: escapes are decoded one ASCII run at a time, and other
    # text (even a lone surrogate) is kept as it is.
    return "".join(_unescape(run) if run.isascii() else run for run in _ASCII_RUNS.split(text))


def _unescape(run: str) -> str:
    head, *rest = run.split("%")
    out = bytearray(head.encode())
    for part in rest:
        if len(part) >= 2 and part[0] in _HEX and part[1] in _HEX:
            out.append(int(part[:2], 16))
            out += part[2:].encode()
        else:
            out += b"%" + part.encode()
    return out.decode("utf-8", "replace")


def parse_pairs(query: str) -> list[tuple[str, str]]:
    """``key=value`` pairs of a query, in order, blanks kept.

    >>> parse_pairs("B=128&L=32K&&flag&x=a%3Db")
    [('B', '128'), ('L', '32K'), ('flag', ''), ('x', 'a=b')]
    """
    pairs = []
    for field in query.split("&"):
        if not field:
            continue
        key, _, value = field.partition("=")
        pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


#: Text that needs no escaping (every number the simulator writes in its URL).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def _quote_plus(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    return "".join(chr(byte) if byte in _SAFE else "+" if byte == 0x20 else f"%{byte:02X}" for byte in text.encode())


def encode_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """``key=value&...`` with every character outside ``A-Z a-z 0-9 _ . - ~`` escaped.

    >>> encode_pairs([("B", "128"), ("note", "a b/c≈")])
    'B=128&note=a+b%2Fc%E2%89%88'
    """
    return "&".join(f"{_quote_plus(key)}={_quote_plus(value)}" for key, value in pairs)


def last_values(pairs: Iterable[tuple[str, str]], known: set[str]) -> tuple[dict[str, str], list[str]]:
    """The last value of each known key, in first-seen order, and a notice per unknown or repeated key.

    >>> last_values([("B", "1"), ("x", "2"), ("B", "3")], {"B"})
    ({'B': '3'}, ["Ignored unknown parameter 'x'.", 'B was given more than once; using the last value.'])
    """
    seen: dict[str, str] = {}
    notices: list[str] = []
    for key, raw in pairs:
        if key not in known:
            notices.append(f"Ignored unknown parameter {shorten(key)!r}.")
            continue
        if key in seen:
            notices.append(f"{key} was given more than once; using the last value.")
        seen[key] = raw
    return seen, notices


def mode_of(query: str | Mapping[str, str]) -> str:
    """``"real"`` if the query's last ``mode`` value is ``real``, else ``"article"``.

    >>> mode_of("?mode=real&hw=h200"), mode_of("B=128"), mode_of("mode=real&mode=article")
    ('real', 'article', 'article')
    """
    pairs = parse_pairs(query.lstrip("?")) if isinstance(query, str) else list(query.items())
    modes = [value for key, value in pairs if key == MODE_KEY]
    return "real" if modes and modes[-1] == "real" else "article"
