"""Macros of the "Check it on real hardware" page (docs/hardware.md).

Every number comes from a committed measurement file under
``docs/data/measurements/`` (written by ``scripts/measure_hardware.py``),
read back through :mod:`roofline.measurement`, predicted by the core and
formatted by :mod:`roofline.units`. The charts are built here with the Python
plotly package and drawn in the browser by the site's own plotly.js
(``docs/assets/javascripts/charts.js`` colours them for the
reader's light or dark scheme).
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable
from pathlib import Path

from roofline import measurement as meas
from roofline import model as core
from roofline import presets
from roofline.units import format_number, format_percent, format_si, format_time
from roofline.web.charts import log_ticks
from roofline.web.palette import PALETTE

from ..simulator.widget import relative_root
from .common import chart_container, chart_scripts, figure_layout, number_span, table_row

__all__ = ["MACROS", "MEASUREMENTS", "PAGE_MACROS", "figure", "load_run", "machine_slugs", "series"]

ROOT = Path(__file__).resolve().parents[3]
MEASUREMENTS = ROOT / "docs" / "data" / "measurements"

#: This page's trace roles (plotly ``meta``), as roles of the site's one palette.
ROLES = {"measured": "max", "max": "compute", "sum": "memory", "crossover": "now", "text": "text", "grid": "grid"}
#: Chart colours per Material scheme, by trace role (the theme script applies them).
THEMES = {scheme: {role: colors[alias] for role, alias in ROLES.items()} for scheme, colors in PALETTE.items()}
#: Points on each predicted curve (log-spaced between the sweep's ends).
CURVE_POINTS = 60


def machine_slugs() -> list[str]:
    """Slugs of every committed measurement file, sorted."""
    return sorted(path.stem for path in MEASUREMENTS.glob("*.json"))


@functools.cache
def load_run(slug: str) -> dict:
    """One measurement file, checked: the right schema, and not a ``--quick`` test run."""
    path = MEASUREMENTS / f"{slug}.json"
    if not path.is_file():
        raise ValueError(f"no measurement {slug!r}; committed: {', '.join(machine_slugs()) or 'none'}")
    data = json.loads(path.read_text())
    if data.get("schema") not in meas.SCHEMAS:
        raise ValueError(f"{path}: schema must be one of {meas.SCHEMAS}, got {data.get('schema')!r}")
    if data["run"].get("quick"):
        raise ValueError(f"{path} is a --quick test run; commit a full run instead")
    return data


def _raw_series(slug: str, key: str) -> dict:
    for entry in load_run(slug)["series"]:
        if entry["key"] == key:
            return entry
    keys = [entry["key"] for entry in load_run(slug)["series"]]
    raise ValueError(f"measurement {slug!r} has no series {key!r}; it has {keys}")


def series(slug: str, key: str) -> meas.MeasuredSeries:
    """A series of a committed run, parsed by the core."""
    return meas.series_from_dict(_raw_series(slug, key))


def _comparison(slug: str, key: str) -> meas.Comparison:
    return series(slug, key).compare()


def _batch_shape(slug: str, key: str) -> meas.StepShape:
    """The shape of the batch sweep's first step (its B is irrelevant to the crossover)."""
    return next(step.shape for step in series(slug, key).steps if step.sweep == "batch")


def _datasheet(slug: str, key: str) -> tuple[presets.Hardware, str] | None:
    sheet = _raw_series(slug, key).get("datasheet")
    if not sheet or sheet.get("hardware") not in presets.HARDWARE:
        return None
    return presets.hardware(sheet["hardware"]), sheet["precision"]


def _datasheet_ceilings(slug: str, key: str) -> meas.Ceilings | None:
    found = _datasheet(slug, key)
    if found is None:
        return None
    chip, precision = found
    flops = chip.dense_fp8_flops_per_s if precision == "fp8" else chip.dense_bf16_flops_per_s
    if flops is None:
        return None
    return meas.Ceilings(matmul_flops_per_s=flops, copy_bandwidth_bytes_per_s=chip.bandwidth_bytes_per_s)


# --------------------------------------------------------------------------- number macros


def _ceiling_figure(ceilings: meas.Ceilings, figure: str) -> tuple[float, str]:
    values = {
        "flops": (ceilings.matmul_flops_per_s, "FLOP/s"),
        "compute": (ceilings.compute_ops_per_s, "ops/s"),
        "copy": (ceilings.copy_bandwidth_bytes_per_s, "bytes/s"),
        "bandwidth": (ceilings.bandwidth_bytes_per_s, "bytes/s"),
    }
    if ceilings.read_bandwidth_bytes_per_s is not None:
        values["read"] = (ceilings.read_bandwidth_bytes_per_s, "bytes/s")
    if figure == "ratio":
        return core.hardware_ratio(ceilings.compute_ops_per_s, ceilings.bandwidth_bytes_per_s), ""
    if figure not in values:
        raise ValueError(f"figure must be one of {[*sorted(values), 'ratio']}, got {figure!r}")
    return values[figure]


def _ceiling_text(value: float, unit: str) -> str:
    return format_number(value, 3) if not unit else f"{format_si(value, 3)} {unit}"


def hw_ceiling(slug: str, key: str, figure: str) -> str:
    """A measured ceiling: ``flops`` (FLOP/s), ``compute`` (C = FLOP/s ÷ 2), ``copy`` (bytes read +
    written per second), ``read`` (a read-only stream, when the run measured one), ``bandwidth`` (the
    model's BW: the read stream if measured, else the copy) or ``ratio`` (C / BW)."""
    value, unit = _ceiling_figure(series(slug, key).ceilings, figure)
    return number_span(f"hw_ceiling_{figure}", value, _ceiling_text(value, unit))


def hw_crossover(slug: str, key: str) -> str:
    """The batch where the measured ceilings put the crossover, for the batch sweep's step shape."""
    value = meas.predicted_crossover_batch(series(slug, key).ceilings, _batch_shape(slug, key))
    if value is None:
        return '<span class="rl-num" data-macro="hw_crossover" data-value="">no crossover</span>'
    return number_span("hw_crossover", value, format_number(value, 3))


def hw_error(slug: str, key: str, combination: str, statistic: str) -> str:
    """Relative error of ``max`` or ``sum``: ``median`` (of |error|) or ``worst`` (sign kept)."""
    comparison = _comparison(slug, key)
    summaries = {"max": comparison.max_error, "sum": comparison.sum_error}
    if combination not in summaries or statistic not in ("median", "worst"):
        raise ValueError(f"need combination max|sum and statistic median|worst, got {combination!r}, {statistic!r}")
    summary = summaries[combination]
    value = summary.median_abs if statistic == "median" else summary.worst
    return number_span(f"hw_error_{combination}_{statistic}", value, format_percent(value, 0))


def _uses_attainable_rates(slug: str, key: str) -> bool:
    return all(step.attainable_flops_per_s is not None for step in series(slug, key).steps)


def hw_method(slug: str, key: str) -> str:
    """Which ceilings this run's predictions use, in words (the script changed between runs)."""
    s = series(slug, key)
    compute = (
        "each step's own products timed on weights kept in cache"
        if _uses_attainable_rates(slug, key)
        else "one square matrix product"
    )
    memory = "a read-only stream" if s.ceilings.read_bandwidth_bytes_per_s is not None else "a copy"
    return f"C from {compute}, BW from {memory}"


def hw_run_note(slug: str, key: str) -> str:
    """A warning when a committed run predates the step-shaped ceilings (no read stream, no in-cache
    twin), so its errors measure the library's thin-product path; empty for a current run."""
    if _uses_attainable_rates(slug, key) and series(slug, key).ceilings.read_bandwidth_bytes_per_s is not None:
        return ""
    command = load_run(slug)["run"]["command"]
    return (
        '!!! warning "This run predates the current script"\n'
        "    It multiplied each whole layer in one library call and took C from the square product and BW "
        "from the copy, so its errors above are mostly the library's thin-product path and the gap between "
        f"a copy and a read stream. Rerunning `{command}` on a quiet machine replaces it."
    )


def hw_better_fit(slug: str, key: str) -> str:
    """``T = max`` or ``T = sum``: whichever has the smaller median error in this run."""
    return f"T = {_comparison(slug, key).better_fit}"


def hw_step(slug: str, key: str, figure: str) -> str:
    """A figure of the step: ``weight_bytes``, ``kv_bytes_per_token``, ``batch_context`` (L of the
    batch sweep), ``context_batch`` (B of the context sweep), ``points``, ``repeats``."""
    raw = _raw_series(slug, key)["decode"]
    values = {
        "weight_bytes": (raw["weight_bytes"], f"{format_si(raw['weight_bytes'], 3)}B"),
        "kv_bytes_per_token": (raw["kv_bytes_per_token"], f"{format_number(raw['kv_bytes_per_token'], 6)} bytes"),
        "batch_context": (raw["batch_sweep_context_tokens"], format_number(raw["batch_sweep_context_tokens"], 6)),
        "context_batch": (raw["context_sweep_batch"], format_number(raw["context_sweep_batch"], 6)),
        "points": (len(raw["steps"]), str(len(raw["steps"]))),
        "repeats": (load_run(slug)["run"]["repeats"], str(load_run(slug)["run"]["repeats"])),
    }
    if figure not in values:
        raise ValueError(f"figure must be one of {sorted(values)}, got {figure!r}")
    value, text = values[figure]
    return number_span(f"hw_step_{figure}", float(value), text)


# --------------------------------------------------------------------------- the chart


def _curve(
    ceilings: meas.Ceilings, points: tuple[meas.PointComparison, ...], xs: list[float], over: str
) -> tuple[list[float], list[meas.Prediction]]:
    """The model's line for one panel: a smooth curve when one C holds for the whole sweep; when each
    batch has its own attainable rate, the predictions at the measured batches, joined."""
    rates = {p.step.attainable_flops_per_s for p in points}
    if over == "batch" and rates != {None}:
        return xs, [p.prediction for p in points]
    grid = meas.geometric_grid(min(xs), max(xs), CURVE_POINTS)
    rate = points[0].step.attainable_flops_per_s
    return grid, meas.prediction_curve(ceilings, points[0].step.shape, grid, over, rate)


def figure(slug: str, key: str) -> dict:
    """The plotly figure (a plain dict) of one series: measured medians with their spread, and
    the predictions of T = max and T = sum, over B (top) and over L (bottom)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    raw = _raw_series(slug, key)["decode"]
    comparison = _comparison(slug, key)
    ceilings = comparison.ceilings
    panels = (
        ("batch", "batch", f"over batch B, at L = {format_si(raw['batch_sweep_context_tokens'])} tokens", "batch B"),
        ("context", "context", f"over context L, at B = {format_si(raw['context_sweep_batch'])}", "context L (tokens)"),
    )
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.2, subplot_titles=[title for _, _, title, _ in panels])
    for row, (sweep, over, _, axis_title) in enumerate(panels, start=1):
        points = comparison.in_sweep(sweep)
        if not points:
            continue
        xs = [p.step.shape.batch if over == "batch" else p.step.shape.context_tokens for p in points]
        grid, curve = _curve(ceilings, points, xs, over)
        first = row == 1
        for role, name, ys in (
            ("max", "model: T = max(compute, memory)", [c.max_s for c in curve]),
            ("sum", "alternative: T = compute + memory", [c.sum_s for c in curve]),
        ):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=ys,
                    mode="lines",
                    name=name,
                    meta=role,
                    legendgroup=role,
                    showlegend=first,
                    line={"width": 3 if role == "max" else 2, "dash": "solid" if role == "max" else "dash"},
                    hovertemplate="%{y:.3s}s<extra>" + ("T = max" if role == "max" else "T = sum") + "</extra>",
                ),
                row=row,
                col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[p.step.median_s for p in points],
                mode="markers",
                name="measured: median, bars from fastest to slowest",
                meta="measured",
                legendgroup="measured",
                showlegend=first,
                marker={"size": 9, "symbol": "circle"},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [p.step.spread_above_s for p in points],
                    "arrayminus": [p.step.spread_below_s for p in points],
                    "thickness": 1.2,
                    "width": 4,
                },
                hovertemplate="%{y:.3s}s<extra>measured</extra>",
            ),
            row=row,
            col=1,
        )
        fig.update_xaxes(
            type="log", title_text=axis_title, tickvals=xs, ticktext=[format_si(x) for x in xs], row=row, col=1
        )
        every = [p.step.min_s for p in points] + [p.step.max_s for p in points]
        every += [c.max_s for c in curve] + [c.sum_s for c in curve]
        ticks = log_ticks(min(every), max(every))
        fig.update_yaxes(
            type="log",
            title_text="time per step",
            tickvals=ticks,
            ticktext=[format_time(t, 3) for t in ticks],
            row=row,
            col=1,
        )
        crossover = meas.predicted_crossover_batch(ceilings, points[0].step.shape)
        if sweep == "batch" and crossover is not None and min(xs) <= crossover <= max(xs):
            fig.add_trace(
                go.Scatter(
                    x=[crossover, crossover],
                    y=[min(every), max(every)],
                    mode="lines",
                    name=f"predicted crossover B* ≈ {format_number(crossover, 3)}"
                    + (" at the square product's C" if points[0].step.attainable_flops_per_s is not None else ""),
                    meta="crossover",
                    line={"width": 1.5, "dash": "dot"},
                    hoverinfo="skip",
                ),
                row=row,
                col=1,
            )
    # Room for "100 ms" and the axis title beside it (at 64 px they overlapped once the finer ticks came).
    margin = {"l": 84, "r": 16, "t": 32, "b": 40}
    fig.update_layout(figure_layout(height=640, margin=margin, legend_y=-0.12))
    return json.loads(fig.to_json())


def chart(slug: str, key: str) -> str:
    """The chart's container and its figure JSON (drawn by charts.js, the site's one theme script)."""
    label = f"Measured step times and both predictions for {series(slug, key).title}; the tables give the numbers"
    return chart_container(f"hw-chart-{slug}-{key}", figure(slug, key), THEMES, label)


# --------------------------------------------------------------------------- one section per machine


def _ceilings_table(slug: str, key: str) -> list[str]:
    """Measured ceilings, with the datasheet's and the measured share of it when a preset matches."""
    measured = series(slug, key).ceilings
    sheet = _datasheet_ceilings(slug, key)
    found = _datasheet(slug, key)
    if sheet is None or found is None:
        lines = [table_row(["ceiling", "measured"]), table_row(["---"] * 2)]
    else:
        header = ["ceiling", "measured", f"datasheet ({found[0].name}, dense {found[1]})", "measured ÷ datasheet"]
        lines = [table_row(header), table_row(["---"] * 4)]
    labels = {
        "flops": "square matrix product",
        "compute": "the model's C = FLOP/s ÷ 2",
        "copy": "copy, bytes read + written",
        "ratio": "C / BW (multiply-adds per byte)",
    }
    if measured.read_bandwidth_bytes_per_s is not None:
        ratio = labels.pop("ratio")
        labels.update(read="read-only stream (the model's BW)", ratio=ratio)
    for figure_name, label in labels.items():
        value, unit = _ceiling_figure(measured, figure_name)
        cells = [label, number_span(f"hw_ceiling_{figure_name}", value, _ceiling_text(value, unit))]
        if sheet is not None and figure_name == "read":
            cells += ["—", "—"]  # datasheets give one bandwidth, not a read-only one
        elif sheet is not None:
            reference, _ = _ceiling_figure(sheet, figure_name)
            share = meas.fraction_of(value, reference)
            cells += [
                number_span(f"hw_datasheet_{figure_name}", reference, _ceiling_text(reference, unit)),
                number_span(f"hw_fraction_{figure_name}", share, format_percent(share, 0)),
            ]
        lines.append(table_row(cells))
    cells = ["predicted crossover B* for this step, at the square product's C", hw_crossover(slug, key)]
    if sheet is not None:
        at_sheet = meas.predicted_crossover_batch(sheet, _batch_shape(slug, key))
        text = (
            "none" if at_sheet is None else number_span("hw_datasheet_crossover", at_sheet, format_number(at_sheet, 3))
        )
        cells += [text, "—"]
    lines.append(table_row(cells))
    if sheet is None:
        lines += [
            "",
            "No datasheet figures to set beside these: none of the site's hardware presets matches this device.",
        ]
    return lines


def _errors_table(slug: str, key: str) -> list[str]:
    comparison = _comparison(slug, key)
    lines = [table_row(["prediction", "median \\|error\\|", "worst error", "points"]), table_row(["---"] * 4)]
    for combination, label in (("max", "T = max(T_compute, T_memory)"), ("sum", "T = T_compute + T_memory")):
        lines.append(
            table_row(
                [
                    label,
                    hw_error(slug, key, combination, "median"),
                    hw_error(slug, key, combination, "worst"),
                    str(len(comparison.points)),
                ]
            )
        )
    return lines


def _points_table(slug: str, key: str) -> list[str]:
    attainable = _uses_attainable_rates(slug, key)
    header = ["sweep", "B", "L", *(["step's C × 2 (in cache)"] if attainable else [])]
    header += ["measured (median)", "fastest – slowest", "T = max", "error", "T = sum", "error"]
    lines = [table_row(header), table_row(["---"] * len(header))]
    for point in _comparison(slug, key).points:
        step = point.step
        rate = step.attainable_flops_per_s
        lines.append(
            table_row(
                [
                    step.sweep,
                    format_number(step.shape.batch, 6),
                    format_number(step.shape.context_tokens, 6),
                    *([number_span("hw_attainable", rate, f"{format_si(rate, 3)} FLOP/s")] if attainable else []),
                    number_span("hw_measured", step.median_s, format_time(step.median_s, 3)),
                    f"{format_time(step.min_s, 3)} – {format_time(step.max_s, 3)}",
                    number_span("hw_predicted_max", point.prediction.max_s, format_time(point.prediction.max_s, 3)),
                    number_span("hw_point_error_max", point.max_error, format_percent(point.max_error, 0)),
                    number_span("hw_predicted_sum", point.prediction.sum_s, format_time(point.prediction.sum_s, 3)),
                    number_span("hw_point_error_sum", point.sum_error, format_percent(point.sum_error, 0)),
                ]
            )
        )
    return lines


def machine_section(slug: str) -> str:
    """Markdown for one committed machine: what ran, the ceilings, one chart per series, the errors."""
    run = load_run(slug)
    info = run["machine"]
    meta = run["run"]
    blas = info.get("blas") or {}
    parts = [f"## {info['title']}", ""]
    described = (
        f"Measured on {meta['started_utc'][:10]} in {format_number(meta['duration_s'], 3)} s with numpy "
        f"{info['numpy']} ({blas.get('name') or 'BLAS'} {blas.get('version') or ''}, "
        f"{blas.get('threads') or '?'} BLAS thread{'' if blas.get('threads') == 1 else 's'}), Python {info['python']}"
    )
    if info.get("gpu"):
        gpu = info["gpu"]
        described += f", torch {gpu['torch']} with CUDA {gpu['cuda']}"
    parts.append(
        described + f". Rerun with `{meta['command']}`; raw data: [{slug}.json](data/measurements/{slug}.json)."
    )
    if meta.get("shared_cpu"):
        parts += [
            "",
            '!!! warning "Other work shared this machine during the run"',
            f"    {html.escape(meta.get('note') or 'The run shared its CPU with other jobs.')} "
            f"Load average before and after: {', '.join(format_number(x, 3) for x in meta['load_average_before'])} "
            f"and {', '.join(format_number(x, 3) for x in meta['load_average_after'])}. "
            "Expect wide spreads; a quiet rerun with the same command will give tighter ones.",
        ]
    for entry in run["series"]:
        key = entry["key"]
        parts += ["", f"### {entry['title']}", ""]
        parts += _ceilings_table(slug, key)
        # The chart's script must reach the page untouched, so it sits outside the block.
        parts += ["", _BLOCK_CLOSE, "", chart(slug, key), "", _BLOCK_OPEN, ""]
        parts.append(
            f"Each point is the median of {hw_step(slug, key, 'repeats')} timed steps. "
            f"The predictions take {hw_method(slug, key)}. "
            f"Here {hw_better_fit(slug, key)} fits better: its median error is the smaller of the two below."
        )
        parts += ["", *_errors_table(slug, key)]
        parts += ["", '??? note "Every measured point"', ""]
        parts += ["    " + line for line in _points_table(slug, key)]
        parts += ["", "What this run cannot rule out:", ""]
        parts += [f"- {html.escape(limit)}" for limit in entry.get("limits", [])]
    return "\n".join(parts)


#: A machine's section is generated whole from its measurement file: marked as a macro's block
#: (tests/prose_numbers.py skips it), closed around each chart.
_BLOCK_OPEN = '<div data-macro-block="hw_machine" markdown>'
_BLOCK_CLOSE = "</div>"


def hw_machines(env) -> str:  # type: ignore[no-untyped-def]
    """Every committed machine's section, then the scripts that draw the charts (once)."""
    # Each section is generated whole from a committed measurement file, so it
    # is marked as a macro's block (tests/prose_numbers.py skips it).
    sections = [f"{_BLOCK_OPEN}\n\n{machine_section(slug)}\n\n{_BLOCK_CLOSE}" for slug in machine_slugs()]
    if not sections:
        raise ValueError(f"no measurement files in {MEASUREMENTS}")
    return "\n\n".join([*sections, chart_scripts(relative_root(env))])


#: Macros that need no page context, by the name pages call them.
MACROS: dict[str, Callable[..., str]] = {
    "hw_ceiling": hw_ceiling,
    "hw_crossover": hw_crossover,
    "hw_error": hw_error,
    "hw_better_fit": hw_better_fit,
    "hw_method": hw_method,
    "hw_run_note": hw_run_note,
    "hw_step": hw_step,
}

#: Macros that read the page being rendered (``env.page``).
PAGE_MACROS: dict[str, Callable[..., str]] = {
    "hw_machines": hw_machines,
}
