"""The macro modules: one macro per quantity, old names only as hand-offs to the new ones."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import roofline_site
from roofline_site import deployment, explainer, figures, legacy

SITE = Path(roofline_site.__file__).resolve().parent


def test_every_old_name_hands_over_to_the_macro_that_replaced_it() -> None:
    registered = {name for module in roofline_site.MACRO_MODULES if module is not legacy for name in module.MACROS}
    assert set(legacy.MACROS) == set(legacy.RENAMED)
    assert set(legacy.RENAMED.values()) <= registered
    assert not set(legacy.RENAMED) & registered, "an old name is still a macro of its own"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (lambda: legacy.MACROS["c_over_bw"]("article-h100"), lambda: figures.chip_ops_per_byte("article-h100")),
        (lambda: legacy.MACROS["chip_ratio"]("h200", "bf16"), lambda: figures.chip_ops_per_byte("h200", "bf16")),
        (
            lambda: legacy.MACROS["hardware_figure"]("h100-sxm", "flops", "fp8"),
            lambda: figures.chip_figure("h100-sxm", "flops", "fp8"),
        ),
        (
            lambda: legacy.MACROS["sweet_spot"]("deepseek-v3", "h100-sxm", "bf16"),
            lambda: figures.sweet_spot_batch("deepseek-v3", "h100-sxm", "w8a16"),
        ),
        (
            lambda: legacy.MACROS["precision_sweet_spot"]("h100-sxm", "deepseek-v3", "w4a16"),
            lambda: figures.sweet_spot_batch("deepseek-v3", "h100-sxm", "w4a16", 3),
        ),
        (
            lambda: legacy.MACROS["sweet_spot_of"]("llama70b-h100"),
            lambda: explainer.scenario_value("llama70b-h100", "sweet_spot"),
        ),
        (
            lambda: legacy.MACROS["kv_bytes_per_token"]("deepseek-v3"),
            lambda: figures.kv_cache_bytes_per_token("deepseek-v3", exact=True),
        ),
        (lambda: legacy.MACROS["coverage"]("deepseek-v3", 32), lambda: deployment.expert_coverage("deepseek-v3", 32)),
    ],
)
def test_an_old_call_prints_what_its_new_spelling_prints(old, new) -> None:
    assert old() == new()


def test_the_merged_macros_print_what_the_old_ones_printed() -> None:
    # The numbers the pages showed before the merge (tests/golden holds them all).
    assert ">5,356<" in figures.sweet_spot_batch("deepseek-v3", "h100-sxm")
    assert ">2,678<" in figures.sweet_spot_batch("deepseek-v3", "h100-sxm", "w8a16")
    assert ">5,360<" in figures.sweet_spot_batch("deepseek-v3", "h100-sxm", "bf16", 3)
    assert ">70,272<" in figures.kv_cache_bytes_per_token("deepseek-v3", exact=True)
    assert ">70.3 KB<" in figures.kv_cache_bytes_per_token("deepseek-v3")
    assert ">295<" in figures.chip_ops_per_byte("h100-sxm")
    # FLOP per byte is twice ops per byte: one printed number never means both.
    assert ">591<" in figures.chip_flop_per_byte("h100-sxm")


def test_the_macro_modules_do_no_arithmetic_of_their_own() -> None:
    # Thin adapters: a binary operator on numbers in a macro module means a formula outside the core.
    for module in (figures, legacy):
        tree = ast.parse(inspect.getsource(module))
        operators = [
            node for node in ast.walk(tree) if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.BitOr)
        ]
        assert operators == [], module.__name__
