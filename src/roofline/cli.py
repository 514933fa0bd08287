"""``roofline`` on the command line: the model at one operating point.

Usage:
    roofline [--batch 128] [--n-active 8G] [--compute 80T] [--n-total 12G]
             [--bandwidth 200G] [--context 8192] [--kv-bytes 2] [--max-batch 2048] [--json]

Numbers take decimal SI suffixes (K M G T P E). Bad input (including an
option given twice) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .model import Params, evaluate
from .simulator import DEFAULT_STATE, State, crossover_text, explanation, readouts
from .units import format_si, parse_si

__all__ = ["main"]

# (flag, simulator key, Params field, unit for messages)
_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--batch", "B", "B, sequences decoded together"),
    ("--max-batch", "B_max", "largest batch shown in sweeps"),
    ("--n-active", "N_active", "N_active, parameters per token"),
    ("--compute", "C", "C, effective ops/s (FLOP/s ÷ 2)"),
    ("--n-total", "N_total", "N_total, parameters (bytes) read per step"),
    ("--bandwidth", "BW", "BW, memory bytes/s"),
    ("--context", "L", "L, context tokens per sequence"),
    ("--kv-bytes", "b", "b, bytes per KV element"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage dump: the message already names the option.
        self.exit(2, f"roofline: error: {message}\n")


class _Once(argparse.Action):
    """Store an option's value, refusing the option a second time: with two
    values for one quantity it is unclear which the user meant."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        given = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            raise argparse.ArgumentError(self, "given more than once; give each option once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def _quantity(text: str) -> float:
    try:
        return parse_si(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (defaults are the article's simulator defaults)."""
    parser = _Parser(
        prog="roofline",
        description="Decode-step time of an LLM as max(T_compute, T_memory), with the crossover batch B*.",
    )
    for flag, key, what in _OPTIONS:
        default = DEFAULT_STATE.value(key)
        parser.add_argument(
            flag,
            type=_quantity,
            action=_Once,
            default=default,
            metavar="N",
            help=f"{what} (default {format_si(default)})",
        )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--version", action="version", version=f"roofline {__version__}")
    return parser


def _params(args: argparse.Namespace) -> tuple[Params, float]:
    values = {key: getattr(args, flag[2:].replace("-", "_")) for flag, key, _ in _OPTIONS}
    params = Params(
        batch=values["B"],
        active_params=values["N_active"],
        compute_ops_per_s=values["C"],
        total_params=values["N_total"],
        bandwidth_bytes_per_s=values["BW"],
        context_tokens=values["L"],
        kv_bytes_per_element=values["b"],
    )
    max_batch = values["B_max"]
    if not max_batch >= 1:
        raise ValueError(f"max_batch must be >= 1 sequences, got {max_batch!r}")
    return params, max_batch


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        params, max_batch = _params(args)
        step = evaluate(params)
    except ValueError as exc:
        print(f"roofline: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(step.as_dict()))
        return 0
    state = State.of(params, max_batch)
    shown = readouts(state)
    rows = [
        ("bottleneck", shown["bottleneck"].text),
        ("crossover B*", crossover_text(step.crossover_batch)),
        ("latency T", shown["latency"].text),
        ("T_compute", shown["t_compute"].text),
        ("T_memory", shown["t_memory"].text),
        ("  weights N_total/BW", shown["t_weights"].text),
        ("  KV B·L·b/BW", f"{shown['t_kv'].text} ({shown['kv_share'].text} of T_memory)"),
        ("memory slope", f"{shown['memory_slope'].text} per sequence"),
        ("T_compute / T_memory", shown["compute_memory_ratio"].text),
    ]
    width = max(len(name) for name, _ in rows)
    for name, text in rows:
        print(f"{name:<{width}}  {text}")
    print()
    print(explanation(state))
    return 0
