"""Model presets: one cited record per language model (parameter counts, attention shape, experts)."""

from __future__ import annotations

from dataclasses import replace

from .schema import Model

__all__ = ["MODELS"]

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
            attention_precision="bf16",
            hidden_size=7168,
            source="deepseek-ai/DeepSeek-V3 README (671B total, 37B activated per token)",
            citations=(
                (
                    "attention_precision",
                    "deepseek-ai/open-infra-index, 202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_"
                    "system_overview.md: FP8 for the matrix multiplies and dispatch, BF16 for the core MLA computations",
                ),
                ("hidden_size", "config_671B.json: dim 7168"),
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
            hidden_size=7168,
            source="MoonshotAI/Kimi-K2 README, Model Summary table",
            citations=(
                ("hidden_size", "Kimi-K2 README: attention hidden dimension 7168"),
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
            hidden_size=4096,
            source=_LLAMA,
            citations=(
                ("hidden_size", "llama3_1 model args: dim 4096"),
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
            hidden_size=8192,
            source=_LLAMA,
            citations=(
                ("hidden_size", "llama3_1 model args: dim 8192"),
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
            hidden_size=16384,
            source=_LLAMA,
            citations=(
                ("hidden_size", "llama3_1 model args: dim 16384"),
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
            hidden_size=4096,
            source="Mixtral of Experts (Jiang et al., 2024); Mistral AI announcement; maxtext configs/models/mixtral-8x7b.yml",
            citations=(
                ("hidden_size", "maxtext mixtral-8x7b.yml: base_emb_dim 4096"),
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
            hidden_size=4096,
            source="Qwen3-235B-A22B model card; maxtext configs/models/qwen3-235b-a22b.yml",
            citations=(
                ("hidden_size", "maxtext qwen3-235b-a22b.yml: base_emb_dim 4096"),
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
            hidden_size=2048,
            source="Qwen3-30B-A3B model card; maxtext configs/models/qwen3-30b-a3b.yml",
            citations=(
                ("hidden_size", "maxtext qwen3-30b-a3b.yml: base_emb_dim 2048"),
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
            hidden_size=2880,
            source="openai/gpt-oss README and gpt_oss/torch/model.py (ModelConfig)",
            citations=(
                ("hidden_size", "ModelConfig: hidden_size 2880"),
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
