"""SI parsing and formatting."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roofline.units import (
    format_number,
    format_percent,
    format_ratio,
    format_si,
    format_si_exact,
    format_time,
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
