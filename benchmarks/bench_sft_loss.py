"""Benchmark of one SFT step of the tiny-model recipe: TRL's fused-head loss vs the answer-only loss.

Same model, same batches of fc-core train rows (rendered by the bundled tokenizer, batch 16), the two
losses alternating batch by batch: forward, loss and backward, timed per batch (the optimizer step is
the same for both and left out). Prints the median milliseconds of each, their ratio, and the largest
difference between the two losses (they must agree: the fast one only skips work).

Run: .venv/bin/python benchmarks/bench_sft_loss.py [--batches 30] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from transformers import Qwen2ForCausalLM
from trl import SFTTrainer

from toolgym.models.hf_tokenizer import load_tokenizer
from toolgym.models.tiny import TINY_MODEL_DIR
from toolgym.suites.fc_core import build_fc_core
from toolgym.train.tiny.data import task_conversation
from toolgym.train.tiny.recipe import Stage, TinyConfig, _encode, _trainer, model_config


def _timed(loss_fn, model, batch) -> tuple[float, float]:
    start = time.perf_counter()
    loss = loss_fn(model, dict(batch))
    loss.backward()
    model.zero_grad(set_to_none=True)
    return time.perf_counter() - start, loss.item()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    cfg = TinyConfig()
    tokenizer = load_tokenizer(TINY_MODEL_DIR)
    tasks = build_fc_core(seed=0, n_train=16 * args.batches, n_test=0).split("train")
    rows = _encode(tokenizer, [task_conversation(t) for t in tasks], cfg.max_length)
    model = Qwen2ForCausalLM(model_config(cfg, tokenizer))
    with tempfile.TemporaryDirectory() as work:
        trainer = _trainer(model, tokenizer, Stage("tools", 1, 1e-3), rows, cfg, Path(work))
        model.train()
        fast, trl, gap = [], [], 0.0
        batches = list(trainer.get_train_dataloader())
        for i, batch in enumerate(batches):
            ours_s, ours_loss = _timed(trainer.compute_loss, model, batch)
            trl_s, trl_loss = _timed(lambda m, b: SFTTrainer.compute_loss(trainer, m, b), model, batch)
            if i:  # the first batch warms up both paths
                fast.append(ours_s)
                trl.append(trl_s)
            gap = max(gap, abs(ours_loss - trl_loss))
    tokens = statistics.median(int(b["attention_mask"].sum()) for b in batches)
    print(f"tiny model ({sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params), {len(fast)} batches of 16 "
          f"(median {tokens:.0f} tokens), {args.threads} threads; forward + loss + backward per batch:")
    print(f"  TRL fused-head loss     median {statistics.median(trl) * 1000:7.1f} ms")
    print(f"  answer-only loss        median {statistics.median(fast) * 1000:7.1f} ms")
    print(f"  speed-up                {statistics.median(trl) / statistics.median(fast):.2f}x "
          f"(ratio of medians); largest loss difference {gap:.2e}")


if __name__ == "__main__":
    main()
