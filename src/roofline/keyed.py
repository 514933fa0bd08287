"""Tables of records by their ``key``: building one, and looking a key up.

Every preset, scenario and cited figure is a frozen record with a ``key``
(the short name the command line and URLs use). A table of them is a dict
from key to record, written once with :func:`by_key` so that no record is
named twice and two records with one key are an error, not a silent loss.
:func:`look_up` is the one "unknown ...; choose one of: ..." message.

>>> from roofline.presets import KvPrecision
>>> table = by_key(KvPrecision(key="fp8", label="FP8", bytes_per_element=1.0))
>>> look_up(table, "FP8", "KV precision").bytes_per_element
1.0
>>> look_up(table, "fp4", "KV precision")
Traceback (most recent call last):
...
ValueError: unknown KV precision 'fp4'; choose one of: fp8
"""

from __future__ import annotations

from typing import Protocol, TypeVar

__all__ = ["by_key", "look_up"]


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


_R = TypeVar("_R", bound=_Keyed)


def by_key(*records: _R) -> dict[str, _R]:
    """``{record.key: record}`` in the order given; ValueError if two records share a key."""
    table: dict[str, _R] = {}
    for record in records:
        if record.key in table:
            raise ValueError(f"two records with the key {record.key!r}")
        table[record.key] = record
    return table


def look_up(table: dict[str, _R], key: str, kind: str) -> _R:
    """The record called ``key`` in ``table``, whatever its case (keys are lower case).

    Raises:
        ValueError: "unknown ``kind`` ...", listing the valid keys, when
            ``table`` has no such key (or ``key`` is not a string).
    """
    try:
        return table[key.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown {kind} {key!r}; choose one of: {', '.join(sorted(table))}") from None
