"""roofline.web.query against urllib.parse, which it stands in for on Pyodide."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qsl, unquote_plus, urlencode

from hypothesis import given
from hypothesis import strategies as st

from roofline.web.query import encode_pairs, parse_pairs
from roofline.web.query import unquote_plus as our_unquote_plus

# Text that exercises escapes: percent signs, hex digits, separators, UTF-8
# lead and continuation bytes written as escapes, non-ASCII and surrogates.
_PIECES = st.sampled_from(["%", "%2", "%20", "%E2", "%89", "%88", "%C3%A4", "%zz", "%FF", "+", "&", "=", "a", "B", "9"])
QUERY_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=12).map("".join)


@given(QUERY_TEXT)
def test_unquote_plus_matches_urllib(text: str) -> None:
    assert our_unquote_plus(text) == unquote_plus(text)


@given(QUERY_TEXT)
def test_parse_pairs_matches_parse_qsl(query: str) -> None:
    assert parse_pairs(query) == parse_qsl(query, keep_blank_values=True)


@given(st.lists(st.tuples(st.text(), st.text()), max_size=5))
def test_encode_pairs_matches_urlencode(pairs: list[tuple[str, str]]) -> None:
    try:
        expected = urlencode(pairs, safe="")
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8
        return
    assert encode_pairs(pairs) == expected
    assert parse_pairs(encode_pairs(pairs)) == pairs


def test_the_simulator_does_not_import_urllib() -> None:
    """The point of the module: urllib.parse costs Pyodide ~120 ms to import."""
    code = "import sys; import roofline.web.article, roofline.web.realistic; print('urllib.parse' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
