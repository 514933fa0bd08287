"""The lanes (tests/lanes.py): the folder decides a test's markers, and a test in a lane too light for
what it needs stops the run. The end-to-end checks run pytest on a small tree of tests beside a copy
of conftest.py, so they see what a real run does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import lanes


def test_every_test_file_sits_in_a_lane_folder() -> None:
    # The conftest hook sees only what a run collects; this sees a stray file whatever the run.
    files = sorted(lanes.TESTS.rglob("test_*.py"))
    assert files and [f for f in files if lanes.lane_of(f) is None] == []


def test_each_lane_refuses_what_needs_a_heavier_one() -> None:
    harness = f"node tests/pyodide/{lanes.PYODIDE_HARNESSES[0]}"
    assert lanes.misplaced("fast", {"browser"}, (), "") == ["marked browser, which fast/ does not run"]
    assert lanes.misplaced("fast", {"slow"}, (), "") == ["marked slow, which fast/ does not run"]
    assert lanes.misplaced("slow", (), {"make_page"}, "") == [
        "launches Chromium (fixture make_page): it belongs in browser/"
    ]
    assert lanes.misplaced("slow", (), (), harness) == [
        f"boots Pyodide ({lanes.PYODIDE_HARNESSES[0]}): it belongs in pyodide/"
    ]
    assert lanes.misplaced("browser", (), (), harness) != []
    assert lanes.misplaced(None, (), (), "")[0].startswith("not in a lane folder")
    # What each lane may hold.
    assert lanes.misplaced("fast", (), {"built_site", "site_url"}, "") == []
    assert lanes.misplaced("pyodide", {"slow"}, (), harness) == []
    assert lanes.misplaced("browser", {"browser", "slow"}, {"page", "built_site"}, "") == []


#: A plugin for the runs below: after collection, print each test's markers.
SHOW_MARKERS = """
def pytest_collection_finish(session):
    for item in session.items:
        print("MARKERS", item.name, *sorted(mark.name for mark in item.iter_markers()))
"""


def _collect(tmp_path: Path, tests: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``pytest --collect-only`` on ``tests`` (path under tests/ -> source) beside this conftest."""
    root = tmp_path / "tests"
    (root / "pyodide").mkdir(parents=True)
    for helper in ("conftest.py", "lanes.py"):
        shutil.copy(lanes.TESTS / helper, root / helper)
    for name in lanes.PYODIDE_HARNESSES:
        shutil.copy(lanes.TESTS / "pyodide" / name, root / "pyodide" / name)
    for name, source in tests.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source)
    (tmp_path / "show_markers.py").write_text(SHOW_MARKERS)
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "show_markers"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run([*command, str(root)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_the_folder_gives_the_markers_the_lane_selections_use(tmp_path: Path) -> None:
    tests = {f"{lane}/test_{lane}.py": f"def test_{lane}():\n    pass\n" for lane in lanes.LANES}
    tests["browser/test_bench.py"] = "import pytest\n\n\n@pytest.mark.slow\ndef test_bench():\n    pass\n"
    result = _collect(tmp_path, tests)
    shown = {line.split()[1]: line.split()[2:] for line in result.stdout.splitlines() if line.startswith("MARKERS")}
    assert shown == {
        "test_fast": [],
        "test_slow": ["slow"],
        "test_pyodide": ["pyodide", "slow"],
        "test_browser": ["browser"],
        "test_bench": ["browser", "slow"],
    }, result.stdout + result.stderr


def test_a_test_in_too_light_a_lane_stops_the_run(tmp_path: Path) -> None:
    harness = lanes.PYODIDE_HARNESSES[0]
    tests = {
        "fast/test_draws.py": "def test_draws(page):\n    pass\n",
        "slow/test_boots.py": f"def test_boots():\n    assert '{harness}'\n",
        "test_flat.py": "def test_flat():\n    pass\n",
        "fast/test_fine.py": "def test_fine(built_site):\n    pass\n",
    }
    result = _collect(tmp_path, tests)
    assert result.returncode != 0
    said = result.stderr
    assert "tests/fast/test_draws.py::test_draws: launches Chromium (fixture page)" in said, said
    assert f"tests/slow/test_boots.py::test_boots: boots Pyodide ({harness})" in said, said
    assert "tests/test_flat.py::test_flat: not in a lane folder" in said, said
    assert "test_fine" not in said
