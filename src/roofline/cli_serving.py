"""``roofline serving``: the serving estimate for a preset deployment and workload.

Usage:
    roofline serving --hardware h100-sxm --model llama-3.1-8b --gpus 1 --precision fp8
                     [--kv-precision fp8] --input-tokens 1000 --output-tokens 1000
                     --concurrency 50 [--usd-per-gpu-hour 2] [--parallelism tp|ep]
                     [--disaggregated] [--json]

Prints the time per output token (``tpot_s``), TTFT, throughput, the running
batch under the memory wall, the cost per million input and output tokens,
the article's max at the same batch and mean context, and each term of the
estimate (see :mod:`roofline.serving`). Bad input: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import presets, serving
from .cli_args import BAD_INPUT, DOES_NOT_FIT, Once, Parser, quantity, whole_count
from .units import format_number, format_time, format_usd

__all__ = ["serving_main"]



def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="roofline serving",
        description="A serving estimate: the article's lines at attainable rates plus overhead, communication and prefill.",
    )
    parser.add_argument("--hardware", required=True, action=Once, metavar="KEY", help="hardware preset")
    parser.add_argument("--model", required=True, action=Once, metavar="KEY", help="model preset")
    parser.add_argument("--gpus", type=whole_count, default=1, action=Once, metavar="N", help="how many chips (default 1)")
    parser.add_argument(
        "--precision", action=Once, metavar="KEY", help=f"weights and math: {', '.join(presets.WEIGHT_PRECISIONS)}"
    )
    parser.add_argument(
        "--kv-precision", default="bf16", action=Once, metavar="KEY", help="KV cache precision (default bf16)"
    )
    parser.add_argument("--input-tokens", type=whole_count, required=True, action=Once, metavar="N", help="prompt tokens")
    parser.add_argument(
        "--output-tokens", type=whole_count, required=True, action=Once, metavar="N", help="tokens generated per request"
    )
    parser.add_argument(
        "--concurrency", type=whole_count, required=True, action=Once, metavar="N", help="requests kept in flight"
    )
    parser.add_argument(
        "--usd-per-gpu-hour", type=quantity, default=2.0, action=Once, metavar="USD", help="price (default 2)"
    )
    parser.add_argument(
        "--parallelism", choices=serving.PARALLELISMS, action=Once, help="tp or ep (default: ep only across nodes)"
    )
    parser.add_argument("--disaggregated", action="store_true", help="prefill runs on other chips")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _rows(e: serving.Estimate) -> list[tuple[str, str]]:
    t = e.terms
    return [
        ("time per output token", format_time(e.tpot_s)),
        ("time to first token", format_time(e.ttft_s)),
        ("output tokens/s (all users)", format_number(e.output_tokens_per_s, 4)),
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


def serving_main(argv: Sequence[str]) -> int:
    """Run ``roofline serving``; returns the exit status."""
    args = _parser().parse_args(list(argv))
    try:
        if args.usd_per_gpu_hour < 0:
            raise ValueError(f"--usd-per-gpu-hour must be >= 0, got {args.usd_per_gpu_hour!r}")
        e = serving.estimate(
            args.hardware,
            args.model,
            gpus=args.gpus,
            precision=args.precision,
            kv_precision=args.kv_precision,
            input_tokens=args.input_tokens,
            output_tokens=args.output_tokens,
            concurrency=args.concurrency,
            usd_per_gpu_hour=args.usd_per_gpu_hour,
            parallelism=args.parallelism,
            disaggregated=args.disaggregated,
        )
    except serving.DoesNotFit as exc:
        # As the main command does: a deployment that does not fit is an answer (status 1), not bad input.
        print(f"roofline serving: {exc}", file=sys.stderr)
        return DOES_NOT_FIT
    except ValueError as exc:
        print(f"roofline serving: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.json:
        print(json.dumps(e.as_dict(), indent=2))
        return 0
    print(e.deployment.describe().rsplit(", L =", 1)[0])
    width = max(len(name) for name, _ in _rows(e))
    for name, value in _rows(e):
        print(f"{name:<{width}}  {value}")
    return 0
