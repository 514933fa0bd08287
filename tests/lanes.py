"""The test lanes: the folder a test file sits in under ``tests/`` decides which lane runs it.

``conftest.py`` gives every test its folder's markers, so the ``-m`` selections
keep working (``-m "not browser and not slow"`` is the fast lane, ``-m "browser
or slow"`` the rest), and stops the run when a test sits in a lane too light
for what it needs (:func:`misplaced`). A file goes where its heaviest test
needs: a browser test beside fast ones takes the whole file to ``browser/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

TESTS = Path(__file__).resolve().parent

#: Lane folder -> the markers its tests get.
LANES: Mapping[str, tuple[str, ...]] = {
    "fast": (),  # CPython only; may build the site
    "slow": ("slow",),  # more than a few seconds without a browser: fuzzing, fits on all the data
    "pyodide": ("slow", "pyodide"),  # Pyodide under Node
    "browser": ("browser",),  # headless Chromium; may also be slow (the benchmarks)
}
#: Lane folder -> the markers a test there may carry itself: its own ``browser``
#: mark in ``slow/`` says it needs a heavier lane than its folder's.
ALLOWED_MARKS: Mapping[str, frozenset[str]] = {
    "fast": frozenset(),
    "slow": frozenset({"slow"}),
    "pyodide": frozenset({"slow", "pyodide"}),
    "browser": frozenset({"browser", "slow"}),
}
LANE_MARKS = frozenset(mark for marks in ALLOWED_MARKS.values() for mark in marks)
#: conftest.py's fixtures that launch Chromium: only browser/ may use them.
CHROMIUM_FIXTURES = frozenset({"browser", "page", "make_page"})
#: The scripts in tests/pyodide/ that boot Pyodide under Node: a test that names one belongs in pyodide/.
PYODIDE_HARNESSES = tuple(sorted(path.name for path in (TESTS / "pyodide").glob("*.mjs")))


def lane_of(path: Path) -> str | None:
    """The lane folder of a test file under ``tests/``, or None where it sits in none."""
    parts = path.resolve().relative_to(TESTS).parts
    return parts[0] if len(parts) > 1 and parts[0] in LANES else None


def misplaced(lane: str | None, own_marks: Iterable[str], fixtures: Iterable[str], source: str) -> list[str]:
    """Why a test (its own lane markers, the fixtures it uses, its module's source) cannot run in
    ``lane``; empty when it can."""
    if lane is None:
        return [f"not in a lane folder: put it in tests/{{{','.join(LANES)}}}/"]
    reasons = [f"marked {mark}, which {lane}/ does not run" for mark in sorted(set(own_marks) - ALLOWED_MARKS[lane])]
    if lane != "browser":
        reasons += [
            f"launches Chromium (fixture {name}): it belongs in browser/"
            for name in sorted(CHROMIUM_FIXTURES & set(fixtures))
        ]
    if lane != "pyodide":
        reasons += [f"boots Pyodide ({name}): it belongs in pyodide/" for name in PYODIDE_HARNESSES if name in source]
    return reasons
