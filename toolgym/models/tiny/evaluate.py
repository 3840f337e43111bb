"""Accuracy of a local model on function-calling tasks, per category, with toolgym's call checker.

A small evaluation for the training script, so a retrain reports its test figures without the run
machinery; `toolgym eval` is the full tool (repeats, store, confidence intervals).
"""

from __future__ import annotations

import asyncio
from typing import Any

from ...check import check_calls
from ...types import SamplingConfig, Task, Verdict
from ..local import LocalModel
from .data import encode_conversation, task_conversation
from .probe import request_ids, teacher_forced

__all__ = ["accuracy_by_category", "copy_probe", "verify_tasks"]


async def _answers(model: LocalModel, tasks: list[Task], sampling: SamplingConfig) -> list:
    try:
        return await asyncio.gather(*(model.generate(t.messages, t.tools, sampling) for t in tasks))
    finally:
        await model.aclose()


def verify_tasks(model: LocalModel, tasks: list[Task], max_tokens: int = 192) -> list[Verdict]:
    """Greedy answers to `tasks`, checked in toolgym mode; one verdict per task, in order."""
    sampling = SamplingConfig(temperature=0.0, max_tokens=max_tokens)
    completions = asyncio.run(_answers(model, tasks, sampling))
    return [
        check_calls(
            c.tool_calls, t.expected.calls or [], t.tools, t.category, mode="toolgym", parse_error=c.parse_error
        )
        for t, c in zip(tasks, completions, strict=True)
    ]


def accuracy_by_category(tasks: list[Task], verdicts: list[Verdict]) -> dict[str, dict[str, float]]:
    """`{category: {"passed", "total", "accuracy"}}` plus an `all` entry over every task."""
    table: dict[str, dict[str, float]] = {}
    for task, verdict in zip(tasks, verdicts, strict=True):
        for key in (task.category, "all"):
            row = table.setdefault(key, {"passed": 0, "total": 0, "accuracy": 0.0})
            row["passed"] += int(verdict.passed)
            row["total"] += 1
    for row in table.values():
        row["accuracy"] = round(row["passed"] / row["total"], 4)
    return table


def _answer_tokens(ids: list[int], mask: list[int], turn_start: int) -> list[tuple[int, str]]:
    """(position, kind) of each answer token that stands in the user turn.

    `continue` when it follows its predecessor there too (a copy going on), `start` when it stands
    there alone (a copy starting).
    """
    user = request_ids(ids, mask, turn_start)
    pairs, seen = set(zip(user, user[1:], strict=False)), set(user)
    return [
        (i, "continue" if (ids[i - 1], ids[i]) in pairs else "start")
        for i in range(mask.index(1), len(ids))
        if mask[i] and ids[i] in seen
    ]


def copy_probe(model: Any, tokenizer: Any, tasks: list[Task], batch_size: int = 32) -> dict[str, Any]:
    """Teacher-forced accuracy on the answer tokens that copy from the request, split by kind.

    A call's value is copied token by token: `start` tokens stand in the request but not after the
    token before them (finding the slot), `continue` tokens follow their predecessor there too
    (going on with a copy, what an induction head does). End-of-run accuracy says whether the model
    calls well; this says which half of copying it has learnt. Only tokens with a letter or digit
    count, so JSON punctuation does not dilute the figure. `probe.answer_probe` splits every answer
    token finer (names, keys, ambiguous continuations, values not in the request).
    """
    turn_start = tokenizer.convert_tokens_to_ids("<|im_start|>")
    encoded = []
    for task in tasks:
        if not task.expected.calls:
            continue
        ids, mask = encode_conversation(tokenizer, task_conversation(task))
        positions = _answer_tokens(ids, mask, turn_start)
        scored = [(i, kind) for i, kind in positions if any(c.isalnum() for c in tokenizer.decode([ids[i]]))]
        encoded.append((ids, scored))
    counts = {"start": [0, 0], "continue": [0, 0]}
    predictions = teacher_forced(model, tokenizer.pad_token_id, [ids for ids, _ in encoded], batch_size)
    for (ids, positions), (_, predicted) in zip(encoded, predictions, strict=True):
        for i, kind in positions:
            counts[kind][0] += int(predicted[i] == ids[i])
            counts[kind][1] += 1
    return {
        kind: {"accuracy": round(right / max(1, total), 4), "tokens": total} for kind, (right, total) in counts.items()
    }
