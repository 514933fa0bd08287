"""The one table of malformed simulator URLs (issue 6), read by the CPython and the browser tests.

Each row: the query, the parameter its notice must name, and whether the
browser checks it too. CPython (tests/fast/test_simulator_state.py) checks every
row; the browser (tests/browser/test_browser.py) loads the page once with the marked
rows joined into one query, the script payloads among them.
"""

from __future__ import annotations

__all__ = ["BROWSER_QUERY", "MALFORMED_URLS"]

MALFORMED_URLS: tuple[tuple[str, str, bool], ...] = (
    ("B=NaN", "B", True),
    ("B=-1", "B", False),
    ("B=0", "B", False),
    ("B=1e400", "B", False),
    ("L=abc", "L", True),
    ("b=", "b", True),
    ("B=5&B=7", "B", False),
    ("L=" + "9" * 400, "L", False),
    ("N_active=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "N_active", True),
    ("BW=%22%27%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "BW", True),
    ("zzz=1&B=64", "zzz", False),
    ("%3Cscript%3Ex%3C%2Fscript%3E=1", "<script>", True),
    ("mode=real&gpus=-3&hw=%3Cb%3Ex", "gpus", False),
    ("mode=real&mode=article&C=-1", "C", False),
    # The latency target (issue 13): a bad one is dropped (no target), with a notice naming it.
    ("tpot=NaN", "tpot", True),
    ("tpot=0", "tpot", False),
    ("tpot=-5", "tpot", False),
    ("tpot=fast", "tpot", False),
    ("tpot=1e12", "tpot", False),
    ("mode=real&tpot=%3Cb%3E", "tpot", False),
    ("mode=real&spec=maybe", "spec", False),
    ("mode=real&draft=0", "draft", False),
    ("mode=real&accept=1.5", "accept", False),
    ("mode=real&serve=maybe", "serve", False),
    ("mode=real&out=0", "out", False),
    ("mode=real&out=250", "out", False),
    ("mode=real&out=%3Cb%3E", "out", False),
    ("mode=real&aprec=fp4", "aprec", False),
    ("mode=real&hw=a100-sxm&wprec=w8a16&aprec=fp8", "aprec", False),
    ("mode=real&tp=0", "tp", False),
    ("mode=real&tp=3", "tp", False),
    ("mode=real&ep=NaN", "ep", False),
    ("mode=real&pp=%3Cscript%3Ex%3C%2Fscript%3E", "pp", False),
    ("mode=real&dpa=2", "dpa", False),
    ("mode=real&model=llama-3.1-70b&ep=8", "ep", False),
    ("mode=real&ideal=1&pp=2", "pp", False),
)

#: The browser's rows as one query (their keys differ, so each row keeps its own notice).
BROWSER_QUERY = "&".join(query for query, _, browser in MALFORMED_URLS if browser)
