"""Hardware, model and precision figures, each with the source it came from.

All numbers are SI base units: FLOP/s, bytes, bytes/s, parameters. "Dense"
means without 2:4 structured sparsity; vendors' headline tensor figures are
often the sparse ones, exactly twice the dense. Every FLOP/s figure here is
dense, and each preset's ``citations`` says which column of which document
each number is. Where two sources disagreed, ``note`` says which figure we
chose and why.

>>> hardware("h200").memory_bytes
141000000000.0
>>> model("llama-3.1-70b").kv_elements_per_token
163840
>>> hardware("H300")
Traceback (most recent call last):
...
ValueError: unknown hardware 'H300'; choose one of: a100-sxm, b200, h100-pcie, h100-sxm, h200, h800, mi300x, mi325x, rtx-4090, tpu-v5e, tpu-v5p, tpu-v6e
"""

from __future__ import annotations

from ..keyed import look_up
from .chips import ARTICLE_H100, HARDWARE
from .cited import CITED_FIGURES, P100, CitedChip, CitedFigure, cited
from .models import MODELS
from .precisions import KV_PRECISIONS, MATH_PRECISIONS, WEIGHT_PRECISIONS, KvPrecision, WeightPrecision
from .published import DEEPSEEK_SOURCE, PublishedServing, published_serving
from .schema import SOFTWARE_STACKS, Hardware, Model

__all__ = [
    "ARTICLE_H100",
    "CITED_FIGURES",
    "DEEPSEEK_SERVING",
    "DEEPSEEK_SOURCE",
    "HARDWARE",
    "KV_PRECISIONS",
    "MATH_PRECISIONS",
    "MODELS",
    "P100",
    "SOFTWARE_STACKS",
    "WEIGHT_PRECISIONS",
    "CitedChip",
    "CitedFigure",
    "Hardware",
    "KvPrecision",
    "Model",
    "PublishedServing",
    "WeightPrecision",
    "cited",
    "hardware",
    "kv_precision",
    "model",
    "published_serving",
    "weight_precision",
]


def __getattr__(name: str) -> PublishedServing:
    # DEEPSEEK_SERVING is read from its published table on first use (see roofline.presets.published).
    if name == "DEEPSEEK_SERVING":
        from . import published

        return published.DEEPSEEK_SERVING
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def hardware(key: str) -> Hardware:
    """The hardware preset called ``key`` (ValueError lists the valid keys)."""
    return look_up(HARDWARE, key, "hardware")


def model(key: str) -> Model:
    """The model preset called ``key`` (ValueError lists the valid keys)."""
    return look_up(MODELS, key, "model")


def weight_precision(key: str) -> WeightPrecision:
    """The weight precision called ``key`` (ValueError lists the valid keys).

    >>> weight_precision("w4a16").bytes_per_weight
    0.53125
    """
    return look_up(WEIGHT_PRECISIONS, key, "weight precision")


def kv_precision(key: str) -> KvPrecision:
    """The KV cache precision called ``key`` (ValueError lists the valid keys)."""
    return look_up(KV_PRECISIONS, key, "KV precision")
