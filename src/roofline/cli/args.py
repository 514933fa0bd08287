"""The command line's parsing rules, shared by every subcommand: one-line errors, each option once, SI numbers.

>>> quantity("32Ki")
32768.0
>>> whole_count("8")
8
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .. import frontier as fr
from .. import speculative as spec
from ..deployment.layout import IDEAL, Layout
from ..units import parse_si

__all__ = [
    "BAD_INPUT",
    "DOES_NOT_FIT",
    "Once",
    "Parser",
    "add_layout_flags",
    "add_option",
    "add_speculation_flags",
    "add_target_flag",
    "layout_from_flags",
    "quantity",
    "speculation_from_flags",
    "target_s_from_flags",
    "whole_count",
]

#: Exit status when the deployment asked about does not fit in its memory (the report says why).
DOES_NOT_FIT = 1
#: Exit status for input the command refuses.
BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage dump: the message already names the option.
        self.exit(BAD_INPUT, f"roofline: error: {message}\n")


class Once(argparse.Action):
    """Store an option's value, refusing the option a second time: with two
    values for one quantity it is unclear which the user meant."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        given = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            raise argparse.ArgumentError(self, "given more than once; give each option once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def add_option(
    group: argparse._ActionsContainer,
    flag: str,
    *,
    metavar: str,
    help: str,
    type: Callable[[str], object] | None = None,
    default: object = None,
    required: bool = False,
) -> None:
    """Add ``flag``: an option that takes one value (read by ``type``) and may be given once (:class:`Once`).

    >>> parser = Parser(prog="roofline")
    >>> add_option(parser, "--gpus", type=whole_count, default=1, metavar="N", help="chips")
    >>> parser.parse_args(["--gpus", "2K"]).gpus, parser.parse_args([]).gpus
    (2000, 1)
    """
    group.add_argument(flag, type=type, action=Once, default=default, required=required, metavar=metavar, help=help)


def quantity(text: str) -> float:
    """``text`` as a number with an optional SI prefix (``200G``, ``128Ki``), for argparse."""
    try:
        return parse_si(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def whole_count(text: str) -> int:
    """``text`` as a whole number >= 1 (``2K`` is 2,000), for argparse."""
    value = quantity(text)
    if value != int(value) or value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 1")
    return int(value)


def add_layout_flags(parser: argparse.ArgumentParser) -> None:
    """The parallel-layout flags, as the engines spell them (:mod:`roofline.deployment.layout`)."""
    group = parser.add_argument_group("the parallel layout (default: what the engines launch for that model and count)")
    add_option(group, "--tp", type=whole_count, metavar="N", help="tensor-parallel chips per stage")
    add_option(group, "--ep", type=whole_count, metavar="N", help="expert-parallel chips (MoE only)")
    add_option(group, "--pp", type=whole_count, metavar="N", help="pipeline stages")
    group.add_argument(
        "--dp-attention",
        action="store_true",
        help="data-parallel attention: attention and the non-expert weights copied on every chip, KV split by request",
    )
    group.add_argument(
        "--ideal",
        action="store_true",
        help="the article's even split: nothing copied, no collectives (an idealisation)",
    )


def layout_from_flags(args: argparse.Namespace, gpus: int) -> Layout | None:
    """The layout the flags ask for, or None (the engines' default) when none is given.

    ``--tp`` defaults to ``gpus / pp``; a layout that cannot run is refused
    later, by the deployment, with the reason.

    Raises:
        ValueError: for ``--ideal`` beside a size, or sizes that leave no whole TP.
    """
    sizes = {name: getattr(args, name) for name in ("tp", "ep", "pp")}
    given = [f"--{name}" for name, value in sizes.items() if value is not None]
    if args.dp_attention:
        given.append("--dp-attention")
    if args.ideal:
        if given:
            raise ValueError(f"--ideal is the even split; it takes no {given[0]}")
        return IDEAL
    if not given:
        return None
    pp = sizes["pp"] or 1
    tp = sizes["tp"]
    if tp is None:
        if gpus % pp:
            raise ValueError(f"--pp {pp} does not divide --gpus {gpus}: each stage needs the same number of chips")
        tp = gpus // pp
    return Layout(tp=tp, ep=sizes["ep"] or 1, pp=pp, dp_attention=args.dp_attention)


def add_target_flag(group: argparse._ActionsContainer, note: str = "(default: no target)") -> None:
    """``--tpot-target-ms``: the latency target that chooses the batch to run."""
    add_option(
        group,
        "--tpot-target-ms",
        type=quantity,
        metavar="MS",
        help=f"latency target: the most milliseconds one output token may take {note}",
    )


def target_s_from_flags(args: argparse.Namespace) -> float | None:
    """``--tpot-target-ms`` in seconds, or None without a target.

    Raises:
        ValueError: for a target of 0 or less, or above :data:`roofline.frontier.MAX_TARGET_S`.
    """
    ms = args.tpot_target_ms
    if ms is None:
        return None
    if not 0 < ms <= fr.MAX_TARGET_S * 1e3:
        raise ValueError(
            f"--tpot-target-ms must be more than 0 and at most {fr.MAX_TARGET_S * 1e3:,.0f} milliseconds "
            f"(an hour per token), got {ms:g}"
        )
    return fr.check_target_s(ms / 1e3)


def add_speculation_flags(group: argparse._ActionsContainer) -> None:
    """The drafter's flags: ``--draft-tokens``, ``--acceptance``, ``--draft-params``, ``--draft-active``, ``--mtp``."""
    add_option(
        group, "--draft-tokens", type=whole_count, metavar="K", help="speculative decoding: K drafted tokens per step"
    )
    add_option(
        group,
        "--acceptance",
        type=quantity,
        metavar="A",
        help=f"probability each drafted token is accepted, 0 to 1 (default {spec.DEFAULT_ACCEPTANCE.acceptance:g}: "
        "DeepSeek-V3's MTP, technical report section 5.4.3)",
    )
    add_option(
        group,
        "--draft-params",
        type=quantity,
        metavar="N",
        help="parameters the drafter reads per drafted token (default 0, or the MTP module's with --mtp)",
    )
    add_option(
        group,
        "--draft-active",
        type=quantity,
        metavar="N",
        help="parameters each drafted token multiplies through (default 0, or the MTP module's with --mtp)",
    )
    group.add_argument(
        "--mtp",
        action="store_true",
        help="DeepSeek-V3's multi-token prediction: 1 drafted token, its cited acceptance and module size",
    )


def speculation_from_flags(args: argparse.Namespace) -> spec.Speculation | None:
    """The drafter the flags describe, or None without ``--draft-tokens`` or ``--mtp``.

    ``--mtp`` fills what is not given from DeepSeek-V3's cited MTP module
    (:data:`roofline.speculative.DEFAULT_ACCEPTANCE`); ``--draft-tokens``
    alone drafts for free (no drafter weights).

    Raises:
        ValueError: for a drafter figure without a drafter, or one the speculation refuses.
    """
    if not args.mtp and args.draft_tokens is None:
        extras = [
            flag
            for flag, value in (
                ("--acceptance", args.acceptance),
                ("--draft-params", args.draft_params),
                ("--draft-active", args.draft_active),
            )
            if value is not None
        ]
        if extras:
            raise ValueError(f"{extras[0]} needs --draft-tokens K or --mtp: it describes a drafter")
        return None
    figure = spec.DEFAULT_ACCEPTANCE
    return spec.Speculation(
        draft_tokens=args.draft_tokens if args.draft_tokens is not None else figure.draft_tokens,
        acceptance=args.acceptance if args.acceptance is not None else figure.acceptance,
        draft_params=args.draft_params if args.draft_params is not None else (figure.draft_params if args.mtp else 0.0),
        draft_active_params=(
            args.draft_active if args.draft_active is not None else (figure.draft_active_params if args.mtp else 0.0)
        ),
    )
