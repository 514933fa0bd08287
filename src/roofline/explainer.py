"""The worked examples the explainer pages print, and the answers they derive.

Every scenario is a :class:`~roofline.model.Params` with a name and the
source of each figure, so a page, a chart, a simulator link and a test all
read the same numbers. The functions below answer the article's questions
with the model's equations; they add no new physics.

>>> round(scenario("deepseek-h100").crossover_batch())
5357
>>> sweet_spot_from_factors(18, 300)
5400.0
"""

from __future__ import annotations

from dataclasses import dataclass

from . import deployment, presets
from .checks import check_number
from .keyed import by_key, look_up
from .longcontext import machine_time_per_token_s
from .model import (
    SEED_DEFAULTS,
    Params,
    compute_slope_s,
    crossover_batch,
    latency_s,
    memory_slope_s,
    t_compute_s,
    t_memory_s,
    t_weights_s,
)
from .tables import beside, records

__all__ = [
    "ARTICLE_ROUNDED_HARDWARE_RATIO",
    "ARTICLE_ROUNDED_SPARSITY",
    "CHIPS",
    "DEEPSEEK_V3_KV_BYTES_PER_TOKEN_BF16",
    "DEEPSEEK_V3_KV_BYTES_PER_TOKEN_FP8",
    "LEVERS",
    "LLAMA_31_70B_KV_BYTES_PER_TOKEN_BF16",
    "PRICE_STEPS",
    "SCENARIOS",
    "LeverEffect",
    "PriceStep",
    "Scenario",
    "chip",
    "idle_fractions",
    "lever_effects",
    "near_balance_band",
    "price_step_ratio",
    "relative_difference",
    "scenario",
    "serial_time_s",
    "step_speedup",
    "sweet_spot_from_factors",
    "time_per_token_ratio",
]

#: The rounded factors of the article's section V: "C/BW ≈ 300" and "671B / 37B ≈ 18".
ARTICLE_ROUNDED_HARDWARE_RATIO = 300.0
ARTICLE_ROUNDED_SPARSITY = 18.0


# --- hardware the pages compare: the presets, cited there ---

#: Chips whose C/BW the sweet-spot page lists (dense tensor rates, see presets.py).
CHIPS: dict[str, presets.Hardware] = {key: presets.hardware(key) for key in ("a100-sxm", "h100-sxm", "h200", "b200")}

# Cache bytes per token of context, from each model's attention shape (deployment.py).
_DEEPSEEK_V3 = presets.model("deepseek-v3")
_KV_BF16 = presets.kv_precision("bf16").bytes_per_element
_KV_FP8 = presets.kv_precision("fp8").bytes_per_element
DEEPSEEK_V3_KV_BYTES_PER_TOKEN_BF16 = deployment.kv_bytes_per_token(_DEEPSEEK_V3, 1024, _KV_BF16)
DEEPSEEK_V3_KV_BYTES_PER_TOKEN_FP8 = deployment.kv_bytes_per_token(_DEEPSEEK_V3, 1024, _KV_FP8)
LLAMA_31_70B_KV_BYTES_PER_TOKEN_BF16 = deployment.kv_bytes_per_token(presets.model("llama-3.1-70b"), 1024, _KV_BF16)


def chip(key: str) -> presets.Hardware:
    """A chip from :data:`CHIPS`, or the article's rounded H100 (``article-h100``)."""
    if key == presets.ARTICLE_H100.key:
        return presets.ARTICLE_H100
    try:
        return CHIPS[key]
    except KeyError:
        raise ValueError(f"unknown chip {key!r}; choose one of: {', '.join(sorted(CHIPS))}, article-h100") from None


# --- named scenarios ---


@dataclass(frozen=True, slots=True, kw_only=True)
class Scenario:
    """A worked example: the model's inputs, the x-axis it is drawn to, and where they come from.

    Whether the simulator can show it is the simulator's call:
    ``roofline.web.article.ARTICLE.fits(State.of(params, max_batch))``.
    """

    key: str
    title: str
    params: Params
    max_batch: float
    source: str

    def crossover_batch(self) -> float | None:
        """``B*`` of this scenario (None when the lines never cross)."""
        return crossover_batch(self.params)


_H100 = presets.hardware("h100-sxm")
_DEEPSEEK = presets.model("deepseek-v3")
#: Llama-3.1-70B, dense: every parameter is active (meta-llama/llama-models, models/llama3_1/).
_LLAMA_70B_PARAMS = 70.6e9

_DEEPSEEK_H100 = Params(
    batch=128,
    active_params=_DEEPSEEK.active_params,
    compute_ops_per_s=_H100.compute_ops_per_s("fp8"),
    total_params=_DEEPSEEK.total_params,
    bandwidth_bytes_per_s=_H100.bandwidth_bytes_per_s,
    context_tokens=4096,
    kv_bytes_per_element=1,
)
_LLAMA_H100 = _DEEPSEEK_H100.replace(active_params=_LLAMA_70B_PARAMS, total_params=_LLAMA_70B_PARAMS)
_SEED_LONG = SEED_DEFAULTS.replace(context_tokens=1e6)
_Q1 = SEED_DEFAULTS.replace(context_tokens=1e6, kv_bytes_per_element=1)

_SOURCES = {
    "seed": "the article's simulator defaults (section VII)",
    "deepseek": f"{_DEEPSEEK.source}; {_H100.source}; FP8 weights and FP8 math, so 1 byte per parameter",
    "llama": "Llama-3.1-70B (meta-llama/llama-models); " + _H100.source + "; FP8 weights and math",
    "mla": "MLA cache 61 × (512 + 64) × 2 bytes (deepseek-ai/DeepSeek-V3 config_671B.json)",
    "gqa": "GQA cache 2 × 80 × 8 × 128 × 2 bytes (meta-llama/llama-models)",
}


def _tenth_of_c_over_bw(key: str, name: str, params: Params, max_batch: float, source: str) -> tuple[Scenario, ...]:
    """Section IX, question 3 for one model on an H100: 10× the bandwidth at fixed C (``key-10bw``, to ``max_batch``).

    The simulator's BW slider stops at 10 TB/s, so its links show C ÷ 10
    instead (``key-c-div-10``, to B = 2048): the same C/BW, so the same B*
    and the same binding term, with every time 10× longer.
    """
    bandwidth = params.replace(bandwidth_bytes_per_s=10 * _H100.bandwidth_bytes_per_s)
    compute = params.replace(compute_ops_per_s=_H100.compute_ops_per_s("fp8") / 10)
    return (
        Scenario(
            key=f"{key}-10bw",
            title=f"{name} on an H100 with 10× the bandwidth",
            params=bandwidth,
            max_batch=max_batch,
            source=f"{source}; BW × 10",
        ),
        Scenario(
            key=f"{key}-c-div-10",
            title=f"{name} on an H100 with a tenth of the compute (same C/BW as 10× bandwidth)",
            params=compute,
            max_batch=2048,
            source=f"{source}; C ÷ 10",
        ),
    )


SCENARIOS: dict[str, Scenario] = by_key(
    Scenario(
        key="article-sim",
        title="the article's mid-range accelerator",
        params=SEED_DEFAULTS,
        max_batch=2048,
        source=_SOURCES["seed"],
    ),
    Scenario(
        key="article-sim-dense",
        title="the same accelerator running a dense model of the same size",
        params=SEED_DEFAULTS.replace(active_params=SEED_DEFAULTS.total_params),
        max_batch=2048,
        source=_SOURCES["seed"] + ", with N_active = N_total",
    ),
    Scenario(
        key="article-sim-1m",
        title="the same accelerator with a million-token context",
        params=_SEED_LONG,
        max_batch=2048,
        source=_SOURCES["seed"] + ", with L = 1M",
    ),
    Scenario(
        key="article-sim-few-users",
        title="eight users, each a million tokens deep",
        params=_SEED_LONG.replace(batch=8),
        max_batch=2048,
        source=_SOURCES["seed"] + ", with L = 1M and B = 8",
    ),
    Scenario(
        key="deepseek-h100",
        title="DeepSeek-V3 on H100 SXM, FP8",
        params=_DEEPSEEK_H100,
        max_batch=8192,
        source=_SOURCES["deepseek"] + "; b = 1 byte per element as the article reads it",
    ),
    Scenario(
        key="deepseek-h100-cache",
        title="DeepSeek-V3 on H100 SXM with its real cache size",
        params=_DEEPSEEK_H100.replace(context_tokens=1024, kv_bytes_per_element=DEEPSEEK_V3_KV_BYTES_PER_TOKEN_BF16),
        max_batch=16384,
        source=_SOURCES["deepseek"] + "; " + _SOURCES["mla"],
    ),
    Scenario(
        key="deepseek-h100-cache-fp8",
        title="DeepSeek-V3 on H100 SXM with its cache stored in FP8",
        params=_DEEPSEEK_H100.replace(context_tokens=1024, kv_bytes_per_element=DEEPSEEK_V3_KV_BYTES_PER_TOKEN_FP8),
        max_batch=16384,
        source=_SOURCES["deepseek"] + "; " + _SOURCES["mla"] + ", at 1 byte per element",
    ),
    Scenario(
        key="deepseek-h100-cache-10bw",
        title="DeepSeek-V3 with its real cache size on an H100 with 10× the bandwidth",
        params=_DEEPSEEK_H100.replace(
            context_tokens=1024,
            kv_bytes_per_element=DEEPSEEK_V3_KV_BYTES_PER_TOKEN_BF16,
            bandwidth_bytes_per_s=10 * _H100.bandwidth_bytes_per_s,
        ),
        max_batch=16384,
        source=_SOURCES["deepseek"] + "; " + _SOURCES["mla"] + "; BW × 10",
    ),
    Scenario(
        key="llama70b-h100",
        title="Llama-3.1-70B (dense) on H100 SXM, FP8",
        params=_LLAMA_H100,
        max_batch=2048,
        source=_SOURCES["llama"] + "; b = 1 byte per element as the article reads it",
    ),
    Scenario(
        key="llama70b-h100-cache",
        title="Llama-3.1-70B on H100 SXM with its real cache size",
        params=_LLAMA_H100.replace(context_tokens=1024, kv_bytes_per_element=LLAMA_31_70B_KV_BYTES_PER_TOKEN_BF16),
        max_batch=2048,
        source=_SOURCES["llama"] + "; " + _SOURCES["gqa"],
    ),
    Scenario(
        key="q1",
        title="the article's accelerator at 1M tokens of FP8 cache",
        params=_Q1,
        max_batch=2048,
        source=_SOURCES["seed"] + ", with L = 1M and b = 1",
    ),
    *_tenth_of_c_over_bw("deepseek-h100", "DeepSeek-V3", _DEEPSEEK_H100, 8192, _SOURCES["deepseek"]),
    *_tenth_of_c_over_bw("llama70b-h100", "Llama-3.1-70B", _LLAMA_H100, 2048, _SOURCES["llama"]),
)


def scenario(key: str) -> Scenario:
    """The scenario called ``key`` (ValueError lists the valid keys)."""
    return look_up(SCENARIOS, key, "scenario")


# --- section V: the article's rounding ---


def sweet_spot_from_factors(sparsity: float, hardware_ratio: float) -> float:
    """``B_optimal = (N_total / N_active) · (C / BW)`` from the two factors themselves.

    The article multiplies its rounded factors, 18 and 300.

    >>> sweet_spot_from_factors(18, 300)
    5400.0
    """
    s = check_number("sparsity", sparsity, "(ratio)")
    r = check_number("hardware_ratio", hardware_ratio, "multiply-adds per byte")
    return s * r


def relative_difference(value: float, reference: float) -> float:
    """``value / reference − 1``: how far ``value`` lies above (or below) ``reference``.

    >>> round(relative_difference(5400, 5356.2), 4)
    0.0082
    """
    v = check_number("value", value, "(same unit as reference)")
    ref = check_number("reference", reference, "(same unit as value)")
    return v / ref - 1


# --- section IV: the three regions ---


def near_balance_band(p: Params, tolerance: float) -> tuple[float, float | None] | None:
    """Batches where ``T_compute / T_memory`` lies within ``1 ± tolerance``.

    ``B · N_active / C = r · (N_total / BW + B · L · b / BW)`` gives
    ``B = r · (N_total/BW) / (N_active/C − r · L·b/BW)`` for ``r = 1 ± tolerance``.
    The upper end is None when the ratio never reaches ``1 + tolerance``; the
    whole band is None when the lines never cross.

    >>> low, high = near_balance_band(SEED_DEFAULTS, 0.1)
    >>> round(low, 1), round(high, 1)
    (540.4, 660.6)
    """
    tol = check_number("tolerance", tolerance, "(fraction)")
    if tol >= 1:
        raise ValueError(f"tolerance must be < 1 (a fraction), got {tolerance!r}")
    if crossover_batch(p) is None:
        return None

    def batch_at(ratio: float) -> float | None:
        net = compute_slope_s(p) - ratio * memory_slope_s(p)
        return ratio * t_weights_s(p) / net if net > 0 else None

    low = batch_at(1 - tol)
    if low is None:  # cannot happen: a crossover means net slope > 0 > -tol · memory slope
        return None
    return low, batch_at(1 + tol)


# --- section VI: max, not sum ---


def serial_time_s(p: Params, batch: float | None = None) -> float:
    """What a step would take if moving and computing took turns: ``T_memory + T_compute`` seconds.

    >>> round(serial_time_s(SEED_DEFAULTS) * 1e3, 2)
    72.81
    """
    return t_memory_s(p, batch) + t_compute_s(p, batch)


def idle_fractions(p: Params, batch: float | None = None) -> tuple[float, float]:
    """Share of the step each unit waits: ``(1 − T_memory/T, 1 − T_compute/T)`` (memory, compute).

    >>> memory_idle, compute_idle = idle_fractions(SEED_DEFAULTS)
    >>> memory_idle, round(compute_idle, 3)
    (0.0, 0.787)
    """
    step = latency_s(p, batch)
    return 1 - t_memory_s(p, batch) / step, 1 - t_compute_s(p, batch) / step


def step_speedup(before: Params, after: Params, batch: float) -> float:
    """Step time of ``before`` over step time of ``after``, both at ``batch``.

    >>> fast = SEED_DEFAULTS.replace(bandwidth_bytes_per_s=2e12)
    >>> round(step_speedup(SEED_DEFAULTS, fast, 128), 2)
    4.69
    """
    b = check_number("batch", batch, "sequences", minimum=1.0, inclusive=True)
    return latency_s(before, b) / latency_s(after, b)


def time_per_token_ratio(p: Params, batch: float, reference: Params, reference_batch: float) -> float:
    """How many times more machine time a token costs in ``p`` at ``batch`` than in ``reference`` at ``reference_batch``.

    Machine time per token is ``max(T_compute, T_memory) / B``; a price per
    token has to cover it, so this is also the ratio of costs per token.

    >>> few = scenario("article-sim-few-users").params
    >>> round(time_per_token_ratio(few, 8, few, few.batch), 6)
    1.0
    >>> round(time_per_token_ratio(few, 8, few, crossover_batch(few)), 1)
    75.1
    """
    return machine_time_per_token_s(p, batch) / machine_time_per_token_s(reference, reference_batch)


# --- section IX, question 1: which lever moved? ---

#: Levers a claimed speed-up can pull, with how each changes the inputs by ``factor``.
LEVERS: dict[str, str] = {
    "baseline": "nothing",
    "n_active": "N_active ÷ factor",
    "kv_bytes": "b ÷ factor",
    "compute": "C × factor",
    "bandwidth": "BW × factor",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LeverEffect:
    """One lever pulled by a factor: the new inputs, step times and speed-ups per batch, and B*."""

    lever: str
    params: Params
    batches: tuple[float, ...]
    latency_s: tuple[float, ...]
    speedup: tuple[float, ...]
    crossover_batch: float | None


def _pull(p: Params, lever: str, factor: float) -> Params:
    if lever == "baseline":
        return p
    if lever == "n_active":
        return p.replace(active_params=p.active_params / factor)
    if lever == "kv_bytes":
        return p.replace(kv_bytes_per_element=p.kv_bytes_per_element / factor)
    if lever == "compute":
        return p.replace(compute_ops_per_s=p.compute_ops_per_s * factor)
    if lever == "bandwidth":
        return p.replace(bandwidth_bytes_per_s=p.bandwidth_bytes_per_s * factor)
    raise ValueError(f"lever must be one of {', '.join(LEVERS)}, got {lever!r}")


def lever_effects(p: Params, factor: float, batches: tuple[float, ...]) -> tuple[LeverEffect, ...]:
    """Each lever of :data:`LEVERS` pulled by ``factor``, measured at each batch.

    The speed-up is the baseline step time over the new one at the same batch.

    >>> effects = lever_effects(scenario("q1").params, 10, (128, 2048))
    >>> [(e.lever, [round(s, 2) for s in e.speedup]) for e in effects]
    [('baseline', [1.0, 1.0]), ('n_active', [1.0, 2.92]), ('kv_bytes', [1.01, 1.0]), ('compute', [1.0, 2.92]), ('bandwidth', [4.74, 1.0])]
    """
    f = check_number("factor", factor, "(ratio)")
    if not batches:
        raise ValueError("batches must name at least one batch size, got ()")
    base = tuple(latency_s(p, b) for b in batches)
    effects = []
    for lever in LEVERS:
        pulled = _pull(p, lever, f)
        times = tuple(latency_s(pulled, b) for b in batches)
        effects.append(
            LeverEffect(
                lever=lever,
                params=pulled,
                batches=tuple(float(b) for b in batches),
                latency_s=times,
                speedup=tuple(before / after for before, after in zip(base, times, strict=True)),
                crossover_batch=crossover_batch(pulled),
            )
        )
    return tuple(effects)


# --- section VII: the price steps the article points to ---


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceStep:
    """A published long-context price step, in US dollars per million tokens (quoted, not derived)."""

    key: str
    model: str
    threshold_tokens: float
    input_below: float
    input_above: float
    output_below: float
    output_above: float
    source: str


#: Quoted from pydantic/genai-prices ``prices/providers/google.yml`` (see FACTS.md), in
#: ``price_steps.toml`` beside this module.
PRICE_STEPS: dict[str, PriceStep] = records(beside(__file__, "price_steps.toml"), "price_step", PriceStep)


def price_step_ratio(step: PriceStep, kind: str) -> float:
    """Price above the threshold over price below it, for ``kind`` "input" or "output".

    >>> price_step_ratio(PRICE_STEPS["gemini-2.5-pro"], "output")
    1.5
    """
    if kind == "input":
        return step.input_above / step.input_below
    if kind == "output":
        return step.output_above / step.output_below
    raise ValueError(f"kind must be 'input' or 'output', got {kind!r}")
