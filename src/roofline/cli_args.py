"""The command line's parsing rules, shared by every subcommand: one-line errors, each option once, SI numbers.

>>> quantity("32Ki")
32768.0
>>> whole_count("8")
8
"""

from __future__ import annotations

import argparse

from .units import parse_si

__all__ = ["BAD_INPUT", "DOES_NOT_FIT", "Once", "Parser", "quantity", "whole_count"]

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
