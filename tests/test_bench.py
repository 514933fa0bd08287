"""Smoke runs of the benchmark scripts (N = 1), so they do not rot. Not timed tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_build_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "build.json"
    subprocess.run(
        [sys.executable, "scripts/bench_build.py", "--runs", "1", "--json-out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    assert report["runs"] == 1 and report["median_s"] > 0


@pytest.mark.browser
def test_browser_benchmark_runs(tmp_path: Path, built_site: Path) -> None:
    out = tmp_path / "browser.json"
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench_browser.py",
            "--runs",
            "1",
            "--inputs",
            "5",
            "--site",
            str(built_site),
            "--json-out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    summary = report["summary"]
    for key in (
        "cold_first_paint_ms",
        "cold_python_ready_ms",
        "bare_python_ready_ms",
        "bare_chart_python_ready_ms",
        "python_ready_ratio_to_bare_chart",
        "slider_python_median_ms",
        "slider_js_median_ms",
        "cold_bytes_raw",
        "cold_bytes_gzip",
    ):
        assert summary[key] > 0, key
    assert {t["figure"] for t in report["targets"]} >= {"cold_first_paint_ms", "slider_python_p95_ms"}


def test_speed_page_shows_the_committed_figures(built_site: Path) -> None:
    html = (built_site / "speed" / "index.html").read_text()
    summary = json.loads((ROOT / "docs" / "data" / "benchmarks" / "browser.json").read_text())["summary"]
    assert f'data-macro="bench_cold_first_paint_ms" data-value="{float(summary["cold_first_paint_ms"])!r}"' in html
