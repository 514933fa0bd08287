"""The macro modules: one macro per quantity, and no page left on a retired name."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import roofline_site
from roofline_site import figures

SITE = Path(roofline_site.__file__).resolve().parent


#: Macro names retired when the macros were merged (one macro per quantity), and what replaced them.
RETIRED = {
    "sv": "scenario_value",
    "c_over_bw": "chip_ops_per_byte",
    "chip_ratio": "chip_ops_per_byte",
    "hardware_figure": "chip_figure",
    "sweet_spot": "sweet_spot_batch",
    "precision_sweet_spot": "sweet_spot_batch",
    "sweet_spot_of": "scenario_value",
    "kv_per_token": "kv_cache_bytes_per_token",
    "kv_bytes_per_token": "kv_cache_bytes_per_token",
    "coverage": "expert_coverage",
    "attention_intensity": "attention_flop_per_kv_byte",
    "flop_per_byte": "chip_flop_per_byte",
}


def test_retired_names_are_gone_and_their_replacements_registered() -> None:
    registered = {name for module in roofline_site.MACRO_MODULES for name in module.MACROS}
    assert set(RETIRED.values()) <= registered
    assert not set(RETIRED) & registered, "a retired name is a macro again"


def test_no_page_calls_a_retired_macro() -> None:
    root = SITE.parents[1]
    call = re.compile(r"(?<![\w.])(" + "|".join(RETIRED) + r")\(")
    for folder in ("docs", "overrides"):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".md", ".html") and path.is_file():
                found = call.findall(path.read_text(encoding="utf-8"))
                assert not found, f"{path.relative_to(root)} calls {sorted(set(found))}"


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
    for module in (figures,):
        tree = ast.parse(inspect.getsource(module))
        operators = [
            node for node in ast.walk(tree) if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.BitOr)
        ]
        assert operators == [], module.__name__
