"""A serving system's own published figures, kept beside the presets they are checked against."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEEPSEEK_SERVING", "PublishedServing"]


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

        >>> DEEPSEEK_SERVING.nodes
        18.0
        """
        return self.gpus / self.gpus_per_node


#: DeepSeek's own figures for serving V3/R1 (decode side), February 2025.
DEEPSEEK_SERVING = PublishedServing(
    hardware="h800",
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
        "H800 GPUs, the chips the source states (the h800 preset). The source states BF16 for the MLA "
        "computations, not the cache's storage: the 16-bit KV cache is our assumption"
    ),
)
