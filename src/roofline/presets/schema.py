"""The shapes of a hardware preset and a model preset, and the checks every preset passes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ..checks import check_number, check_whole_number
from ..tables import cited_fields
from .precisions import MATH_PRECISIONS, WEIGHT_PRECISIONS, math_precision_of

__all__ = ["SOFTWARE_STACKS", "Hardware", "Model"]


class _Cited:
    """What a hardware or model preset does with its sources, written once for both.

    ``source`` names the documents behind the whole record; ``citations`` holds
    ``(field, where the number is)`` for each figure, in the order written.
    """

    __slots__ = ()
    key: str
    source: str
    citations: tuple[tuple[str, str], ...]

    @classmethod
    def cited(cls, **fields: object) -> Self:
        """A preset whose figures are written beside their sources, ``field=(value, where)``.

        Each such pair sets the field to ``value`` and adds ``(field, where)``
        to :attr:`citations`, in the order the fields are written; any other
        argument is passed on as it is (the split is
        :func:`roofline.tables.cited_fields`, which the TOML tables share).

        >>> chip = Hardware.cited(
        ...     key="x", name="X", source="X datasheet", dense_fp8_flops_per_s=None,
        ...     dense_bf16_flops_per_s=(1e15, "X datasheet: 1 PFLOPS BF16, dense"),
        ...     memory_bytes=(80e9, "X datasheet: 80 GB"),
        ...     bandwidth_bytes_per_s=(3e12, "X datasheet: 3 TB/s"),
        ... )
        >>> chip.memory_bytes, chip.citation("memory_bytes")
        (80000000000.0, 'X datasheet: 80 GB')
        """
        values, citations = cited_fields(fields)
        return cls(**values, citations=citations)  # type: ignore[call-arg]

    def citation(self, figure: str) -> str:
        """Where ``figure`` (a field name) comes from."""
        return dict(self.citations).get(figure, self.source)

    def _require_citations(self, figures: tuple[str, ...]) -> None:
        """Raise unless each of ``figures`` that is set (not None or 0) has a citation."""
        cited = {name for name, _ in self.citations}
        for name in figures:
            if getattr(self, name) not in (None, 0) and name not in cited:
                raise ValueError(f"preset {self.key!r} has no citation for {name}")


#: The software stacks a chip's serving engines run on (:attr:`Hardware.software_stack`), key to name.
SOFTWARE_STACKS: dict[str, str] = {"cuda": "CUDA", "rocm": "ROCm", "xla": "XLA"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Hardware(_Cited):
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
        link_bandwidth_bytes_per_s: chip-to-chip bandwidth inside one
            scale-up domain (NVLink, Infinity Fabric, ICI, or PCIe where
            there is nothing else), bytes/s *each way* per chip: half the
            bidirectional figure datasheets quote. ``None`` if unknown.
        scale_up_chips: chips one such domain joins (a node of 8 GPUs on
            NVLink, a TPU slice on ICI).
        network_bandwidth_bytes_per_s: bytes/s each way per chip between
            domains (the node's network cards shared out); ``None`` if no
            reference system states it.
        citations: ``(field, where the number is and whether it is dense)``
            for every figure above.
        note: which figure we chose where sources disagree, and why.
        software_stack: the vendor's stack the serving engines run on
            (:data:`SOFTWARE_STACKS`): "cuda" for NVIDIA, "rocm" for AMD,
            "xla" for Google's TPUs. The serving estimate charges the ROCm
            stack its fitted step factor (:mod:`roofline.serving`).
    """

    key: str
    name: str
    dense_bf16_flops_per_s: float
    dense_fp8_flops_per_s: float | None
    memory_bytes: float
    bandwidth_bytes_per_s: float
    source: str
    link_bandwidth_bytes_per_s: float | None = None
    scale_up_chips: int = 1
    network_bandwidth_bytes_per_s: float | None = None
    citations: tuple[tuple[str, str], ...] = ()
    note: str = ""
    software_stack: str = "cuda"

    #: The figures every preset must cite.
    FIGURES = (
        "dense_bf16_flops_per_s",
        "dense_fp8_flops_per_s",
        "memory_bytes",
        "bandwidth_bytes_per_s",
        "link_bandwidth_bytes_per_s",
        "network_bandwidth_bytes_per_s",
    )

    def __post_init__(self) -> None:
        check_number("dense_bf16_flops_per_s", self.dense_bf16_flops_per_s, "FLOP/s")
        if self.dense_fp8_flops_per_s is not None:
            check_number("dense_fp8_flops_per_s", self.dense_fp8_flops_per_s, "FLOP/s")
        check_number("memory_bytes", self.memory_bytes, "bytes")
        check_number("bandwidth_bytes_per_s", self.bandwidth_bytes_per_s, "bytes/s")
        for name in ("link_bandwidth_bytes_per_s", "network_bandwidth_bytes_per_s"):
            if getattr(self, name) is not None:
                check_number(name, getattr(self, name), "bytes/s")
        check_whole_number("scale_up_chips", self.scale_up_chips)
        if self.software_stack not in SOFTWARE_STACKS:
            raise ValueError(f"software_stack must be one of {', '.join(SOFTWARE_STACKS)}, got {self.software_stack!r}")
        if self.citations:
            self._require_citations(self.FIGURES)

    def flops_per_s(self, precision: str = "fp8") -> float:
        """Dense tensor FLOP/s at ``precision``: "bf16", "fp8", or a weight
        precision key (which names the arithmetic it uses).

        >>> from roofline.presets import HARDWARE
        >>> HARDWARE["h100-pcie"].flops_per_s("w8a16")
        756000000000000.0
        >>> HARDWARE["a100-sxm"].flops_per_s("fp8")
        Traceback (most recent call last):
        ...
        ValueError: NVIDIA A100 80GB SXM has no FP8 tensor rate; use precision 'bf16', 'w8a16' or 'w4a16'
        """
        math_precision = math_precision_of(precision)
        if math_precision == "bf16":
            return self.dense_bf16_flops_per_s
        if self.dense_fp8_flops_per_s is None:
            raise ValueError(f"{self.name} has no FP8 tensor rate; use precision 'bf16', 'w8a16' or 'w4a16'")
        return self.dense_fp8_flops_per_s

    def compute_ops_per_s(self, precision: str = "fp8") -> float:
        """C = FLOP/s ÷ 2 at ``precision`` (see :meth:`flops_per_s`).

        >>> from roofline.presets import HARDWARE
        >>> HARDWARE["h100-sxm"].compute_ops_per_s("fp8")
        989450000000000.0
        """
        return self.flops_per_s(precision) / 2

    def supports(self, precision: str) -> bool:
        """Whether the chip has a tensor rate for ``precision``'s arithmetic."""
        return math_precision_of(precision) == "bf16" or self.dense_fp8_flops_per_s is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Model(_Cited):
    """One language model: parameter counts, attention shape and experts.

    Attention is either grouped-query (``kv_heads`` × ``head_dim`` for K and for
    V per layer) or DeepSeek's multi-head latent attention (one latent of
    ``kv_lora_rank`` plus a shared RoPE key of ``rope_head_dim`` per layer).
    ``sliding_layers`` of the ``layers`` keep only the last
    ``sliding_window_tokens`` tokens. A model is a mixture of experts when
    ``routed_experts`` > 0: each token goes to ``experts_per_token`` of them,
    plus ``shared_experts`` that every token uses. ``hidden_size`` is the
    width of the residual stream, the vector a layer's collectives move per
    token.

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
    hidden_size: int | None = None
    released_precision: str = "bf16"
    attention_precision: str | None = None
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
        "hidden_size",
    )

    def __post_init__(self) -> None:
        check_number("total_params", self.total_params, "parameters")
        check_number("active_params", self.active_params, "parameters")
        if self.active_params > self.total_params:
            raise ValueError(
                f"active_params must be <= total_params, got {self.active_params!r} > {self.total_params!r} parameters"
            )
        counts = (
            "layers",
            "attention_heads",
            "kv_heads",
            "head_dim",
            "kv_lora_rank",
            "sliding_window_tokens",
            "hidden_size",
        )
        for name in counts:
            if getattr(self, name) is not None:
                check_whole_number(name, getattr(self, name))
        for name in ("rope_head_dim", "sliding_layers", "routed_experts", "experts_per_token", "shared_experts"):
            if getattr(self, name) is not None:
                check_whole_number(name, getattr(self, name), minimum=0)
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
        if self.attention_precision is not None:
            if self.attention_precision not in MATH_PRECISIONS:
                raise ValueError(
                    f"attention_precision must be one of {', '.join(MATH_PRECISIONS)} or None, "
                    f"got {self.attention_precision!r}"
                )
            self._require_citations(("attention_precision",))
        if self.citations:
            self._require_citations(self.FIGURES)

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

        >>> from roofline.presets import model
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

        >>> from roofline.presets import model
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

        >>> from roofline.presets import model
        >>> model("llama-3.1-70b").attention_ops_per_layer_token
        16384
        >>> from roofline.presets import model
        >>> model("deepseek-v3").attention_ops_per_layer_token
        139264
        """
        if self.kv_lora_rank is not None and self.rope_head_dim is not None:
            return self.attention_heads * (2 * self.kv_lora_rank + self.rope_head_dim)
        return 2 * self.attention_heads * (self.head_dim or 0)
