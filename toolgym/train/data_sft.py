"""SFT data by rejection sampling: the passed rollouts of train tasks, best of n per task, without duplicates.

Per task, the passed rollouts are ranked by reward, then by fewer generated tokens (the shorter of
two correct answers), then by run and sample order; answers that render the same are kept once, and
the first `per_task` remain. Each becomes one conversational row for TRL's SFTTrainer: `messages`
(the task's messages and the model's answer) and `tools` (the tools the task offered). A conversation
with images takes TRL's vision shape: `{"type": "image"}` placeholders in `messages` and the images,
in order, in `images`; a tool result's picture is written as `[image]` text, since TRL's vision
collator fills no placeholder of a tool message.

Examples:
    >>> record = build_sft_data("toolgym.db", ["fc-core-tiny-train"], Path("data/sft"))  # doctest: +SKIP
    >>> record.rows, record.tasks_with_rows  # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..models.vision_messages import split_images
from ..outputs import check_output
from ..store import database_files
from ..suites import Suite, head_by_category
from ..types import Message, Task
from .chat import answer_key, chat_message, chat_tools, reference_answer
from .dataset_files import DataRecord, save_data
from .filters import RowFilter, filtered_rows
from .sources import RolloutSource, ScoredRollout, read_rollouts

__all__ = ["build_sft_data", "sft_row", "sft_rows", "sft_rows_from_suite"]


def sft_row(task: Task, answer: list[Message], source: str, reward: float = 1.0) -> dict[str, Any]:
    """One SFT row: the conversation (task messages + answer), the task's tools, and its images if any."""
    conversation = [*task.messages, *answer]
    messages, images = [chat_message(m) for m in conversation], []
    if any(m.images for m in conversation):
        messages, images = split_images(messages, tool_images=False)  # TRL fills no placeholder of a tool turn
    return {
        "messages": messages,
        **({"images": images} if images else {}),
        "tools": chat_tools(task.tools),
        "task_id": task.id,
        "category": task.category,
        "source": source,
        "reward": reward,
    }


def _rank(item: tuple[int, ScoredRollout]) -> tuple[float, int, int]:
    order, scored = item
    return (-scored.verdict.reward, scored.rollout.usage.completion_tokens, order)


def sft_rows(source: RolloutSource, per_task: int = 1) -> tuple[list[dict[str, Any]], DataRecord]:
    """The SFT rows of a rollout source and the record describing them.

    Args:
        source: Scored rollouts (`read_rollouts`).
        per_task: Most distinct passed answers kept per task (best first).
    """
    if per_task < 1:
        raise ValueError(f"per_task must be >= 1, got {per_task}")
    by_task: dict[str, list[tuple[int, ScoredRollout]]] = defaultdict(list)
    for order, scored in enumerate(source.rollouts):
        by_task[scored.task.id].append((order, scored))
    rows: list[dict[str, Any]] = []
    skipped = dict(source.skipped)
    for candidates in by_task.values():
        kept: set[str] = set()
        for _, scored in sorted((c for c in candidates if c[1].verdict.passed), key=_rank):
            key = answer_key(scored.answer)
            if key in kept:
                skipped["duplicate"] = skipped.get("duplicate", 0) + 1
                continue
            if len(kept) == per_task:
                break
            kept.add(key)
            rows.append(sft_row(scored.task, scored.answer, scored.run, scored.verdict.reward))
    record = DataRecord(
        kind="sft", suite=source.suite.name, suite_version=source.suite.version, sources=source.runs,
        rows=len(rows), tasks=len(by_task), tasks_with_rows=len({r["task_id"] for r in rows}),
        skipped=skipped, settings={"per_task": per_task},
    )
    return rows, record


def sft_rows_from_suite(suite: Suite, limit: int | None = None) -> tuple[list[dict[str, Any]], DataRecord]:
    """SFT rows from the reference answers of a suite's train split (function-calling suites).

    Args:
        suite: A suite whose train tasks have `expected.calls`.
        limit: Only N train tasks, the first of each category in proportion (`head_by_category`).
    """
    tasks = head_by_category([t for t in suite.split("train") if t.expected.calls is not None], limit)
    rows = [sft_row(t, [reference_answer(t)], f"suite:{suite.name}") for t in tasks]
    record = DataRecord(
        kind="sft", suite=suite.name, suite_version=suite.version, sources=[f"suite:{suite.name}"],
        rows=len(rows), tasks=len(tasks), tasks_with_rows=len(rows), settings={"reference": True},
    )
    return rows, record


def build_sft_data(
    db: str, runs: Sequence[str], out: Path, *, per_task: int = 1, keep: RowFilter | None = None,
    jsonl: bool = False, force: bool = False,
) -> DataRecord:
    """Read the runs, keep the best passed answers per train task and write the dataset to `out`."""
    check_output(out, force=force, reading=database_files(db), folder=True)
    rows, record = filtered_rows(read_rollouts(db, runs), keep or RowFilter(), sft_rows, per_task)
    save_data(rows, record, out, jsonl=jsonl)
    return record
