"""JSON Lines suites: one `Task` object per line, the interchange format for user-written suites."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError
from ..types import Task, Tool
from .compact import CompactTasks
from .suite import Suite

__all__ = ["load_jsonl_suite"]


def load_jsonl_suite(path: Path, environment: str = "function_calling") -> Suite:
    """Read a suite written as one Task per line; errors name the file, line and field."""
    if not path.is_file():
        raise UserError(f"suite file {path} does not exist; write jsonl:PATH with a JSON Lines file of tasks")
    with path.open(encoding="utf-8") as lines:  # streamed: a 100,000-task file is never held twice
        tasks = _read_tasks(path, lines)
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


def _read_tasks(path: Path, lines: Iterable[str]) -> CompactTasks:
    """Validate every line (errors name file:line:field) and keep it as compact JSON text."""
    tasks = CompactTasks.empty()
    seen: dict[str, int] = {}
    tools: dict[str, Tool] = {}  # identical tool definitions share one object: suites repeat them a lot
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if isinstance(data, dict) and isinstance(data.get("tools"), list):
                data["tools"] = [_interned(tools, t) for t in data["tools"]]
            if isinstance(data, dict) and isinstance(data.get("category"), str):
                data["category"] = sys.intern(data["category"])
            task = Task.model_validate(data)
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{lineno}: not valid JSON ({e.msg} at column {e.colno})") from None
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise UserError(f"{path}:{lineno}: field {where}: {err['msg']}") from None
        if task.id in seen:
            raise UserError(f"{path}:{lineno}: task id {task.id!r} already used on line {seen[task.id]}")
        seen[task.id] = lineno
        tasks.append(task.model_dump_json(exclude_defaults=True).encode(), task.id, task.split, task.category)
    return tasks
