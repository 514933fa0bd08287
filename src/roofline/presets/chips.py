"""Hardware presets: one cited record per accelerator chip (dense tensor rates, HBM size and bandwidth)."""

from __future__ import annotations

from ..keyed import by_key
from .schema import Hardware

__all__ = ["ARTICLE_H100", "HARDWARE"]

# Why a chip cites no network bandwidth (None): said once for the chips that share the reason.
_NO_NETWORK_FIGURE = "none: no reference system states a network bandwidth per chip"
_NO_TPU_NETWORK_FIGURE = (
    "none: chips beyond one TPU slice talk over the data-center network, which the docs give per host, not per chip"
)

HARDWARE: dict[str, Hardware] = by_key(
    Hardware.cited(
        key="a100-sxm",
        name="NVIDIA A100 80GB SXM",
        source="NVIDIA A100 Tensor Core GPU datasheet, A100 80GB SXM column; cli99/llm-analysis a100-sxm-80gb.json",
        link_bandwidth_bytes_per_s=(
            300e9,
            "A100 datasheet, 80GB SXM column: NVLink 600 GB/s (both directions), so 300 GB/s each way; 8 per HGX A100 board",
        ),
        scale_up_chips=8,
        network_bandwidth_bytes_per_s=(
            25e9,
            "DGX A100 datasheet: 8 × 200 Gb/s HDR InfiniBand for 8 GPUs, 25 GB/s each way per GPU",
        ),
        dense_bf16_flops_per_s=(312e12, "A100 datasheet, BF16 Tensor Core: 312 TFLOPS dense (624 is 'with sparsity')"),
        dense_fp8_flops_per_s=(None, "none: Ampere has no FP8 tensor cores (INT8 624 TOPS dense)"),
        memory_bytes=(80e9, "A100 datasheet, 80GB SXM column: 80 GB HBM2e"),
        bandwidth_bytes_per_s=(2.039e12, "A100 datasheet, 80GB SXM column: 2,039 GB/s"),
    ),
    Hardware.cited(
        key="h100-sxm",
        name="NVIDIA H100 SXM",
        source="NVIDIA H100 Tensor Core GPU datasheet, SXM column (dense = half the 'with sparsity' figures)",
        link_bandwidth_bytes_per_s=(
            450e9,
            "H100 datasheet, SXM column: NVLink 900 GB/s (both directions), so 450 GB/s each way; 8 per HGX H100 board",
        ),
        scale_up_chips=8,
        network_bandwidth_bytes_per_s=(
            50e9,
            "DGX H100 datasheet: 8 × 400 Gb/s ConnectX-7 for 8 GPUs, 50 GB/s each way per GPU",
        ),
        dense_bf16_flops_per_s=(
            989.4e12,
            "H100 datasheet, SXM column, BF16 Tensor Core 1,979 TFLOPS with sparsity: dense half",
        ),
        dense_fp8_flops_per_s=(
            1978.9e12,
            "H100 datasheet, SXM column, FP8 Tensor Core 3,958 TFLOPS with sparsity: dense half",
        ),
        memory_bytes=(80e9, "H100 datasheet, SXM column: 80 GB HBM3"),
        bandwidth_bytes_per_s=(3.35e12, "H100 datasheet, SXM column: 3.35 TB/s; jax-ml/scaling-book roofline.md"),
    ),
    Hardware.cited(
        key="h800",
        name="NVIDIA H800 SXM",
        source="NVIDIA H800 SXM5 product brief; DeepSeek-V3 technical report (arXiv 2412.19437), section 3.2.2",
        # The H100 SXM's compute dies and HBM3 with NVLink cut to 400 GB/s
        # for export; the tensor rates are the H100 SXM's dense ones.
        dense_bf16_flops_per_s=(989.4e12, "H800 SXM5: BF16 1,979 TFLOPS with sparsity, as the H100 SXM: dense half"),
        dense_fp8_flops_per_s=(1978.9e12, "H800 SXM5: FP8 3,958 TFLOPS with sparsity, as the H100 SXM: dense half"),
        memory_bytes=(80e9, "H800 SXM5: 80 GB HBM3"),
        bandwidth_bytes_per_s=(3.35e12, "H800 SXM5: 3.35 TB/s"),
        link_bandwidth_bytes_per_s=(200e9, "H800 SXM5: NVLink 400 GB/s (both directions), so 200 GB/s each way"),
        scale_up_chips=8,
        network_bandwidth_bytes_per_s=(
            50e9,
            "DeepSeek-V3 report, 3.2.2: InfiniBand 50 GB/s per GPU (NVLink attains about 160 GB/s there)",
        ),
        note=(
            "An export variant of the H100 SXM: same tensor rates and HBM, NVLink 400 GB/s instead of 900. "
            "DeepSeek measured about 160 GB/s of NVLink and 50 GB/s of InfiniBand per GPU in practice."
        ),
    ),
    Hardware.cited(
        key="h100-pcie",
        name="NVIDIA H100 PCIe",
        source="NVIDIA H100 Tensor Core GPU datasheet, PCIe column; cli99/llm-analysis h100-pcie-80gb.json",
        network_bandwidth_bytes_per_s=(
            64e9,
            (
                "H100 datasheet, PCIe column: PCIe Gen5 128 GB/s (both directions); cards beyond one NVLink pair "
                "exchange data over it, so 64 GB/s each way"
            ),
        ),
        link_bandwidth_bytes_per_s=(
            300e9,
            "H100 datasheet, PCIe column: NVLink bridge 600 GB/s (both directions) joining 2 cards, so 300 GB/s each way",
        ),
        scale_up_chips=2,
        dense_bf16_flops_per_s=(756e12, "H100 datasheet, PCIe column, BF16 1,513 TFLOPS with sparsity: dense 756"),
        dense_fp8_flops_per_s=(1513e12, "H100 datasheet, PCIe column, FP8 3,026 TFLOPS with sparsity: dense 1,513"),
        memory_bytes=(80e9, "H100 datasheet, PCIe column: 80 GB HBM2e"),
        bandwidth_bytes_per_s=(2.0e12, "H100 datasheet, PCIe column: 2 TB/s"),
    ),
    Hardware.cited(
        key="h200",
        name="NVIDIA H200 SXM",
        source="NVIDIA H200 Tensor Core GPU datasheet, H200 SXM column (dense = half the 'with sparsity' figures)",
        link_bandwidth_bytes_per_s=(
            450e9,
            "H200 datasheet, SXM column: NVLink 900 GB/s (both directions), so 450 GB/s each way; 8 per HGX H200 board",
        ),
        scale_up_chips=8,
        network_bandwidth_bytes_per_s=(
            50e9,
            "DGX H200 datasheet: 8 × 400 Gb/s ConnectX-7 for 8 GPUs, 50 GB/s each way per GPU",
        ),
        dense_bf16_flops_per_s=(989.5e12, "H200 datasheet, SXM column, BF16 1,979 TFLOPS with sparsity: dense half"),
        dense_fp8_flops_per_s=(1979e12, "H200 datasheet, SXM column, FP8 3,958 TFLOPS with sparsity: dense half"),
        memory_bytes=(141e9, "H200 datasheet, SXM column: 141 GB HBM3e"),
        bandwidth_bytes_per_s=(4.8e12, "H200 datasheet, SXM column: 4.8 TB/s"),
    ),
    Hardware.cited(
        key="b200",
        name="NVIDIA B200 (HGX/DGX)",
        source="NVIDIA DGX B200 datasheet (1,440 GB and 64 TB/s for 8 GPUs); HGX B200 specifications per GPU",
        link_bandwidth_bytes_per_s=(
            900e9,
            "DGX B200 datasheet: fifth-generation NVLink, 1.8 TB/s per GPU (both directions), so 900 GB/s each way; 8 GPUs",
        ),
        scale_up_chips=8,
        network_bandwidth_bytes_per_s=(
            50e9,
            "DGX B200 datasheet: 8 × 400 Gb/s ConnectX-7 for 8 GPUs, 50 GB/s each way per GPU",
        ),
        dense_bf16_flops_per_s=(2250e12, "HGX B200 per-GPU BF16 4.5 PFLOPS with sparsity: dense 2.25 PFLOPS"),
        dense_fp8_flops_per_s=(
            4500e12,
            "HGX B200 per-GPU FP8 9 PFLOPS with sparsity (DGX B200: 72 PFLOPS FP8 for 8): dense 4.5",
        ),
        memory_bytes=(180e9, "DGX B200 datasheet: 1,440 GB HBM3e for 8 GPUs, 180 GB each"),
        bandwidth_bytes_per_s=(8.0e12, "DGX B200 datasheet: 64 TB/s for 8 GPUs, 8 TB/s each"),
        note=(
            "Memory: 180 GB (what the DGX/HGX B200 exposes per GPU) rather than the 192 GB of raw HBM3e "
            "stacks quoted at launch, because the capacity wall needs the memory a serving engine can use. "
            "Bandwidth: 8 TB/s (DGX datasheet, 64 TB/s over 8 GPUs) rather than the 7.7 TB/s seen in "
            "secondary tables, because it is NVIDIA's own figure for the shipping system."
        ),
    ),
    Hardware.cited(
        key="mi300x",
        name="AMD Instinct MI300X",
        source="AMD ROCm documentation, docs/conceptual/gpu-arch/mi300.md (dense; AMD lists sparse separately)",
        software_stack="rocm",
        network_bandwidth_bytes_per_s=(None, _NO_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            448e9,
            "AMD Instinct MI300X datasheet: 7 Infinity Fabric links of 128 GB/s (both directions), 896 GB/s in all, so 448 GB/s each way; 8 per platform",
        ),
        scale_up_chips=8,
        dense_bf16_flops_per_s=(1307.4e12, "ROCm mi300.md: peak BF16 1,307.4 TFLOPS, dense"),
        dense_fp8_flops_per_s=(2614.9e12, "ROCm mi300.md: peak FP8 2,614.9 TFLOPS, dense (5,229.8 with sparsity)"),
        memory_bytes=(192e9, "ROCm mi300.md: 192 GB HBM3"),
        bandwidth_bytes_per_s=(5.3e12, "ROCm mi300.md: 5.3 TB/s"),
    ),
    Hardware.cited(
        key="mi325x",
        name="AMD Instinct MI325X",
        source="AMD Instinct MI325X datasheet",
        software_stack="rocm",
        network_bandwidth_bytes_per_s=(None, _NO_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            448e9,
            "AMD Instinct MI325X datasheet: 7 Infinity Fabric links of 128 GB/s (both directions), 896 GB/s, so 448 GB/s each way; 8 per platform",
        ),
        scale_up_chips=8,
        dense_bf16_flops_per_s=(1307.4e12, "MI325X datasheet: peak BF16 1,307.4 TFLOPS, dense"),
        dense_fp8_flops_per_s=(2614.9e12, "MI325X datasheet: peak FP8 2.6 PFLOPS dense; taken as MI300X's 2,614.9"),
        memory_bytes=(256e9, "MI325X datasheet: 256 GB HBM3E"),
        bandwidth_bytes_per_s=(6.0e12, "MI325X datasheet: 6 TB/s"),
        note=(
            "FP8: the datasheet rounds to 2.6 PFLOPS. We use MI300X's 2,614.9 TFLOPS because the MI325X "
            "keeps the same CDNA 3 compute dies at the same peak clock and only changes the memory "
            "(its BF16 figure, 1,307.4, is identical to the MI300X's)."
        ),
    ),
    Hardware.cited(
        key="tpu-v5e",
        name="Google TPU v5e",
        source="Google Cloud TPU v5e documentation (TPUs have no 2:4 sparsity: all figures dense)",
        software_stack="xla",
        network_bandwidth_bytes_per_s=(None, _NO_TPU_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            100e9,
            "Cloud TPU v5e docs: interchip interconnect 1,600 Gbps per chip (both directions), so 100 GB/s each way; up to 256 chips per pod on ICI",
        ),
        scale_up_chips=256,
        dense_bf16_flops_per_s=(197e12, "Cloud TPU v5e docs: 197 TFLOPS BF16 per chip, dense"),
        dense_fp8_flops_per_s=(None, "none: v5e has no FP8 unit (INT8 394 TOPS)"),
        memory_bytes=(16e9, "Cloud TPU v5e docs: 16 GB HBM2 per chip"),
        bandwidth_bytes_per_s=(819e9, "Cloud TPU v5e docs: 819 GB/s per chip"),
    ),
    Hardware.cited(
        key="tpu-v5p",
        name="Google TPU v5p",
        source="Google Cloud TPU v5p documentation; jax-ml/scaling-book tpus.md (dense)",
        software_stack="xla",
        network_bandwidth_bytes_per_s=(None, _NO_TPU_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            300e9,
            "Cloud TPU v5p docs: interchip interconnect 4,800 Gbps per chip (both directions), so 300 GB/s each way; up to 8,960 chips per pod on ICI",
        ),
        scale_up_chips=8960,
        dense_bf16_flops_per_s=(459e12, "Cloud TPU v5p docs: 459 TFLOPS BF16 per chip, dense"),
        dense_fp8_flops_per_s=(None, "none: v5p has no FP8 unit (INT8 918 TOPS)"),
        memory_bytes=(95e9, "Cloud TPU v5p docs: 95 GB HBM2e per chip"),
        bandwidth_bytes_per_s=(2.765e12, "Cloud TPU v5p docs: 2,765 GB/s per chip"),
    ),
    Hardware.cited(
        key="tpu-v6e",
        name="Google TPU v6e (Trillium)",
        source="Google Cloud TPU v6e documentation (dense)",
        software_stack="xla",
        network_bandwidth_bytes_per_s=(None, _NO_TPU_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            224e9,
            "Cloud TPU v6e docs: interchip interconnect 3,584 Gbps per chip (both directions), so 224 GB/s each way; up to 256 chips per pod on ICI",
        ),
        scale_up_chips=256,
        dense_bf16_flops_per_s=(918e12, "Cloud TPU v6e docs: 918 TFLOPS BF16 per chip, dense"),
        dense_fp8_flops_per_s=(None, "none: v6e has no FP8 unit (INT8 1,836 TOPS)"),
        memory_bytes=(32e9, "Cloud TPU v6e docs: 32 GB HBM per chip"),
        bandwidth_bytes_per_s=(1.638e12, "Cloud TPU v6e docs: 1,638 GB/s per chip"),
    ),
    Hardware.cited(
        key="rtx-4090",
        name="NVIDIA GeForce RTX 4090",
        source="NVIDIA Ada Lovelace architecture whitepaper, RTX 4090 column (seen via aggregators)",
        network_bandwidth_bytes_per_s=(None, _NO_NETWORK_FIGURE),
        link_bandwidth_bytes_per_s=(
            32e9,
            "Ada whitepaper: no NVLink; PCIe 4.0 x16, 64 GB/s both directions, so 32 GB/s each way; 8 cards per host assumed",
        ),
        scale_up_chips=8,
        dense_bf16_flops_per_s=(
            165.2e12,
            "Ada whitepaper: BF16 tensor with FP32 accumulate 165.2 TFLOPS dense (330.4 sparse)",
        ),
        dense_fp8_flops_per_s=(
            330.3e12,
            "Ada whitepaper: FP8 tensor with FP32 accumulate 330.3 TFLOPS dense (660.6 sparse)",
        ),
        memory_bytes=(24e9, "Ada whitepaper: 24 GB GDDR6X"),
        bandwidth_bytes_per_s=(1.008e12, "Ada whitepaper: 1,008 GB/s"),
        note=(
            "Secondary source: the whitepaper's table was read through aggregators. GeForce cards run "
            "FP32-accumulate tensor math at half the FP16-accumulate rate; we use the FP32-accumulate figures "
            "for both BF16 and FP8 (330.3, not 660.6) because inference kernels accumulate in FP32."
        ),
    ),
)

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
