"""Compare two built sites file by file, to show that a structural change changed nothing.

Usage::

    python scripts/compare_builds.py OLD_SITE NEW_SITE [--ignore GLOB ...]

Build the site once at each commit (``mkdocs build --strict --site-dir DIR``),
then compare the two folders. Every file is compared byte for byte except the
precompressed copies (``FILE.gz``, ``FILE.br``): each is made from the file
beside it (``roofline_site.serve.compress``, cached by a key of that file's bytes), so
comparing the originals covers them. ``--ignore`` leaves out more paths
(``fnmatch`` patterns on the site-relative path); say why whenever you use it.

It prints what exists on one side only and what differs: a unified diff for
text, the differing members for a wheel or zip, the sizes otherwise. The exit
status is 0 when the two trees are identical and 1 when they are not.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import io
import sys
import zipfile
from pathlib import Path

#: Derived copies that are left out of the comparison (see the module docstring).
COMPRESSED_SUFFIXES = (".gz", ".br")
#: At most this many diff lines are printed per text file.
DIFF_LINES = 40


def site_files(root: Path, ignore: tuple[str, ...] = ()) -> dict[str, Path]:
    """Every compared file under ``root``, by its ``/``-separated path relative to ``root``."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or path.suffix in COMPRESSED_SUFFIXES:
            continue
        if any(fnmatch.fnmatch(relative, pattern) for pattern in ignore):
            continue
        found[relative] = path
    return found


def _zip_members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def describe(relative: str, old: bytes, new: bytes) -> list[str]:
    """Lines that say how one file differs between the two builds."""
    if relative.endswith((".whl", ".zip")):
        try:
            before, after = _zip_members_of(old), _zip_members_of(new)
        except zipfile.BadZipFile:
            before = after = None
        if before is not None and after is not None:
            names = sorted(set(before) | set(after))
            changed = [n for n in names if before.get(n) != after.get(n)]
            return [f"  member differs: {n}" for n in changed] or [
                "  same members, different archive bytes (dates, order)"
            ]
    try:
        before_text, after_text = old.decode("utf-8"), new.decode("utf-8")
    except UnicodeDecodeError:
        return [f"  binary: {len(old):,} bytes before, {len(new):,} after"]
    diff = list(
        difflib.unified_diff(
            before_text.splitlines(), after_text.splitlines(), f"old/{relative}", f"new/{relative}", lineterm="", n=1
        )
    )
    shown = [f"  {line[:200]}" for line in diff[:DIFF_LINES]]
    if len(diff) > DIFF_LINES:
        shown.append(f"  ... {len(diff) - DIFF_LINES} more diff lines")
    return shown


def compare(old_root: Path, new_root: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """The report, one line each; empty when every compared file is the same."""
    old, new = site_files(old_root, ignore), site_files(new_root, ignore)
    report = [f"only in {old_root}: {name}" for name in sorted(set(old) - set(new))]
    report += [f"only in {new_root}: {name}" for name in sorted(set(new) - set(old))]
    for name in sorted(set(old) & set(new)):
        before, after = old[name].read_bytes(), new[name].read_bytes()
        if before != after:
            report.append(f"differs: {name}")
            report += describe(name, before, after)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="the site built at the starting commit")
    parser.add_argument("new", type=Path, help="the site built at the commit to check")
    parser.add_argument("--ignore", action="append", default=[], metavar="GLOB", help="leave these paths out")
    args = parser.parse_args(argv)
    for root in (args.old, args.new):
        if not root.is_dir():
            parser.error(f"{root} is not a folder")
    report = compare(args.old, args.new, tuple(args.ignore))
    compared = len(site_files(args.old, tuple(args.ignore)))
    for line in report:
        print(line)
    extra = f", ignoring {', '.join(args.ignore)}" if args.ignore else ""
    if report:
        print(
            f"{sum(line.startswith(('differs', 'only')) for line in report)} differences among {compared} files{extra}"
        )
        return 1
    print(f"identical: {compared} files (precompressed .gz/.br copies not compared{extra})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
