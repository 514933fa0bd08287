"""The core's checks on Pyodide's CPython, through Node and the vendored runtime."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from roofline_site.runtime import assets

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "tests" / "pyodide" / "checks.py"


def test_checks_pass_on_cpython_too() -> None:
    namespace: dict = {"__name__": "cpython_checks"}
    exec(compile(CHECKS.read_text(), str(CHECKS), "exec"), namespace)
    result = namespace["run_all"]()
    assert result["failed"] == 0, result["failures"]
    assert result["passed"] > 20


@pytest.mark.slow
def test_core_runs_on_pyodide() -> None:
    node = shutil.which("node")
    assert node, "Node.js is required (scripts/test.sh checks for it)"
    result = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide" / "run_core.mjs"), str(assets.wheel_path()), str(CHECKS)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pyodide Python 3.14" in result.stdout
    assert " 0 failed" in result.stdout
