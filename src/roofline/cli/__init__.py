"""``roofline`` on the command line: the model at one operating point.

Usage:
    roofline [--batch 128] [--n-active 8G] [--compute 80T] [--n-total 12G]
             [--bandwidth 200G] [--context 8192] [--kv-bytes 2] [--max-batch 2048]
             [--tpot-target-ms MS] [--draft-tokens K] [--acceptance A] [--mtp] [--json]
    roofline --hardware h200 --model deepseek-v3 [--gpus 8] [--precision fp8]
             [--kv-precision fp8] [--context 32Ki] [--batch N] [--price 2]
             [--tp N] [--ep N] [--dp-attention] [--pp N] [--ideal]
             [--no-attention-flops] [--attention-precision bf16] [--no-moe-discount]
             [--tpot-target-ms MS] [--draft-tokens K] [--acceptance A] [--mtp] [--json]
    roofline presets [--json]
    roofline serving --hardware H --model M --gpus N --precision P --input-tokens I
                     --output-tokens O --concurrency C [--json]   (see roofline.cli.serving)

The first form is the article's model with its inputs given directly. The
second serves a model preset on N chips of a hardware preset (see
``roofline presets``) in a parallel layout (``--tp``, ``--ep``,
``--dp-attention``, ``--pp``; by default what the engines launch, and
``--ideal`` for the article's even split), with attention's arithmetic
counted (``--no-attention-flops`` leaves it out, as the article does); ``--batch`` defaults to the best batch (the crossover
if it fits in memory, else the memory wall), and the article's flags
(``--compute``, ``--bandwidth``, ``--n-total``, ``--n-active``, ``--kv-bytes``)
override the presets' figures (per GPU for the hardware ones).

Both forms also choose the batch you would run (:mod:`roofline.frontier`): the
largest that meets ``--tpot-target-ms`` (the most milliseconds one output token
may take), fits in memory and is not past the crossover, and name the limit
that binds. ``--draft-tokens``/``--acceptance`` (or ``--mtp``, DeepSeek-V3's
cited multi-token prediction) add speculative decoding (:mod:`roofline.speculative`).

Numbers take decimal SI suffixes (K M G T P E) or binary ones (Ki Mi Gi ...):
``--context 128Ki`` is 131,072 tokens (what a model card calls "128K"),
``--context 128K`` is 128,000 and ``200K`` is 200,000 (as price sheets mean
it). Counts of any size are accepted; past 1,000E they print in scientific
notation (``1e308``). Exit status: 0 done; 1 the
model does not fit in the deployment's memory (the report says why); 2 bad
input (an option given twice included), with one line on stderr.

The package: this module (``main``, the two forms and ``roofline presets``),
:mod:`roofline.cli.args` (the parsing rules every subcommand shares) and
:mod:`roofline.cli.serving` (``roofline serving``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from .. import __version__, presets
from .. import deployment as dep
from .. import frontier as fr
from .. import speculative as spec
from ..checks import check_number
from ..model import SEED_DEFAULTS, SEED_MAX_BATCH, Params, evaluate
from ..sentences import batch_text, crossover_text, explanation, step_readouts
from ..units import (
    format_batch,
    format_bytes,
    format_number,
    format_percent,
    format_si,
    format_si_exact,
    format_time,
    format_tokens,
    format_usd,
)
from .args import (
    BAD_INPUT,
    DOES_NOT_FIT,
    Once,
    Parser,
    add_layout_flags,
    add_option,
    add_speculation_flags,
    add_target_flag,
    layout_from_flags,
    quantity,
    speculation_from_flags,
    target_s_from_flags,
    whole_count,
)

__all__ = ["json_output", "main"]

# (flag, simulator key, what it is)
_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--batch", "B", "B, sequences decoded together"),
    ("--max-batch", "B_max", "largest batch shown in sweeps"),
    ("--n-active", "N_active", "N_active, parameters per token"),
    ("--compute", "C", "C, effective ops/s (FLOP/s ÷ 2)"),
    ("--n-total", "N_total", "N_total, parameters (bytes) read per step"),
    ("--bandwidth", "BW", "BW, memory bytes/s"),
    ("--context", "L", "L, context tokens per sequence (128Ki = 131,072; 128K = 128,000)"),
    ("--kv-bytes", "b", "b, bytes per KV element"),
)

# The article's example, by simulator key.
_DEFAULTS = {
    "B": SEED_DEFAULTS.batch,
    "B_max": SEED_MAX_BATCH,
    "N_active": SEED_DEFAULTS.active_params,
    "C": SEED_DEFAULTS.compute_ops_per_s,
    "N_total": SEED_DEFAULTS.total_params,
    "BW": SEED_DEFAULTS.bandwidth_bytes_per_s,
    "L": SEED_DEFAULTS.context_tokens,
    "b": SEED_DEFAULTS.kv_bytes_per_element,
}

#: Exit statuses.
OK = 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (defaults are the article's simulator defaults)."""
    parser = Parser(
        prog="roofline",
        description=(
            "Decode-step time of an LLM as max(T_compute, T_memory), with the crossover batch B*. "
            "'roofline presets' lists the hardware and model presets."
        ),
    )
    for flag, key, what in _OPTIONS:
        default = _DEFAULTS[key]
        add_option(parser, flag, type=quantity, metavar="N", help=f"{what} (default {format_si_exact(default)})")
    real = parser.add_argument_group("a deployment from presets (realistic mode)")
    add_option(real, "--hardware", metavar="KEY", help="hardware preset, e.g. h100-sxm, h200, mi300x")
    add_option(real, "--model", metavar="KEY", help="model preset, e.g. deepseek-v3, llama-3.1-70b")
    add_option(real, "--gpus", type=whole_count, default=1, metavar="N", help="how many chips (default 1)")
    add_option(
        real,
        "--precision",
        metavar="KEY",
        help=f"weights and arithmetic: {', '.join(presets.WEIGHT_PRECISIONS)} (default: as the model was released)",
    )
    add_option(
        real,
        "--kv-precision",
        metavar="KEY",
        default="bf16",
        help=f"KV cache: {', '.join(presets.KV_PRECISIONS)} (default bf16)",
    )
    add_option(real, "--price", type=quantity, default=2.0, metavar="USD", help="US dollars per GPU-hour (default 2)")
    real.add_argument(
        "--attention-flops",
        action="store_true",
        help="count attention's FLOPs in T_compute (the default; kept for old scripts)",
    )
    real.add_argument(
        "--no-attention-flops",
        action="store_true",
        help="leave attention's FLOPs out of T_compute, as the article does",
    )
    real.add_argument(
        "--attention-precision",
        metavar="KEY",
        action=Once,
        choices=presets.MATH_PRECISIONS,
        default=None,
        help=(
            f"arithmetic attention runs in: {', '.join(presets.MATH_PRECISIONS)} (default: the model preset's cited "
            "precision, else the weights')"
        ),
    )
    real.add_argument("--no-moe-discount", action="store_true", help="read every expert every step, whatever the batch")
    add_layout_flags(parser)
    batch = parser.add_argument_group("the batch you would run (both forms)")
    add_target_flag(batch)
    add_speculation_flags(batch)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--version", action="version", version=f"roofline {__version__}")
    return parser


def _article_value(args: argparse.Namespace, flag: str, key: str) -> float:
    value = getattr(args, flag[2:].replace("-", "_"))
    return _DEFAULTS[key] if value is None else value


def _params(args: argparse.Namespace) -> tuple[Params, float]:
    values = {key: _article_value(args, flag, key) for flag, key, _ in _OPTIONS}
    params = Params(
        batch=values["B"],
        active_params=values["N_active"],
        compute_ops_per_s=values["C"],
        total_params=values["N_total"],
        bandwidth_bytes_per_s=values["BW"],
        context_tokens=values["L"],
        kv_bytes_per_element=values["b"],
    )
    max_batch = check_number("max_batch", values["B_max"], "sequences", minimum=1.0, inclusive=True)
    if params.active_params > params.total_params:
        raise ValueError(
            f"--n-active {format_si_exact(params.active_params)} is above --n-total "
            f"{format_si_exact(params.total_params)}: a token cannot use more parameters than the model has"
        )
    return params, max_batch


def _frontier_rows(report: fr.FrontierReport, speculation: spec.Speculation | None) -> list[tuple[str, str]]:
    c = report.choice
    rows = [("latency target", "none" if c.target_s is None else f"{format_time(c.target_s)} per token")]
    if speculation is not None:
        rows.append(
            (
                "speculation",
                f"{speculation.draft_tokens} drafted, acceptance {format_percent(speculation.acceptance)}: "
                f"{format_number(c.tokens_per_step, 3)} tokens per step",
            )
        )
    if report.chosen is None:
        rows.append(("batch to run", f"none (fastest {format_time(c.fastest_time_per_token_s)} per token)"))
    else:
        at = report.chosen
        rows.append(
            (
                "batch to run",
                f"{format_batch(c.batch)} ({c.limit.value} binds): {format_time(at.time_per_token_s)} per token, "
                f"{format_si(at.tokens_per_s_per_user)} tok/s per user, {format_si(at.tokens_per_s_per_gpu)} per GPU",
            )
        )
    return rows


def _article(args: argparse.Namespace) -> int:
    try:
        params, max_batch = _params(args)
        step = evaluate(params)
        speculation = speculation_from_flags(args)
        report = fr.evaluate_frontier(fr.article_lines(params, speculation), target_s_from_flags(args), max_batch)
    except ValueError as exc:
        print(f"roofline: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.json:
        print(json.dumps(step.as_dict() | report.as_dict()))
        return OK
    shown = {name: text for name, (_, text) in step_readouts(step).items()}
    _print_rows(
        [
            ("bottleneck", shown["bottleneck"]),
            ("crossover B*", crossover_text(step.crossover_batch)),
            ("latency T", shown["latency"]),
            ("T_compute", shown["t_compute"]),
            ("T_memory", shown["t_memory"]),
            ("  weights N_total/BW", shown["t_weights"]),
            ("  KV B·L·b/BW", f"{shown['t_kv']} ({shown['kv_share']} of T_memory)"),
            ("memory slope", f"{shown['memory_slope']} per sequence"),
            ("T_compute / T_memory", shown["compute_memory_ratio"]),
            *_frontier_rows(report, speculation),
        ]
    )
    print()
    print(explanation(params))
    print(report.sentence)
    return OK


def _print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, text in rows:
        print(f"{name:<{width}}  {text}")


def _deployment(args: argparse.Namespace) -> tuple[dep.Deployment, float | None]:
    if not args.hardware or not args.model:
        missing = "--model" if args.hardware else "--hardware"
        raise ValueError(f"{missing} is needed too: a deployment names both a hardware and a model preset")
    if args.attention_flops and args.no_attention_flops:
        raise ValueError("--attention-flops and --no-attention-flops contradict each other; give one")
    chip = presets.hardware(args.hardware)
    served = presets.model(args.model)
    precision = presets.weight_precision(args.precision or served.released_precision)
    changes: dict[str, float] = {}
    if args.compute is not None:
        rate = "dense_fp8_flops_per_s" if precision.math == "fp8" else "dense_bf16_flops_per_s"
        changes[rate] = 2 * args.compute
    if args.bandwidth is not None:
        changes["bandwidth_bytes_per_s"] = args.bandwidth
    chip = replace(chip, **changes) if changes else chip
    counts = {"total_params": args.n_total, "active_params": args.n_active}
    counts = {name: value for name, value in counts.items() if value is not None}
    served = replace(served, **counts) if counts else served
    kv_bytes = args.kv_bytes if args.kv_bytes is not None else presets.kv_precision(args.kv_precision).bytes_per_element
    d = dep.Deployment(
        hardware=chip,
        model=served,
        gpus=args.gpus,
        precision=precision,
        kv_bytes_per_element=kv_bytes,
        context_tokens=_article_value(args, "--context", "L"),
        usd_per_gpu_hour=args.price,
        moe_discount=not args.no_moe_discount,
        attention_flops=not args.no_attention_flops,
        attention_precision=args.attention_precision,
        layout=layout_from_flags(args, args.gpus),
    )
    return d, args.batch


def _context_text(tokens: float | None, none: str) -> str:
    return none if tokens is None else f"{format_tokens(tokens)} tokens"


def _realistic(args: argparse.Namespace) -> int:
    try:
        d, batch = _deployment(args)
        report = dep.evaluate_deployment(d, batch)
        speculation = speculation_from_flags(args)
        lines = fr.deployment_lines(d, speculation)
        chosen = fr.evaluate_frontier(lines, target_s_from_flags(args))
        best = _best_batch(chosen.choice)
        if speculation is not None and batch is None and best is not None:
            # The default batch is the best one for the step actually run.
            report = dep.evaluate_deployment(d, float(max(1, int(best))))
    except ValueError as exc:
        print(f"roofline: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    status = OK if report.capacity_batch >= 1 else DOES_NOT_FIT
    at = _at_batch(lines, report)
    if args.json:
        out = report.as_dict() | chosen.as_dict()
        if speculation is not None:
            # Every figure that speaks of tokens follows the speculative step; the
            # article's step (one token per sequence) stays under its own names.
            out |= {
                "crossover_batch_without_speculation": report.crossover_batch,
                "crossover_batch": chosen.choice.crossover_batch,
                "best_batch_without_speculation": report.best_batch,
                "best_batch": _best_batch(chosen.choice),
            }
            if report.capacity_batch >= 1:
                # The step's parts are the verify step's (k + 1 tokens per sequence), as the simulator's cards;
                # latency_s below adds the drafting.
                verify = dep.step_at(d, report.batch, speculation.verified_tokens)
                out |= {
                    "t_compute_s": verify.t_compute_s,
                    "t_memory_s": verify.t_memory_s,
                    "t_weights_s": verify.t_weights_s,
                    "t_kv_s": verify.t_kv_s,
                    "regime": verify.regime.value,
                    "verify_latency_s": verify.latency_s,
                }
        if at is not None:
            out |= {
                "latency_s": at["step_s"],
                "time_per_token_s": at["time_per_token_s"],
                "tokens_per_s": at["tokens_per_s"],
                "tokens_per_s_per_gpu": at["tokens_per_s"] / d.gpus,
                "tokens_per_s_per_sequence": at["tokens_per_s_per_sequence"],
                "usd_per_million_tokens": dep.usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, at["tokens_per_s"]),
            }
        print(json.dumps(out))
        return status
    layout = d.active_layout
    source = "chosen" if d.layout is not None else f"default: {dep.LAYOUT_SOURCES[d.layout_source]}"
    fit = "fits" if report.weights_fit else "does not fit"
    held = ""
    if report.held_weight_bytes > report.weight_bytes:
        held = f", {format_bytes(report.held_weight_bytes)} with the layout's copies"
    rows = [
        ("deployment", d.describe()),
        ("layout", f"{layout.describe()} ({source})"),
        (
            "weights",
            f"{format_bytes(report.weight_bytes)}{held}, {format_bytes(report.held_weight_bytes / d.gpus)} per GPU, "
            f"of {format_bytes(report.memory_bytes)} ({fit})",
        ),
    ]
    if report.problem is not None:
        _print_rows(rows)
        print()
        print(report.problem)
        return status
    # With speculation the step's parts are the verify step's (k + 1 tokens per sequence), drafting aside.
    step = report.step if speculation is None else dep.step_at(d, report.batch, speculation.verified_tokens)
    wall = report.capacity_batch
    copies = dep.kv_copies(layout, d.model)
    copied = f", held {format_number(copies, 3)}× by the layout" if copies > 1 else ""
    crossover = report.crossover_batch if speculation is None else chosen.choice.crossover_batch
    if speculation is None:
        best = report.best_batch
    spec_note = "" if speculation is None else " (with speculation)"
    rows += [
        (
            "memory wall",
            f"{format_batch(wall)} sequences ({format_bytes(report.kv_bytes_per_sequence)} of KV each{copied})",
        ),
        ("crossover B*", crossover_text(crossover) + spec_note),
        ("best batch", batch_text(best or 0.0) + spec_note),
        ("batch B", f"{batch_text(report.batch)} ({'fits' if report.fits else 'past the memory wall'})"),
        ("bottleneck", step.regime.value + (" (the verify step without drafting)" if speculation else "")),
    ]
    if at is not None and speculation is not None:
        rows += [
            (
                "step",
                f"{format_time(at['step_s'])} (drafting and verifying), {format_number(at['tokens_per_step'], 3)} tokens per sequence",
            ),
            ("time per token", format_time(at["time_per_token_s"])),
        ]
    else:
        rows.append(("latency T", format_time(step.latency_s)))
    rows += [
        (
            "T_compute",
            format_time(step.t_compute_s)
            + (f" (attention in {dep.attention_math(d).upper()})" if d.attention_flops else " (attention left out)"),
        ),
        ("T_memory", format_time(step.t_memory_s)),
        (
            "  weights read",
            f"{format_time(step.t_weights_s)} ({format_bytes(report.weight_bytes_read)}, "
            f"{format_percent(report.expert_coverage)} of experts)",
        ),
        (
            "  KV",
            f"{format_time(step.t_kv_s)} ({format_bytes(report.kv_bytes_per_token)} per token of context"
            + (", copies counted)" if copies > 1 else ")"),
        ),
    ]
    if at is not None:
        rate = at["tokens_per_s"]
        rows += [
            (
                "throughput",
                f"{format_si(rate)} tok/s, {format_si(rate / d.gpus)} per GPU, "
                f"{format_si(at['tokens_per_s_per_sequence'])} per sequence" + spec_note,
            ),
            (
                "cost",
                f"{format_usd(dep.usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, rate))} per 1M output tokens at "
                f"{format_usd(d.usd_per_gpu_hour)}/GPU-hour" + spec_note,
            ),
        ]
    rows += [
        ("KV = weights at L", _context_text(report.kv_equals_weights_context, "never (windows cap the KV)")),
        ("no crossover past L", _context_text(report.no_crossover_context, "never (attention keeps up)")),
        *_frontier_rows(chosen, speculation),
    ]
    _print_rows(rows)
    print()
    print(chosen.sentence)
    scaling = (
        "an even split over the GPUs (no communication, nothing copied)"
        if layout.ideal
        else f"layout {layout.key} (its copies counted, its communication left out: see 'roofline serving')"
    )
    print(
        f"Assumes {scaling}, peak datasheet rates, uniform expert routing, and all memory beside the weights free for KV."
    )
    return status


def _best_batch(choice: fr.Choice) -> float | None:
    """The best batch of the lines in use (:attr:`roofline.frontier.Choice.best_batch`), as a float like dep.best_batch."""
    best = choice.best_batch
    return None if best is None else float(best)


def _at_batch(lines: fr.Lines, report: dep.Report) -> dict[str, float] | None:
    """Step, time per token and rates at the report's batch, from the lines in use (speculation included)."""
    if report.capacity_batch < 1:
        return None
    step = fr.step_time_s(lines, report.batch)
    return {
        "step_s": step,
        "tokens_per_step": lines.tokens_per_step,
        "time_per_token_s": step / lines.tokens_per_step,
        "tokens_per_s": report.batch * lines.tokens_per_step / step,
        "tokens_per_s_per_sequence": lines.tokens_per_step / step,
    }


def _presets(argv: Sequence[str]) -> int:
    parser = Parser(prog="roofline presets", description="List the hardware, model and precision presets.")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = parser.parse_args(argv)
    if args.json:
        print(json.dumps(_presets_json()))
        return OK
    print("Hardware (one chip; FLOP/s dense, i.e. without 2:4 sparsity)")
    rows = [("key", "BF16 TFLOP/s", "FP8 TFLOP/s", "memory", "bandwidth", "name")]
    for hw in presets.HARDWARE.values():
        fp8 = "none" if hw.dense_fp8_flops_per_s is None else f"{hw.dense_fp8_flops_per_s / 1e12:,.1f}"
        rows.append(
            (
                hw.key,
                f"{hw.dense_bf16_flops_per_s / 1e12:,.1f}",
                fp8,
                format_bytes(hw.memory_bytes),
                f"{format_bytes(hw.bandwidth_bytes_per_s)}/s",
                hw.name,
            )
        )
    _print_table(rows)
    print()
    print("Models")
    rows = [("key", "total", "active", "layers", "attention", "KV/token @16-bit", "experts (routed/token/shared)")]
    for m in presets.MODELS.values():
        if m.attention == "mla":
            attention = f"MLA {m.kv_lora_rank}+{m.rope_head_dim}"
        else:
            attention = f"GQA {m.kv_heads}×{m.head_dim}"
        if m.sliding_layers:
            attention += f", window {m.sliding_window_tokens} on {m.sliding_layers}"
        experts = f"{m.routed_experts}/{m.experts_per_token}/{m.shared_experts}" if m.is_moe else "dense"
        rows.append(
            (
                m.key,
                format_si(m.total_params),
                format_si(m.active_params),
                str(m.layers),
                attention,
                format_bytes(m.kv_elements_per_token * 2),
                experts,
            )
        )
    _print_table(rows)
    print()
    print("Precisions: weights (--precision) " + ", ".join(presets.WEIGHT_PRECISIONS))
    print("            KV cache (--kv-precision) " + ", ".join(presets.KV_PRECISIONS))
    print()
    print("Sources")
    for preset in (*presets.HARDWARE.values(), *presets.MODELS.values()):
        print(f"  {preset.key}: {preset.source}")
        for figure, citation in preset.citations:
            print(f"    {figure}: {citation}")
        if preset.note:
            print(f"    choice: {preset.note}")
    return OK


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


#: The figures ``roofline presets --json`` gives of each hardware and each model preset, in order.
_HARDWARE_FIELDS = ("name", "dense_bf16_flops_per_s", "dense_fp8_flops_per_s", "memory_bytes", "bandwidth_bytes_per_s")
_MODEL_FIELDS = (
    "name", "total_params", "active_params", "layers",
    "attention", "attention_heads", "kv_heads", "head_dim", "kv_lora_rank", "rope_head_dim",
    "sliding_window_tokens", "sliding_layers",
    "routed_experts", "experts_per_token", "shared_experts",
    "kv_elements_per_token", "released_precision", "attention_precision",
)  # fmt: skip


def _preset_entry(preset: presets.Hardware | presets.Model, fields: tuple[str, ...]) -> dict[str, object]:
    """A preset's ``fields`` by name, then where its figures come from: its source, citations and note."""
    figures = {field: getattr(preset, field) for field in fields}
    return figures | {"source": preset.source, "citations": dict(preset.citations), "note": preset.note}


def _presets_json() -> dict[str, object]:
    return {
        "hardware": {key: _preset_entry(hw, _HARDWARE_FIELDS) for key, hw in presets.HARDWARE.items()},
        "models": {key: _preset_entry(m, _MODEL_FIELDS) for key, m in presets.MODELS.items()},
        "weight_precisions": {
            key: {"label": p.label, "bytes_per_weight": p.bytes_per_weight, "math": p.math, "note": p.note}
            for key, p in presets.WEIGHT_PRECISIONS.items()
        },
        "kv_precisions": {
            key: {"label": p.label, "bytes_per_element": p.bytes_per_element}
            for key, p in presets.KV_PRECISIONS.items()
        },
    }


def json_output(argv: Sequence[str]) -> tuple[int, dict | None, str]:
    """What ``roofline <argv> --json`` prints, parsed: ``(status, object or None, stderr)``.

    It runs :func:`main` itself, so a caller (the simulator's JSON export,
    :mod:`roofline.web.export`) gets exactly the CLI's object for those flags.
    """
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([*argv, "--json"])
        except SystemExit as exit_:  # argparse refuses a flag
            status = int(exit_.code or 0)
    text = out.getvalue().strip()
    return status, (json.loads(text) if text else None), err.getvalue().strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["presets"]:
            return _presets(arguments[1:])
        if arguments[:1] == ["serving"]:
            from . import serving as serving_command

            return serving_command.serving_main(arguments[1:])
        parser = build_parser()
        args = parser.parse_args(arguments)
        realistic = args.hardware is not None or args.model is not None
        return _realistic(args) if realistic else _article(args)
    except BrokenPipeError:
        # `roofline --json | head`: the reader stopped listening, which is not an error.
        # Point stdout at devnull so the interpreter's final flush stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
