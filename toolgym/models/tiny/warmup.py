"""The copying warm-up: a few hundred steps of repeating random token strings, before any task data.

Copying a value from the request into a call needs two attention heads working together: one that
looks at the previous token, and an induction head that finds where the token just written stood in
the prompt and copies the token after it. From tool calls alone a ~1M-parameter model is slow to find
this circuit, because a few value tokens hide among JSON it can predict without looking back
(measured: 0 of 100 held-out calls exact after 1,200 steps). On strings of tokens drawn uniformly
from the vocabulary nothing but copying lowers the loss, and the circuit appears within a few hundred
steps (measured, batch 32, lr 3e-3: copy accuracy 0.18 at step 250, 0.70 at 350, 0.96 at 450).

This stage works on token ids, not conversations: a plain PyTorch loop is all it needs, whereas TRL's
SFTTrainer (used for every later stage) would render and re-tokenize text for no gain. The rows are
still framed as chat turns (`user` asks, `assistant` repeats) so the circuit forms where it is used.
"""

from __future__ import annotations

import random
import time
from typing import Any

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerFast

__all__ = ["copy_warmup"]


class _Rows:
    """Random-string echo rows as padded id tensors, with labels on the repeated half only."""

    def __init__(self, tokenizer: PreTrainedTokenizerFast, seed: int) -> None:
        def ids(text: str) -> list[int]:
            return tokenizer(text, add_special_tokens=False)["input_ids"]

        self.prefix, self.middle, self.end = ids("<|im_start|>user\n"), ids("<|im_end|>\n<|im_start|>assistant\n"), ids("<|im_end|>")
        special = set(tokenizer.all_special_ids) | set(tokenizer.get_added_vocab().values())
        self.pool = [i for i in range(len(tokenizer)) if i not in special]
        self.pad = tokenizer.pad_token_id
        self.rng = random.Random(f"tiny-warmup:{seed}")

    def batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rows = []
        for _ in range(n):
            s = [self.rng.choice(self.pool) for _ in range(self.rng.randint(4, 24))]
            ids = self.prefix + s + self.middle + s + self.end
            labels = [-100] * (len(ids) - len(s) - len(self.end)) + s + self.end
            rows.append((ids, labels))
        width = max(len(ids) for ids, _ in rows)
        x = torch.full((n, width), self.pad)
        y = torch.full((n, width), -100)
        mask = torch.zeros((n, width), dtype=torch.long)
        for i, (ids, labels) in enumerate(rows):
            x[i, : len(ids)], y[i, : len(ids)], mask[i, : len(ids)] = torch.tensor(ids), torch.tensor(labels), 1
        return x, y, mask


@torch.no_grad()
def _copy_accuracy(model: PreTrainedModel, rows: _Rows, n: int = 256) -> float:
    x, y, mask = rows.batch(n)
    predicted = model(input_ids=x, attention_mask=mask).logits[:, :-1].argmax(-1)
    target = y[:, 1:]
    scored = target != -100
    return (predicted[scored] == target[scored]).float().mean().item()


def copy_warmup(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerFast,
    steps: int,
    learning_rate: float,
    batch_size: int = 32,
    seed: int = 0,
) -> dict[str, Any]:
    """Train `model` in place to repeat random token strings; returns the stage's record.

    The record holds the copy accuracy (next-token accuracy on the repeated half of fresh strings)
    before and after, so `training.json` shows whether the circuit formed.
    """
    rows = _Rows(tokenizer, seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    warm = max(1, steps // 10)
    model.train()
    start, before, loss = time.perf_counter(), _copy_accuracy(model, rows), float("nan")
    for step in range(1, steps + 1):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate * min(1.0, step / warm)
        x, y, mask = rows.batch(batch_size)
        out = model(input_ids=x, attention_mask=mask, labels=y)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss = out.loss.item()
    model.eval()
    return {
        "stage": "copy_warmup",
        "steps": steps,
        "loss": round(loss, 4),
        "copy_accuracy_before": round(before, 4),
        "copy_accuracy": round(_copy_accuracy(model, rows), 4),
        "wall_s": round(time.perf_counter() - start, 1),
    }
