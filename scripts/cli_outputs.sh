#!/usr/bin/env bash
# The CLI's output for a fixed list of commands, each with its exit status: a
# structural change (a module moved or renamed) must leave this byte-identical.
#
#   bash scripts/cli_outputs.sh > before.txt   # at the start commit
#   bash scripts/cli_outputs.sh > after.txt    # at the end
#   diff before.txt after.txt                  # must print nothing
#
# Runs the working tree's src/ (not an installed copy) through `python -m roofline`,
# and once through the console script's entry point, roofline.cli:main.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export PYTHONPATH=src

run() {
    printf '### roofline %s\n' "$*"
    "$PY" -m roofline "$@" 2>&1
    printf '### exit %s\n\n' "$?"
}

run
run --json
run --batch 1024 --context 128Ki --json
run --batch 0
run --tpot-target-ms 50
run --draft-tokens 2 --acceptance 0.7 --json
run --version
run presets
run presets --json
run --hardware h200 --model deepseek-v3 --gpus 8
run --hardware h200 --model deepseek-v3 --gpus 8 --precision fp8 --kv-precision fp8 --context 32Ki --json
run --hardware h100-sxm --model llama-3.1-70b --gpus 8 --tp 4 --pp 2 --price 3 --batch 64
run --hardware h800 --model deepseek-v3 --gpus 32 --ep 32 --dp-attention --json
run --hardware mi300x --model llama-3.1-405b --gpus 8 --ideal --no-attention-flops --no-moe-discount
run --hardware h200 --model deepseek-v3 --gpus 8 --attention-precision bf16 --compute 500T --bandwidth 4T
run --hardware rtx-4090 --model llama-3.1-70b
run --hardware h200 --model deepseek-v3 --gpus 8 --mtp
run --hardware h200 --model deepseek-v3 --gpus 8 --mtp --tpot-target-ms 30 --json
run --hardware nope --model deepseek-v3
run serving --hardware h200 --model deepseek-v3 --gpus 8 --precision fp8 --input-tokens 1000 --output-tokens 500 --concurrency 64
run serving --hardware h200 --model deepseek-v3 --gpus 8 --precision fp8 --input-tokens 1000 --output-tokens 500 --concurrency 64 --json
run serving --hardware h100-sxm --model llama-3.1-70b --gpus 4 --input-tokens 2000 --output-tokens 200 --tpot-target-ms 40
run serving --hardware h100-sxm --model llama-3.1-70b --gpus 4 --input-tokens 2000 --output-tokens 200 --tpot-target-ms 40 --json
run serving --hardware h800 --model deepseek-v3 --gpus 16 --precision fp8 --input-tokens 4000 --output-tokens 1000 --concurrency 128 --mtp --disaggregated --json
run serving --hardware h200 --model llama-3.1-8b --input-tokens 100 --output-tokens 100 --concurrency 8 --draft-tokens 3 --acceptance 0.6 --usd-per-gpu-hour 4
run serving --hardware h200 --model llama-3.1-8b --input-tokens 100 --output-tokens 100
# The console script's entry point ([project.scripts] roofline = "roofline.cli:main").
printf '### roofline.cli:main --hardware h200 --model llama-3.1-8b --json\n'
"$PY" -c 'import sys; from roofline.cli import main; sys.exit(main(["--hardware", "h200", "--model", "llama-3.1-8b", "--json"]))' 2>&1
printf '### exit %s\n\n' "$?"
# roofline.cli.json_output (what the simulator's export runs).
printf '### roofline.cli.json_output serving\n'
"$PY" -c 'from roofline.cli import json_output; import json; print(json.dumps(json_output(["serving", "--hardware", "h200", "--model", "llama-3.1-8b", "--input-tokens", "100", "--output-tokens", "100", "--concurrency", "4"]), sort_keys=True))' 2>&1
printf '### exit %s\n' "$?"
