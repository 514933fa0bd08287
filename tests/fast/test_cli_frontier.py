"""The command line's batch you would run: --tpot-target-ms, speculation, and their JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from roofline import deployment as dep
from roofline.frontier import article_lines, choose_batch, deployment_lines
from roofline.model import SEED_DEFAULTS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roofline", *args], capture_output=True, text=True, timeout=60)


def test_article_json_names_the_batch_and_the_limit() -> None:
    result = run("--tpot-target-ms", "60.03", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["chosen_batch"] == 366 and data["binding_limit"] == "latency"
    assert data["tokens_per_s_per_user"] == pytest.approx(1 / (0.06 + 366 * 8.192e-8))
    assert data["tpot_target_ms"] == pytest.approx(60.03)
    points = data["frontier"]
    assert points[0]["batch"] == 1 and points[-1]["batch"] == 2048
    assert set(points[0]) == {"batch", "ms_per_token", "tokens_per_s_per_user", "tokens_per_s_per_gpu"}
    assert any(pt["batch"] == 366 for pt in points)
    # The article's readouts are still there.
    assert data["crossover_batch"] == pytest.approx(600.4919229833079)


def test_article_without_target_stops_at_the_crossover() -> None:
    data = json.loads(run("--json").stdout)
    assert (data["chosen_batch"], data["binding_limit"], data["tpot_target_ms"]) == (600, "crossover", None)


def test_no_crossover_and_no_target_report_max_batch() -> None:
    data = json.loads(run("--context", "1M", "--bandwidth", "10G", "--max-batch", "512", "--json").stdout)
    assert (data["chosen_batch"], data["binding_limit"]) == (512, "max_batch")


def test_unreachable_target_is_null_with_a_sentence() -> None:
    result = run("--tpot-target-ms", "5", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["chosen_batch"] is None and data["binding_limit"] == "latency"
    assert data["tokens_per_s_per_user"] is None
    assert data["fastest_ms_per_token"] == pytest.approx(60.00008192)
    assert data["binding_limit_sentence"].startswith("No batch meets the 5 ms target")
    summary = run("--tpot-target-ms", "5")
    assert summary.returncode == 0 and "No batch meets the 5 ms target" in summary.stdout


def test_summary_names_the_binding_limit_in_a_sentence() -> None:
    result = run("--tpot-target-ms", "60.03")
    assert "The latency target binds: B = 366" in result.stdout
    assert "batch to run" in result.stdout


def test_preset_form_agrees_with_the_core() -> None:
    args = ("--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--kv-precision", "fp8", "--context", "4096")
    d = dep.deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", context_tokens=4096)
    for target_ms in (None, 25.0, 0.5):
        extra = () if target_ms is None else ("--tpot-target-ms", str(target_ms))
        result = run(*args, *extra, "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        choice = choose_batch(deployment_lines(d), None if target_ms is None else target_ms / 1e3)
        assert (data["chosen_batch"], data["binding_limit"]) == (choice.batch, choice.limit.value)
        if data["frontier"]:
            assert data["frontier"][-1]["batch"] == 396  # the memory wall (TP8 copies the latent) ends the frontier
    memory = json.loads(run(*args, "--json").stdout)
    assert memory["binding_limit"] == "memory" and memory["chosen_batch"] == 396


def test_preset_that_does_not_fit() -> None:
    result = run("--hardware", "h100-sxm", "--model", "deepseek-v3", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["chosen_batch"] is None and data["binding_limit"] == "memory" and data["frontier"] == []


def test_speculation_flags() -> None:
    plain = json.loads(run("--json").stdout)
    spec = json.loads(run("--draft-tokens", "3", "--acceptance", "0.8", "--json").stdout)
    assert spec["tokens_per_step"] == pytest.approx(1 + 0.8 + 0.64 + 0.512)
    assert spec["chosen_batch"] == choose_batch(article_lines(SEED_DEFAULTS.replace(active_params=32e9))).batch
    assert spec["chosen_batch"] < plain["chosen_batch"]
    assert spec["frontier"][0]["tokens_per_s_per_user"] > plain["frontier"][0]["tokens_per_s_per_user"]
    mtp = json.loads(run("--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--mtp", "--json").stdout)
    assert mtp["tokens_per_step"] == pytest.approx(1.85)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--tpot-target-ms", "0"], "--tpot-target-ms"),
        (["--tpot-target-ms", "-5"], "--tpot-target-ms"),
        (["--tpot-target-ms", "nan"], "--tpot-target-ms"),
        (["--tpot-target-ms", "inf"], "--tpot-target-ms"),
        (["--tpot-target-ms", "1e12"], "--tpot-target-ms"),
        (["--tpot-target-ms", "soon"], "--tpot-target-ms"),
        (["--tpot-target-ms", "5", "--tpot-target-ms", "6"], "--tpot-target-ms"),
        (["--acceptance", "0.5"], "--acceptance"),
        (["--draft-tokens", "2", "--acceptance", "1.5"], "acceptance"),
        (["--draft-tokens", "0"], "--draft-tokens"),
        (["--draft-tokens", "1000"], "draft_tokens"),
        (["--mtp", "--draft-params", "-1"], "draft_params"),
        (["--hardware", "h200", "--model", "deepseek-v3", "--tpot-target-ms", "0"], "--tpot-target-ms"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], named: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("roofline: error:") and named in lines[0]
