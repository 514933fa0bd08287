"""Time the site build: ``mkdocs build --strict`` from a cold process, N times.

Usage: python scripts/bench_build.py [--runs 5] [--json-out FILE]

Each run is a fresh ``python -m mkdocs build --strict`` into a new temp dir,
timed from process start to exit (imports, macros, the wheel check, copying
the vendored runtimes and the pre-render included). Prints a table and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0


def build_once() -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", scratch], cwd=ROOT, check=True, env=env
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds to time (default 5)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON here (e.g. docs/data/benchmarks/build.json)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    build_once()  # the first build may rebuild the wheel; time steady state
    times = [build_once() for _ in range(args.runs)]
    report = {
        "runs": args.runs,
        "cores": os.cpu_count(),
        "build_s": times,
        "median_s": statistics.median(times),
        "max_s": max(times),
        "target_s": TARGET_S,
        "met": statistics.median(times) <= TARGET_S,
    }
    print(
        f"mkdocs build --strict: median {report['median_s']:.2f} s, max {report['max_s']:.2f} s "
        f"over {args.runs} runs (target <= {TARGET_S:g} s: {'met' if report['met'] else 'NOT met'})"
    )
    text = json.dumps(report, indent=2)
    # Write first: the print may meet a closed pipe (`| head`).
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
