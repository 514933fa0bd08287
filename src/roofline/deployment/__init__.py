"""The article's model applied to a real deployment: chips, a model, precision, memory, money.

The article's two lines stay exactly as :mod:`roofline.model` writes them;
this module only works out, from presets, what to feed them, and adds what
the article leaves out. Each effect is one named function below, with its
assumption:

* **Precision ties bytes to arithmetic** (:func:`weight_bytes`,
  :func:`system_compute_ops_per_s`): a :class:`~roofline.presets.WeightPrecision`
  sets both the bytes per weight and which tensor rate C comes from, so FP8
  weights come with FP8 math and 8-bit weights with BF16 math halve C/byte.
* **KV from the architecture** (:func:`kv_bytes_per_sequence`,
  :func:`kv_bytes_per_token`): GQA keeps ``2 · kv_heads · head_dim`` elements
  per layer and token, MLA ``kv_lora_rank + rope_head_dim``; sliding-window
  layers keep at most the window. Times the KV precision's bytes per element.
* **MoE expert coverage** (:func:`expert_coverage`, :func:`weight_bytes_read`):
  with ``E`` routed experts, ``k`` per token and uniform, independent
  routing, a batch of ``B`` touches a fraction ``1 − (1 − k/E)^B`` of them,
  so only that share of the routed weights is read in a step.
* **Memory capacity** (:func:`capacity_batch`): the largest batch whose KV
  fits beside the weights, ``⌊(HBM − weight bytes) / KV bytes per sequence⌋``.
* **Several GPUs and their layout** (:mod:`~roofline.deployment.layout`,
  :func:`held_weight_bytes`, :func:`held_kv_bytes_per_sequence`): N GPUs
  add up FLOP/s, bandwidth and capacity, and the parallel layout (TP, EP,
  DP attention, PP; by default what the engines launch) decides what is
  copied: MLA's latent cache on every TP chip, GQA heads past the KV-head
  count, the non-expert weights under DP attention. Copies count in the
  memory wall and in the bytes read per step; the article's even split is
  the layout ``ideal``.
* **Throughput and cost** (:func:`throughput_tokens_per_s`,
  :func:`cost_usd_per_million_tokens`): ``B / T`` tokens/s, and the GPUs'
  hourly price spread over the tokens they make in an hour.
* **Two critical context lengths** (:func:`kv_equals_weights_context`,
  :func:`no_crossover_context`): where the KV read equals the weight read
  at a given batch, and past which the lines never cross.
* **Attention's own roofline** (:func:`attention_intensity`): attention's
  multiply-adds per byte of cache read against the chip's ridge at its
  precision; when it is above the ridge (absorbed MLA) a crossover exists at
  every context.
* **Attention FLOPs** (:func:`attention_ops_per_token`): on by default (the
  article leaves them out; ``attention_flops=False`` gives its lines back):
  each token also pays for attention over its context,
  at attention's own arithmetic rate (:func:`attention_math`): a model preset
  may cite the precision its attention runs in (DeepSeek runs its MLA in BF16
  while its matrix multiplies run in FP8), otherwise attention runs at the
  weights' rate.

Everything is in SI base units; C is in ops/s (FLOP/s ÷ 2), as in the article.

>>> d = deployment("h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=32768)
>>> d.active_layout.key, capacity_batch(d)
('tp8', 49)
>>> even = deployment("h200", "deepseek-v3", gpus=8, precision="fp8", kv_precision="fp8", context_tokens=32768,
...                   layout="ideal")
>>> capacity_batch(even), round(deployment_crossover_batch(even))
(396, 388)
"""

from __future__ import annotations

from .attention import AttentionIntensity, attention_intensity
from .economics import (
    cost_usd_per_million_tokens,
    implied_batch,
    throughput_tokens_per_s,
    tokens_per_s_per_gpu,
    tokens_per_s_per_sequence,
    usd_per_million_tokens,
)
from .layout import (
    IDEAL,
    LAYOUT_SOURCES,
    Collective,
    Layout,
    check_layout,
    collectives,
    copied_params,
    default_layout,
    kv_copies,
    parse_layout,
    routed_params,
    shared_params,
)
from .lines import (
    best_batch,
    deployment_crossover_batch,
    kv_equals_weights_context,
    kv_free_sweet_spot,
    no_crossover_context,
    params_at,
    precision_sweet_spot,
    step_at,
)
from .memory import (
    attention_flop_per_kv_byte,
    attention_ops_per_token,
    capacity_batch,
    capacity_problem,
    context_layer_tokens,
    expert_coverage,
    held_kv_bytes_per_sequence,
    held_weight_bytes,
    held_weight_bytes_per_gpu,
    kv_bytes_per_sequence,
    kv_bytes_per_token,
    min_gpus,
    routed_weight_bytes_read,
    weight_bytes,
    weight_bytes_read,
    weight_params_read,
    weight_share_read,
    weights_fit,
)
from .report import (
    CHECK_STAGES,
    CITED,
    Prediction,
    PublishedComparison,
    Report,
    cited_speculation,
    compare_with_published,
    evaluate_deployment,
    predict_deployment,
    stated_layout,
)
from .spec import (
    Deployment,
    attention_compute_ops_per_s,
    attention_math,
    deployment,
    system_bandwidth_bytes_per_s,
    system_compute_ops_per_s,
    system_memory_bytes,
)

__all__ = [
    "CHECK_STAGES",
    "CITED",
    "IDEAL",
    "LAYOUT_SOURCES",
    "AttentionIntensity",
    "Collective",
    "Deployment",
    "Layout",
    "Prediction",
    "PublishedComparison",
    "Report",
    "attention_compute_ops_per_s",
    "attention_flop_per_kv_byte",
    "attention_intensity",
    "attention_math",
    "attention_ops_per_token",
    "best_batch",
    "capacity_batch",
    "capacity_problem",
    "check_layout",
    "cited_speculation",
    "collectives",
    "compare_with_published",
    "context_layer_tokens",
    "copied_params",
    "cost_usd_per_million_tokens",
    "default_layout",
    "deployment",
    "deployment_crossover_batch",
    "evaluate_deployment",
    "expert_coverage",
    "held_kv_bytes_per_sequence",
    "held_weight_bytes",
    "held_weight_bytes_per_gpu",
    "implied_batch",
    "kv_bytes_per_sequence",
    "kv_bytes_per_token",
    "kv_copies",
    "kv_equals_weights_context",
    "kv_free_sweet_spot",
    "min_gpus",
    "no_crossover_context",
    "params_at",
    "parse_layout",
    "precision_sweet_spot",
    "predict_deployment",
    "routed_params",
    "routed_weight_bytes_read",
    "shared_params",
    "stated_layout",
    "step_at",
    "system_bandwidth_bytes_per_s",
    "system_compute_ops_per_s",
    "system_memory_bytes",
    "throughput_tokens_per_s",
    "tokens_per_s_per_gpu",
    "tokens_per_s_per_sequence",
    "usd_per_million_tokens",
    "weight_bytes",
    "weight_bytes_read",
    "weight_params_read",
    "weight_share_read",
    "weights_fit",
]
