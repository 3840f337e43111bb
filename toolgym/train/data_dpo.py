"""DPO data: preference pairs from verified rollouts, from reference answers, and from judged battles.

* Rollouts: per train task, a passed answer (chosen) against a failed one (rejected), as many as
  `pairs_per_task` distinct pairs, best passed answers first (ranked as for SFT).
* A suite: its reference answer against a copy corrupted by `toolgym.check.perturb` (a wrong value,
  a missing parameter...), the kinds taken in turn; tasks whose answer is no call are left out.
* Battles: two answers to one prompt and who won (`Judgment`); ties are left out. The arena layer
  stores judged games and answers separately; read them there and pass `Judgment`s here.

Rows are conversational: `prompt` (the task's messages), `chosen` and `rejected` (the answers'
messages), plus `tools`, as TRL's DPOTrainer takes them. A prompt with images takes TRL's vision shape
(`{"type": "image"}` placeholders and an `images` column); images inside the answers (a tool's
picture) are written as `[image]` text there, since the trainer takes images with the prompt only.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..check import PERTURBATION_KINDS, perturb
from ..models.vision_messages import split_images, text_parts
from ..outputs import check_output
from ..store import database_files
from ..suites import Suite, head_by_category
from ..types import Message, Task, Tool
from .chat import answer_key, chat_message, chat_tools, reference_answer
from .dataset_files import DataRecord, save_data
from .filters import RowFilter, filtered_rows
from .sources import RolloutSource, ScoredRollout, read_rollouts

__all__ = ["Judgment", "battle_pairs", "build_dpo_data", "dpo_row", "dpo_rows", "dpo_rows_from_suite"]


class Judgment(NamedTuple):
    """Two answers to one prompt and which was better: one arena game or human vote."""

    prompt: list[Message]
    """The conversation both answers reply to."""
    answer_a: list[Message] | str
    """The first answer: its messages, or its text."""
    answer_b: list[Message] | str
    """The second answer."""
    winner: Literal["a", "b", "tie"]
    """Which answer won; ties give no pair."""
    prompt_id: str = ""
    """Id of the prompt, kept in the row's task_id column."""
    category: str = ""
    """Category of the prompt."""
    tools: tuple[Tool, ...] = ()
    """Tools offered with the prompt."""


def dpo_row(
    prompt: list[Message], chosen: list[Message], rejected: list[Message], tools: list[Tool], *,
    task_id: str, category: str, source: str, reward: float = 1.0,
) -> dict[str, Any]:
    """One conversational preference row (with `images` when the prompt has any)."""
    shown, images = [chat_message(m) for m in prompt], []
    if any(m.images for m in prompt):
        shown, images = split_images(shown)
    return {
        "prompt": shown,
        **({"images": images} if images else {}),
        "chosen": text_parts([chat_message(m) for m in chosen]),
        "rejected": text_parts([chat_message(m) for m in rejected]),
        "tools": chat_tools(tools),
        "task_id": task_id,
        "category": category,
        "source": source,
        "reward": reward,
    }


def _distinct(items: Iterable[ScoredRollout]) -> list[ScoredRollout]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = answer_key(item.answer)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def dpo_rows(source: RolloutSource, pairs_per_task: int = 1) -> tuple[list[dict[str, Any]], DataRecord]:
    """Preference rows from passed and failed rollouts of the same train tasks, and their record.

    Args:
        source: Scored rollouts (`read_rollouts`).
        pairs_per_task: Most pairs per task; each answer is used as few times as possible.
    """
    if pairs_per_task < 1:
        raise ValueError(f"pairs_per_task must be >= 1, got {pairs_per_task}")
    by_task: dict[str, list[ScoredRollout]] = defaultdict(list)
    for scored in source.rollouts:
        by_task[scored.task.id].append(scored)
    rows: list[dict[str, Any]] = []
    skipped = dict(source.skipped)
    for items in by_task.values():
        ranked = sorted(enumerate(items), key=lambda p: (-p[1].verdict.reward, p[1].rollout.usage.completion_tokens,
                                                           p[0]))
        passed = _distinct(s for _, s in ranked if s.verdict.passed)
        failed = _distinct(s for s in items if not s.verdict.passed)
        if not passed or not failed:
            reason = "no_passed" if not passed else "no_failed"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        for i in range(min(pairs_per_task, max(len(passed), len(failed)))):
            good, bad = passed[i % len(passed)], failed[i % len(failed)]
            rows.append(dpo_row(good.task.messages, good.answer, bad.answer, good.task.tools, task_id=good.task.id,
                                category=good.task.category, source=good.run, reward=good.verdict.reward))
    record = DataRecord(
        kind="dpo", suite=source.suite.name, suite_version=source.suite.version, sources=source.runs,
        rows=len(rows), tasks=len(by_task), tasks_with_rows=len({r["task_id"] for r in rows}),
        skipped=skipped, settings={"pairs_per_task": pairs_per_task},
    )
    return rows, record


def dpo_rows_from_suite(
    suite: Suite, *, seed: int = 0, limit: int | None = None
) -> tuple[list[dict[str, Any]], DataRecord]:
    """Reference answer (chosen) against a perturbed copy (rejected), for each train task that makes calls."""
    rng = random.Random(f"dpo:{seed}")
    tasks = head_by_category([t for t in suite.split("train") if t.expected.calls], limit)
    rows, skipped = [], 0
    for i, task in enumerate(tasks):
        good = reference_answer(task)
        bad = _perturbed(task, good, i, rng)
        if bad is None:
            skipped += 1
            continue
        rows.append(dpo_row(task.messages, [good], [bad], task.tools, task_id=task.id, category=task.category,
                            source=f"suite:{suite.name}"))
    record = DataRecord(
        kind="dpo", suite=suite.name, suite_version=suite.version, sources=[f"suite:{suite.name}"], rows=len(rows),
        tasks=len(tasks), tasks_with_rows=len(rows), skipped={"no_perturbation": skipped} if skipped else {},
        settings={"reference": True, "seed": seed},
    )
    return rows, record


def _perturbed(task: Task, good: Message, i: int, rng: random.Random) -> Message | None:
    kinds = PERTURBATION_KINDS[i % len(PERTURBATION_KINDS):] + PERTURBATION_KINDS[: i % len(PERTURBATION_KINDS)]
    for kind in kinds:  # the kinds in turn, so the rejected answers cover every mistake
        calls = perturb(good.tool_calls, task.tools, kind, rng)
        if calls is not None:
            return Message(role="assistant", content=None, tool_calls=calls)
    return None


def battle_pairs(judgments: Iterable[Judgment], source: str = "battles") -> list[dict[str, Any]]:
    """Preference rows from judged battles: the winner's answer is chosen; ties are left out."""
    rows = []
    for j in judgments:
        if j.winner == "tie":
            continue
        a, b = _as_messages(j.answer_a), _as_messages(j.answer_b)
        chosen, rejected = (a, b) if j.winner == "a" else (b, a)
        rows.append(dpo_row(j.prompt, chosen, rejected, list(j.tools), task_id=j.prompt_id, category=j.category,
                            source=source))
    return rows


def _as_messages(answer: list[Message] | str) -> list[Message]:
    return [Message(role="assistant", content=answer)] if isinstance(answer, str) else answer


def build_dpo_data(
    db: str, runs: Sequence[str], out: Path, *, pairs_per_task: int = 1, keep: RowFilter | None = None,
    jsonl: bool = False, force: bool = False,
) -> DataRecord:
    """Read the runs, pair passed with failed answers per train task and write the dataset to `out`."""
    check_output(out, force=force, reading=database_files(db), folder=True)
    rows, record = filtered_rows(read_rollouts(db, runs), keep or RowFilter(), dpo_rows, pairs_per_task)
    save_data(rows, record, out, jsonl=jsonl)
    return record
