"""SI parsing and formatting."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roofline.units import (
    format_batch,
    format_bytes,
    format_number,
    format_percent,
    format_ratio,
    format_si,
    format_si_exact,
    format_time,
    format_tokens,
    format_usd,
    parse_si,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8.19K", 8190.0),
        ("80T", 80e12),
        ("200G", 200e9),
        ("12G", 12e9),
        ("1e9", 1e9),
        ("2", 2.0),
        ("1.5k", 1500.0),
        (" 3 M ", 3e6),
        ("5P", 5e15),
        (".5", 0.5),
    ],
)
def test_parse_si(text: str, value: float) -> None:
    assert parse_si(text) == value


@pytest.mark.parametrize("text", ["", "abc", "NaN", "inf", "1e400", "5m", "1KK", "--1", "<script>", "1,000"])
def test_parse_si_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_si(text)


@pytest.mark.parametrize(
    ("value", "text"),
    [(8192, "8.19K"), (80e12, "80T"), (200e9, "200G"), (12e9, "12G"), (128, "128"), (999_999, "1M"), (2, "2")],
)
def test_format_si(value: float, text: str) -> None:
    assert format_si(value) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0128, "12.8 ms"),
        (0.06001048576, "60.01 ms"),
        (0.06, "60 ms"),
        (1.048576e-5, "10.49 µs"),
        (8.192e-8, "81.92 ns"),
        (2.5, "2.5 s"),
        (0.0009999999, "1 ms"),
    ],
)
def test_format_time(seconds: float, text: str) -> None:
    assert format_time(seconds) == text


def test_format_ratio_and_percent_as_the_article_prints_them() -> None:
    assert format_ratio(0.2132960571455971) == "2.13e-1"
    assert format_percent(0.00017473213) == "0.02%"


@given(st.floats(min_value=1e-6, max_value=1e20, allow_nan=False))
def test_exact_format_round_trips(value: float) -> None:
    assert parse_si(format_si_exact(value)) == value


@given(st.floats(min_value=1e-3, max_value=1e18))
def test_format_si_stays_within_rounding(value: float) -> None:
    assert math.isclose(parse_si(format_si(value)), value, rel_tol=5e-3)


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(891.3, 4, "891"), (12685.71, 4, "12,700"), (1782.67, 5, "1,780"), (4.488, 2, "4.5"), (0.0896, 4, "0.0896")],
)
def test_about_rounds_prose_to_three_significant_figures(value: float, digits: int, text: str) -> None:
    # Issue 12, item 7: "about 891.3 tokens" claimed a precision the model does not have.
    assert format_number(value, digits, about=True) == text
    assert format_number(value, digits) != text or digits <= 3  # tables keep the precision they ask for


# --------------------------------------------------------------------------- token counts: K vs Ki


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("128Ki", 131_072.0),
        ("128ki", 131_072.0),
        ("128K", 128_000.0),
        ("200K", 200_000.0),
        ("1Mi", 1_048_576.0),
        ("0.5Ki", 512.0),
        ("2 Gi", 2.0 * 2**30),
        ("1Ei", 2.0**60),
    ],
)
def test_binary_prefixes_spell_powers_of_two_and_decimal_ones_powers_of_ten(text: str, tokens: float) -> None:
    assert parse_si(text) == tokens


@pytest.mark.parametrize("text", ["128KiB", "128i", "128Kii", "128mi", "Ki"])
def test_malformed_binary_prefixes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Ki, Mi"):
        parse_si(text)


def test_token_counts_print_exactly_where_a_prefix_could_mislead() -> None:
    # "131K" could be 131,072 (a model card's 128K) or 131,000: print every digit.
    assert format_tokens(131_072) == "131,072"
    assert format_tokens(128_000) == "128,000"
    assert format_tokens(8192.0) == "8,192"
    assert format_tokens(1783.37) == "1,783"
    assert parse_si(format_tokens(131_072).replace(",", "")) == 131_072


# --------------------------------------------------------------------------- batches: one formatter


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1587.0, "1,587"),
        (600.4919, "600.5"),
        (30_945, "30,945"),
        (999_999, "999,999"),
        (1_000_000, "1M"),
        (12_685_714.3, "12.7M"),
        (2.45e32, "2.45e32"),
        (1e308, "1e308"),
    ],
)
def test_format_batch(value: float, text: str) -> None:
    assert format_batch(value) == text


def test_the_cli_and_the_deployment_macros_print_batches_with_the_one_formatter() -> None:
    import inspect

    from roofline import cli
    from roofline_site.pages import deployment as macros

    for module in (cli, macros):
        source = inspect.getsource(module)
        assert "format_batch" in source
        assert "def _batch" not in source, module.__name__


# --------------------------------------------------------------------------- absurd but valid sizes


HUGE = [1e21, 1e100, 1e308, 1.7976931348623157e308, 10.0**25 * 3.3]
TINY = [1e-30, 5e-324]


@pytest.mark.parametrize("value", HUGE + TINY + [-v for v in HUGE])
@pytest.mark.parametrize(
    "formatter",
    [format_si, format_number, format_batch, format_tokens, format_bytes, format_usd, format_time],
)
def test_past_the_largest_prefix_every_formatter_switches_to_scientific_notation(formatter, value: float) -> None:
    text = formatter(value)
    assert "e" in text, text
    assert len(text) <= 16, text
    assert not re.search(r"\d{7}", text), text


def test_below_a_thousandth_counts_print_in_scientific_notation() -> None:
    assert format_si(1e-4) == "1e-4"
    assert format_si(0.001) == "0.001"
    assert format_time(1e-4) == "100 µs"


def test_scientific_text_reads_back_through_parse_si() -> None:
    for value in (1e21, 3.3e25, 1e308, 2.5e-7):
        assert parse_si(format_si(value)) == pytest.approx(value, rel=5e-3)


def test_the_largest_prefix_still_prints_up_to_999() -> None:
    assert format_si(999e18) == "999E"
    assert format_number(123_456_789) == "123,500,000"
    assert format_time(999_000) == "999000 s"
    assert format_time(1e6) == "1e6 s"
