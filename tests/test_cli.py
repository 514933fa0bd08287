"""The command line, run as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roofline", *args], capture_output=True, text=True, timeout=60)


def test_json_at_the_seed_defaults() -> None:
    result = run("--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["t_compute_s"] == pytest.approx(0.0128)
    assert data["t_memory_s"] == pytest.approx(0.06001048576)
    assert data["crossover_batch"] == pytest.approx(600.4919229833079)
    assert data["regime"] == "memory-bound"
    for key in ("t_weights_s", "t_kv_s", "latency_s", "kv_share", "memory_slope_s", "compute_memory_ratio"):
        assert isinstance(data[key], float)


def test_si_suffixes_and_no_crossover_is_null() -> None:
    data = json.loads(run("--context", "1M", "--bandwidth", "10G", "--json").stdout)
    assert data["crossover_batch"] is None


def test_summary_is_readable() -> None:
    result = run("--batch", "2K")
    assert result.returncode == 0
    assert "Compute-bound" in result.stdout and "≈ 600.49" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--batch", "abc"],
        ["--batch", "0"],
        ["--batch", "-1"],
        ["--n-active", "NaN"],
        ["--context", "1e400"],
        ["--kv-bytes", ""],
        ["--bandwidth", "<script>"],
        ["--bogus"],
        ["--compute", "1e-300", "--n-active", "1e300"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("roofline: error:")
    assert "Traceback" not in result.stderr


def test_a_closed_pipe_is_not_an_error() -> None:
    # `roofline presets | head -1`: the reader stops early; no traceback.
    result = subprocess.run(
        f"{sys.executable} -m roofline presets | head -c 20", shell=True, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in result.stderr
