"""Decode attention on its own roofline: multiply-adds per byte of cache read, against the chip's ridge.

Each new token attends over every cached token in every layer. Per cached
token per layer it reads that token's KV (``kv_elements_per_layer_token``
elements of ``b`` bytes, as often as the layout copies the cache) and does
``attention_ops_per_layer_token`` multiply-adds
(:attr:`~roofline.presets.Model.attention_ops_per_layer_token`). Their ratio
is attention's arithmetic intensity,

    I = ops per layer-token / (KV elements per layer-token · b · KV copies)   multiply-adds per byte,

and the chip's ridge for attention is ``C_attention / BW``: half its dense
FLOP/s at the precision attention runs in (:func:`~roofline.deployment.attention_math`)
over its bandwidth, in the same unit. Attention alone is compute-bound when
``I >= C_attention / BW``.

This decides the long-context story. With attention counted, each cached
token adds ``ops / C_attention`` to T_compute's slope and ``bytes / BW`` to
T_memory's, so when attention is compute-bound the compute line gains at
least as much per token of context as the memory line does: a crossover
exists at every context, and it moves *left* as the context grows.
:func:`~roofline.deployment.no_crossover_context` is None exactly then.
Grouped-query attention does a few multiply-adds per byte and its cache read
is memory traffic, as the article says; DeepSeek's absorbed MLA does hundreds.

>>> from roofline.deployment import deployment
>>> d = deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", layout="ideal")
>>> a = attention_intensity(d)
>>> round(a.ops_per_kv_byte), round(a.ridge_ops_per_byte), a.compute_bound
(242, 103, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import kv_copies
from .spec import Deployment, attention_math

__all__ = ["AttentionIntensity", "attention_intensity"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttentionIntensity:
    """Decode attention's multiply-adds per byte of KV read, beside the chip's ridge at attention's precision.

    Args:
        ops_per_kv_byte: multiply-adds per byte of cache read (the layout's
            copies counted: a chip that holds a copy reads it).
        ridge_ops_per_byte: the chip's ``C_attention / BW`` in multiply-adds
            per byte (C = dense FLOP/s ÷ 2 at attention's precision).
    """

    ops_per_kv_byte: float
    ridge_ops_per_byte: float

    @property
    def compute_bound(self) -> bool:
        """Whether attention alone waits on arithmetic: ``I >= C_attention / BW``."""
        return self.ops_per_kv_byte >= self.ridge_ops_per_byte

    @property
    def ratio(self) -> float:
        """``I / (C_attention / BW)``: above 1, attention is compute-bound."""
        return self.ops_per_kv_byte / self.ridge_ops_per_byte


def attention_intensity(d: Deployment) -> AttentionIntensity:
    """Attention's intensity and the ridge it is measured against, for deployment ``d``.

    ``I = attention_ops_per_layer_token / (kv_elements_per_layer_token · b · copies)``
    multiply-adds per byte; ridge ``C_attention / BW`` per chip (N chips scale
    both alike). Independent of the context and of ``d.attention_flops``
    (that switch says whether T_compute counts this arithmetic, not whether
    it exists).

    >>> from roofline.deployment import deployment
    >>> d = deployment("h100-sxm", "llama-3.1-70b", kv_precision="fp8", precision="fp8")
    >>> a = attention_intensity(d)
    >>> a.ops_per_kv_byte, round(a.ridge_ops_per_byte, 1), a.compute_bound
    (8.0, 295.4, False)
    >>> tp8 = deployment("h200", "deepseek-v3", gpus=8, kv_precision="fp8", layout="tp8")
    >>> round(attention_intensity(tp8).ops_per_kv_byte, 1), attention_intensity(tp8).compute_bound
    (30.2, False)
    """
    m = d.model
    read_per_layer_token = m.kv_elements_per_layer_token * d.kv_bytes_per_element * kv_copies(d.active_layout, m)
    chip = d.hardware
    return AttentionIntensity(
        ops_per_kv_byte=m.attention_ops_per_layer_token / read_per_layer_token,
        ridge_ops_per_byte=chip.compute_ops_per_s(attention_math(d)) / chip.bandwidth_bytes_per_s,
    )
