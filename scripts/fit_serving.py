"""Refit the serving estimate's constants and print the leave-one-source-out table.

Usage:
    .venv/bin/python scripts/fit_serving.py [--data docs/data/published]

Fits :data:`roofline.serving.FITTED`'s free constants on every published
source (each source weighted equally), prints them (to compare with the
committed ones), then for each source fits on the others and prints its
layout and its held-out median |error| of ``tpot_s`` beside the article's
max alone on the same points.
"""

from __future__ import annotations

import argparse

from roofline import calibration, serving
from roofline.units import format_percent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder of published JSON (default docs/data/published)")
    args = parser.parse_args()
    points = calibration.load(args.data)
    fitted = calibration.fit(points)
    print("fitted on all sources:")
    for name in calibration.FIT_BOUNDS:
        print(f"  {name} = {getattr(fitted, name)!r}  (committed {getattr(serving.FITTED, name)!r})")
    print(f"  sources: {', '.join(sorted({p.source.id for p in points}))}")
    print()
    print(f"{'held-out source':<34} {'layout':<16} {'points':>6} {'estimate':>9} {'article':>9}")
    rows = calibration.leave_one_source_out(points)
    for row in rows:
        print(
            f"{row.source.id:<34} {row.source.layout.key:<16} {row.points:>6} {format_percent(row.median_abs_error):>9} "
            f"{format_percent(row.article_median_abs_error):>9}"
        )
    pooled = calibration.pooled_held_out(rows)
    print(
        f"{'all held-out points':<34} {'':<16} {sum(r.points for r in rows):>6} "
        f"{format_percent(pooled.median_abs_error):>9} "
        f"{format_percent(pooled.article_median_abs_error):>9}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
