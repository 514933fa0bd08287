"""The article's worked example: the inputs the CLI and the simulator open on.

An 8G-active, 12G-total model at 80T effective ops/s and 200 GB/s, 8,192
tokens of context at 2 bytes per KV element, drawn to a batch of 2,048.

>>> EXAMPLE.batch, EXAMPLE_MAX_BATCH
(128.0, 2048.0)
"""

from __future__ import annotations

from .model import Params

__all__ = ["EXAMPLE", "EXAMPLE_MAX_BATCH"]

EXAMPLE = Params(
    batch=128.0,
    active_params=8e9,
    compute_ops_per_s=80e12,  # effective: FLOP/s ÷ 2
    total_params=12e9,
    bandwidth_bytes_per_s=200e9,
    context_tokens=8192.0,
    kv_bytes_per_element=2.0,
)
#: The right end of the example's batch axis (sequences).
EXAMPLE_MAX_BATCH = 2048.0
