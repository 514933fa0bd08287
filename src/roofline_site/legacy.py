"""Old macro names, kept only until every page calls the new ones.

Pages written before the macros were merged (one macro per quantity) still
call these names; each one hands its arguments to the macro that replaced it
and computes nothing itself. ``/work/rename-macros.sh`` rewrites such calls in
``docs/`` and ``overrides/``; once no page uses an old name, delete this module
(``tests/test_macros.py`` says when).
"""

from __future__ import annotations

from collections.abc import Callable

from . import deployment, explainer, figures

__all__ = ["MACROS", "RENAMED"]


def _sweet_spot(model: str, hardware: str, precision: str = "fp8", digits: int = 4) -> str:
    # The old macro read one byte per weight at either rate: "bf16" meant 8-bit weights, BF16 math.
    return figures.sweet_spot_batch(model, hardware, "w8a16" if precision == "bf16" else precision, digits)


def _precision_sweet_spot(hardware: str, model: str, precision: str) -> str:
    return figures.sweet_spot_batch(model, hardware, precision, 3)


def _sweet_spot_of(scenario: str, digits: int = 4) -> str:
    return explainer.scenario_value(scenario, "sweet_spot", digits=digits)


def _kv_bytes_per_token(model: str) -> str:
    return figures.kv_cache_bytes_per_token(model, exact=True)


#: old name -> the macro that replaced it (what rename-macros.sh writes instead).
RENAMED: dict[str, str] = {
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
}

MACROS: dict[str, Callable[..., str]] = {
    "sv": explainer.scenario_value,
    "c_over_bw": figures.chip_ops_per_byte,
    "chip_ratio": figures.chip_ops_per_byte,
    "hardware_figure": figures.chip_figure,
    "sweet_spot": _sweet_spot,
    "precision_sweet_spot": _precision_sweet_spot,
    "sweet_spot_of": _sweet_spot_of,
    "kv_per_token": figures.kv_cache_bytes_per_token,
    "kv_bytes_per_token": _kv_bytes_per_token,
    "coverage": deployment.expert_coverage,
    "attention_intensity": deployment.attention_flop_per_kv_byte,
}
