"""The command line, run as a user would run it."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys

import pytest

from roofline.cli import build_parser
from roofline.cli.args import Once, Parser, add_option, quantity, whole_count
from roofline.cli.serving import _parser as serving_parser


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
        ["--n-active", "20G", "--n-total", "10G"],
        ["--hardware", "h200", "--model", "deepseek-v3", "--n-active", "800G"],
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


# --------------------------------------------------------------------------- token counts and absurd sizes


def test_context_takes_binary_and_decimal_prefixes_and_prints_exact_counts() -> None:
    card = run("--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--context", "128Ki")
    sheet = run("--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--context", "128K")
    assert card.returncode == 0 and sheet.returncode == 0
    assert "L = 131,072 tokens" in card.stdout
    assert "L = 128,000 tokens" in sheet.stdout
    assert json.loads(run("--context", "128Ki", "--json").stdout) != json.loads(
        run("--context", "128K", "--json").stdout
    )


def test_help_states_the_token_convention_and_exact_defaults() -> None:
    text = " ".join(run("--help").stdout.split())
    assert "128Ki = 131,072" in text and "128K = 128,000" in text
    assert "(default 8192)" in text and "(default 2048)" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--batch", "1e308", "--max-batch", "1e308"],
        ["--context", "1e300", "--bandwidth", "1"],
        ["--hardware", "h200", "--model", "deepseek-v3", "--gpus", "1e30"],
        ["--hardware", "h200", "--model", "deepseek-v3", "--context", "1e300"],
        ["--hardware", "h200", "--model", "deepseek-v3", "--gpus", "8", "--batch", "1e308", "--price", "1e300"],
    ],
)
def test_absurd_but_valid_sizes_print_readably(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    # No run of digits a reader would have to count: past 1,000E it is 1e308.
    assert not re.search(r"\d{10}", result.stdout.replace(",", "")), result.stdout
    assert "e3" in result.stdout or "e2" in result.stdout or "e1" in result.stdout


def test_the_issue_example_says_b_in_scientific_notation() -> None:
    out = run("--batch", "1e308", "--max-batch", "1e308").stdout
    assert "At B = 1e308" in out and "1e304 s" in out


# --------------------------------------------------------------------------- the shared option rule (cli.args.add_option)


def _once_flags(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """Every option ``add_option`` registered, with a value its type reads."""
    values = {whole_count: "2", quantity: "2"}
    return [
        (a.option_strings[0], a.choices[0] if a.choices else values.get(a.type, "h200"))
        for a in parser._actions
        if isinstance(a, Once)
    ]


@pytest.mark.parametrize("parser", [build_parser(), serving_parser()], ids=["roofline", "roofline serving"])
def test_every_value_option_is_refused_twice_in_one_line(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = _once_flags(parser)
    assert {"--tp", "--tpot-target-ms", "--draft-tokens", "--acceptance"} <= {flag for flag, _ in flags}
    # Every option that takes a value is one of them: none silently keeps the last of two.
    valued = {a.option_strings[0] for a in parser._actions if a.option_strings and a.nargs is None}
    assert valued == {flag for flag, _ in flags}
    for flag, value in flags:
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args([flag, value, flag, value])
        assert exit_.value.code == 2
        assert capsys.readouterr().err == (
            f"roofline: error: argument {flag}: given more than once; give each option once\n"
        )


def test_add_option_reads_its_type_keeps_its_default_and_names_a_bad_value(capsys: pytest.CaptureFixture[str]) -> None:
    parser = Parser(prog="roofline")
    add_option(parser, "--gpus", type=whole_count, default=1, metavar="N", help="chips")
    add_option(parser, "--model", required=True, metavar="KEY", help="model preset")
    args = parser.parse_args(["--model", "m", "--gpus", "2K"])
    assert (args.model, args.gpus) == ("m", 2000)
    assert parser.parse_args(["--model", "m"]).gpus == 1
    for argv, message in (
        (["--model", "m", "--gpus", "1.5"], "argument --gpus: '1.5' is not a whole number >= 1"),
        ([], "the following arguments are required: --model"),
    ):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(argv)
        assert exit_.value.code == 2
        assert capsys.readouterr().err == f"roofline: error: {message}\n"
