"""Smoke runs of the benchmark scripts (N = 1), so they do not rot. Not timed tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_build_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "build.json"
    # No wall-clock limit: this checks that the script builds and reports, not how fast (the figures
    # are the benchmark's). A cold build takes over 300 s with both cores busy, which failed a loaded run.
    subprocess.run(
        [sys.executable, "scripts/bench_build.py", "--runs", "1", "--json-out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
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
        "floor_python_ready_ms",
        "python_ready_ratio_to_bare_chart",
        "slider_python_median_ms",
        "slider_js_median_ms",
        "slider_python_compute_median_ms",
        "slider_python_plot_median_ms",
        "slider_js_plot_median_ms",
        "cold_bytes_raw",
        "cold_bytes_wire",
        "reference_loop_ms",
    ):
        assert summary[key] > 0, key
    # Served compressed, as a static host does; and booted from the build's snapshot.
    assert summary["cold_bytes_wire"] < summary["cold_bytes_raw"]
    assert summary["cold_snapshot_boots"] == 1
    # The floor booted from the same snapshot as the simulator.
    assert summary["floor_snapshot_boots"] == 1
    # The split is part of the whole: Python and Plotly each take less than the input.
    for part in ("slider_python_compute_median_ms", "slider_python_plot_median_ms"):
        assert summary[part] < summary["slider_python_median_ms"], part
    assert summary["slider_js_plot_median_ms"] < summary["slider_js_median_ms"]
    assert report["profile"] == "desktop"
    assert {t["figure"] for t in report["targets"]} >= {"cold_first_paint_ms", "slider_python_p95_ms"}


def test_browser_benchmark_refuses_an_unknown_profile() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/bench_browser.py", "--profile", "tablet"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2 and "tablet" in result.stderr


def test_speed_page_shows_the_committed_figures_of_both_profiles(built_site: Path) -> None:
    html = (built_site / "speed" / "index.html").read_text()
    data = ROOT / "docs" / "data" / "benchmarks"
    desktop = json.loads((data / "browser.json").read_text())
    phone = json.loads((data / "browser-phone.json").read_text())
    assert desktop["profile"] == "desktop" and phone["profile"] == "phone"
    value = float(desktop["summary"]["cold_first_paint_ms"])
    assert f'data-macro="bench_cold_first_paint_ms" data-value="{value!r}"' in html
    value = float(phone["summary"]["cold_python_ready_ms"])
    assert f'data-macro="bench_phone_cold_python_ready_ms" data-value="{value!r}"' in html
