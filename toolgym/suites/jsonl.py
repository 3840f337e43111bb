"""JSON Lines suites: one `Task` object per line, the interchange format for user-written suites."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError, invalid_input
from ..images import resolve_images
from ..inputs import parse_json, read_lines
from ..types import Task, Tool
from .checks import task_problem
from .compact import CompactTasks
from .suite import Suite

__all__ = ["load_jsonl_suite"]


def load_jsonl_suite(path: Path, environment: str = "function_calling") -> Suite:
    """Read a suite written as one Task per line; errors name the file, line and field."""
    if not path.exists():
        raise UserError(f"suite file {path} does not exist; write jsonl:PATH with a JSON Lines file of tasks")
    # streamed: a 100,000-task file is never held twice
    tasks = _read_tasks(path, read_lines(path, "suite file"), environment)
    if not tasks:
        raise UserError(f"{path}: no tasks found; write one JSON Task object per line")
    return Suite(name=f"jsonl:{path}", environment=environment, tasks=tasks)


def _interned(cache: dict[str, Tool], tool: object) -> object:
    """The shared Tool for this definition (validated once); anything malformed is left to Task validation."""
    if not isinstance(tool, dict):
        return tool
    key = json.dumps(tool, sort_keys=True)
    if key not in cache:
        try:
            cache[key] = Tool.model_validate(tool)
        except ValidationError:
            return tool
    return cache[key]


def _read_tasks(path: Path, lines: Iterable[tuple[int, str]], kind: str | None = None) -> CompactTasks:
    """Validate every line (errors name file:line:field) and keep it as compact JSON text."""
    tasks = CompactTasks.empty()
    seen: dict[str, int] = {}
    tools: dict[str, Tool] = {}  # identical tool definitions share one object: suites repeat them a lot
    for lineno, line in lines:
        if not line.strip():
            continue
        data = parse_json(line, f"{path}:{lineno}", "write one JSON Task object per line")
        if not isinstance(data, dict):
            raise UserError(f"{path}:{lineno}: expected a JSON object (a task), got {type(data).__name__}")
        try:
            if isinstance(data.get("tools"), list):
                data["tools"] = [_interned(tools, t) for t in data["tools"]]
            if isinstance(data.get("category"), str):
                data["category"] = sys.intern(data["category"])
            task = Task.model_validate(data)
            if any(m.images for m in task.messages):  # image paths are relative to the suite file
                messages = resolve_images(task.messages, path.parent, f"{path}:{lineno}: task {task.id!r}")
                task = task.model_copy(update={"messages": messages})
            compact = task.model_dump_json(exclude_defaults=True).encode()
        except ValidationError as e:
            raise invalid_input(e, f"{path}:{lineno}", quote=False) from None
        except (RecursionError, ValueError) as e:  # nesting past Python's or pydantic-core's recursion limit
            raise UserError(f"{path}:{lineno}: task cannot be read ({type(e).__name__}: {e}); nest it less "
                            "deeply") from None
        if task.id in seen:
            raise UserError(f"{path}:{lineno}: duplicate task id {task.id!r} (already used on line {seen[task.id]}); "
                            "give each task its own id")
        problem = task_problem(task, kind)
        if problem:
            raise UserError(f"{path}:{lineno}: task {task.id!r} {problem}")
        seen[task.id] = lineno
        tasks.append(compact, task.id, task.split, task.category)
    return tasks
