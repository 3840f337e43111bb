"""Accuracy of a local model on function-calling tasks, per category, with toolgym's call checker.

A small evaluation for the training script, so a retrain reports its test figures without the run
machinery; `toolgym eval` is the full tool (repeats, store, confidence intervals).
"""

from __future__ import annotations

import asyncio

from ...check import check_calls
from ...types import SamplingConfig, Task, Verdict
from ..local import LocalModel

__all__ = ["accuracy_by_category", "verify_tasks"]


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
