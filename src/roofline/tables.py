"""Record tables read from TOML data files: each file beside the module that builds its records.

The presets (``presets/chips.toml``, ``models.toml``, ``precisions.toml``),
the explainer's price steps (``price_steps.toml``) and the published
acceptance figures (``acceptance_figures.toml``) are data, not code: one
``[[table]]`` entry per record, its fields by name. The module beside the
file builds the same frozen records it always did, through the record type's
own constructor (``Hardware.cited``, ``Model.cited``, or the dataclass) and
:func:`roofline.keyed.by_key`, in the order the file writes them. The
simulator's sliders (``web/controls.toml``, :func:`roofline.web.controls.sliders`)
are read with :func:`read` and :func:`beside` too; they are settings of the
page, not cited figures, so the citation rules below do not apply to them.

The rules a file follows:

* ``field = [value, "source"]``: a cited figure, the number with where it
  comes from beside it (the record's ``citations`` gets ``(field, source)``,
  in the order written). In a table built with ``figures``, each of those
  fields that is given must be written so, with a source that is not empty.
* ``"field_a, field_b" = [[value_a, value_b], "source"]``: one source for
  several fields (the citation keeps the joint name).
* ``["none", "source"]``: TOML has no null, so a cited value of the string
  ``"none"`` is Python's None (a chip with no FP8 unit says why it has none).
  A figure nobody gives is left out and takes its default.
* Any other ``field = value`` is passed on as it is. Integers stay ``int`` and
  numbers written with a point or an exponent are ``float``, as in Python.

A file with a field the record type does not have, a required field missing,
or a figure without its source is a ValueError that names the file and the
record's key.

The files are found beside their modules with :mod:`os.path` (:func:`beside`,
which :func:`roofline.data.published_directory` uses for its folder too), not with
:mod:`importlib.resources` or :mod:`pathlib`: the presets import this module,
and the simulator's snapshot holds every module the presets import. They ship
in the wheel as package data (``pyproject.toml``).

>>> from roofline.presets import KvPrecision
>>> sorted(fields_of(KvPrecision))
['bytes_per_element', 'key', 'label']
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable
from typing import Any, TypeVar

from .keyed import by_key

__all__ = ["NONE", "beside", "cited_fields", "fields_of", "read", "record", "records"]

#: The cited value that stands for None (TOML has no null).
NONE = "none"

_R = TypeVar("_R")


def beside(module_file: str, name: str) -> str:
    """The path of the data file ``name`` in the folder of ``module_file`` (a module's ``__file__``)."""
    return os.path.join(os.path.dirname(os.path.abspath(module_file)), name)


def read(path: str) -> dict[str, Any]:
    """The TOML file at ``path``, parsed."""
    with open(path, "rb") as file:
        return tomllib.load(file)


def fields_of(kind: type) -> dict[str, bool]:
    """``{field: required}`` for the dataclass ``kind``: required when it has no default."""
    return {
        field.name: field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        for field in dataclasses.fields(kind)
    }


def cited_fields(fields: dict[str, object]) -> tuple[dict[str, object], tuple[tuple[str, str], ...]]:
    """Split ``field=(value, where)`` pairs into the values and the ``(field, where)`` citations, in order.

    Any other argument is a value as it is. A name of several fields joined by
    ", " takes a tuple of their values and cites them under the joint name.

    >>> cited_fields({"key": "x", "memory_bytes": (80e9, "X datasheet"), "a, b": ((1, 2), "both")})
    ({'key': 'x', 'memory_bytes': 80000000000.0, 'a': 1, 'b': 2}, (('memory_bytes', 'X datasheet'), ('a, b', 'both')))
    """
    values: dict[str, object] = {}
    citations: list[tuple[str, str]] = []
    for name, given in fields.items():
        if isinstance(given, tuple):
            value, where = given
            names = name.split(", ")
            values.update(zip(names, value, strict=True) if len(names) > 1 else [(name, value)])
            citations.append((name, where))
        else:
            values[name] = given
    return values, tuple(citations)


def records(
    path: str,
    table: str,
    kind: type[_R],
    make: Callable[..., _R] | None = None,
    figures: tuple[str, ...] = (),
) -> dict[str, _R]:
    """``{key: record}`` for each ``[[table]]`` entry of the TOML file at ``path``, in the file's order.

    Each entry is made with ``make`` (by default ``kind`` itself) from its
    fields, cited ones as ``(value, where)`` pairs (see the module's rules);
    ``figures`` are the fields that must be cited when given.

    Raises:
        ValueError: naming ``path`` and the record's key, for an entry with no
            key, a field ``kind`` lacks, a required field missing, a figure
            without its source, or a value the record refuses; or for two
            entries with one key.
    """
    entries = read(path).get(table)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: no [[{table}]] records")
    try:
        return by_key(*(_record(path, table, entry, kind, make, figures) for entry in entries))
    except ValueError as error:
        if str(error).startswith(path):
            raise
        raise ValueError(f"{path}: [[{table}]]: {error}") from None


def record(path: str, table: str, kind: type[_R], make: Callable[..., _R] | None = None) -> _R:
    """The one record the ``[table]`` of the TOML file at ``path`` holds (see :func:`records`)."""
    entry = read(path).get(table)
    if not isinstance(entry, dict):
        raise ValueError(f"{path}: no [{table}] record")
    return _record(path, table, entry, kind, make, ())


def _record(
    path: str,
    table: str,
    entry: object,
    kind: type[_R],
    make: Callable[..., _R] | None,
    figures: tuple[str, ...],
) -> _R:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise ValueError(f"{path}: a [{table}] record has no key")
    key = entry["key"]
    where = f"{path}: [{table}] {key!r}"
    known = fields_of(kind)
    cites = "citations" in known
    given: dict[str, object] = {}
    for name, value in entry.items():
        for part in name.split(", "):
            if part not in known or part == "citations":
                raise ValueError(f"{where}: unknown field {part!r}")
        pair = isinstance(value, list) and len(value) == 2 and isinstance(value[1], str)
        if pair:
            if not cites:
                raise ValueError(f"{where}: {name} is written with a source, but {kind.__name__} keeps no citations")
            value, source = value
            if not source.strip():
                raise ValueError(f"{where}: {name} has an empty source")
            given[name] = (tuple(value) if isinstance(value, list) else None if value == NONE else value, source)
        elif name in figures:
            raise ValueError(f'{where}: {name} has no source (write it as [value, "where it comes from"])')
        else:
            given[name] = value
    named = {part for name in given for part in name.split(", ")}
    missing = [name for name, required in known.items() if required and name != "citations" and name not in named]
    if missing:
        raise ValueError(f"{where}: missing field {', '.join(missing)}")
    try:
        if make is not None:
            return make(**given)
        if cites:
            values, citations = cited_fields(given)
            return kind(**values, citations=citations)
        return kind(**given)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None
