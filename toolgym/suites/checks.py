"""Checks every suite passes when it is loaded, whatever its source (bundled, JSONL, BFCL, a user's module).

A task that cannot be answered or scored is a mistake in the suite, and it is cheaper to say so at
load, naming the task, than as a run of zero scores: a task with no messages (nothing to answer), an
expected call or gold action naming a tool the task does not offer (no answer can pass), and two
tasks with one id (results are keyed by id, so one would overwrite the other).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..envs.stateful_metadata import StatefulMetadata
from ..envs.task_metadata import CodeMetadata, MCPMetadata, TaskMetadata, UserMetadata
from ..errors import UserError
from ..types import Task

__all__ = ["check_tasks", "task_problem"]

#: environment kind -> the typed metadata its tasks must carry (every task: the user's, when it has one)
_CONTRACTS: dict[str | None, tuple[type[TaskMetadata], ...]] = {
    "code": (CodeMetadata,), "mcp": (MCPMetadata,), "stateful": (StatefulMetadata,)}


def task_problem(task: Task, kind: str | None = None) -> str | None:
    """What is wrong with one task, with the fix; None when it is fine.

    `kind` is the suite's environment kind: a `code` task's hidden tests and an `mcp` task's servers
    and checks are checked here too, as is the simulated or scripted user's metadata of any task.
    """
    if not task.messages:
        return "messages: the list is empty, so there is nothing to answer; give at least one user message"
    for contract in _CONTRACTS.get(kind, ()) + (UserMetadata,):
        problem = contract.problem(task)
        if problem:
            return problem
    offered = {tool.name for tool in task.tools}
    expected = task.expected
    named = [("expected.calls", c.name) for c in expected.calls or []]
    named += [("expected.gold_actions", a.name) for a in expected.gold_actions or []]
    for field, name in named:
        if name not in offered:
            listed = ", ".join(sorted(offered)) or "none"
            return (f"{field}: tool {name!r} is not offered by the task (its tools: {listed}), so no answer "
                    "can pass; add the tool to `tools` or fix the name")
    return None


def check_tasks(tasks: Iterable[Task], source: str, kind: str | None = None) -> None:
    """Raise a UserError naming the first bad or duplicate task of a suite read from `source` (`kind`: its env's)."""
    seen: dict[str, str] = {}
    for number, task in enumerate(tasks, start=1):
        where = _where(task, source, number)
        if task.id in seen:
            raise UserError(f"{where}: duplicate task id {task.id!r} (also at {seen[task.id]}); give each task "
                            "its own id")
        seen[task.id] = where
        problem = task_problem(task, kind)
        if problem:
            raise UserError(f"{where}: task {task.id!r} {problem}")


def _where(task: Task, source: str, number: int) -> str:
    """file:line when the importer recorded it (BFCL does), else the suite and the task's position."""
    file, line = task.metadata.get("file"), task.metadata.get("line")
    if isinstance(file, str) and isinstance(line, int):
        return f"{file}:{line}"
    return f"{source} task #{number}"
