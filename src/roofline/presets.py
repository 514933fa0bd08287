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
ValueError: unknown hardware 'H300'; choose one of: a100-sxm, b200, h100-pcie, h100-sxm, h200, mi300x, mi325x, rtx-4090, tpu-v5e, tpu-v5p, tpu-v6e
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "ARTICLE_H100",
    "DEEPSEEK_SERVING",
    "HARDWARE",
    "KV_PRECISIONS",
    "MATH_PRECISIONS",
    "MODELS",
    "WEIGHT_PRECISIONS",
    "Hardware",
    "KvPrecision",
    "Model",
    "PublishedServing",
    "WeightPrecision",
    "hardware",
    "kv_precision",
    "model",
    "weight_precision",
]

#: Arithmetic precisions a chip's tensor rate is quoted at.
MATH_PRECISIONS: tuple[str, ...] = ("bf16", "fp8")


def _cited(preset: object, numeric: tuple[str, ...]) -> None:
    """Raise unless every numeric figure of ``preset`` that is set (not None or 0) has a citation."""
    cited = {name for name, _ in preset.citations}  # type: ignore[attr-defined]
    for name in numeric:
        if getattr(preset, name) not in (None, 0) and name not in cited:
            raise ValueError(f"preset {preset.key!r} has no citation for {name}")  # type: ignore[attr-defined]


def _positive(name: str, unit: str, value: object, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0 {unit}, got {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hardware:
    """One accelerator chip.

    ``compute_ops_per_s`` (the model's C) is half the FLOP/s: one multiply and
    one add per parameter per token.

    Args:
        key: short name used on the command line and in URLs.
        name: full name for people.
        dense_bf16_flops_per_s: dense BF16 tensor rate, FLOP/s.
        dense_fp8_flops_per_s: dense FP8 tensor rate, FLOP/s; ``None`` if the
            chip has no FP8 tensor unit.
        memory_bytes: HBM (or GDDR) capacity, bytes.
        bandwidth_bytes_per_s: memory bandwidth, bytes/s.
        source: the documents the figures come from, in one line.
        citations: ``(field, where the number is and whether it is dense)``
            for every figure above.
        note: which figure we chose where sources disagree, and why.
    """

    key: str
    name: str
    dense_bf16_flops_per_s: float
    dense_fp8_flops_per_s: float | None
    memory_bytes: float
    bandwidth_bytes_per_s: float
    source: str
    citations: tuple[tuple[str, str], ...] = ()
    note: str = ""

    #: The figures every preset must cite.
    FIGURES = ("dense_bf16_flops_per_s", "dense_fp8_flops_per_s", "memory_bytes", "bandwidth_bytes_per_s")

    def __post_init__(self) -> None:
        _positive("dense_bf16_flops_per_s", "FLOP/s", self.dense_bf16_flops_per_s)
        _positive("dense_fp8_flops_per_s", "FLOP/s", self.dense_fp8_flops_per_s, allow_none=True)
        _positive("memory_bytes", "bytes", self.memory_bytes)
        _positive("bandwidth_bytes_per_s", "bytes/s", self.bandwidth_bytes_per_s)
        if self.citations:
            _cited(self, self.FIGURES)

    def flops_per_s(self, precision: str = "fp8") -> float:
        """Dense tensor FLOP/s at ``precision``: "bf16", "fp8", or a weight
        precision key (which names the arithmetic it uses).

        >>> HARDWARE["h100-pcie"].flops_per_s("w8a16")
        756000000000000.0
        >>> HARDWARE["a100-sxm"].flops_per_s("fp8")
        Traceback (most recent call last):
        ...
        ValueError: NVIDIA A100 80GB SXM has no FP8 tensor rate; use precision 'bf16', 'w8a16' or 'w4a16'
        """
        math_precision = _math_of(precision)
        if math_precision == "bf16":
            return self.dense_bf16_flops_per_s
        if self.dense_fp8_flops_per_s is None:
            raise ValueError(f"{self.name} has no FP8 tensor rate; use precision 'bf16', 'w8a16' or 'w4a16'")
        return self.dense_fp8_flops_per_s

    def compute_ops_per_s(self, precision: str = "fp8") -> float:
        """C = FLOP/s ÷ 2 at ``precision`` (see :meth:`flops_per_s`).

        >>> HARDWARE["h100-sxm"].compute_ops_per_s("fp8")
        989450000000000.0
        """
        return self.flops_per_s(precision) / 2

    def supports(self, precision: str) -> bool:
        """Whether the chip has a tensor rate for ``precision``'s arithmetic."""
        return _math_of(precision) == "bf16" or self.dense_fp8_flops_per_s is not None

    def citation(self, figure: str) -> str:
        """Where ``figure`` (a field name) comes from."""
        return dict(self.citations).get(figure, self.source)


def _math_of(precision: str) -> str:
    if precision in MATH_PRECISIONS:
        return precision
    if precision in WEIGHT_PRECISIONS:
        return WEIGHT_PRECISIONS[precision].math
    raise ValueError(
        f"precision must be one of {', '.join(sorted(set(MATH_PRECISIONS) | set(WEIGHT_PRECISIONS)))}, got {precision!r}"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """One language model: parameter counts, attention shape and experts.

    Attention is either grouped-query (``kv_heads`` × ``head_dim`` for K and for
    V per layer) or DeepSeek's multi-head latent attention (one latent of
    ``kv_lora_rank`` plus a shared RoPE key of ``rope_head_dim`` per layer).
    ``sliding_layers`` of the ``layers`` keep only the last
    ``sliding_window_tokens`` tokens. A model is a mixture of experts when
    ``routed_experts`` > 0: each token goes to ``experts_per_token`` of them,
    plus ``shared_experts`` that every token uses.

    Raises:
        ValueError: on a count that is not a positive whole number, more
            active than total parameters, or an attention shape that is
            neither GQA nor MLA.
    """

    key: str
    name: str
    total_params: float
    active_params: float
    source: str
    layers: int = 1
    attention_heads: int = 1
    kv_heads: int | None = None
    head_dim: int | None = None
    kv_lora_rank: int | None = None
    rope_head_dim: int | None = None
    sliding_window_tokens: int | None = None
    sliding_layers: int = 0
    routed_experts: int = 0
    experts_per_token: int = 0
    shared_experts: int = 0
    dense_layers: int = 0
    released_precision: str = "bf16"
    citations: tuple[tuple[str, str], ...] = ()
    note: str = ""

    FIGURES = (
        "total_params",
        "active_params",
        "layers",
        "attention_heads",
        "kv_heads",
        "head_dim",
        "kv_lora_rank",
        "rope_head_dim",
        "sliding_window_tokens",
        "routed_experts",
    )

    def __post_init__(self) -> None:
        _positive("total_params", "parameters", self.total_params)
        _positive("active_params", "parameters", self.active_params)
        if self.active_params > self.total_params:
            raise ValueError(
                f"active_params must be <= total_params, got {self.active_params!r} > {self.total_params!r} parameters"
            )
        counts = ("layers", "attention_heads", "kv_heads", "head_dim", "kv_lora_rank", "sliding_window_tokens")
        for name in counts:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        for name in ("rope_head_dim", "sliding_layers", "routed_experts", "experts_per_token", "shared_experts"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
        gqa = self.kv_heads is not None and self.head_dim is not None
        mla = self.kv_lora_rank is not None and self.rope_head_dim is not None
        if gqa == mla:
            raise ValueError(
                f"{self.key}: give either kv_heads and head_dim (GQA) or kv_lora_rank and rope_head_dim (MLA)"
            )
        if self.sliding_layers > self.layers:
            raise ValueError(f"sliding_layers must be <= layers ({self.layers}), got {self.sliding_layers!r}")
        if self.sliding_layers and self.sliding_window_tokens is None:
            raise ValueError(f"{self.key}: sliding_layers needs sliding_window_tokens")
        if self.routed_experts and not 1 <= self.experts_per_token <= self.routed_experts:
            raise ValueError(
                f"experts_per_token must be between 1 and routed_experts ({self.routed_experts}), got {self.experts_per_token!r}"
            )
        if self.released_precision not in WEIGHT_PRECISIONS:
            raise ValueError(f"released_precision must be one of {sorted(WEIGHT_PRECISIONS)}")
        if self.citations:
            _cited(self, self.FIGURES)

    @property
    def attention(self) -> str:
        """``"mla"`` or ``"gqa"``."""
        return "mla" if self.kv_lora_rank is not None else "gqa"

    @property
    def is_moe(self) -> bool:
        """Whether tokens are routed to a subset of experts."""
        return self.routed_experts > 0

    @property
    def full_layers(self) -> int:
        """Layers that attend to the whole context."""
        return self.layers - self.sliding_layers

    @property
    def kv_elements_per_layer_token(self) -> int:
        """KV elements one token leaves in one layer's cache.

        GQA keeps a key and a value per KV head: ``2 · kv_heads · head_dim``.
        MLA keeps one compressed latent and one shared RoPE key:
        ``kv_lora_rank + rope_head_dim``.

        >>> model("deepseek-v3").kv_elements_per_layer_token
        576
        """
        if self.kv_lora_rank is not None and self.rope_head_dim is not None:
            return self.kv_lora_rank + self.rope_head_dim
        return 2 * (self.kv_heads or 0) * (self.head_dim or 0)

    @property
    def kv_elements_per_token(self) -> int:
        """KV elements per token across all layers, as if every layer kept the
        whole context (``layers · kv_elements_per_layer_token``).

        >>> model("deepseek-v3").kv_elements_per_token
        35136
        """
        return self.layers * self.kv_elements_per_layer_token

    @property
    def attention_ops_per_layer_token(self) -> int:
        """Multiply-adds one new token spends per cached token per layer on attention.

        GQA: every query head takes a dot product with a key and a weighted
        sum of a value, ``2 · attention_heads · head_dim``. MLA, with the
        up-projections absorbed into the query and output (as decode kernels
        do): ``attention_heads · (2 · kv_lora_rank + rope_head_dim)``.

        >>> model("llama-3.1-70b").attention_ops_per_layer_token
        16384
        >>> model("deepseek-v3").attention_ops_per_layer_token
        139264
        """
        if self.kv_lora_rank is not None and self.rope_head_dim is not None:
            return self.attention_heads * (2 * self.kv_lora_rank + self.rope_head_dim)
        return 2 * self.attention_heads * (self.head_dim or 0)

    def citation(self, figure: str) -> str:
        """Where ``figure`` (a field name) comes from."""
        return dict(self.citations).get(figure, self.source)


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightPrecision:
    """How weights are stored and which arithmetic multiplies them.

    ``bytes_per_weight`` sets the weight read (the memory line's intercept) and
    ``math`` picks the chip's tensor rate (C), so the two move together.
    """

    key: str
    label: str
    bytes_per_weight: float
    math: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class KvPrecision:
    """How the KV cache is stored: bytes per element (the article's ``b``)."""

    key: str
    label: str
    bytes_per_element: float


WEIGHT_PRECISIONS: dict[str, WeightPrecision] = {
    p.key: p
    for p in (
        WeightPrecision(
            key="bf16",
            label="BF16 weights, BF16 math",
            bytes_per_weight=2.0,
            math="bf16",
            note="2 bytes per weight; C from the dense BF16 tensor rate",
        ),
        WeightPrecision(
            key="fp8",
            label="FP8 weights, FP8 math",
            bytes_per_weight=1.0,
            math="fp8",
            note="1 byte per weight; C from the dense FP8 tensor rate (per-block scales ignored)",
        ),
        WeightPrecision(
            key="w8a16",
            label="8-bit weights, BF16 math",
            bytes_per_weight=1.0,
            math="bf16",
            note="weight-only INT8/FP8: 1 byte per weight, widened to BF16 before the multiply",
        ),
        WeightPrecision(
            key="w4a16",
            label="4-bit weights (MXFP4), BF16 math",
            bytes_per_weight=4.25 / 8,
            math="bf16",
            note="4 bits per weight plus one 8-bit scale per 32 weights (the OCP MX block layout), widened to BF16",
        ),
    )
}

KV_PRECISIONS: dict[str, KvPrecision] = {
    p.key: p
    for p in (
        KvPrecision(key="bf16", label="BF16 KV cache (2 bytes)", bytes_per_element=2.0),
        KvPrecision(key="fp8", label="FP8 KV cache (1 byte)", bytes_per_element=1.0),
        KvPrecision(key="fp32", label="FP32 KV cache (4 bytes)", bytes_per_element=4.0),
    )
}


def _hw(**fields_: object) -> Hardware:
    return Hardware(**fields_)  # type: ignore[arg-type]


HARDWARE: dict[str, Hardware] = {
    hw.key: hw
    for hw in (
        _hw(
            key="a100-sxm",
            name="NVIDIA A100 80GB SXM",
            dense_bf16_flops_per_s=312e12,
            dense_fp8_flops_per_s=None,
            memory_bytes=80e9,
            bandwidth_bytes_per_s=2.039e12,
            source="NVIDIA A100 Tensor Core GPU datasheet, A100 80GB SXM column; cli99/llm-analysis a100-sxm-80gb.json",
            citations=(
                (
                    "dense_bf16_flops_per_s",
                    "A100 datasheet, BF16 Tensor Core: 312 TFLOPS dense (624 is 'with sparsity')",
                ),
                ("dense_fp8_flops_per_s", "none: Ampere has no FP8 tensor cores (INT8 624 TOPS dense)"),
                ("memory_bytes", "A100 datasheet, 80GB SXM column: 80 GB HBM2e"),
                ("bandwidth_bytes_per_s", "A100 datasheet, 80GB SXM column: 2,039 GB/s"),
            ),
        ),
        _hw(
            key="h100-sxm",
            name="NVIDIA H100 SXM",
            # Datasheet's "BF16 Tensor Core" and "FP8 Tensor Core" rows list the
            # sparse rates (1,979 / 3,958 TFLOPS); dense is half of each.
            dense_bf16_flops_per_s=989.4e12,
            dense_fp8_flops_per_s=1978.9e12,
            memory_bytes=80e9,
            bandwidth_bytes_per_s=3.35e12,
            source="NVIDIA H100 Tensor Core GPU datasheet, SXM column (dense = half the 'with sparsity' figures)",
            citations=(
                (
                    "dense_bf16_flops_per_s",
                    "H100 datasheet, SXM column, BF16 Tensor Core 1,979 TFLOPS with sparsity: dense half",
                ),
                (
                    "dense_fp8_flops_per_s",
                    "H100 datasheet, SXM column, FP8 Tensor Core 3,958 TFLOPS with sparsity: dense half",
                ),
                ("memory_bytes", "H100 datasheet, SXM column: 80 GB HBM3"),
                ("bandwidth_bytes_per_s", "H100 datasheet, SXM column: 3.35 TB/s; jax-ml/scaling-book roofline.md"),
            ),
        ),
        _hw(
            key="h100-pcie",
            name="NVIDIA H100 PCIe",
            dense_bf16_flops_per_s=756e12,
            dense_fp8_flops_per_s=1513e12,
            memory_bytes=80e9,
            bandwidth_bytes_per_s=2.0e12,
            source="NVIDIA H100 Tensor Core GPU datasheet, PCIe column; cli99/llm-analysis h100-pcie-80gb.json",
            citations=(
                ("dense_bf16_flops_per_s", "H100 datasheet, PCIe column, BF16 1,513 TFLOPS with sparsity: dense 756"),
                ("dense_fp8_flops_per_s", "H100 datasheet, PCIe column, FP8 3,026 TFLOPS with sparsity: dense 1,513"),
                ("memory_bytes", "H100 datasheet, PCIe column: 80 GB HBM2e"),
                ("bandwidth_bytes_per_s", "H100 datasheet, PCIe column: 2 TB/s"),
            ),
        ),
        _hw(
            key="h200",
            name="NVIDIA H200 SXM",
            dense_bf16_flops_per_s=989.5e12,
            dense_fp8_flops_per_s=1979e12,
            memory_bytes=141e9,
            bandwidth_bytes_per_s=4.8e12,
            source="NVIDIA H200 Tensor Core GPU datasheet, H200 SXM column (dense = half the 'with sparsity' figures)",
            citations=(
                ("dense_bf16_flops_per_s", "H200 datasheet, SXM column, BF16 1,979 TFLOPS with sparsity: dense half"),
                ("dense_fp8_flops_per_s", "H200 datasheet, SXM column, FP8 3,958 TFLOPS with sparsity: dense half"),
                ("memory_bytes", "H200 datasheet, SXM column: 141 GB HBM3e"),
                ("bandwidth_bytes_per_s", "H200 datasheet, SXM column: 4.8 TB/s"),
            ),
        ),
        _hw(
            key="b200",
            name="NVIDIA B200 (HGX/DGX)",
            dense_bf16_flops_per_s=2250e12,
            dense_fp8_flops_per_s=4500e12,
            memory_bytes=180e9,
            bandwidth_bytes_per_s=8.0e12,
            source="NVIDIA DGX B200 datasheet (1,440 GB and 64 TB/s for 8 GPUs); HGX B200 specifications per GPU",
            citations=(
                ("dense_bf16_flops_per_s", "HGX B200 per-GPU BF16 4.5 PFLOPS with sparsity: dense 2.25 PFLOPS"),
                (
                    "dense_fp8_flops_per_s",
                    "HGX B200 per-GPU FP8 9 PFLOPS with sparsity (DGX B200: 72 PFLOPS FP8 for 8): dense 4.5",
                ),
                ("memory_bytes", "DGX B200 datasheet: 1,440 GB HBM3e for 8 GPUs, 180 GB each"),
                ("bandwidth_bytes_per_s", "DGX B200 datasheet: 64 TB/s for 8 GPUs, 8 TB/s each"),
            ),
            note=(
                "Memory: 180 GB (what the DGX/HGX B200 exposes per GPU) rather than the 192 GB of raw HBM3e "
                "stacks quoted at launch, because the capacity wall needs the memory a serving engine can use. "
                "Bandwidth: 8 TB/s (DGX datasheet, 64 TB/s over 8 GPUs) rather than the 7.7 TB/s seen in "
                "secondary tables, because it is NVIDIA's own figure for the shipping system."
            ),
        ),
        _hw(
            key="mi300x",
            name="AMD Instinct MI300X",
            dense_bf16_flops_per_s=1307.4e12,
            dense_fp8_flops_per_s=2614.9e12,
            memory_bytes=192e9,
            bandwidth_bytes_per_s=5.3e12,
            source="AMD ROCm documentation, docs/conceptual/gpu-arch/mi300.md (dense; AMD lists sparse separately)",
            citations=(
                ("dense_bf16_flops_per_s", "ROCm mi300.md: peak BF16 1,307.4 TFLOPS, dense"),
                ("dense_fp8_flops_per_s", "ROCm mi300.md: peak FP8 2,614.9 TFLOPS, dense (5,229.8 with sparsity)"),
                ("memory_bytes", "ROCm mi300.md: 192 GB HBM3"),
                ("bandwidth_bytes_per_s", "ROCm mi300.md: 5.3 TB/s"),
            ),
        ),
        _hw(
            key="mi325x",
            name="AMD Instinct MI325X",
            dense_bf16_flops_per_s=1307.4e12,
            dense_fp8_flops_per_s=2614.9e12,
            memory_bytes=256e9,
            bandwidth_bytes_per_s=6.0e12,
            source="AMD Instinct MI325X datasheet",
            citations=(
                ("dense_bf16_flops_per_s", "MI325X datasheet: peak BF16 1,307.4 TFLOPS, dense"),
                ("dense_fp8_flops_per_s", "MI325X datasheet: peak FP8 2.6 PFLOPS dense; taken as MI300X's 2,614.9"),
                ("memory_bytes", "MI325X datasheet: 256 GB HBM3E"),
                ("bandwidth_bytes_per_s", "MI325X datasheet: 6 TB/s"),
            ),
            note=(
                "FP8: the datasheet rounds to 2.6 PFLOPS. We use MI300X's 2,614.9 TFLOPS because the MI325X "
                "keeps the same CDNA 3 compute dies at the same peak clock and only changes the memory "
                "(its BF16 figure, 1,307.4, is identical to the MI300X's)."
            ),
        ),
        _hw(
            key="tpu-v5e",
            name="Google TPU v5e",
            dense_bf16_flops_per_s=197e12,
            dense_fp8_flops_per_s=None,
            memory_bytes=16e9,
            bandwidth_bytes_per_s=819e9,
            source="Google Cloud TPU v5e documentation (TPUs have no 2:4 sparsity: all figures dense)",
            citations=(
                ("dense_bf16_flops_per_s", "Cloud TPU v5e docs: 197 TFLOPS BF16 per chip, dense"),
                ("dense_fp8_flops_per_s", "none: v5e has no FP8 unit (INT8 394 TOPS)"),
                ("memory_bytes", "Cloud TPU v5e docs: 16 GB HBM2 per chip"),
                ("bandwidth_bytes_per_s", "Cloud TPU v5e docs: 819 GB/s per chip"),
            ),
        ),
        _hw(
            key="tpu-v5p",
            name="Google TPU v5p",
            dense_bf16_flops_per_s=459e12,
            dense_fp8_flops_per_s=None,
            memory_bytes=95e9,
            bandwidth_bytes_per_s=2.765e12,
            source="Google Cloud TPU v5p documentation; jax-ml/scaling-book tpus.md (dense)",
            citations=(
                ("dense_bf16_flops_per_s", "Cloud TPU v5p docs: 459 TFLOPS BF16 per chip, dense"),
                ("dense_fp8_flops_per_s", "none: v5p has no FP8 unit (INT8 918 TOPS)"),
                ("memory_bytes", "Cloud TPU v5p docs: 95 GB HBM2e per chip"),
                ("bandwidth_bytes_per_s", "Cloud TPU v5p docs: 2,765 GB/s per chip"),
            ),
        ),
        _hw(
            key="tpu-v6e",
            name="Google TPU v6e (Trillium)",
            dense_bf16_flops_per_s=918e12,
            dense_fp8_flops_per_s=None,
            memory_bytes=32e9,
            bandwidth_bytes_per_s=1.638e12,
            source="Google Cloud TPU v6e documentation (dense)",
            citations=(
                ("dense_bf16_flops_per_s", "Cloud TPU v6e docs: 918 TFLOPS BF16 per chip, dense"),
                ("dense_fp8_flops_per_s", "none: v6e has no FP8 unit (INT8 1,836 TOPS)"),
                ("memory_bytes", "Cloud TPU v6e docs: 32 GB HBM per chip"),
                ("bandwidth_bytes_per_s", "Cloud TPU v6e docs: 1,638 GB/s per chip"),
            ),
        ),
        _hw(
            key="rtx-4090",
            name="NVIDIA GeForce RTX 4090",
            dense_bf16_flops_per_s=165.2e12,
            dense_fp8_flops_per_s=330.3e12,
            memory_bytes=24e9,
            bandwidth_bytes_per_s=1.008e12,
            source="NVIDIA Ada Lovelace architecture whitepaper, RTX 4090 column (seen via aggregators)",
            citations=(
                (
                    "dense_bf16_flops_per_s",
                    "Ada whitepaper: BF16 tensor with FP32 accumulate 165.2 TFLOPS dense (330.4 sparse)",
                ),
                (
                    "dense_fp8_flops_per_s",
                    "Ada whitepaper: FP8 tensor with FP32 accumulate 330.3 TFLOPS dense (660.6 sparse)",
                ),
                ("memory_bytes", "Ada whitepaper: 24 GB GDDR6X"),
                ("bandwidth_bytes_per_s", "Ada whitepaper: 1,008 GB/s"),
            ),
            note=(
                "Secondary source: the whitepaper's table was read through aggregators. GeForce cards run "
                "FP32-accumulate tensor math at half the FP16-accumulate rate; we use the FP32-accumulate figures "
                "for both BF16 and FP8 (330.3, not 660.6) because inference kernels accumulate in FP32."
            ),
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

_LLAMA = "meta-llama/llama-models models/llama3_1 (MODEL_CARD.md and the model args: layers, heads, KV heads, dim)"

MODELS: dict[str, Model] = {
    m.key: m
    for m in (
        Model(
            key="deepseek-v3",
            name="DeepSeek-V3",
            total_params=671e9,
            active_params=37e9,
            layers=61,
            dense_layers=3,
            attention_heads=128,
            kv_lora_rank=512,
            rope_head_dim=64,
            routed_experts=256,
            experts_per_token=8,
            shared_experts=1,
            released_precision="fp8",
            source="deepseek-ai/DeepSeek-V3 README (671B total, 37B activated per token)",
            citations=(
                ("total_params", "DeepSeek-V3 README: 671B main-model parameters (the 14B MTP module excluded)"),
                ("active_params", "DeepSeek-V3 README: 37B activated per token"),
                ("layers", "inference/configs/config_671B.json: n_layers 61, n_dense_layers 3"),
                ("attention_heads", "config_671B.json: n_heads 128"),
                ("kv_lora_rank", "config_671B.json: kv_lora_rank 512"),
                ("rope_head_dim", "config_671B.json: qk_rope_head_dim 64"),
                ("routed_experts", "config_671B.json: n_routed_experts 256, n_activated_experts 8, n_shared_experts 1"),
            ),
        ),
        Model(
            key="kimi-k2",
            name="Kimi K2",
            total_params=1e12,
            active_params=32e9,
            layers=61,
            dense_layers=1,
            attention_heads=64,
            kv_lora_rank=512,
            rope_head_dim=64,
            routed_experts=384,
            experts_per_token=8,
            shared_experts=1,
            released_precision="fp8",
            source="MoonshotAI/Kimi-K2 README, Model Summary table",
            citations=(
                ("total_params", "Kimi-K2 README: 1T total parameters"),
                ("active_params", "Kimi-K2 README: 32B activated parameters"),
                ("layers", "Kimi-K2 README: 61 layers, 1 of them dense"),
                ("attention_heads", "Kimi-K2 README: 64 attention heads, MLA"),
                ("kv_lora_rank", "DeepSeek-V3's MLA ranks, which Kimi K2 reuses: kv_lora_rank 512"),
                ("rope_head_dim", "DeepSeek-V3's MLA ranks: qk_rope_head_dim 64"),
                ("routed_experts", "Kimi-K2 README: 384 experts, 8 selected per token, 1 shared"),
            ),
            note=(
                "Total: the README's 1T, not the 1.04T seen elsewhere. Counting parameters from the README's "
                "shapes (7168 hidden, 2048 per expert, 384 experts in 60 MoE layers, DeepSeek-V3's MLA ranks) "
                "gives about 1.03T total and 33B active, so the README's round figures are within 3%; 1.04T is "
                "not reproduced by the shapes."
            ),
        ),
        Model(
            key="llama-3.1-8b",
            name="Llama-3.1-8B",
            total_params=8.03e9,
            active_params=8.03e9,
            layers=32,
            attention_heads=32,
            kv_heads=8,
            head_dim=128,
            source=_LLAMA,
            citations=(
                (
                    "total_params",
                    "Hugging Face meta-llama/Llama-3.1-8B parameter count of the released weights: 8.03B, dense",
                ),
                ("active_params", "dense: every parameter is active"),
                ("layers", "llama3_1 model args: n_layers 32"),
                ("attention_heads", "llama3_1 model args: n_heads 32"),
                ("kv_heads", "llama3_1 model args: n_kv_heads 8"),
                ("head_dim", "llama3_1 model args: dim 4096 / 32 heads = 128"),
            ),
        ),
        Model(
            key="llama-3.1-70b",
            name="Llama-3.1-70B",
            total_params=70.6e9,
            active_params=70.6e9,
            layers=80,
            attention_heads=64,
            kv_heads=8,
            head_dim=128,
            source=_LLAMA,
            citations=(
                (
                    "total_params",
                    "Hugging Face meta-llama/Llama-3.1-70B parameter count of the released weights: 70.6B, dense",
                ),
                ("active_params", "dense: every parameter is active"),
                ("layers", "llama3_1 model args: n_layers 80"),
                ("attention_heads", "llama3_1 model args: n_heads 64"),
                ("kv_heads", "llama3_1 model args: n_kv_heads 8"),
                ("head_dim", "llama3_1 model args: dim 8192 / 64 heads = 128"),
            ),
        ),
        Model(
            key="llama-3.1-405b",
            name="Llama-3.1-405B",
            total_params=405.9e9,
            active_params=405.9e9,
            layers=126,
            attention_heads=128,
            kv_heads=8,
            head_dim=128,
            source=_LLAMA,
            citations=(
                (
                    "total_params",
                    "Hugging Face meta-llama/Llama-3.1-405B parameter count of the released weights: 405.9B, dense",
                ),
                ("active_params", "dense: every parameter is active"),
                ("layers", "llama3_1 model args: n_layers 126"),
                ("attention_heads", "llama3_1 model args: n_heads 128"),
                ("kv_heads", "llama3_1 model args: n_kv_heads 8"),
                ("head_dim", "llama3_1 model args: dim 16384 / 128 heads = 128"),
            ),
        ),
        Model(
            key="mixtral-8x7b",
            name="Mixtral-8x7B",
            total_params=46.7e9,
            active_params=12.9e9,
            layers=32,
            attention_heads=32,
            kv_heads=8,
            head_dim=128,
            routed_experts=8,
            experts_per_token=2,
            source="Mixtral of Experts (Jiang et al., 2024); Mistral AI announcement; maxtext configs/models/mixtral-8x7b.yml",
            citations=(
                ("total_params", "Mistral AI announcement: 46.7B total (the paper rounds to 47B)"),
                ("active_params", "Mistral AI announcement: 12.9B used per token (the paper rounds to 13B)"),
                ("layers", "maxtext mixtral-8x7b.yml: base_num_decoder_layers 32"),
                ("attention_heads", "maxtext mixtral-8x7b.yml: base_num_query_heads 32"),
                ("kv_heads", "maxtext mixtral-8x7b.yml: base_num_kv_heads 8"),
                ("head_dim", "maxtext mixtral-8x7b.yml: head_dim 128"),
                ("routed_experts", "maxtext mixtral-8x7b.yml: num_experts 8, num_experts_per_tok 2, no shared expert"),
            ),
            note=(
                "46.7B / 12.9B rather than the paper's rounded 47B / 13B: counting the config's shapes "
                "(32 layers × 8 experts × 3 × 4096 × 14336, plus attention and a 32,000-token vocabulary) "
                "reproduces 46.7B total and 12.9B per token."
            ),
        ),
        Model(
            key="qwen3-235b-a22b",
            name="Qwen3-235B-A22B",
            total_params=235e9,
            active_params=22e9,
            layers=94,
            attention_heads=64,
            kv_heads=4,
            head_dim=128,
            routed_experts=128,
            experts_per_token=8,
            source="Qwen3-235B-A22B model card; maxtext configs/models/qwen3-235b-a22b.yml",
            citations=(
                ("total_params", "Qwen3 model card: 235B total"),
                ("active_params", "Qwen3 model card: 22B activated"),
                ("layers", "Qwen3 model card: 94 layers"),
                ("attention_heads", "Qwen3 model card: 64 query heads"),
                ("kv_heads", "Qwen3 model card: 4 KV heads"),
                ("head_dim", "maxtext qwen3-235b-a22b.yml: head_dim 128"),
                ("routed_experts", "Qwen3 model card: 128 experts, 8 activated, no shared expert"),
            ),
        ),
        Model(
            key="qwen3-30b-a3b",
            name="Qwen3-30B-A3B",
            total_params=30.5e9,
            active_params=3.3e9,
            layers=48,
            attention_heads=32,
            kv_heads=4,
            head_dim=128,
            routed_experts=128,
            experts_per_token=8,
            source="Qwen3-30B-A3B model card; maxtext configs/models/qwen3-30b-a3b.yml",
            citations=(
                ("total_params", "Qwen3 model card: 30.5B total"),
                ("active_params", "Qwen3 model card: 3.3B activated"),
                ("layers", "Qwen3 model card: 48 layers"),
                ("attention_heads", "Qwen3 model card: 32 query heads"),
                ("kv_heads", "Qwen3 model card: 4 KV heads"),
                ("head_dim", "maxtext qwen3-30b-a3b.yml: head_dim 128"),
                ("routed_experts", "Qwen3 model card: 128 experts, 8 activated, no shared expert"),
            ),
        ),
        Model(
            key="gpt-oss-120b",
            name="gpt-oss-120b",
            total_params=117e9,
            active_params=5.1e9,
            layers=36,
            attention_heads=64,
            kv_heads=8,
            head_dim=64,
            sliding_window_tokens=128,
            sliding_layers=18,
            routed_experts=128,
            experts_per_token=4,
            released_precision="w4a16",
            source="openai/gpt-oss README and gpt_oss/torch/model.py (ModelConfig)",
            citations=(
                ("total_params", "gpt-oss README: 117B parameters"),
                ("active_params", "gpt-oss README: 5.1B active parameters"),
                ("layers", "gpt_oss/torch/model.py ModelConfig: num_hidden_layers 36"),
                ("attention_heads", "ModelConfig: num_attention_heads 64"),
                ("kv_heads", "ModelConfig: num_key_value_heads 8"),
                ("head_dim", "ModelConfig: head_dim 64"),
                (
                    "sliding_window_tokens",
                    "ModelConfig: sliding_window 128, applied to every other layer (18 of 36)",
                ),
                ("routed_experts", "ModelConfig: num_experts 128, experts_per_token 4, no shared expert"),
            ),
            note=(
                "Released with MXFP4 weights for the MoE layers (README), about 98% of the parameters; "
                "the 'w4a16' precision applies 4.25 bits to every weight, which undercounts the BF16 "
                "attention and embedding weights by a few GB."
            ),
        ),
    )
}


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
        kv_precision: KV cache precision key used in production.
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


#: DeepSeek's own figures for serving V3/R1 (decode side), February 2025.
DEEPSEEK_SERVING = PublishedServing(
    hardware="h100-sxm",
    model="deepseek-v3",
    gpus=144,
    gpus_per_node=8,
    output_tokens_per_s_per_node=14.8e3,
    tokens_per_s_per_user_low=20.0,
    tokens_per_s_per_user_high=22.0,
    mean_context_tokens=4989,
    weight_precision="fp8",
    kv_precision="bf16",
    usd_per_gpu_hour=2.0,
    source=(
        "deepseek-ai/open-infra-index, 202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_system_overview.md: "
        "decode with EP144 over 18 nodes, 14.8k output tokens/s per H800 node, 20-22 tokens/s per user, "
        "mean KV length 4,989, FP8 matmuls with BF16 MLA, $2 per H800-hour"
    ),
    note=(
        "H800 GPUs: the H100 SXM's tensor rates, 80 GB and 3.35 TB/s of HBM3, with NVLink cut to 400 GB/s; "
        "the h100-sxm preset stands in for them"
    ),
)


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


def weight_precision(key: str) -> WeightPrecision:
    """The weight precision called ``key`` (ValueError lists the valid keys).

    >>> weight_precision("w4a16").bytes_per_weight
    0.53125
    """
    return _lookup(WEIGHT_PRECISIONS, key, "weight precision")


def kv_precision(key: str) -> KvPrecision:
    """The KV cache precision called ``key`` (ValueError lists the valid keys)."""
    return _lookup(KV_PRECISIONS, key, "KV precision")
