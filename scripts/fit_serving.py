"""Refit the serving estimate, print its held-out error per regime for each protocol, its band and the band's coverage.

Usage:
    .venv/bin/python scripts/fit_serving.py [--data src/roofline/data/published]

Fits :data:`roofline.serving.FITTED`'s free constants on every published
source (each source weighted equally; points with speculative decoding
fit only the acceptance of runs that state none:
:func:`roofline.calibration.fit`) and prints them beside the committed ones. Then, for each protocol (leave
one source, one engine, one chip out: every source of the group held out
together), the held-out error ``estimated / measured − 1`` of ``tpot_s``
tabled by family, scale, chip, engine and speculation: points, sources, the signed
median (negative: the estimate is too fast) and the absolute median, with
``few`` where a row has fewer points or sources than a band needs. Then the
band table (:func:`roofline.calibration.bands` on the leave-one-source-out
errors) as the Python that :data:`roofline.band.BANDS` must equal, and the
band's coverage: for each source, the band built without it and the share
of its points inside. No number here is measured on the points it was
fitted to.
"""

from __future__ import annotations

import argparse

from roofline import band, calibration, serving
from roofline.units import format_percent

_PROTOCOL_NAMES = {"source": "leave one source out", "engine": "leave one engine out", "chip": "leave one chip out"}


def _print_tables(rows: tuple[calibration.GroupHeldOut, ...]) -> None:
    for by in calibration.TABLE_KEYS:
        print(f"  by {by}:")
        print(f"    {'regime':<40} {'points':>6} {'sources':>7} {'signed':>9} {'abs':>9}")
        for r in calibration.regime_table(rows, by):
            flag = "  few" if r.thin else ""
            print(
                f"    {r.label[:40]:<40} {r.points:>6} {r.sources:>7} {format_percent(r.signed_median_error):>9} "
                f"{format_percent(r.median_abs_error):>9}{flag}"
            )


def _py(value: object) -> str:
    """A value as the committed module writes it (strings in double quotes, as ruff formats them)."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _bands_source(table: tuple[band.Band, ...], on: list[str]) -> str:
    lines = ["BANDS_ON: tuple[str, ...] = ("]
    lines += [f"    {_py(source)}," for source in sorted(on)]
    lines += [")", "", "BANDS: tuple[Band, ...] = ("]
    for b in table:
        lines.append(
            f"    Band(family={_py(b.family)}, scale={_py(b.scale)}, points={b.points}, sources={b.sources}, "
            f"low_error={b.low_error!r}, high_error={b.high_error!r}),"
        )
    lines.append(")")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder of published JSON (default src/roofline/data/published)")
    args = parser.parse_args()
    points = calibration.load(args.data)
    fits = calibration.fits_without(points)
    fitted = fits(frozenset())
    sources = sorted({p.source.id for p in points})
    print("fitted on every source (each source weighted equally; speculative points fit only the unstated acceptance):")
    for name in (*calibration.FIT_BOUNDS, "unstated_acceptance"):
        print(f"  {name} = {getattr(fitted, name)!r}  (committed {getattr(serving.FITTED, name)!r})")
    publishers = sorted({p.source.publisher for p in points if p.source.speculative is None})
    print(f"  sources: {', '.join(sources)}")
    print(f"  publishers fitted on: {'; '.join(publishers)}")
    print()
    print("leave one source out, per source:")
    print(f"  {'held-out source':<34} {'layout':<16} {'points':>6} {'estimate':>9} {'article':>9}")
    loso = calibration.leave_one_source_out(points, fits=fits)
    for row in loso:
        print(
            f"  {row.source.id:<34} {row.source.layout.key:<16} {row.points:>6} "
            f"{format_percent(row.median_abs_error):>9} {format_percent(row.article_median_abs_error):>9}"
        )
    print()
    for protocol in calibration.PROTOCOLS:
        print(f"{_PROTOCOL_NAMES[protocol]}: held-out estimated / measured - 1 of tpot_s")
        try:
            rows = calibration.leave_one_group_out(points, protocol, fits=fits)
        except ValueError as exc:
            print(f"  not run: {exc}")
            print()
            continue
        _print_tables(rows)
        print()
    table = calibration.bands(calibration.leave_one_group_out(points, "source", fits=fits))
    print(
        f"the band: {band.percentile_span()} of the leave-one-source-out "
        f"errors, each source weighted equally; a regime needs {band.MIN_POINTS} points from "
        f"{band.MIN_SOURCES} sources, else its family's, else every regime's"
    )
    same = table == band.BANDS and tuple(sources) == band.BANDS_ON
    print(f"  (roofline.band.BANDS is {'this' if same else 'NOT this: paste it in src/roofline/band.py'})")
    print(_bands_source(table, sources))
    print()
    coverage = calibration.band_coverage(points, fits=fits)
    print("the band's coverage: for each source, the band built without it, and the share of its points inside")
    print(f"  {'source':<34} {'regime':<22} {'band from':<22} {'points':>6} {'inside':>7}")
    for c in coverage:
        flag = "" if c.band.qualifies else " (too few: flagged)"
        print(
            f"  {c.source.id:<34} {c.regime.label:<22} {c.band.label + flag:<22} {c.points:>6} "
            f"{format_percent(c.share):>7}"
        )
    if coverage:
        total = calibration.coverage_summary(coverage)
        print(
            f"  every point: {format_percent(total.share)} of {total.points}; mean over {total.sources} sources: "
            f"{format_percent(total.mean_source_share)}; nominal {format_percent(total.nominal)}"
        )
    else:
        print("  not run: it needs at least three sources")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
