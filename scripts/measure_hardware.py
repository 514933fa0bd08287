#!/usr/bin/env python3
"""Measure this machine's two ceilings and a decode-like step, and set the roofline model against them.

Usage: python scripts/measure_hardware.py [--quick] [--devices cpu,cuda] [--out-dir DIR] [--slug NAME]
                                          [--repeats N] [--warmup N] [--threads N] [--shared] [--note TEXT]

What it times (numpy on the CPU always; PyTorch on a CUDA GPU when one is present):

1. The ceilings, each the median of ``--repeats`` runs after ``--warmup`` runs:
   - a square matrix product, counted as 2·m·n·k FLOP;
   - a copy of a buffer several times the last-level cache (LLC), counted as
     bytes read plus bytes written;
   - on the CPU, a read-only stream over a buffer as large (a matrix-vector
     product), counted as bytes read: the step's memory ceiling, since a decode
     step reads its weights and KV cache and writes almost nothing.
   On the CPU every experiment is split over ``--threads`` worker threads (one
   per core by default), each running a single-threaded BLAS.
2. A decode-like step: a stack of weight matrices ``[d, d]``, together far
   larger than the LLC, applied in turn to a ``[d, B]`` activation, and in
   each layer a read of that layer's share of ``B · L · e`` bytes of KV cache
   (``e`` bytes per token per sequence, over all layers). On the CPU each
   worker multiplies its rows of a layer in blocks that fill half of one
   core's L2, one BLAS call per block, so every weight byte comes from memory
   once and the product reads it from L2; a barrier ends each layer.
3. On the CPU, each batch's in-cache twin: the same calls on the same
   activations, except that each worker multiplies one block of its own over
   and over, so the weights stay in L2. Its time is the step's arithmetic
   without the wait for memory: ``2·B·N_active`` over it is the step's own
   attainable FLOP/s, the model's C for that step (a thin product runs far
   below the square-product rate, and that is the library's, not overlap's).

The step is swept over B at a fixed L, then over L at a fixed B close to the
predicted crossover. Each point and each twin is timed ``--repeats`` times,
interleaved, so that a noisy neighbour spreads over all of them; the median
and the spread (min, max) are kept.

Then :mod:`roofline.measurement` predicts every step from the ceilings alone
(nothing fitted to the step times), with the article's T = max(T_compute,
T_memory) and with T = T_compute + T_memory, and reports each one's median
and worst relative error. The result goes to
``docs/data/measurements/<slug>.json`` and a table is printed. The GPU series
keep the square product and the copy as their ceilings.

Limits, stated in the output too:
- On a CPU the same cores run the arithmetic and issue the loads, so the two
  can overlap only partly: which of max or sum fits is a finding, not an input.
- Each block is a Python call into BLAS and each layer ends in a barrier: a
  few microseconds each, paid by the twin too (so they count as compute).
- A shared machine (``--shared``) makes every time noisier; the spread shows it.

numpy (and PyTorch for the GPU) are needed to measure, never to read the
results: the roofline package itself stays pure Python.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import itertools
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from roofline import measurement  # noqa: E402  (after the path tweak, so a fresh clone needs no install)

DEFAULT_OUT_DIR = ROOT / "docs" / "data" / "measurements"
MIB = 2**20
#: How many times the LLC (or GPU L2) the copy buffer and the weight stack each are.
CACHE_MULTIPLE = 4
#: Below this the LLC figure is not trusted as a size for "far beyond cache".
MIN_BEYOND_CACHE_BYTES = 512 * MIB
#: The KV read of the batch sweep's largest point, as a fraction of the weight bytes.
BATCH_SWEEP_KV_FRACTION = 0.25
#: The KV read of the context sweep's longest point, as a multiple of the weight bytes.
CONTEXT_SWEEP_KV_MULTIPLE = 1.0
#: The share of one core's L2 that one block of CPU step weights fills: the block is read from memory
#: once, then from L2 while the product runs, with room left for the activation and the output.
L2_BLOCK_SHARE = 0.5
#: Floats per row of the CPU read stream's matrix.
READ_ROW = 1024

CPU_LIMITS = (
    "On a CPU the same cores run the multiply-adds and issue the loads, so compute and memory overlap only "
    "partly; whether T = max or T = sum fits better is a finding of this run.",
    "C for each step is the rate of the step's own products on weights kept in cache, not the square "
    "product's: a thin [B, d] × [d, d] product runs far below the square rate in BLAS, and that is the "
    "library's shortfall, not a failure of overlap.",
    "BW is a read-only stream's rate, since the step reads and barely writes; a copy, counted as bytes read "
    "plus bytes written, runs faster on this kind of machine and would make every memory-bound step look slow.",
    "Each layer ends with a barrier across the threads, and every block is one Python call into BLAS: a "
    "few microseconds each, which the in-cache twin pays too, so they count as compute.",
)
GPU_LIMITS = (
    "Times come from CUDA events around the whole step; each layer launches its own kernels, so very short "
    "steps also pay launch gaps the model does not have.",
    "The KV read stays in bf16 in every series; the fp8 series quantises only the weights and activations.",
)


# --------------------------------------------------------------------------- machine description


def _read(path: str | Path) -> str | None:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def _lscpu() -> dict[str, str]:
    """``lscpu``'s fields as a dict (empty if lscpu is missing or fails)."""
    if not shutil.which("lscpu"):
        return {}
    try:
        out = subprocess.run(["lscpu", "-J"], capture_output=True, text=True, timeout=10, check=True).stdout
        return {item["field"].rstrip(":"): item["data"] for item in json.loads(out)["lscpu"] if "data" in item}
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return {}


def _size_bytes(text: str) -> int | None:
    """Parse a cache size such as ``307200K``, ``300 MiB`` or ``32 MB`` (binary units, as sysfs and lscpu mean)."""
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\b", text or "")
    if not match:
        return None
    scale = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}[match.group(2)]
    return int(float(match.group(1)) * scale)


def last_level_cache() -> dict:
    """Size of the last-level cache in bytes (all instances together) and where it came from.

    Reads /sys first, then ``lscpu``, and falls back to 32 MiB (said so in ``source``).
    """
    found: dict[tuple[int, str], int] = {}
    for index in Path("/sys/devices/system/cpu").glob("cpu[0-9]*/cache/index[0-9]*"):
        level, kind = _read(index / "level"), _read(index / "type")
        size, shared = _read(index / "size"), _read(index / "shared_cpu_list")
        if level and size and kind in ("Unified", "Data") and shared is not None:
            size_bytes = _size_bytes(size)
            if size_bytes:
                found[(int(level), shared)] = size_bytes
    if found:
        top = max(level for level, _ in found)
        instances = [size for (level, _), size in found.items() if level == top]
        return {"bytes": sum(instances), "level": top, "instances": len(instances), "source": "sysfs"}
    fields = _lscpu()
    for name in ("L3 cache", "L2 cache"):
        if name in fields:
            size = _size_bytes(fields[name])
            count = re.search(r"\((\d+) instances?\)", fields[name])
            if size:
                return {
                    "bytes": size,
                    "level": int(name[1]),
                    "instances": int(count.group(1)) if count else 1,
                    "source": "lscpu",
                }
    return {"bytes": 32 * MIB, "level": None, "instances": None, "source": "fallback: 32 MiB assumed"}


def blas_info(np) -> dict:  # type: ignore[no-untyped-def]
    """numpy's BLAS: name, version, configuration and the thread count it will use."""
    info: dict = {"name": None, "version": None, "config": None, "threads": None, "threads_source": None}
    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info.update(name=deps.get("name"), version=deps.get("version"), config=deps.get("openblas configuration"))
    except Exception as exc:  # show_config's layout varies across numpy versions
        info["config"] = f"unknown ({type(exc).__name__})"
    try:
        from threadpoolctl import threadpool_info

        pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
        if pools:
            info.update(threads=pools[0]["num_threads"], threads_source="threadpoolctl")
            return info
    except ImportError:
        pass
    maps = _read("/proc/self/maps") or ""
    libraries = sorted({line.split()[-1] for line in maps.splitlines() if "blas" in line})
    for library in libraries:
        try:
            lib = ctypes.CDLL(library)
        except OSError:
            continue
        for prefix, suffix in (
            ("scipy_openblas", "64_"),
            ("scipy_openblas", ""),
            ("openblas", "64_"),
            ("openblas", ""),
        ):
            getter = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            if getter is not None:
                getter.restype = ctypes.c_int
                info.update(threads=int(getter()), threads_source=f"{prefix}_get_num_threads{suffix}")
                corename = getattr(lib, f"{prefix}_get_corename{suffix}", None)
                if corename is not None:
                    corename.restype = ctypes.c_char_p
                    info["kernel"] = corename().decode()
                return info
    env = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
    info.update(threads=None, threads_source=f"unknown; environment {env or 'sets none'}")
    return info


def describe_cpu(np) -> dict:  # type: ignore[no-untyped-def]
    fields = _lscpu()
    model = fields.get("Model name")
    if not model:
        for line in (_read("/proc/cpuinfo") or "").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    model = model or platform.processor() or "unknown CPU"
    cores = len(
        {
            (_read(t / "physical_package_id"), _read(t / "core_id"))
            for t in Path("/sys/devices/system/cpu").glob("cpu[0-9]*/topology")
        }
    )
    meminfo = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo") or "")
    return {
        "cpu_model": model,
        "logical_cpus": os.cpu_count(),
        "physical_cores": cores or None,
        "hypervisor": fields.get("Hypervisor vendor"),
        "memory_bytes": int(meminfo.group(1)) * 1024 if meminfo else None,
        "llc": last_level_cache(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info(np),
    }


def _slug(text: str) -> str:
    text = re.sub(r"\((?:R|TM|C)\)", "", text, flags=re.IGNORECASE).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


#: GPU names (as torch reports them) whose datasheet figures are in roofline.presets.
DATASHEETS = ((re.compile(r"H100.*(SXM|HBM3)", re.IGNORECASE), "h100-sxm"),)


# --------------------------------------------------------------------------- timing


def median_spread(samples: Sequence[float]) -> dict:
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "samples_s": list(samples),
    }


def time_cpu(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeat(
    timer: Callable[[Callable[[], object]], float], fn: Callable[[], object], warmup: int, repeats: int
) -> list[float]:
    for _ in range(warmup):
        timer(fn)
    return [timer(fn) for _ in range(repeats)]


def interleaved(
    timer: Callable[[Callable[[], object]], float], fns: Sequence[Callable[[], object]], warmup: int, repeats: int
) -> list[list[float]]:
    """Time every function ``repeats`` times, round-robin, after ``warmup`` rounds."""
    for _ in range(warmup):
        for fn in fns:
            timer(fn)
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            samples[i].append(timer(fn))
    return samples


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- sweeps


def powers_of_two(low: int, high: int) -> list[int]:
    return [2**i for i in range(int(math.log2(low)), int(math.log2(high)) + 1)]


def nearest_power_of_two(value: float, low: int, high: int) -> int:
    exponent = round(math.log2(max(value, 1.0)))
    return int(min(max(2**exponent, low), high))


def plan_steps(
    ceilings: measurement.Ceilings,
    *,
    weight_params: int,
    weight_bytes: int,
    kv_bytes_per_token: int,
    batches: Sequence[int],
    context_points: int,
) -> dict:
    """Which (sweep, B, L) points to time. Uses the measured ceilings only to place the context
    sweep's batch near the predicted crossover, so that sweep starts near the knee."""
    batch_context = max(
        16, 2 ** math.floor(math.log2(weight_bytes * BATCH_SWEEP_KV_FRACTION / (max(batches) * kv_bytes_per_token)))
    )
    shape = measurement.StepShape(
        batch=1,
        weight_params=weight_params,
        weight_bytes=weight_bytes,
        context_tokens=batch_context,
        kv_bytes_per_token=kv_bytes_per_token,
    )
    crossover = measurement.predicted_crossover_batch(ceilings, shape)
    context_batch = nearest_power_of_two(crossover or max(batches), min(batches), max(batches))
    longest = weight_bytes * CONTEXT_SWEEP_KV_MULTIPLE / (context_batch * kv_bytes_per_token)
    longest = max(2 ** math.floor(math.log2(longest)), 2 ** (context_points - 1))
    contexts = [longest // 2**i for i in reversed(range(context_points))]
    points = [("batch", b, batch_context) for b in batches] + [("context", context_batch, L) for L in contexts]
    kv_capacity = max(b * L for _, b, L in points) * kv_bytes_per_token
    return {
        "points": points,
        "batches": sorted({b for _, b, _ in points}),
        "batch_sweep_context_tokens": batch_context,
        "context_sweep_batch": context_batch,
        "predicted_crossover_batch": crossover,
        "kv_capacity_bytes": kv_capacity,
    }


def step_record(
    sweep: str, batch: int, context: int, samples: Sequence[float], in_cache: Sequence[float] | None, flop: float
) -> dict:
    """One timed step; with ``in_cache`` (its twin's samples on cached weights), the step's
    attainable rate ``flop`` ÷ the twin's median time, in FLOP/s."""
    record = {"sweep": sweep, "batch": batch, "context_tokens": context, **median_spread(samples)}
    if in_cache is not None:
        twin = median_spread(in_cache)
        record.update(attainable_flops_per_s=flop / twin["median_s"], in_cache=twin)
    return record


# --------------------------------------------------------------------------- one series, whatever the device


def decode_series(
    *,
    key: str,
    title: str,
    device: str,
    library: str,
    dtype: str,
    matmul: dict,
    copy_rec: dict,
    datasheet: dict | None,
    layout: dict,
    plan: dict,
    samples: Sequence[Sequence[float]],
    limits: Sequence[str],
    read_rec: dict | None = None,
    in_cache: dict[int, Sequence[float]] | None = None,
) -> dict:
    """One series as it goes into the JSON file, with the core's predictions added.

    ``read_rec`` (a read-only stream) and ``in_cache`` (per batch, the step's products timed on cached
    weights) are optional: the GPU series measures neither, and the model then uses the copy and the
    square product.
    """
    ceilings = ceilings_of(matmul, copy_rec, read_rec)
    in_cache = in_cache or {}
    steps = [
        step_record(s, b, L, t, in_cache.get(b), 2 * b * layout["weight_params"])
        for (s, b, L), t in zip(plan["points"], samples, strict=True)
    ]
    series = {
        "key": key,
        "title": title,
        "device": device,
        "library": library,
        "dtype": dtype,
        "ceilings": {
            "matmul_flops_per_s": ceilings.matmul_flops_per_s,
            "copy_bandwidth_bytes_per_s": ceilings.copy_bandwidth_bytes_per_s,
            **({} if read_rec is None else {"read_bandwidth_bytes_per_s": ceilings.read_bandwidth_bytes_per_s}),
            "matmul": matmul,
            "copy": copy_rec,
            **({} if read_rec is None else {"read": read_rec}),
        },
        "datasheet": datasheet,
        "decode": {
            **layout,
            "batch_sweep_context_tokens": plan["batch_sweep_context_tokens"],
            "context_sweep_batch": plan["context_sweep_batch"],
            "steps": steps,
        },
        "limits": list(limits),
    }
    parsed = measurement.series_from_dict(series)  # the file must read back through the core
    series["predictions"] = measurement.comparison_as_dict(parsed.compare())
    return series


def decode_layout(
    *, layers: int, d: int, weight_itemsize: int, weight_dtype: str, kv_per_layer: int, kv_dtype: str, kv_itemsize: int
) -> dict:
    """The step's shape: ``layers`` weight matrices ``[d, d]`` and ``kv_per_layer`` KV elements per token per layer."""
    return {
        "layers": layers,
        "d_model": d,
        "weight_dtype": weight_dtype,
        "weight_params": layers * d * d,
        "weight_bytes": layers * d * d * weight_itemsize,
        "kv_dtype": kv_dtype,
        "kv_elements_per_token_per_layer": kv_per_layer,
        "kv_bytes_per_token": layers * kv_per_layer * kv_itemsize,
    }


def ceilings_of(matmul: dict, copy_rec: dict, read_rec: dict | None = None) -> measurement.Ceilings:
    return measurement.Ceilings(
        matmul_flops_per_s=matmul["flop"] / matmul["median_s"],
        copy_bandwidth_bytes_per_s=copy_rec["bytes_counted"] / copy_rec["median_s"],
        read_bandwidth_bytes_per_s=None if read_rec is None else read_rec["bytes_counted"] / read_rec["median_s"],
    )


def plan_for(ceilings: measurement.Ceilings, layout: dict, batches: Sequence[int], context_points: int) -> dict:
    return plan_steps(
        ceilings,
        weight_params=layout["weight_params"],
        weight_bytes=layout["weight_bytes"],
        kv_bytes_per_token=layout["kv_bytes_per_token"],
        batches=batches,
        context_points=context_points,
    )


# --------------------------------------------------------------------------- CPU (numpy)


def threads_text(count: int) -> str:
    """``"1 thread"`` or ``"N threads"``."""
    return f"{count} thread{'' if count == 1 else 's'}"


def split_rows(count: int, parts: int) -> list[tuple[int, int]]:
    """``range(count)`` cut into ``parts`` contiguous ``(start, stop)`` pieces whose sizes differ by at most one.

    >>> split_rows(10, 3)
    [(0, 4), (4, 7), (7, 10)]
    """
    size, extra = divmod(count, parts)
    bounds = [0]
    for i in range(parts):
        bounds.append(bounds[-1] + size + (1 if i < extra else 0))
    return list(itertools.pairwise(bounds))


def block_rows(l2_bytes: int, row_bytes: int) -> int:
    """Rows of weights per product: as many as fill ``L2_BLOCK_SHARE`` of one core's L2, at least one.

    >>> block_rows(1280 * 1024, 4096 * 4)
    40
    >>> block_rows(1024, 4096 * 4)
    1
    """
    return max(1, int(l2_bytes * L2_BLOCK_SHARE) // row_bytes)


def worker_blocks(rows: int, workers: int, block: int) -> list[list[tuple[int, int]]]:
    """Each worker's share of a ``rows``-row weight matrix, cut into blocks of at most ``block`` rows.

    Every row lands in exactly one block of one worker, so a step reads each weight once.

    >>> worker_blocks(10, 2, 3)
    [[(0, 3), (3, 5)], [(5, 8), (8, 10)]]
    """
    shares = []
    for start, stop in split_rows(rows, workers):
        shares.append([(b, min(b + block, stop)) for b in range(start, stop, block)])
    return shares


def l2_per_core() -> dict:
    """One core's L2 (level-2 data or unified cache) in bytes and where the figure came from."""
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index[0-9]*")):
        if _read(index / "level") == "2" and _read(index / "type") in ("Unified", "Data"):
            size = _size_bytes(_read(index / "size") or "")
            if size:
                return {"bytes": size, "source": "sysfs"}
    return {"bytes": MIB, "source": "fallback: 1 MiB assumed"}


def set_blas_threads(count: int) -> str | None:
    """Ask the loaded OpenBLAS to use ``count`` threads; the symbol used, or None if none was found.

    The environment variables that main() sets only work before numpy loads its BLAS,
    so this covers a numpy imported earlier (by a test, say).
    """
    maps = _read("/proc/self/maps") or ""
    for library in sorted({line.split()[-1] for line in maps.splitlines() if "blas" in line}):
        try:
            lib = ctypes.CDLL(library)
        except OSError:
            continue
        for name in (
            "scipy_openblas_set_num_threads64_",
            "scipy_openblas_set_num_threads",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter(count)
                return name
    return None


def run_parallel(pool: ThreadPoolExecutor, task: Callable[[int], object], workers: int) -> None:
    """``task(0)`` … ``task(workers - 1)`` on the pool, waiting for all (numpy releases the GIL in BLAS)."""
    for _ in pool.map(task, range(workers)):
        pass


def cpu_matmul(np, n: int, pool: ThreadPoolExecutor, workers: int, args) -> dict:  # type: ignore[no-untyped-def]
    """Ceiling 1 on the CPU: a square float32 product, its rows split over the workers."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    c = np.empty((n, n), dtype=np.float32)
    parts = split_rows(n, workers)

    def part(i: int) -> None:
        start, stop = parts[i]
        np.matmul(a[start:stop], b, out=c[start:stop])

    log(f"cpu: matmul {n}×{n}×{n} float32 on {threads_text(workers)}")
    samples = repeat(time_cpu, lambda: run_parallel(pool, part, workers), args.warmup, args.repeats)
    return {"m": n, "n": n, "k": n, "flop": 2 * n**3, "threads": workers, **median_spread(samples)}


def cpu_copy(np, nbytes: int, pool: ThreadPoolExecutor, workers: int, args) -> dict:  # type: ignore[no-untyped-def]
    """Ceiling 2 on the CPU: a copy of ``nbytes``, split over the workers."""
    count = nbytes // 4 // workers * workers
    src = np.ones(count, dtype=np.float32)
    dst = np.zeros(count, dtype=np.float32)  # touched now, so the timed copies do not page-fault
    parts = split_rows(count, workers)

    def part(i: int) -> None:
        start, stop = parts[i]
        np.copyto(dst[start:stop], src[start:stop])

    log(f"cpu: copy {count * 4 / MIB:.0f} MiB on {threads_text(workers)}")
    samples = repeat(time_cpu, lambda: run_parallel(pool, part, workers), args.warmup, args.repeats)
    return {"bytes_each_way": count * 4, "bytes_counted": 2 * count * 4, "threads": workers, **median_spread(samples)}


def cpu_read(np, nbytes: int, pool: ThreadPoolExecutor, workers: int, args) -> dict:  # type: ignore[no-untyped-def]
    """The step's memory ceiling on the CPU: a read-only stream of ``nbytes``, split over the workers.

    Each worker multiplies its rows of a ``[rows, READ_ROW]`` float32 matrix by a vector (a BLAS
    matrix-vector product: two FLOP per four bytes read, far too few to make it compute-bound), the same
    kind of call as the step's KV read. The bytes written (one float per row) are not counted.
    """
    rows = nbytes // (4 * READ_ROW)
    matrix = np.ones((rows, READ_ROW), dtype=np.float32)
    vector = np.ones(READ_ROW, dtype=np.float32)
    out = np.empty(rows, dtype=np.float32)
    parts = split_rows(rows, workers)

    def part(i: int) -> None:
        start, stop = parts[i]
        np.matmul(matrix[start:stop], vector, out=out[start:stop])

    log(f"cpu: read {rows * READ_ROW * 4 / MIB:.0f} MiB on {threads_text(workers)}")
    samples = repeat(time_cpu, lambda: run_parallel(pool, part, workers), args.warmup, args.repeats)
    counted = rows * READ_ROW * 4
    return {"bytes_read": counted, "bytes_counted": counted, "threads": workers, **median_spread(samples)}


def cpu_step(  # type: ignore[no-untyped-def]
    np, *, pool: ThreadPoolExecutor, weights, shares, activation, hot, cache, query, scores
) -> Callable[[], object]:
    """One decode-like step on the CPU, as a function that runs it and returns the last layer's output.

    Layer ``i`` computes ``weights[i] @ h`` (``[d, d] @ [d, B]``) into a fresh ``[d, B]`` buffer, worker
    ``w`` doing the row blocks ``shares[w]``, one BLAS call per block, and then, unless ``cache`` is
    None, its share of ``cache[i] @ query`` into ``scores`` (the layer's KV read, ``[B·L, width] @
    [width]``). With ``hot`` (``[workers, block, d]``) every block of worker ``w`` multiplies
    ``hot[w]`` instead of its rows of ``weights[i]``: the same calls on weights that stay in cache.
    """
    workers = len(shares)
    layers, d, batch = weights.shape[0], weights.shape[1], activation.shape[1]
    buffers = [activation, np.empty((d, batch), dtype=weights.dtype), np.empty((d, batch), dtype=weights.dtype)]
    kv_parts = split_rows(0 if cache is None else cache.shape[1], workers)
    current = {"layer": 0}

    def layer_part(w: int) -> None:
        i = current["layer"]
        h, nxt = buffers[0 if i == 0 else 1 + (i - 1) % 2], buffers[1 + i % 2]
        for start, stop in shares[w]:
            source = weights[i, start:stop] if hot is None else hot[w, : stop - start]
            np.matmul(source, h, out=nxt[start:stop])
        if cache is not None:
            k0, k1 = kv_parts[w]
            np.matmul(cache[i, k0:k1], query, out=scores[k0:k1])  # this layer's share of the KV read

    def step() -> object:
        for i in range(layers):
            current["layer"] = i
            run_parallel(pool, layer_part, workers)
        return buffers[1 + (layers - 1) % 2]

    return step


def cpu_steps(np, layout: dict, plan: dict, pool: ThreadPoolExecutor, workers: int, args) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """Time every planned step, and for each batch the same products on weights kept in cache.

    The step, layer by layer: the workers split the layer's ``[d, d]`` weight matrix by rows, and each
    multiplies its rows, ``layout["block_rows"]`` at a time, by the ``[d, B]`` activation (one BLAS call
    per block; a block fits in half a core's L2, so it comes from memory once and is then read from L2),
    then multiplies its share of that layer's ``B·L·e / layers`` KV bytes by a query, viewed as rows of
    ``READ_ROW`` floats (the read ceiling's own call) whenever they divide evenly. A barrier ends each layer,
    since the next layer needs all of this one's output.

    The in-cache twin makes exactly the same calls with the same activations, except that every worker
    multiplies one block of its own, over and over, so the weights stay in its L2: its time is the
    step's compute job without the wait for memory, and ``2·B·N_active`` over that time is the step's
    attainable FLOP/s. It reads no KV (that is memory work only).

    Returns the steps' samples in plan order and the in-cache samples in ``plan["batches"]`` order.
    """
    layers, d, width = layout["layers"], layout["d_model"], layout["kv_elements_per_token_per_layer"]
    block = layout["block_rows"]
    rng = np.random.default_rng(2)
    weights = np.empty((layers, d, d), dtype=np.float32)
    for layer in weights:
        rng.standard_normal(out=layer, dtype=np.float32)
        layer *= 1 / math.sqrt(d)  # keeps activations from growing layer after layer
    hot = np.empty((workers, block, d), dtype=np.float32)
    rng.standard_normal(out=hot, dtype=np.float32)
    hot *= 1 / math.sqrt(d)
    kv = np.full(plan["kv_capacity_bytes"] // 4, 0.01, dtype=np.float32)
    queries = {n: rng.standard_normal(n, dtype=np.float32) for n in (width, READ_ROW)}
    scores = np.empty(max(b * L for _, b, L in plan["points"]), dtype=np.float32)
    shares = worker_blocks(d, workers, block)
    start_acts = {b: rng.standard_normal((d, b), dtype=np.float32) for b in plan["batches"]}

    def make_step(batch: int, context: int, in_cache: bool) -> Callable[[], object]:
        per_layer = batch * context * width
        # The layer's KV bytes are read as rows of READ_ROW floats, the read ceiling's own call, when they
        # divide evenly: what is tested is how long the bytes take, and [rows, 32] rows read slower.
        row = READ_ROW if per_layer % READ_ROW == 0 else width
        return cpu_step(
            np,
            pool=pool,
            weights=weights,
            shares=shares,
            activation=start_acts[batch],
            hot=hot if in_cache else None,
            cache=None if in_cache else kv[: layers * per_layer].reshape(layers, per_layer // row, row),
            query=queries[row],
            scores=scores[: per_layer // row],
        )

    fns = [make_step(b, L, False) for _, b, L in plan["points"]]
    fns += [make_step(b, plan["batch_sweep_context_tokens"], True) for b in plan["batches"]]
    log(
        f"cpu: weights {layers}×[{d}, {d}] float32 = {layout['weight_bytes'] / MIB:.0f} MiB in blocks of {block} "
        f"rows on {threads_text(workers)}, KV up to {plan['kv_capacity_bytes'] / MIB:.0f} MiB; timing "
        f"{len(plan['points'])} steps and {len(plan['batches'])} in-cache twins × {args.repeats} repeats after "
        f"{args.warmup} warm-up rounds"
    )
    samples = interleaved(time_cpu, fns, args.warmup, args.repeats)
    return samples[: len(plan["points"])], samples[len(plan["points"]) :]


def cpu_series(np, args, machine: dict) -> dict:  # type: ignore[no-untyped-def]
    workers = args.threads or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())
    workers = max(1, workers or 1)
    set_blas_threads(1)  # the workers are the parallelism; a threaded BLAS inside each would oversubscribe
    beyond = max(CACHE_MULTIPLE * machine["llc"]["bytes"], MIN_BEYOND_CACHE_BYTES)
    l2 = l2_per_core()
    if args.quick:
        beyond, n, d, batches, context_points = 8 * MIB, 256, 256, [1, 2, 4, 8], 3
    else:
        n, d, batches, context_points = 4096, 4096, powers_of_two(1, 256), 6
    with ThreadPoolExecutor(max_workers=workers) as pool:
        matmul = cpu_matmul(np, n, pool, workers, args)
        copy_rec = cpu_copy(np, beyond, pool, workers, args)
        read_rec = cpu_read(np, beyond, pool, workers, args)
        layout = decode_layout(
            layers=max(2, math.ceil(beyond / (d * d * 4))),
            d=d,
            weight_itemsize=4,
            weight_dtype="float32",
            kv_per_layer=32,  # one small head per layer: the KV read is about bytes, not shape
            kv_dtype="float32",
            kv_itemsize=4,
        )
        layout.update(block_rows=min(d, block_rows(l2["bytes"], d * 4)), l2_bytes=l2["bytes"], l2_source=l2["source"])
        plan = plan_for(ceilings_of(matmul, copy_rec, read_rec), layout, batches, context_points)
        samples, in_cache = cpu_steps(np, layout, plan, pool, workers, args)
    return decode_series(
        key="cpu-numpy-float32",
        title=f"CPU, numpy float32 ({machine['blas']['name'] or 'BLAS'}, {threads_text(workers)}, one BLAS thread each)",
        device="cpu",
        library=f"numpy {np.__version__}",
        dtype="float32",
        matmul=matmul,
        copy_rec=copy_rec,
        read_rec=read_rec,
        datasheet=None,
        layout=layout,
        plan=plan,
        samples=samples,
        in_cache=dict(zip(plan["batches"], in_cache, strict=True)),
        limits=CPU_LIMITS,
    )


# --------------------------------------------------------------------------- GPU (PyTorch, CUDA)


def cuda_timer(torch):  # type: ignore[no-untyped-def]
    """Time a function with CUDA events (seconds), waiting for the GPU to finish."""

    def timer(fn: Callable[[], object]) -> float:
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / 1e3  # elapsed_time is in milliseconds

    return timer


def describe_gpu(torch) -> dict:  # type: ignore[no-untyped-def]
    props = torch.cuda.get_device_properties(0)
    name = props.name
    return {
        "name": name,
        "capability": list(torch.cuda.get_device_capability(0)),
        "memory_bytes": props.total_memory,
        "multiprocessors": props.multi_processor_count,
        "l2_bytes": getattr(props, "L2_cache_size", None),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "datasheet": next((key for pattern, key in DATASHEETS if pattern.search(name)), None),
    }


def fp8_missing(torch) -> str | None:  # type: ignore[no-untyped-def]
    """None if this torch and this card do fp8 products, else why not."""
    if not hasattr(torch, "float8_e4m3fn") or not hasattr(torch, "_scaled_mm"):
        return f"torch {torch.__version__} has no float8_e4m3fn or _scaled_mm"
    if torch.cuda.get_device_capability(0) < (8, 9):
        return f"compute capability {torch.cuda.get_device_capability(0)} < (8, 9): no fp8 tensor cores"
    return None


def scaled_mm(torch, a, b_colmajor, scale_a, scale_b):  # type: ignore[no-untyped-def]
    """``torch._scaled_mm`` to bf16 across versions (before 2.4 it returned ``(out, amax)``)."""
    result = torch._scaled_mm(a, b_colmajor, scale_a=scale_a, scale_b=scale_b, out_dtype=torch.bfloat16)
    return result[0] if isinstance(result, tuple) else result


def cuda_copy(torch, nbytes: int, args) -> dict:  # type: ignore[no-untyped-def]
    """Bandwidth on the GPU: one device-to-device copy of ``nbytes`` (every series on the card shares it)."""
    src = torch.ones(nbytes, dtype=torch.uint8, device="cuda")
    dst = torch.zeros_like(src)
    log(f"cuda: copy {nbytes / MIB:.0f} MiB")
    samples = repeat(cuda_timer(torch), lambda: dst.copy_(src), args.warmup, args.repeats)
    return {"bytes_each_way": nbytes, "bytes_counted": 2 * nbytes, **median_spread(samples)}


def cuda_matmul(torch, kind: str, n: int, args) -> dict:  # type: ignore[no-untyped-def]
    """A square product in bf16 (``torch.mm``) or fp8 e4m3 (``torch._scaled_mm``, bf16 out)."""
    a = torch.randn(n, n, dtype=torch.bfloat16, device="cuda")
    b = torch.randn(n, n, dtype=torch.bfloat16, device="cuda")
    if kind == "fp8":
        one = torch.tensor(1.0, dtype=torch.float32, device="cuda")
        a8 = a.to(torch.float8_e4m3fn)
        bt8 = b.to(torch.float8_e4m3fn)  # bt8.t() is column-major, as _scaled_mm wants its second operand

        def product() -> object:
            return scaled_mm(torch, a8, bt8.t(), one, one)

    else:
        c = torch.empty(n, n, dtype=torch.bfloat16, device="cuda")

        def product() -> object:
            return torch.mm(a, b, out=c)

    log(f"cuda: matmul {n}×{n}×{n} {kind}")
    samples = repeat(cuda_timer(torch), product, args.warmup, args.repeats)
    return {"m": n, "n": n, "k": n, "flop": 2 * n**3, **median_spread(samples)}


def fp8_takes_one_row(torch, d: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``_scaled_mm`` accepts a 1-row left operand here (some builds want every dimension % 16 == 0)."""
    one = torch.tensor(1.0, dtype=torch.float32, device="cuda")
    row = torch.zeros(1, d, dtype=torch.bfloat16, device="cuda").to(torch.float8_e4m3fn)
    square = torch.zeros(d, d, dtype=torch.bfloat16, device="cuda").to(torch.float8_e4m3fn)
    try:
        scaled_mm(torch, row, square.t(), one, one)
    except RuntimeError as exc:
        log(f"cuda: fp8 wants B divisible by 16 here ({str(exc).splitlines()[0]}); smaller batches are skipped")
        return False
    return True


def cuda_steps(torch, kind: str, layout: dict, plan: dict, args) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """Time every planned step on the GPU: per layer, the weight product, then a bf16 KV read (``torch.mv``)."""
    layers, d, width = layout["layers"], layout["d_model"], layout["kv_elements_per_token_per_layer"]
    bf16 = torch.bfloat16
    one = torch.tensor(1.0, dtype=torch.float32, device="cuda")
    scale = torch.tensor(1 / math.sqrt(d), dtype=torch.float32, device="cuda")
    if kind == "fp8":
        weights = torch.empty(layers, d, d, dtype=torch.float8_e4m3fn, device="cuda")  # weights[i].t(): column-major
        for i in range(layers):
            weights[i] = torch.randn(d, d, dtype=bf16, device="cuda").to(torch.float8_e4m3fn)
    else:
        weights = torch.empty(layers, d, d, dtype=bf16, device="cuda")
        for i in range(layers):
            weights[i] = torch.randn(d, d, dtype=bf16, device="cuda") * (1 / math.sqrt(d))
    kv = torch.full((plan["kv_capacity_bytes"] // 2,), 0.01, dtype=bf16, device="cuda")
    query = torch.randn(width, dtype=bf16, device="cuda")
    max_batch = max(b for _, b, _ in plan["points"])
    scores = torch.empty(max(b * L for _, b, L in plan["points"]), dtype=bf16, device="cuda")
    acts = [torch.randn(max_batch, d, dtype=bf16, device="cuda") for _ in range(3)]

    def make_step(batch: int, context: int) -> Callable[[], object]:
        cache = kv[: layers * batch * context * width].view(layers, batch * context, width)
        out = scores[: batch * context]

        def step() -> object:
            h = acts[0][:batch]
            for i in range(layers):
                if kind == "fp8":
                    h = scaled_mm(torch, h.to(torch.float8_e4m3fn), weights[i].t(), one, scale)
                else:
                    nxt = acts[1 + i % 2][:batch]
                    torch.mm(h, weights[i], out=nxt)
                    h = nxt
                torch.mv(cache[i], query, out=out)  # this layer's share of the KV read
            return h

        return step

    log(
        f"cuda: weights {layers}×[{d}, {d}] {kind} = {layout['weight_bytes'] / MIB:.0f} MiB, "
        f"KV up to {plan['kv_capacity_bytes'] / MIB:.0f} MiB; timing {len(plan['points'])} steps × {args.repeats} repeats"
    )
    return interleaved(cuda_timer(torch), [make_step(b, L) for _, b, L in plan["points"]], args.warmup, args.repeats)


def cuda_series(torch, args, gpu: dict) -> list[dict]:  # type: ignore[no-untyped-def]
    l2 = gpu["l2_bytes"] or 50 * MIB
    beyond = max(CACHE_MULTIPLE * l2, 4 * 2**30)
    if args.quick:
        beyond, n, d, batches, context_points = 64 * MIB, 1024, 1024, [1, 2, 4, 8], 3
    else:
        n, d, batches, context_points = 8192, 8192, powers_of_two(1, 4096), 6
    torch.manual_seed(0)
    copy_rec = cuda_copy(torch, beyond, args)
    kinds = ["bf16"] if torch.cuda.is_bf16_supported() else []
    missing = fp8_missing(torch)
    if missing is None:
        kinds.append("fp8")
    else:
        log(f"cuda: no fp8 series: {missing}")
    series = []
    for kind in kinds:
        itemsize = 1 if kind == "fp8" else 2
        matmul = cuda_matmul(torch, kind, n, args)
        layout = decode_layout(
            layers=max(2, math.ceil(beyond / (d * d * itemsize))),
            d=d,
            weight_itemsize=itemsize,
            weight_dtype="float8_e4m3fn" if kind == "fp8" else "bfloat16",
            kv_per_layer=64,
            kv_dtype="bfloat16",
            kv_itemsize=2,
        )
        usable = batches
        if kind == "fp8" and not fp8_takes_one_row(torch, d):
            usable = [b for b in batches if b % 16 == 0] or [16]
        plan = plan_for(ceilings_of(matmul, copy_rec), layout, usable, context_points)
        samples = cuda_steps(torch, kind, layout, plan, args)
        series.append(
            decode_series(
                key=f"cuda-torch-{kind}",
                title=f"{gpu['name']}, PyTorch {kind}",
                device="cuda",
                library=f"torch {torch.__version__}, CUDA {torch.version.cuda}",
                dtype=kind,
                matmul=matmul,
                copy_rec=copy_rec,
                datasheet={"hardware": gpu["datasheet"], "precision": kind} if gpu["datasheet"] else None,
                layout=layout,
                plan=plan,
                samples=samples,
                limits=GPU_LIMITS,
            )
        )
        torch.cuda.empty_cache()
    return series


# --------------------------------------------------------------------------- output


def _si(value: float, unit: str) -> str:
    from roofline.units import format_si

    return f"{format_si(value)} {unit}"


def print_table(result: dict) -> None:
    from roofline.units import format_percent, format_time

    print(f"\n{result['machine']['title']}  →  {result['slug']}.json")
    for series in result["series"]:
        ceilings = series["ceilings"]
        predictions = series["predictions"]
        print(f"\n== {series['title']}")
        print(
            f"   matmul {_si(ceilings['matmul_flops_per_s'], 'FLOP/s')} (C = {_si(predictions['compute_ops_per_s'], 'ops/s')}), "
            f"copy {_si(ceilings['copy_bandwidth_bytes_per_s'], 'B/s')} (read + written)"
            + (f", read {_si(ceilings['read_bandwidth_bytes_per_s'], 'B/s')} (BW)" if "read" in ceilings else "")
        )
        decode = series["decode"]
        print(
            f"   step: {decode['layers']} × [{decode['d_model']}, {decode['d_model']}] {decode['weight_dtype']} "
            f"({_si(decode['weight_bytes'], 'B')}), KV {decode['kv_bytes_per_token']} B per token"
        )
        header = f"   {'sweep':<8}{'B':>6}{'L':>8}{'measured':>12}{'spread':>20}{'T=max':>12}{'err':>9}{'T=sum':>12}{'err':>9}"
        print(header)
        for step, point in zip(decode["steps"], predictions["points"], strict=True):
            spread = f"{format_time(step['min_s'], 3)}–{format_time(step['max_s'], 3)}"
            print(
                f"   {step['sweep']:<8}{step['batch']:>6}{step['context_tokens']:>8}{format_time(step['median_s'], 4):>12}"
                f"{spread:>20}{format_time(point['max_s'], 4):>12}{format_percent(point['max_relative_error'], 0):>9}"
                f"{format_time(point['sum_s'], 4):>12}{format_percent(point['sum_relative_error'], 0):>9}"
            )
        for kind in ("max", "sum"):
            s = predictions[kind]
            print(
                f"   T = {kind}: median |error| {format_percent(s['median_abs_relative_error'], 1)}, "
                f"worst {format_percent(s['worst_relative_error'], 1)}"
            )
        for limit in series["limits"]:
            print(f"   limit: {limit}")


def rerun_args(argv: Sequence[str]) -> list[str]:
    """The options that shape a measurement: ``argv`` less where it was written and the notes."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--out-dir", "--slug", "--note"):
            skip = "=" not in arg
            continue
        if name != "--shared":
            kept.append(arg)
    return kept


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes that finish in seconds (for tests, not for the site)"
    )
    parser.add_argument(
        "--devices", default="cpu,cuda", help="comma-separated: cpu, cuda (cuda only when a GPU is present)"
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help=f"where the JSON goes (default {DEFAULT_OUT_DIR.relative_to(ROOT)})",
    )
    parser.add_argument("--slug", help="file name for this machine (default: from the GPU or CPU name)")
    parser.add_argument("--repeats", type=int, help="timed runs per point (default 7, quick 3)")
    parser.add_argument("--warmup", type=int, help="untimed runs first (default 2, quick 1)")
    parser.add_argument(
        "--threads",
        type=int,
        help="CPU worker threads, each running a single-threaded BLAS (default: every core this process may use)",
    )
    parser.add_argument(
        "--shared", action="store_true", help="record that other work shared the machine during the run"
    )
    parser.add_argument("--note", default="", help="free text stored with the run")
    args = parser.parse_args(argv)
    args.repeats = args.repeats if args.repeats is not None else (3 if args.quick else 7)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be >= 1, got {args.threads}")
    if args.repeats < 1 or args.warmup < 0:
        parser.error(f"--repeats must be >= 1 and --warmup >= 0, got {args.repeats} and {args.warmup}")
    args.devices = {d.strip() for d in args.devices.split(",") if d.strip()}
    if not args.devices <= {"cpu", "cuda"}:
        parser.error(f"--devices takes cpu and/or cuda, got {sorted(args.devices)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if "cpu" in args.devices:
        # The CPU series runs its own worker threads, one BLAS thread each; this must be set before
        # numpy loads its BLAS (set_blas_threads covers a numpy loaded already).
        for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
    try:
        import numpy as np
    except ImportError:
        print("measure_hardware: numpy is needed (scripts/setup.sh installs it into .venv)", file=sys.stderr)
        return 2
    started = time.time()
    load_before = os.getloadavg()
    machine = describe_cpu(np)
    series = []
    gpu = None
    if "cuda" in args.devices:
        try:
            import torch
        except ImportError:
            torch = None
            log("cuda: PyTorch is not installed; measuring the CPU only")
        if torch is not None and torch.cuda.is_available():
            gpu = describe_gpu(torch)
            series.extend(cuda_series(torch, args, gpu))
        elif torch is not None:
            log("cuda: no CUDA device; measuring the CPU only")
    if "cpu" in args.devices:
        series.insert(0, cpu_series(np, args, machine))
    if not series:
        print("measure_hardware: nothing to measure (no CUDA device and --devices excludes cpu)", file=sys.stderr)
        return 2
    machine["gpu"] = gpu
    cores = machine["physical_cores"] or machine["logical_cpus"]
    cpu_name = re.sub(r"\((?:R|TM)\)", "", machine["cpu_model"])
    cpu_title = f"{cpu_name}, {cores} cores"
    if machine["hypervisor"]:
        cpu_title += f" ({machine['hypervisor']} virtual machine)"
    machine["title"] = f"{gpu['name']} on {cpu_title}" if gpu else cpu_title
    slug = args.slug or _slug(gpu["name"] if gpu else f"{machine['cpu_model']} {cores} cores")
    command = " ".join(
        ["python scripts/measure_hardware.py", *map(shlex.quote, rerun_args(sys.argv[1:] if argv is None else argv))]
    )
    result = {
        "schema": measurement.SCHEMA,
        "slug": slug,
        "machine": machine,
        "run": {
            "command": command,
            "argv": sys.argv[1:] if argv is None else list(argv),
            "quick": args.quick,
            "repeats": args.repeats,
            "warmup": args.warmup,
            "shared_cpu": args.shared,
            "note": args.note,
            "started_utc": datetime.datetime.fromtimestamp(started, datetime.UTC).isoformat(timespec="seconds"),
            "duration_s": round(time.time() - started, 1),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "series": series,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    path = args.out_dir / f"{slug}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print_table(result)
    print(f"\nwrote {path} in {result['run']['duration_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
