"""Hardware and model figures, each with the source it came from.

All numbers are SI base units: FLOP/s, bytes, bytes/s, parameters. "Dense"
means without 2:4 structured sparsity; vendors' headline tensor figures are
often the sparse ones, exactly twice the dense. Every figure here is dense.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARTICLE_H100",
    "HARDWARE",
    "MODELS",
    "Hardware",
    "Model",
    "hardware",
    "model",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Hardware:
    """One accelerator chip.

    ``compute_ops_per_s`` (the model's C) is half the FLOP/s: one multiply and
    one add per parameter per token.
    """

    key: str
    name: str
    dense_bf16_flops_per_s: float
    dense_fp8_flops_per_s: float | None
    memory_bytes: float
    bandwidth_bytes_per_s: float
    source: str

    def compute_ops_per_s(self, precision: str = "fp8") -> float:
        """C = FLOP/s ÷ 2 at ``precision`` ("bf16" or "fp8").

        >>> HARDWARE["h100-sxm"].compute_ops_per_s("fp8")
        989450000000000.0
        """
        if precision == "bf16":
            return self.dense_bf16_flops_per_s / 2
        if precision == "fp8":
            if self.dense_fp8_flops_per_s is None:
                raise ValueError(f"{self.name} has no FP8 tensor rate; use precision='bf16'")
            return self.dense_fp8_flops_per_s / 2
        raise ValueError(f"precision must be 'bf16' or 'fp8', got {precision!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """One language model's parameter counts."""

    key: str
    name: str
    total_params: float
    active_params: float
    source: str


HARDWARE: dict[str, Hardware] = {
    hw.key: hw
    for hw in (
        Hardware(
            key="h100-sxm",
            name="NVIDIA H100 SXM",
            # Datasheet's "BF16 Tensor Core" and "FP8 Tensor Core" rows list the
            # sparse rates (1,979 / 3,958 TFLOPS); dense is half of each.
            dense_bf16_flops_per_s=989.4e12,
            dense_fp8_flops_per_s=1978.9e12,
            memory_bytes=80e9,
            bandwidth_bytes_per_s=3.35e12,
            source="NVIDIA H100 Tensor Core GPU datasheet, SXM column (dense = half the 'with sparsity' figures)",
        ),
    )
}

#: The round figures section V of the article plugs in for an H100:
#: C ≈ 10^15 ops/s (half the dense FP8 rate, rounded) and BW ≈ 3 TB/s.
ARTICLE_H100 = Hardware(
    key="article-h100",
    name="H100 as the article rounds it",
    dense_bf16_flops_per_s=1e15,
    dense_fp8_flops_per_s=2e15,
    memory_bytes=80e9,
    bandwidth_bytes_per_s=3e12,
    source="the source article, section V: C ≈ 10^15, BW ≈ 3 × 10^12",
)

MODELS: dict[str, Model] = {
    m.key: m
    for m in (
        Model(
            key="deepseek-v3",
            name="DeepSeek-V3",
            total_params=671e9,
            active_params=37e9,
            source="deepseek-ai/DeepSeek-V3 README (671B total, 37B activated per token)",
        ),
    )
}


def _lookup(table: dict, key: str, kind: str):  # type: ignore[no-untyped-def]
    try:
        return table[key.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"unknown {kind} {key!r}; choose one of: {', '.join(sorted(table))}") from None


def hardware(key: str) -> Hardware:
    """The hardware preset called ``key`` (ValueError lists the valid keys)."""
    return _lookup(HARDWARE, key, "hardware")


def model(key: str) -> Model:
    """The model preset called ``key`` (ValueError lists the valid keys)."""
    return _lookup(MODELS, key, "model")
