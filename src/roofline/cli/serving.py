"""``roofline serving``: the serving estimate for a preset deployment and workload.

Usage:
    roofline serving --hardware h100-sxm --model llama-3.1-8b --gpus 1 --precision fp8
                     [--kv-precision fp8] --input-tokens 1000 --output-tokens 1000
                     --concurrency 50 [--usd-per-gpu-hour 2]
                     [--tp N] [--ep N] [--dp-attention] [--pp N] [--ideal]
                     [--tpot-target-ms MS] [--mtp] [--draft-tokens K] [--acceptance A]
                     [--draft-params N] [--draft-active N] [--disaggregated] [--json]

Prints the time per output token (``tpot_s``), TTFT, throughput, the running
batch under the memory wall, the cost per million input and output tokens,
the article's max at the same batch and mean context, and each term of the
estimate (see :mod:`roofline.serving`), in the parallel layout the flags give
(by default what the engines launch for that model and count).

Beside the time per output token it prints the estimate's band
(:mod:`roofline.band`): where published servers of the same regime (model
family and scale) landed, held out, 10th to 90th percentile, as an interval
of time per output token, and which errors built it when the regime has too
few; ``--json`` gives it as ``tpot_s_low``, ``tpot_s_high`` and ``regime``
(with ``band_from``, ``band_fallback``, ``band_qualifies``, ``band_points``,
``band_sources`` and ``band_quantiles``).

``--tpot-target-ms MS`` also chooses the batch to run: the largest up to the
memory wall whose time per output token meets the target (``chosen_batch``,
null when not even one sequence does), and names what binds it
(``binding_limit``: ``latency`` or ``memory``); ``--concurrency`` may then be
left out, and the estimate is shown at the chosen batch (at 1 when none
meets the target). Without a target ``chosen_batch`` is the running batch and
``binding_limit`` is ``memory`` when the wall caps the concurrency, else
``concurrency``. ``--mtp`` (DeepSeek-V3's cited multi-token prediction) or
``--draft-tokens K`` with ``--acceptance A`` add speculative decoding.

Bad input (a layout that cannot run the model on ``--gpus`` chips among
it): one line on stderr, exit 2. A deployment that does not fit: exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .. import band, presets, serving, sizing
from ..units import format_batch, format_number, format_percent, format_time, format_usd
from . import args as flags

__all__ = ["serving_main"]


def _parser() -> argparse.ArgumentParser:
    parser = flags.Parser(
        prog="roofline serving",
        description="A serving estimate: the article's lines at attainable rates plus overhead, communication and prefill.",
    )
    flags.add_option(parser, "--hardware", required=True, metavar="KEY", help="hardware preset")
    flags.add_option(parser, "--model", required=True, metavar="KEY", help="model preset")
    flags.add_option(
        parser, "--gpus", type=flags.whole_count, default=1, metavar="N", help="how many chips (default 1)"
    )
    flags.add_option(
        parser, "--precision", metavar="KEY", help=f"weights and math: {', '.join(presets.WEIGHT_PRECISIONS)}"
    )
    flags.add_option(parser, "--kv-precision", default="bf16", metavar="KEY", help="KV cache precision (default bf16)")
    flags.add_option(parser, "--input-tokens", type=flags.whole_count, required=True, metavar="N", help="prompt tokens")
    flags.add_option(
        parser,
        "--output-tokens",
        type=flags.whole_count,
        required=True,
        metavar="N",
        help="tokens generated per request",
    )
    flags.add_option(
        parser,
        "--concurrency",
        type=flags.whole_count,
        metavar="N",
        help="requests kept in flight (required unless --tpot-target-ms is given)",
    )
    flags.add_option(
        parser, "--usd-per-gpu-hour", type=flags.quantity, default=2.0, metavar="USD", help="price (default 2)"
    )
    flags.add_layout_flags(parser)
    flags.add_target_flag(parser, "; chooses the batch to run")
    flags.add_speculation_flags(parser.add_argument_group("speculative decoding"))
    parser.add_argument("--disaggregated", action="store_true", help="prefill runs on other chips")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _band_text(b: band.TpotBand) -> str:
    """``band 5.2 ms to 7.4 ms, dense, one GPU`` and, when it falls back, from what and whether that is enough."""
    text = (
        f"band {format_time(b.tpot_s_low)} to {format_time(b.tpot_s_high)} "
        f"({band.percentile_span()} of held-out errors, {b.regime.label}"
    )
    if b.fallback:
        text += f"; too few in this regime, so those of {b.band.label}"
    if not b.band.qualifies:
        text += f", itself only {b.band.points} points from {b.band.sources} sources: not to be trusted"
    return text + ")"


def _rows(e: serving.Estimate, chosen: int | None, limit: str, target_s: float | None) -> list[tuple[str, str]]:
    t = e.terms
    d = e.deployment
    source = "chosen" if d.layout is not None else "the engines' default"
    rows = [("layout", f"{e.layout.describe()} ({e.layout.key}, {source})")]
    factor = serving.stack_factor(d)
    if factor != 1.0:
        rows.append(
            (
                "software stack",
                f"{presets.SOFTWARE_STACKS[d.hardware.software_stack]}: memory, compute, overhead and drafting × "
                f"{format_number(factor, 3)} (fitted on the published runs on that stack)",
            )
        )
    if e.speculation is not None:
        rows.append(
            (
                "speculation",
                f"{e.speculation.draft_tokens} drafted, acceptance {format_percent(e.speculation.acceptance)}: "
                f"{format_number(t.tokens_per_step, 3)} tokens per step",
            )
        )
    if target_s is not None:
        rows.append(("latency target", f"{format_time(target_s)} per token"))
        if chosen is None:
            rows.append(("batch to run", "none: not even one sequence meets the target"))
        else:
            rows.append(("batch to run", f"{format_batch(chosen)} ({limit} binds)"))
    rows += [
        ("time per output token", f"{format_time(e.tpot_s)}  {_band_text(band.band_of(e))}"),
        ("time to first token", format_time(e.ttft_s)),
        ("output tokens/s (all users)", format_number(e.output_tokens_per_s, 4)),
        ("output tokens/s per user", format_number(e.tokens_per_s_per_user, 4)),
        ("running batch", f"{e.running_batch} of {e.concurrency} requested (memory wall {e.capacity_batch})"),
        ("mean context", f"{format_number(e.mean_context_tokens, 5)} tokens"),
        ("$ per million input tokens", format_usd(e.usd_per_million_input_tokens)),
        ("$ per million output tokens", format_usd(e.usd_per_million_output_tokens)),
        ("the article's max alone", format_time(e.article_step_s)),
        ("  weights", format_time(t.weights_s)),
        ("  KV cache", format_time(t.kv_s)),
        ("  compute", format_time(t.compute_s)),
        ("  overhead", format_time(t.overhead_s)),
        ("  communication", format_time(t.communication_s)),
        ("  prefill share", format_time(t.prefill_s)),
    ]
    if e.speculation is not None:
        rows.append(("  drafting", format_time(t.draft_s)))
    return rows


def serving_main(argv: Sequence[str]) -> int:
    """Run ``roofline serving``; returns the exit status."""
    args = _parser().parse_args(list(argv))
    try:
        if args.usd_per_gpu_hour < 0:
            raise ValueError(f"--usd-per-gpu-hour must be >= 0, got {args.usd_per_gpu_hour!r}")
        target_s = flags.target_s_from_flags(args)
        if args.concurrency is None and target_s is None:
            raise ValueError("--concurrency is required unless --tpot-target-ms chooses the batch")
        speculation = flags.speculation_from_flags(args)
        sized = sizing.size(
            args.hardware,
            args.model,
            gpus=args.gpus,
            precision=args.precision,
            kv_precision=args.kv_precision,
            input_tokens=args.input_tokens,
            output_tokens=args.output_tokens,
            concurrency=args.concurrency,
            target_s=target_s,
            usd_per_gpu_hour=args.usd_per_gpu_hour,
            layout=flags.layout_from_flags(args, args.gpus),
            disaggregated=args.disaggregated,
            speculation=speculation,
        )
    except serving.DoesNotFit as exc:
        # As the main command does: a deployment that does not fit is an answer (status 1), not bad input.
        print(f"roofline serving: {exc}", file=sys.stderr)
        return flags.DOES_NOT_FIT
    except ValueError as exc:
        print(f"roofline serving: error: {exc}", file=sys.stderr)
        return flags.BAD_INPUT
    # The same object the compare page exports for a deployment (roofline.sizing).
    if args.json:
        print(json.dumps(sized.as_dict(), indent=2))
        return 0
    e, chosen, limit = sized.estimate, sized.chosen_batch, sized.binding_limit
    print(e.deployment.describe().rsplit(", L =", 1)[0])
    rows = _rows(e, chosen, limit, target_s)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0
