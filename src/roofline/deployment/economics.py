"""Throughput and cost: tokens per second from the step time, and the hourly price spread over them."""

from __future__ import annotations

from ..checks import check_number
from ..model import (
    latency_s,
)
from .lines import params_at
from .spec import Deployment

__all__ = [
    "cost_usd_per_million_tokens",
    "implied_batch",
    "throughput_tokens_per_s",
    "tokens_per_s_per_gpu",
    "tokens_per_s_per_sequence",
    "usd_per_million_tokens",
]


def throughput_tokens_per_s(d: Deployment, batch: float) -> float:
    """Output tokens per second of the whole deployment, ``B / T``."""
    p = params_at(d, batch)
    return p.batch / latency_s(p)


def tokens_per_s_per_gpu(d: Deployment, batch: float) -> float:
    """Output tokens per second per GPU, ``B / (T · N)``."""
    return throughput_tokens_per_s(d, batch) / d.gpus


def tokens_per_s_per_sequence(d: Deployment, batch: float) -> float:
    """What one user sees: one token per step, ``1 / T`` tokens/s."""
    return 1.0 / latency_s(params_at(d, batch))


def usd_per_million_tokens(usd_per_gpu_hour: float, gpus: float, tokens_per_s: float) -> float:
    """Cost of a million output tokens: ``price · N / 3600 / (tokens/s) · 10^6`` dollars.

    >>> round(usd_per_million_tokens(2.0, 8, 14.8e3), 4)
    0.3003
    """
    price = check_number("usd_per_gpu_hour", usd_per_gpu_hour, "US dollars per GPU-hour", inclusive=True)
    count = check_number("gpus", gpus, "GPUs")
    rate = check_number("tokens_per_s", tokens_per_s, "tokens/s")
    return price * count / 3600.0 / rate * 1e6


def cost_usd_per_million_tokens(d: Deployment, batch: float) -> float:
    """Dollars per million output tokens at batch B (every GPU-hour billed, none idle)."""
    return usd_per_million_tokens(d.usd_per_gpu_hour, d.gpus, throughput_tokens_per_s(d, batch))


def implied_batch(tokens_per_s: float, tokens_per_s_per_sequence: float) -> float:
    """Sequences in flight implied by a total rate and a per-user rate (each gets one token a step).

    >>> implied_batch(14.8e3 * 18, 21)
    12685.714285714286
    """
    total = check_number("tokens_per_s", tokens_per_s, "tokens/s")
    each = check_number("tokens_per_s_per_sequence", tokens_per_s_per_sequence, "tokens/s")
    return total / each
