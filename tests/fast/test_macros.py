"""The macro modules: one macro per quantity, and no page left on a retired name."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import roofline_site
from roofline_site.charts import catalog as chart_catalog
from roofline_site.pages import figures

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


#: Arithmetic the page-macro modules still do, by module: presentation, not
#: formulas (counters, unit conversions for a label, rounding rules, chart
#: geometry). Each entry is the expression's source text, listed as often as it
#: occurs; a new one fails the test below, and so does one that is gone (remove
#: it here). What follows from the equations belongs in the core, where it is
#: computed once.
PRESENTATION: dict[str, tuple[str, ...]] = {
    "explainer": (
        "count + 1",  # the page's chart counter
        "10 ** (digits - 1)",  # _count: where significant figures stop rounding away units
        "digits - 1",
    ),
    "frontier": ("context / 1024",),  # the chart label's "4K"
    "speed": (  # the benchmark records' units, converted for a label
        "value / 1e3",
        "throttling['download_bytes_per_s'] * 8",
        "throttling['upload_bytes_per_s'] * 8",
        "throttling['latency_ms'] / 1e3",
        "prefix + target['figure']",
        "reference / 1e3",
    ),
    "widget": ("len({id(snap) for snap in linked.values()}) + 1",),  # a count of files, for the build log
    "serving": (
        # Which colour and marker the n-th source takes: colours in turn, then the next symbol.
        "(index // len(SOURCE_COLOURS)) % len(SOURCE_SYMBOLS)",
        "index // len(SOURCE_COLOURS)",
        "index % len(SOURCE_COLOURS)",
        "100 * e",  # the bias chart's y axis is in percent
        "xs + ys",  # two lists joined: every time drawn, for the axes' range
        # Room around the points on the log axes.
        "min(every) * 0.8",
        "max(every) * 1.25",
        "min(concurrencies) * 0.7",
        "max(concurrencies) * 1.4",
    ),
    "charts": (
        "seconds / self.scale",  # _TimeAxis: every time drawn, in the unit its axis reads best in
        # Headroom above and beside the highest point of an axis.
        "y(top_s) * headroom",
        "y(top) * 1.05",
        "y(top) * 1.12",
        "x(longest) * 1.08",
        "y_max * 1.12",
        "max(xs) * 1.1",
        "max(xs) * 1.1",
        "xs[0] * 1.1",
        "wall * 1.4",
        # crossover_vs_context: the curve's samples (2% to 97% of the context with no crossover) and
        # its log axis, padded, with the ticks inside it.
        "wall * i",
        "wall * i / 100",
        "math.log10(min(y_values)) - 0.15",
        "math.log10(max(y_values)) + 0.1",
        "min(y_values) / 1.5",
        "max(y_values) * 1.3",
        # Where a note points and where its label sits, as fractions of an axis (the empty corners).
        "moe.max_batch * 0.7",
        "moe.max_batch * 0.97",
        "y(at.t_compute_s) * 0.3",
        "dense.max_batch * 0.3",
        "dense.max_batch * 0.05",
        "y(top) * 0.85",
        "short.max_batch * 0.06",
        "y_top * 0.25",
        "s.max_batch * fraction",
        "s.max_batch * label_x",
        "y_top * label_y",
        "xs[0] * 0.93",
        "ys[-1] * 0.45",
        "ceiling * 1.06",
        # A label centred over its region.
        "(x0 + x1) / 2",
        "x0 + x1",
        "(xs[0] + xs[-1]) / 2",
        "xs[0] + xs[-1]",
    ),
}


def _is_text(node: ast.AST) -> bool:
    """Whether an operand builds text, a list or a path (``+``, ``*`` and ``/`` on those are not arithmetic)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.JoinedStr, ast.List, ast.ListComp, ast.Tuple)):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in {"join", "escape", "str", "Path"} or name.startswith("format")
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Name):
        return node.id.isupper() or node.id in {"site", "root"}  # the module's paths
    return False


def _arithmetic(module: object) -> list[str]:
    source = inspect.getsource(module)
    return sorted(
        ast.get_source_segment(source, node) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.BinOp)
        and not isinstance(node.op, ast.BitOr)
        and not (_is_text(node.left) or _is_text(node.right))
    )


def test_the_macro_modules_do_no_arithmetic_of_their_own() -> None:
    """Thin adapters: arithmetic on numbers in a page-macro module means a formula outside the core.

    Every module whose macros mkdocs-macros registers, and the chart and
    simulator builders they call.
    """
    modules = {module.__name__.rsplit(".", 1)[1]: module for module in roofline_site.MACRO_MODULES}
    modules["charts"] = chart_catalog
    assert {"figures", "explainer", "deployment", "frontier", "serving", "hardware", "speed", "widget"} <= set(modules)
    for name, module in sorted(modules.items()):
        found = _arithmetic(module)
        assert found == sorted(PRESENTATION.get(name, ())), f"{module.__name__} does arithmetic"
