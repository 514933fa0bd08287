"""Model presets: one cited record per language model (parameter counts, attention shape, experts)."""

from __future__ import annotations

from dataclasses import replace

from ..keyed import by_key
from .schema import Model

__all__ = ["MODELS"]

_LLAMA = "meta-llama/llama-models models/llama3_1 (MODEL_CARD.md and the model args: layers, heads, KV heads, dim)"

#: The citation of a dense model's active parameters: its total.
_ALL_ACTIVE = "dense: every parameter is active"

MODELS: dict[str, Model] = by_key(
    Model.cited(
        key="deepseek-v3",
        name="DeepSeek-V3",
        source="deepseek-ai/DeepSeek-V3 README (671B total, 37B activated per token)",
        attention_precision=(
            "bf16",
            (
                "deepseek-ai/open-infra-index, 202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_"
                "system_overview.md: FP8 for the matrix multiplies and dispatch, BF16 for the core MLA computations"
            ),
        ),
        hidden_size=(7168, "config_671B.json: dim 7168"),
        total_params=(671e9, "DeepSeek-V3 README: 671B main-model parameters (the 14B MTP module excluded)"),
        active_params=(37e9, "DeepSeek-V3 README: 37B activated per token"),
        layers=(61, "inference/configs/config_671B.json: n_layers 61, n_dense_layers 3"),
        dense_layers=3,
        attention_heads=(128, "config_671B.json: n_heads 128"),
        kv_lora_rank=(512, "config_671B.json: kv_lora_rank 512"),
        rope_head_dim=(64, "config_671B.json: qk_rope_head_dim 64"),
        routed_experts=(256, "config_671B.json: n_routed_experts 256, n_activated_experts 8, n_shared_experts 1"),
        experts_per_token=8,
        shared_experts=1,
        released_precision="fp8",
    ),
    Model.cited(
        key="kimi-k2",
        name="Kimi K2",
        source="MoonshotAI/Kimi-K2 README, Model Summary table",
        hidden_size=(7168, "Kimi-K2 README: attention hidden dimension 7168"),
        total_params=(1e12, "Kimi-K2 README: 1T total parameters"),
        active_params=(32e9, "Kimi-K2 README: 32B activated parameters"),
        layers=(61, "Kimi-K2 README: 61 layers, 1 of them dense"),
        dense_layers=1,
        attention_heads=(64, "Kimi-K2 README: 64 attention heads, MLA"),
        kv_lora_rank=(512, "DeepSeek-V3's MLA ranks, which Kimi K2 reuses: kv_lora_rank 512"),
        rope_head_dim=(64, "DeepSeek-V3's MLA ranks: qk_rope_head_dim 64"),
        routed_experts=(384, "Kimi-K2 README: 384 experts, 8 selected per token, 1 shared"),
        experts_per_token=8,
        shared_experts=1,
        released_precision="fp8",
        note=(
            "Total: the README's 1T, not the 1.04T seen elsewhere. Counting parameters from the README's "
            "shapes (7168 hidden, 2048 per expert, 384 experts in 60 MoE layers, DeepSeek-V3's MLA ranks) "
            "gives about 1.03T total and 33B active, so the README's round figures are within 3%; 1.04T is "
            "not reproduced by the shapes."
        ),
    ),
    Model.cited(
        key="llama-3.1-8b",
        name="Llama-3.1-8B",
        source=_LLAMA,
        hidden_size=(4096, "llama3_1 model args: dim 4096"),
        total_params=(
            8.03e9,
            "Hugging Face meta-llama/Llama-3.1-8B parameter count of the released weights: 8.03B, dense",
        ),
        active_params=(8.03e9, _ALL_ACTIVE),
        layers=(32, "llama3_1 model args: n_layers 32"),
        attention_heads=(32, "llama3_1 model args: n_heads 32"),
        kv_heads=(8, "llama3_1 model args: n_kv_heads 8"),
        head_dim=(128, "llama3_1 model args: dim 4096 / 32 heads = 128"),
    ),
    Model.cited(
        key="llama-3.1-70b",
        name="Llama-3.1-70B",
        source=_LLAMA,
        hidden_size=(8192, "llama3_1 model args: dim 8192"),
        total_params=(
            70.6e9,
            "Hugging Face meta-llama/Llama-3.1-70B parameter count of the released weights: 70.6B, dense",
        ),
        active_params=(70.6e9, _ALL_ACTIVE),
        layers=(80, "llama3_1 model args: n_layers 80"),
        attention_heads=(64, "llama3_1 model args: n_heads 64"),
        kv_heads=(8, "llama3_1 model args: n_kv_heads 8"),
        head_dim=(128, "llama3_1 model args: dim 8192 / 64 heads = 128"),
    ),
    Model.cited(
        key="llama-3.1-405b",
        name="Llama-3.1-405B",
        source=_LLAMA,
        hidden_size=(16384, "llama3_1 model args: dim 16384"),
        total_params=(
            405.9e9,
            "Hugging Face meta-llama/Llama-3.1-405B parameter count of the released weights: 405.9B, dense",
        ),
        active_params=(405.9e9, _ALL_ACTIVE),
        layers=(126, "llama3_1 model args: n_layers 126"),
        attention_heads=(128, "llama3_1 model args: n_heads 128"),
        kv_heads=(8, "llama3_1 model args: n_kv_heads 8"),
        head_dim=(128, "llama3_1 model args: dim 16384 / 128 heads = 128"),
    ),
    Model.cited(
        key="mixtral-8x7b",
        name="Mixtral-8x7B",
        source="Mixtral of Experts (Jiang et al., 2024); Mistral AI announcement; maxtext configs/models/mixtral-8x7b.yml",
        hidden_size=(4096, "maxtext mixtral-8x7b.yml: base_emb_dim 4096"),
        total_params=(46.7e9, "Mistral AI announcement: 46.7B total (the paper rounds to 47B)"),
        active_params=(12.9e9, "Mistral AI announcement: 12.9B used per token (the paper rounds to 13B)"),
        layers=(32, "maxtext mixtral-8x7b.yml: base_num_decoder_layers 32"),
        attention_heads=(32, "maxtext mixtral-8x7b.yml: base_num_query_heads 32"),
        kv_heads=(8, "maxtext mixtral-8x7b.yml: base_num_kv_heads 8"),
        head_dim=(128, "maxtext mixtral-8x7b.yml: head_dim 128"),
        routed_experts=(8, "maxtext mixtral-8x7b.yml: num_experts 8, num_experts_per_tok 2, no shared expert"),
        experts_per_token=2,
        note=(
            "46.7B / 12.9B rather than the paper's rounded 47B / 13B: counting the config's shapes "
            "(32 layers × 8 experts × 3 × 4096 × 14336, plus attention and a 32,000-token vocabulary) "
            "reproduces 46.7B total and 12.9B per token."
        ),
    ),
    Model.cited(
        key="qwen3-235b-a22b",
        name="Qwen3-235B-A22B",
        source="Qwen3-235B-A22B model card; maxtext configs/models/qwen3-235b-a22b.yml",
        hidden_size=(4096, "maxtext qwen3-235b-a22b.yml: base_emb_dim 4096"),
        total_params=(235e9, "Qwen3 model card: 235B total"),
        active_params=(22e9, "Qwen3 model card: 22B activated"),
        layers=(94, "Qwen3 model card: 94 layers"),
        attention_heads=(64, "Qwen3 model card: 64 query heads"),
        kv_heads=(4, "Qwen3 model card: 4 KV heads"),
        head_dim=(128, "maxtext qwen3-235b-a22b.yml: head_dim 128"),
        routed_experts=(128, "Qwen3 model card: 128 experts, 8 activated, no shared expert"),
        experts_per_token=8,
    ),
    Model.cited(
        key="qwen3-30b-a3b",
        name="Qwen3-30B-A3B",
        source="Qwen3-30B-A3B model card; maxtext configs/models/qwen3-30b-a3b.yml",
        hidden_size=(2048, "maxtext qwen3-30b-a3b.yml: base_emb_dim 2048"),
        total_params=(30.5e9, "Qwen3 model card: 30.5B total"),
        active_params=(3.3e9, "Qwen3 model card: 3.3B activated"),
        layers=(48, "Qwen3 model card: 48 layers"),
        attention_heads=(32, "Qwen3 model card: 32 query heads"),
        kv_heads=(4, "Qwen3 model card: 4 KV heads"),
        head_dim=(128, "maxtext qwen3-30b-a3b.yml: head_dim 128"),
        routed_experts=(128, "Qwen3 model card: 128 experts, 8 activated, no shared expert"),
        experts_per_token=8,
    ),
    Model.cited(
        key="gpt-oss-120b",
        name="gpt-oss-120b",
        source="openai/gpt-oss README and gpt_oss/torch/model.py (ModelConfig)",
        hidden_size=(2880, "ModelConfig: hidden_size 2880"),
        total_params=(117e9, "gpt-oss README: 117B parameters"),
        active_params=(5.1e9, "gpt-oss README: 5.1B active parameters"),
        layers=(36, "gpt_oss/torch/model.py ModelConfig: num_hidden_layers 36"),
        attention_heads=(64, "ModelConfig: num_attention_heads 64"),
        kv_heads=(8, "ModelConfig: num_key_value_heads 8"),
        head_dim=(64, "ModelConfig: head_dim 64"),
        sliding_window_tokens=(128, "ModelConfig: sliding_window 128, applied to every other layer (18 of 36)"),
        sliding_layers=18,
        routed_experts=(128, "ModelConfig: num_experts 128, experts_per_token 4, no shared expert"),
        experts_per_token=4,
        released_precision="w4a16",
        note=(
            "Released with MXFP4 weights for the MoE layers (README), about 98% of the parameters; "
            "the 'w4a16' precision applies 4.25 bits to every weight, which undercounts the BF16 "
            "attention and embedding weights by a few GB."
        ),
    ),
)

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
