"""Replay files written from a stateful suite's gold actions: one line per agent turn."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from toolgym.run.user import STOP_MARKER
from toolgym.types import Task, ToolCall


def gold_lines(task: Task, extra: Callable[[Task], list[ToolCall]] | None = None) -> list[dict]:
    """Each gold action (plus `extra(task)` calls) as its own turn, then an answer stating the facts.

    A scripted user may speak after that answer; each of its turns without the stop marker gets one
    more short answer, so every turn the loop can ask for is recorded.
    """
    actions = [*(task.expected.gold_actions or []), *(extra(task) if extra else [])]
    lines = [{"id": task.id, "turn": i, "tool_calls": [
        {"id": f"gold_{i}", "type": "function", "function": {"name": a.name, "arguments": a.arguments}}]}
        for i, a in enumerate(actions)]
    lines.append({"id": task.id, "turn": len(actions), "content": " ".join(["Done.", *task.expected.facts])})
    more = [t for t in task.metadata.get("user_turns", []) if STOP_MARKER not in t]
    lines += [{"id": task.id, "turn": len(actions) + 1 + j, "content": "Noted."} for j in range(len(more))]
    return lines


def write_gold_replay(path: Path, tasks: Iterable[Task], extra: Callable[[Task], list[ToolCall]] | None = None) -> Path:
    with path.open("w") as f:
        for task in tasks:
            for line in gold_lines(task, extra):
                f.write(json.dumps(line) + "\n")
    return path


def evaluate_replay(tmp_path: Path, suite_name: str, replay: Path, **config) -> tuple:
    """Run `suite_name` with a replay file through `toolgym.run.evaluate` into a fresh SQLite store.

    Returns the run and its stored results and rollouts (as `Store.rollouts` gives them).
    """
    from toolgym.run import RunConfig, evaluate
    from toolgym.store import Store

    db = str(tmp_path / "runs.db")
    run = evaluate(RunConfig(suite=suite_name, model=f"replay:{replay}", db=db, **config))
    with Store(db) as store:
        rows = list(store.rollouts(run.id))
    return run, rows
