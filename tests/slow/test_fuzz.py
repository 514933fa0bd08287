"""Hostile input: the core, the CLI and the simulator's URL parser never crash.

The core under hypothesis: any value a caller could pass (floats across the
whole double range, zeros, negatives, NaN, ±inf, subnormals, huge ratios,
huge ints, bools, strings, other types) gives either a finite result or a
ValueError, never a ZeroDivisionError, OverflowError, TypeError or a NaN/inf
in a result. CI runs 10,000 examples (``CI`` is set there); elsewhere 2,000,
or ``ROOFLINE_FUZZ_EXAMPLES``.

Then a fixed table of malformed values (the issue's list) through the command
line (exit 2, one line on stderr, no traceback) and through
:meth:`roofline.web.mode.Mode.parse` (a notice naming the parameter, a sane
fallback, short plain-text notices).
"""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roofline import (
    Params,
    breakpoints,
    cli,
    crossover_batch,
    evaluate,
    hardware_ratio,
    parse_si,
    sparsity_ratio,
    sweep,
    sweet_spot_batch,
)
from roofline.web import article as sim
from roofline.web.article import ARTICLE
from roofline.web.charts import time_figure

FUZZ_EXAMPLES = int(os.environ.get("ROOFLINE_FUZZ_EXAMPLES", 10_000 if os.environ.get("CI") else 2_000))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = tuple(f.name for f in dataclasses.fields(Params))

# Floats from every corner of the double range.
EDGE_FLOATS = (
    0.0,
    -0.0,
    5e-324,  # smallest subnormal
    -5e-324,
    2.2250738585072014e-308,  # smallest normal
    1e-300,
    1.0,
    -1.0,
    1e300,
    sys.float_info.max,
    -sys.float_info.max,
    math.nan,
    math.inf,
    -math.inf,
)
any_float = st.floats() | st.sampled_from(EDGE_FLOATS)
# Valid-looking sizes, tiny to huge, so that many calls get past validation
# and reach the arithmetic (huge ratios between fields come from mixing them).
positive = st.floats(min_value=0.0, exclude_min=True, allow_infinity=False) | st.sampled_from(
    (5e-324, 1e-300, 1.0, 1e300, sys.float_info.max)
)
any_int = st.one_of(
    st.integers(),
    st.sampled_from((0, -1, 1, 2**1024, -(2**1024), 10**400)),
    st.just(None).map(lambda _: 10**5000),  # too long even to repr (Python's 4,300-digit limit)
)
hostile = st.one_of(
    any_float,
    any_int,
    st.booleans(),
    st.text(max_size=12),
    st.none(),
    st.just(Fraction(1, 3)),
    st.just(1 + 1j),
    st.just([1.0]),
)
# Orders of magnitude, so that fields differ by huge ratios more often than
# independent uniform draws would make them.
magnitude = st.sampled_from((5e-324, 1e-320, 1e-300, 1e-150, 1e-9, 1.0, 1e9, 1e150, 1e300, sys.float_info.max))
size = st.one_of(positive, magnitude, magnitude)
number = st.one_of(size, hostile)

si_text = st.one_of(
    st.text(),
    st.builds(
        lambda value, prefix: f"{value!r}{prefix}",
        any_float | any_int.filter(lambda i: abs(i) < 10**100),
        st.sampled_from(["", "K", "k", "M", "G", "T", "P", "E", " G", "m", "KK"]),
    ),
    st.from_regex(r"\A\s*[+-]?\d{0,40}\.?\d{0,40}(e[+-]?\d{1,6})?\s*[kKMGTPE]?\s*\Z"),
)


def _params(draw: Callable, values: st.SearchStrategy) -> Params:
    return Params(**{name: draw(values) for name in FIELDS})


def _call(draw: Callable, target: str) -> object:
    """Draw arguments for ``target`` and call it (raising whatever it raises)."""
    if target == "Params":
        return _params(draw, hostile | positive)
    # Valid Params (any size) for the functions that take them: Params's own
    # checks are fuzzed above, and a hostile field would stop most calls there.
    if target == "evaluate":
        return evaluate(_params(draw, size))
    if target == "crossover_batch":
        return crossover_batch(_params(draw, size))
    if target == "sweep":
        return sweep(_params(draw, size), draw(st.lists(number | st.just(0.0), max_size=4)))
    if target == "breakpoints":
        return breakpoints(_params(draw, size), draw(number))
    if target == "hardware_ratio":
        return hardware_ratio(draw(number), draw(number))
    if target == "sparsity_ratio":
        return sparsity_ratio(draw(number), draw(number))
    if target == "sweet_spot_batch":
        return sweet_spot_batch(draw(number), draw(number), draw(number), draw(number))
    if target == "parse_si":
        return parse_si(draw(si_text | hostile))
    raise AssertionError(target)


TARGETS = (
    "Params",
    "evaluate",
    "crossover_batch",
    "sweep",
    "breakpoints",
    "hardware_ratio",
    "sparsity_ratio",
    "sweet_spot_batch",
    "parse_si",
)


def non_finite(result: object, path: str = "result") -> list[str]:
    """Paths of every NaN or infinite float inside ``result`` (dataclasses, lists, dicts)."""
    if isinstance(result, float):
        return [] if math.isfinite(result) else [f"{path} = {result!r}"]
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return [
            bad for f in dataclasses.fields(result) for bad in non_finite(getattr(result, f.name), f"{path}.{f.name}")
        ]
    if isinstance(result, dict):
        return [bad for key, value in result.items() for bad in non_finite(value, f"{path}[{key!r}]")]
    if isinstance(result, (list, tuple)):
        return [bad for i, value in enumerate(result) for bad in non_finite(value, f"{path}[{i}]")]
    return []


def test_non_finite_finds_nan_deep_inside() -> None:
    # Negative control for the property below.
    point = sweep(Params(**dict.fromkeys(FIELDS, 1.0)), [0.0])[0]
    assert non_finite([point]) == []
    assert non_finite({"a": [dataclasses.replace(point, latency_s=math.nan)]}) == ["result['a'][0].latency_s = nan"]


@pytest.mark.slow
@FUZZ
@given(target=st.sampled_from(TARGETS), data=st.data())
def test_the_core_gives_a_finite_result_or_a_value_error(target: str, data: st.DataObject) -> None:
    try:
        result = _call(data.draw, target)
    except ValueError as error:
        message = str(error)
        assert message and "\n" not in message, f"{target}: unhelpful message {message!r}"
        return
    assert non_finite(result) == [], f"{target} returned a non-finite number"
    if target == "evaluate":
        times = (result.t_compute_s, result.t_memory_s, result.t_weights_s, result.t_kv_s, result.latency_s)
        assert all(t > 0 for t in times), result
        assert 0 <= result.kv_share <= 1 and result.compute_memory_ratio >= 0
        assert result.crossover_batch is None or result.crossover_batch >= 0
    if target == "crossover_batch":
        assert result is None or result >= 0


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: Params(**{**dict.fromkeys(FIELDS, 1.0), "batch": 10**400}), "batch must be a finite number"),
        (lambda: Params(**{**dict.fromkeys(FIELDS, 1.0), "total_params": 10**5000}), "integer too large for a float"),
        (
            lambda: evaluate(
                Params(**{**dict.fromkeys(FIELDS, 1.0), "total_params": 5e-324, "context_tokens": 5e-324})
            ),
            "T_compute / T_memory",
        ),
        (lambda: sweep(Params(**dict.fromkeys(FIELDS, 1.0)), ["7"]), "batch must be a number"),
        (lambda: sweep(Params(**dict.fromkeys(FIELDS, 1.0)), [math.inf]), "batch must be a finite number"),
        (lambda: sweep(Params(**dict.fromkeys(FIELDS, 1.0)), [True]), "batch must be a number"),
        (lambda: sweep(Params(**{**dict.fromkeys(FIELDS, 1.0), "active_params": 1e300}), [1e300]), "overflows"),
        (lambda: breakpoints(Params(**dict.fromkeys(FIELDS, 1.0)), math.inf), "max_batch must be a finite"),
        (lambda: breakpoints(Params(**dict.fromkeys(FIELDS, 1.0)), "2048"), "max_batch must be a number"),
        (lambda: parse_si("9" * 5000), "is too large to represent"),
    ],
)
def test_inputs_the_fuzzer_found_raise_value_errors(call: Callable[[], object], fragment: str) -> None:
    # Each of these once escaped as OverflowError or TypeError, or returned inf.
    with pytest.raises(ValueError, match=fragment) as raised:
        call()
    assert len(str(raised.value)) < 300


@pytest.mark.slow
@settings(max_examples=max(FUZZ_EXAMPLES // 10, 200), deadline=None)
@given(
    st.text()
    | st.lists(st.tuples(st.sampled_from([c.key for c in sim.CONTROLS] + ["x"]), si_text)).map(
        lambda pairs: "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
    )
)
def test_any_query_gives_a_sane_state_and_short_notices(query: str) -> None:
    state, notices = ARTICLE.parse(query)
    assert_sane(state)
    assert all(isinstance(n, str) and 0 < len(n) < 200 for n in notices), notices


def assert_sane(state: sim.State) -> None:
    """Every value finite and on its slider; the readouts and chart compute."""
    assert ARTICLE.fits(state), state
    for c in sim.CONTROLS:
        assert math.isfinite(ARTICLE.value(state, c.key)), c.key
    assert non_finite({name: r.value for name, r in ARTICLE.readouts(state).items()}) == []
    assert time_figure(ARTICLE, state)["data"]


# The malformed values: each is refused by the CLI and fixed with a
# notice by the simulator. (value, what it exercises)
MALFORMED: tuple[tuple[str, str], ...] = (
    ("NaN", "not a number"),
    ("nan", "not a number"),
    ("inf", "infinity"),
    ("-1", "negative"),
    ("0", "zero"),
    ("-0", "negative zero"),
    ("1e400", "overflows a double"),
    ("1e-400", "underflows to zero"),
    ("abc", "not a number"),
    ("", "empty"),
    (" ", "blank"),
    ("1,5", "comma decimal"),
    ("0x10", "hex"),
    ("9" * 10_000, "very long number"),
    ("x" * 10_000, "very long text"),
    ("<script>alert(1)</script>", "markup"),
    ("\"'", "quotes"),
    ('1G"><img src=x>', "markup after a number"),
)
MALFORMED_IDS = [why for _, why in MALFORMED]
CLI_FLAGS = tuple(flag for flag, _, _ in cli._OPTIONS)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roofline", *args], capture_output=True, text=True, timeout=60)


def assert_refused(result: subprocess.CompletedProcess[str] | tuple[int, str, str]) -> str:
    code, out, err = result if isinstance(result, tuple) else (result.returncode, result.stdout, result.stderr)
    assert code == 2, (code, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("roofline: error:"), err
    assert "Traceback" not in err and len(err) < 400
    return lines[0]


@pytest.mark.parametrize("value", [v for v, _ in MALFORMED], ids=MALFORMED_IDS)
def test_cli_refuses_each_malformed_value_in_one_line(value: str) -> None:
    # A real process, so an uncaught exception would show as a traceback.
    line = assert_refused(run_cli("--batch", value))
    assert "--batch" in line or "batch" in line


def run_cli_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = cli.main(args)
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("flag", CLI_FLAGS)
def test_every_flag_refuses_every_malformed_value(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    for value in (v for v, _ in MALFORMED):
        assert_refused(run_cli_in_process([flag, value], capsys))
        assert_refused(run_cli_in_process([f"{flag}={value}"], capsys))


@pytest.mark.parametrize(
    "args",
    [
        ["--batch", "1", "--batch", "2"],
        ["--batch=1", "--batch=1"],
        ["--context", "8K", "--bandwidth", "1T", "--context", "8K"],
        ["--bogus", "1"],
        ["B=NaN"],
        ["--batch"],
        ["--batch", "--json"],
    ],
    ids=["repeated", "repeated-same", "repeated-apart", "unknown-flag", "positional", "missing-value", "flag-as-value"],
)
def test_cli_refuses_repeated_unknown_and_missing_options(args: list[str]) -> None:
    assert_refused(run_cli(*args))


@pytest.mark.parametrize("key", [c.key for c in sim.CONTROLS])
@pytest.mark.parametrize("value", [v for v, _ in MALFORMED], ids=MALFORMED_IDS)
def test_url_parser_names_each_bad_value_and_falls_back(key: str, value: str) -> None:
    state, notices = ARTICLE.parse(f"?{quote(key)}={quote(value)}")
    assert_sane(state)
    assert len(notices) == 1, notices
    assert notices[0].startswith(f"{key}="), notices
    assert len(notices[0]) < 200
    c = ARTICLE.control(key)
    assert ARTICLE.value(state, key) in (c.default, c.minimum), "falls back to the default (or clamps a tiny value)"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("B=5&B=7", "B"),
        ("L=1K&L=abc", "L"),
        ("zzz=1", "zzz"),
        ("%3Cscript%3E=1", "<script>"),
        ("x" * 10_000 + "=1", "xxxx"),
        ("B=1&B_max=128&B_max=NaN", "B_max"),
        ("=5", "''"),
    ],
)
def test_url_parser_handles_repeated_and_unknown_parameters(query: str, named: str) -> None:
    state, notices = ARTICLE.parse(query)
    assert_sane(state)
    assert any(named in notice for notice in notices), notices
    assert all(len(notice) < 200 for notice in notices)
