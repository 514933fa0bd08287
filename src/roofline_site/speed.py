"""Macros for the "How fast is it" page: figures from the committed benchmark JSON.

``scripts/bench_browser.py --json-out docs/data/benchmarks/browser.json`` and
``scripts/bench_build.py --json-out docs/data/benchmarks/build.json`` write the
files; this module only reads and formats them (formats from roofline.units).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from roofline.units import format_bytes, format_number, format_si, format_time

from .assets import NODE_MODULES
from .macros import number_span

__all__ = ["MACROS"]

DATA = Path(__file__).resolve().parents[2] / "docs" / "data" / "benchmarks"


def _load(name: str) -> dict:
    path = DATA / f"{name}.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing: run scripts/bench_{name}.py --json-out {path}") from None


def _show(key: str, value: float) -> str:
    """A measured figure as a reader wants it: times in ms/s, bytes in SI, ratios plain."""
    if key.endswith("_ms"):
        return format_time(value / 1e3)
    if key.endswith("_s"):
        return format_time(value)
    if "bytes" in key:
        return f"{format_si(value, 3)}B"
    return f"{format_number(value, 3)}×"


def bench_figure(key: str) -> str:
    """One figure of the browser benchmark's summary."""
    summary = _load("browser")["summary"]
    return number_span(f"bench_{key}", float(summary[key]), _show(key, summary[key]))


def bench_target(key: str) -> str:
    """The target the benchmark holds figure ``key`` to, as the targets table prints it."""
    for target in _load("browser")["targets"]:
        if target["figure"] == key:
            limit = float(target["target"].split()[-1])
            return number_span(f"bench_target_{key}", limit, _show(key, limit))
    raise ValueError(f"no target for {key!r} in the browser benchmark")


def vendored_bytes(package: str) -> str:
    """Size of the vendored file of an npm package (``plotly``), read from node_modules at build time."""
    files = {"plotly": "plotly.js-basic-dist-min/plotly-basic.min.js"}
    if package not in files:
        raise ValueError(f"package must be one of {sorted(files)}, got {package!r}")
    size = float((NODE_MODULES / files[package]).stat().st_size)
    return number_span(f"vendored_bytes_{package}", size, format_bytes(size))


def bench_targets() -> str:
    """The targets table: figure, target, measured, met."""
    report = _load("browser")
    build = _load("build")
    rows = [
        '<div data-macro-block="bench_targets" markdown>',
        "",
        "| figure | target | measured | met |",
        "|---|---|---|---|",
    ]
    for target in report["targets"]:
        limit = target["target"].split()[-1]
        shown_limit = _show(target["figure"], float(limit))
        rows.append(
            f"| {html.escape(target['what'])} | ≤ {shown_limit} | "
            f"{number_span('bench_' + target['figure'], float(target['measured']), _show(target['figure'], target['measured']))}"
            f" | {'yes' if target['met'] else '**no**'} |"
        )
    rows.append(
        f"| `mkdocs build --strict` | ≤ {_show('target_s', build['target_s'])} | "
        f"{number_span('bench_build_median_s', build['median_s'], _show('median_s', build['median_s']))} | "
        f"{'yes' if build['met'] else '**no**'} |"
    )
    rows += ["", "</div>"]
    return "\n".join(rows)


def bench_machine() -> str:
    """The machine and run sizes the figures come from, in one sentence."""
    report = _load("browser")
    machine = report["machine"]
    text = html.escape(
        f"{machine['cpu']}, {machine['cores']} cores, {machine['os']}; {machine['chromium']}, headless, "
        f"no GPU; {report['runs']} cold and warm loads, {report['inputs_per_run']} slider inputs per run"
    )
    return f'<span data-macro-block="bench_machine">{text}</span>'


MACROS = {
    "bench_target": bench_target,
    "vendored_bytes": vendored_bytes,
    "bench_figure": bench_figure,
    "bench_targets": bench_targets,
    "bench_machine": bench_machine,
}
