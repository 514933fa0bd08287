"""The command line's realistic mode and preset listing, run as a user would run them."""

from __future__ import annotations

import json

import pytest
from test_cli import run

from roofline import deployment as dep
from roofline import presets


def test_the_issues_command() -> None:
    result = run("--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--precision", "fp8")
    assert result.returncode == 0, result.stderr
    data = json.loads(
        run(
            "--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--precision", "fp8", "--context", "32K", "--json"
        ).stdout
    )  # fmt: skip
    d = dep.deployment("h200", "deepseek-v3", gpus=8, precision="fp8", context_tokens=32e3)
    assert data["capacity_batch"] == dep.capacity_batch(d)
    assert data["batch"] == dep.best_batch(d)
    assert data["crossover_batch"] is None and data["regime"] == "memory-bound"
    assert data["usd_per_million_tokens"] == pytest.approx(dep.cost_usd_per_million_tokens(d, data["batch"]))
    assert data["problem"] is None and data["fits"] is True


def test_summary_names_the_wall_and_the_cost() -> None:
    result = run("--hardware", "h100-sxm", "--model", "gpt-oss-120b", "--context", "8K", "--kv-precision", "bf16")
    assert result.returncode == 0, result.stderr
    assert "memory wall" in result.stdout and "per 1M output tokens" in result.stdout
    assert "4-bit weights (MXFP4)" in result.stdout  # the model's released precision by default


def test_article_flags_override_preset_figures() -> None:
    data = json.loads(run("--hardware", "h100-sxm", "--model", "llama-3.1-8b", "--bandwidth", "1T", "--json").stdout)
    assert data["bandwidth_bytes_per_s"] == 1e12


def test_a_model_that_does_not_fit_exits_1_with_a_message() -> None:
    result = run("--hardware", "h100-sxm", "--model", "deepseek-v3")
    assert result.returncode == 1
    assert "does not fit" in result.stdout and "at least 9" in result.stdout
    data = json.loads(run("--hardware", "h100-sxm", "--model", "deepseek-v3", "--json").stdout)
    assert data["capacity_batch"] == 0 and data["tokens_per_s"] is None and data["problem"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--hardware", "h300", "--model", "deepseek-v3"], "choose one of: a100-sxm"),
        (["--hardware", "h200", "--model", "gpt-5"], "choose one of: deepseek-v3"),
        (["--hardware", "h200"], "--model is needed too"),
        (["--hardware", "a100-sxm", "--model", "llama-3.1-8b", "--precision", "fp8"], "no FP8 tensor rate"),
        (["--hardware", "h200", "--model", "llama-3.1-8b", "--precision", "int3"], "unknown weight precision"),
        (["--hardware", "h200", "--model", "llama-3.1-8b", "--gpus", "0"], "whole number"),
        (["--hardware", "h200", "--model", "llama-3.1-8b", "--price", "-2"], "usd_per_gpu_hour"),
        (["--hardware", "h200", "--model", "llama-3.1-8b", "--n-active", "20G"], "active_params must be <="),
    ],
)
def test_bad_realistic_input_is_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and fragment in result.stderr


def test_presets_lists_both_tables_with_sources() -> None:
    result = run("presets")
    assert result.returncode == 0
    for key in (*presets.HARDWARE, *presets.MODELS):
        assert key in result.stdout
    assert "Sources" in result.stdout and "with sparsity" in result.stdout
    data = json.loads(run("presets", "--json").stdout)
    assert set(data["hardware"]) == set(presets.HARDWARE) and set(data["models"]) == set(presets.MODELS)
    assert data["hardware"]["b200"]["note"].startswith("Memory: 180 GB")
    # Each entry: the preset's figures by field name, then where they come from.
    for table, preset in (("hardware", presets.HARDWARE["h200"]), ("models", presets.MODELS["deepseek-v3"])):
        entry = data[table][preset.key]
        *figures, source, citations, note = entry
        assert figures[0] == "name" and (source, citations, note) == ("source", "citations", "note")
        assert entry["citations"] == dict(preset.citations) and entry["source"] == preset.source
        assert all(entry[field] == getattr(preset, field) for field in figures)


def test_attention_precision_flag() -> None:
    base = ["--hardware", "h100-sxm", "--model", "deepseek-v3", "--gpus", "144", "--context", "4989"]
    # Split evenly, as this test was written for: the production layout's copies make the step memory-bound.
    base += ["--batch", "12686", "--attention-flops", "--ideal", "--json"]
    bf16 = json.loads(run(*base).stdout)
    fp8 = json.loads(run(*base, "--attention-precision", "fp8").stdout)
    assert bf16["attention_precision"] == "bf16" and fp8["attention_precision"] == "fp8"
    assert bf16["t_compute_s"] > bf16["t_memory_s"] > fp8["t_compute_s"]
    listed = json.loads(run("presets", "--json").stdout)["models"]
    by_key = listed if isinstance(listed, dict) else {m["key"]: m for m in listed}
    assert by_key["deepseek-v3"]["attention_precision"] == "bf16"
    bad = run("--hardware", "h100-sxm", "--model", "deepseek-v3", "--attention-precision", "fp16")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "fp16" in bad.stderr


def test_the_best_batch_prints_as_the_crossover_does() -> None:
    # Issue 12, item 3: one number, one printing ("≈ 10,877.54" and "10,880" were the same batch).
    out = run(
        "--hardware", "h100-sxm", "--model", "deepseek-v3", "--gpus", "144", "--context", "4989", "--ideal"
    )
    crossover = next(line for line in out.stdout.splitlines() if line.startswith("crossover B*"))
    best = next(line for line in out.stdout.splitlines() if line.startswith("best batch"))
    assert crossover.split("≈ ")[1] == best.split()[-1]
