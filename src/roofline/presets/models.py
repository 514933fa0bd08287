"""Model presets: one cited record per language model (parameter counts, attention shape, experts).

The records are data, in ``models.toml`` beside this module (each figure with
its source; the file's rules are :mod:`roofline.tables`), in the file's
order; the Llama 3.3 alias is made here from Llama 3.1 70B's record.
"""

from __future__ import annotations

from dataclasses import replace

from ..tables import beside, records
from .schema import Model

__all__ = ["MODELS"]

MODELS: dict[str, Model] = records(beside(__file__, "models.toml"), "model", Model, Model.cited, Model.FIGURES)

# Llama 3.3 70B keeps Llama 3.1 70B's architecture and parameter count (a
# post-training release): an alias, so serving figures published for it can
# be checked against the same shapes.
MODELS["llama-3.3-70b"] = replace(
    MODELS["llama-3.1-70b"],
    key="llama-3.3-70b",
    name="Llama-3.3-70B",
    source="meta-llama/llama-models models/llama3_3 MODEL_CARD.md: same architecture as Llama 3.1 70B (alias)",
    note="Alias of Llama-3.1-70B: Meta's Llama 3.3 model card gives the same 70B architecture; every figure is 3.1's.",
)
