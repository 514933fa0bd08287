"""A serving system's own published figures, kept beside the presets they are checked against.

:data:`DEEPSEEK_SERVING` (DeepSeek's own figures for serving V3/R1, decode
side, February 2025) is read from its published table on first use
(:func:`published_serving`), so the figures exist once, in
``src/roofline/data/published/deepseek-v3-production-h800.json``.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass

# DEEPSEEK_SERVING is a module attribute that __getattr__ reads on first use.
__all__ = ["DEEPSEEK_SERVING", "DEEPSEEK_SOURCE", "PublishedServing", "published_serving"]  # noqa: F822


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedServing:
    """A serving system's own published figures, for checking the model against.

    Args:
        hardware: the closest preset to the chips used.
        model: the model preset served.
        gpus: GPUs in one decode deployment unit.
        gpus_per_node: GPUs per node (throughput is published per node).
        output_tokens_per_s_per_node: mean decode output, tokens/s per node.
        tokens_per_s_per_user_low: low end of the published per-user speed.
        tokens_per_s_per_user_high: high end of the published per-user speed.
        mean_context_tokens: mean KV length per generated token.
        weight_precision: weight/matmul precision key used in production.
        kv_precision: KV cache precision key: the source's where it states one,
            otherwise an assumption that ``note`` names.
        usd_per_gpu_hour: the rental price the publisher assumed.
        source: where the figures are published.
        note: what differs between the preset and the real chips.
    """

    hardware: str
    model: str
    gpus: int
    gpus_per_node: int
    output_tokens_per_s_per_node: float
    tokens_per_s_per_user_low: float
    tokens_per_s_per_user_high: float
    mean_context_tokens: float
    weight_precision: str
    kv_precision: str
    usd_per_gpu_hour: float
    source: str
    note: str

    @property
    def nodes(self) -> float:
        """Nodes in one decode deployment unit: ``gpus / gpus_per_node``.

        >>> published_serving(DEEPSEEK_SOURCE).nodes
        18.0
        """
        return self.gpus / self.gpus_per_node


#: The published table DeepSeek's production figures come from (in :mod:`roofline.data`).
DEEPSEEK_SOURCE = "deepseek-v3-production-h800"


def published_serving(source_id: str) -> PublishedServing:
    """A source's production figures, read from its published table (``src/roofline/data/published``).

    The record's ``source`` gives the chips, model, precisions and GPU count,
    its ``production`` block the figures as the publisher states them, and its
    ``assumptions`` what the model takes that the source does not state. One
    copy: the calibration loads the same file.

    >>> published_serving(DEEPSEEK_SOURCE).hardware
    'h800'

    Raises:
        FileNotFoundError: outside the source tree (the wheel ships no tables).
        ValueError: for a table with no ``production`` block.
    """
    from ..data import published_directory

    name = f"{source_id}.json"
    with open(os.path.join(published_directory(), name), encoding="utf-8") as file:
        record = json.load(file)["source"]
    stated = record.get("production")
    if not isinstance(stated, dict):
        raise ValueError(f"{name}: no 'production' block of figures the publisher states")
    return PublishedServing(
        hardware=record["hardware"],
        model=record["model"],
        gpus=record["gpus"],
        gpus_per_node=stated["gpus_per_node"],
        output_tokens_per_s_per_node=float(stated["output_tokens_per_s_per_node"]),
        tokens_per_s_per_user_low=float(stated["tokens_per_s_per_user_low"]),
        tokens_per_s_per_user_high=float(stated["tokens_per_s_per_user_high"]),
        mean_context_tokens=stated["mean_context_tokens"],
        weight_precision=record["precision"],
        kv_precision=record["kv_precision"],
        usd_per_gpu_hour=float(stated["usd_per_gpu_hour"]),
        source=f"{record['document']}: {stated['stated']}",
        note=" ".join(record["assumptions"]),
    )


@functools.cache
def _deepseek() -> PublishedServing:
    return published_serving(DEEPSEEK_SOURCE)


def __getattr__(name: str) -> PublishedServing:
    # DEEPSEEK_SERVING is read on first use, not at import: the CLI and the
    # browser import the presets but never this record, and the wheel they run
    # ships without the tables (roofline.data).
    if name == "DEEPSEEK_SERVING":
        return _deepseek()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
