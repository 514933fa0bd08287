"""The standard library a snapshot boot ships: Pyodide's ``python_stdlib.zip``, trimmed.

A plain boot needs the whole zip (2.5 MB on the wire). A snapshot boot needs
much less of it: the modules the snapshot has already imported live in the
heap as objects, so their sources are read again only to print a traceback's
lines; and a page running roofline under PyScript never imports a mail
client, a test runner or a terminal REPL. The trimmed zip drops both:

* (a) the file of every module already imported when the snapshot is made
  (frozen ones included: CPython runs those from its own binary), keeping the
  package folders' other files, so ``import json.tool`` still works;
* (b) what :data:`NOT_IN_A_PAGE` names.

Its entries are stored, not deflated: brotli over the whole archive finds the
repetition across files that per-file deflate cannot (on Pyodide 314.0.7's
library, 0.58 MB of brotli at quality 5 against 0.68 MB for the same files
deflated). Entries keep their order and dates, so the same input gives the
same bytes.

zipimport caches the archive's directory (names and offsets) in the heap, so
the snapshot must be restored with the very zip it was made with:
``scripts/make_snapshot.mjs`` swaps this zip in after its imports and
before the snapshot, and the metadata records its SHA-256.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NOT_IN_A_PAGE", "TrimmedStdlib", "module_files", "trim_stdlib"]

#: Parts of the standard library a page with roofline, PyScript and Pyodide
#: never imports: servers and network clients (no sockets in a browser), mail,
#: XML, processes, the terminal REPL and debugger, testing and profiling
#: tools, packaging and byte-compiling tools, Windows-only asyncio, the
#: legacy 8-bit and CJK code pages (text from the page is UTF-8 or UTF-16),
#: and the pure-Python twins of modules Pyodide has in C (``_pyio``,
#: ``_pydatetime``). A module of these is a ModuleNotFoundError after a
#: snapshot boot, and works as before after a plain boot, which loads the
#: whole zip. A regular expression over the names in the zip.
NOT_IN_A_PAGE = re.compile(
    r"""^(?:
      (?:email|multiprocessing|xml|xmlrpc|_pyrepl|unittest|http|wsgiref|sqlite3|__phello__|site-packages)/.*
    | (?:pdb|bdb|doctest|pydoc|tarfile|imaplib|poplib|smtplib|ftplib|mailbox|socketserver|netrc|shelve
       |pickletools|pstats|profile|cProfile|trace|tracemalloc|timeit|tabnanny|pyclbr|modulefinder
       |compileall|py_compile|zipapp|pty|tty|getpass|webbrowser|optparse|antigravity|this|__hello__
       |_pyio|_pydatetime)\.py
    | asyncio/(?:windows_events|windows_utils|proactor_events)\.py
    | concurrent/futures/process\.py
    | urllib/(?:request|robotparser)\.py
    | encodings/(?:cp\d+|mac_\w+|iso8859_\d+|koi8_\w|kz1048|ptcp154|tis_620|hp_roman8|palmos|mbcs|oem
       |big5\w*|euc_\w+|gb\w+|hz|iso2022_\w+|johab|shift_\w+)\.py
    )$""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrimmedStdlib:
    """What :func:`trim_stdlib` kept and dropped, by file name inside the zip."""

    kept: tuple[str, ...]
    imported: tuple[str, ...]
    not_in_a_page: tuple[str, ...]


def module_files(modules: Iterable[str]) -> set[str]:
    """The names a module's source may have inside the zip, for each module.

    >>> sorted(module_files(["json", "os"]))
    ['json.py', 'json/__init__.py', 'os.py', 'os/__init__.py']
    """
    names = set()
    for module in modules:
        path = module.replace(".", "/")
        names |= {f"{path}.py", f"{path}/__init__.py"}
    return names


def trim_stdlib(full: Path, imported_modules: Iterable[str], out: Path) -> TrimmedStdlib:
    """Write ``out``: ``full`` less the imported modules' files and :data:`NOT_IN_A_PAGE`, stored.

    Args:
        full: Pyodide's ``python_stdlib.zip``.
        imported_modules: names in ``sys.modules`` once the snapshot's imports are done.
        out: where the trimmed zip goes.
    """
    imported = module_files(imported_modules)
    kept: list[str] = []
    dropped_imported: list[str] = []
    dropped_page: list[str] = []
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name = info.filename
            if name in imported:
                dropped_imported.append(name)
                continue
            if NOT_IN_A_PAGE.match(name):
                dropped_page.append(name)
                continue
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.external_attr = info.external_attr
            entry.compress_type = zipfile.ZIP_STORED
            target.writestr(entry, source.read(info))
            kept.append(name)
    return TrimmedStdlib(kept=tuple(kept), imported=tuple(dropped_imported), not_in_a_page=tuple(dropped_page))
