"""The copying warm-up: a few hundred steps of repeating random token strings, before any task data.

Copying a value from the request into a call needs two attention heads working together: one that
looks at the previous token, and an induction head that finds where the token just written stood in
the prompt and copies the token after it. On strings of tokens drawn uniformly from the vocabulary
nothing but copying lowers the loss, and a copy appears within a few hundred steps (measured, batch
32, lr 3e-3: copy accuracy 0.10 at step 100, 0.47 at 300, 0.96 at 500).

But that copy is *positional*, not an induction head: the answer's i-th token is the request's i-th,
so attending by position solves the whole task. The record therefore also reports
`span_copy_accuracy`: strings whose answer repeats a sub-span starting at a random place, scored on
the tokens after the span's first, which only content-based copying predicts. Measured on the
recipe's 1.3M model: echo copy 0.96 and span copy 0.02 after the warm-up; trained on span rows
(or on dense random sequences with repeats) the same model stayed below 0.03 after 650-700 steps,
also with a hand-set previous-token head in layer 0 (hence `circuit.py`). SFT after this warm-up
left the model unable to go on with a copied value: 8% of the teacher-forced continuation tokens
right on fc-core test (`evaluate.copy_probe`), against 73% with `circuit.py`.

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

from .data import plain_token_ids

__all__ = ["copy_accuracies", "copy_warmup", "pad_rows"]


class _Rows:
    """Random-string rows as padded id tensors: the user writes a string, the assistant repeats it.

    `batch` repeats the whole string and scores all of it (the warm-up's rows); `span_batch` repeats a
    sub-span that starts at a random place and scores only the tokens after its first (the probe);
    `spaced_batch` does the same on words of one or two tokens separated by spaces, drawn from a small
    lexicon so that words repeat, as in a request (the space token then stands many times).
    """

    def __init__(self, tokenizer: PreTrainedTokenizerFast, seed: int) -> None:
        def ids(text: str) -> list[int]:
            return tokenizer(text, add_special_tokens=False)["input_ids"]

        self.prefix, self.end = ids("<|im_start|>user\n"), ids("<|im_end|>")
        self.middle = ids("<|im_end|>\n<|im_start|>assistant\n")
        self.space = ids(" ")
        self.pool = plain_token_ids(tokenizer)
        self.pad = tokenizer.pad_token_id
        self.rng = random.Random(f"tiny-warmup:{seed}")

    def _string(self, lo: int, hi: int) -> list[int]:
        return [self.rng.choice(self.pool) for _ in range(self.rng.randint(lo, hi))]

    def batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rows = []
        for _ in range(n):
            s = self._string(4, 24)
            ids = self.prefix + s + self.middle + s + self.end
            labels = [-100] * (len(ids) - len(s) - len(self.end)) + s + self.end
            rows.append((ids, labels))
        return pad_rows(rows, self.pad)

    def span_batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return pad_rows([self._span_row(self._string(16, 48), 3, 8) for _ in range(n)], self.pad)

    def spaced_batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        lexicon = [self._string(1, 2) for _ in range(40)]
        rows = []
        for _ in range(n):
            words = [self.rng.choice(lexicon) for _ in range(self.rng.randint(8, 20))]
            rows.append(self._span_row([i for w in words for i in w + self.space], 4, 10))
        return pad_rows(rows, self.pad)

    def _span_row(self, s: list[int], lo: int, hi: int) -> tuple[list[int], list[int]]:
        k = self.rng.randint(lo, hi)
        start = self.rng.randrange(len(s) - k)
        span = s[start : start + k]
        ids = self.prefix + s + self.middle + span + self.end
        return ids, [-100] * (len(ids) - k - len(self.end) + 1) + span[1:] + [-100] * len(self.end)


def pad_rows(rows: list[tuple[list[int], list[int]]], pad: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(ids, labels) rows as right-padded tensors: input ids, labels (-100 on padding), attention mask."""
    n = len(rows)
    width = max(len(ids) for ids, _ in rows)
    x = torch.full((n, width), pad)
    y = torch.full((n, width), -100)
    mask = torch.zeros((n, width), dtype=torch.long)
    for i, (ids, labels) in enumerate(rows):
        x[i, : len(ids)], y[i, : len(ids)], mask[i, : len(ids)] = torch.tensor(ids), torch.tensor(labels), 1
    return x, y, mask


@torch.no_grad()
def _copy_accuracy(model: PreTrainedModel, rows: _Rows, n: int = 256, kind: str = "echo") -> float:
    x, y, mask = {"echo": rows.batch, "span": rows.span_batch, "spaced": rows.spaced_batch}[kind](n)
    predicted = model(input_ids=x, attention_mask=mask).logits[:, :-1].argmax(-1)
    target = y[:, 1:]
    scored = target != -100
    return (predicted[scored] == target[scored]).float().mean().item()


def copy_accuracies(model: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, seed: int = 0) -> dict[str, float]:
    """Echo, span and spaced copy accuracy of `model` on fresh random rows.

    Echo (whole strings) is solvable by position, span (a sub-span from a random place) needs the
    induction head, spaced (words between repeated space tokens) needs the circuit's skip pair too.
    """
    return _accuracies(model, _Rows(tokenizer, seed))


def _accuracies(model: PreTrainedModel, rows: _Rows) -> dict[str, float]:
    return {
        "copy_accuracy": round(_copy_accuracy(model, rows), 4),
        "span_copy_accuracy": round(_copy_accuracy(model, rows, kind="span"), 4),
        "spaced_copy_accuracy": round(_copy_accuracy(model, rows, kind="spaced"), 4),
    }


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
    before and after, and the span copy accuracy after (`_Rows.span_batch`), so `training.json`
    shows whether the copy is content-based or only positional.
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
        **_accuracies(model, rows),
        "wall_s": round(time.perf_counter() - start, 1),
    }
