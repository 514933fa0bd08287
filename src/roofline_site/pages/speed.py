"""Macros for the "How fast is it" page: figures from the committed benchmark JSON.

``scripts/bench_browser.py --profile desktop --json-out docs/data/benchmarks/browser.json``,
the same with ``--profile phone`` into ``browser-phone.json``, and
``scripts/bench_build.py --json-out docs/data/benchmarks/build.json`` write the
files; this module only reads and formats them (formats from roofline.units).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from roofline.units import format_number, format_si, format_time

from .common import number_span

__all__ = ["MACROS"]

DATA = Path(__file__).resolve().parents[3] / "docs" / "data" / "benchmarks"


#: The browser benchmark's file per ``--profile``.
PROFILE_FILES = {"desktop": "browser", "phone": "browser-phone"}
_PROFILE_OF = {name: profile for profile, name in PROFILE_FILES.items()}


def _load(name: str) -> dict:
    path = DATA / f"{name}.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        command = "bench_build.py" if name == "build" else f"bench_browser.py --profile {_PROFILE_OF.get(name)}"
        raise FileNotFoundError(f"{path} is missing: run scripts/{command} --json-out {path}") from None


def _browser(profile: str) -> dict:
    if profile not in PROFILE_FILES:
        raise ValueError(f"profile must be one of {sorted(PROFILE_FILES)}, got {profile!r}")
    report = _load(PROFILE_FILES[profile])
    if report.get("profile", "desktop") != profile:
        raise ValueError(f"{PROFILE_FILES[profile]}.json holds the {report.get('profile')!r} profile, not {profile!r}")
    return report


def _show(key: str, value: float) -> str:
    """A measured figure as a reader wants it: times in ms/s, bytes in SI, ratios plain."""
    if key.endswith("_ms"):
        return format_time(value / 1e3)
    if key.endswith("_s"):
        return format_time(value)
    if "bytes" in key:
        return f"{format_si(value, 3)}B"
    return f"{format_number(value, 3)}×"


def bench_figure(key: str, profile: str = "desktop") -> str:
    """One figure of the browser benchmark's summary for ``profile``."""
    summary = _browser(profile)["summary"]
    name = f"bench_{key}" if profile == "desktop" else f"bench_{profile}_{key}"
    return number_span(name, float(summary[key]), _show(key, summary[key]))


def bench_targets(profile: str = "desktop") -> str:
    """The targets table for ``profile``: figure, target, measured, met (the build's row with desktop's)."""
    report = _browser(profile)
    prefix = "bench_" if profile == "desktop" else f"bench_{profile}_"
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
            f"{number_span(prefix + target['figure'], float(target['measured']), _show(target['figure'], target['measured']))}"
            f" | {'yes' if target['met'] else '**no**'} |"
        )
    if profile != "desktop":
        return "\n".join(rows)
    build = _load("build")
    rows.append(
        f"| `mkdocs build --strict` | ≤ {_show('target_s', build['target_s'])} | "
        f"{number_span('bench_build_median_s', build['median_s'], _show('median_s', build['median_s']))} | "
        f"{'yes' if build['met'] else '**no**'} |"
    )
    rows += ["", "</div>"]
    return "\n".join(rows)


def bench_machine(profile: str = "desktop") -> str:
    """The machine, throttling and run sizes the figures come from, in one sentence."""
    report = _browser(profile)
    machine = report["machine"]
    throttling = report.get("throttling")
    link = (
        "no throttling"
        if not throttling
        else (
            f"CPU {format_number(throttling['cpu_rate'], 1)}× slower, "
            f"{format_si(throttling['download_bytes_per_s'] * 8, 3)}bit/s down, "
            f"{format_si(throttling['upload_bytes_per_s'] * 8, 3)}bit/s up, "
            f"{format_time(throttling['latency_ms'] / 1e3)} round trip"
        )
    )
    text = html.escape(
        f"{machine['cpu']}, {machine['cores']} cores, {machine['os']}; {machine['chromium']}, headless, "
        f"no GPU; {link}; {report['runs']} cold and warm loads, {report['inputs_per_run']} slider inputs per run"
    )
    reference = report["summary"].get("reference_loop_ms")
    if reference is not None:  # runs before 2026-11-30 did not time the yardstick
        text += html.escape(f"; the machine's yardstick, a fixed loop in a blank page, took {format_time(reference / 1e3)}")
    return f'<span data-macro-block="bench_machine">{text}</span>'


MACROS = {
    "bench_figure": bench_figure,
    "bench_targets": bench_targets,
    "bench_machine": bench_machine,
}
