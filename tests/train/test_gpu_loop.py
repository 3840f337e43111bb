"""benchmarks/gpu_loop.py (the GPU recipe's entry point) end to end at CPU toy sizes on the tiny model."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.train.crafted import needs_tiny

RECIPE = Path(__file__).resolve().parents[2] / "benchmarks"

pytestmark = [needs_tiny, pytest.mark.slow]


def _recipe():
    spec = importlib.util.spec_from_file_location("gpu_loop", RECIPE / "gpu_loop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sft_then_grpo_then_a_paired_comparison_at_toy_sizes(tmp_path):
    out = tmp_path / "gl"
    result = _recipe().main(["--model", "tiny", "--tool-mode", "native", "--device", "cpu", "--eval-limit", "4",
                             "--train-limit", "4", "--sft-steps", "1", "--grpo-steps", "1", "--batch-size", "2",
                             "--num-generations", "2", "--completion-tokens", "16", "--max-tokens", "32",
                             "--concurrency", "4", "--threads", "2", "--out", str(out)])
    assert set(result["accuracy"]) == {"before", "after"}
    for low_value_high in result["accuracy"].values():
        assert low_value_high[1] <= low_value_high[0] <= low_value_high[2]
    diff = result["after_minus_before"]
    assert diff["tasks"] == 4 and 0 <= diff["p"] <= 1
    assert list(result["stages_s"]) == ["eval before", "sft", "grpo", "eval after"]
    sft, grpo = (json.loads((out / d / "toolgym_train.json").read_text()) for d in ("sft", "grpo"))
    assert sft["method"] == "sft" and grpo["method"] == "grpo" and grpo["base_model"] == f"hf:{out / 'sft'}"


def test_the_shell_script_refuses_to_run_without_cuda():
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present: the script would run the full recipe")
    env = {**os.environ, "PYTHON": sys.executable}
    done = subprocess.run(["bash", str(RECIPE / "gpu_loop.sh"), "/tmp/unused"], capture_output=True, text=True,
                          env=env)
    assert done.returncode != 0 and "no CUDA device" in done.stderr
