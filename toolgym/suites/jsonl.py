"""JSON Lines suites: one `Task` object per line, the interchange format for user-written suites."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError
from ..types import Task
from .suite import Suite

__all__ = ["load_jsonl_suite"]


def load_jsonl_suite(path: Path, environment: str = "function_calling") -> Suite:
    """Read a suite written as one Task per line; errors name the file, line and field."""
    if not path.is_file():
        raise UserError(f"suite file {path} does not exist; write jsonl:PATH with a JSON Lines file of tasks")
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            task = Task.model_validate(json.loads(line))
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{lineno}: not valid JSON ({e.msg} at column {e.colno})") from None
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise UserError(f"{path}:{lineno}: field {where}: {err['msg']}") from None
        if task.id in seen:
            raise UserError(f"{path}:{lineno}: task id {task.id!r} already used on line {seen[task.id]}")
        seen[task.id] = lineno
        tasks.append(task)
    if not tasks:
        raise UserError(f"{path}: no tasks found; write one JSON Task object per line")
    return Suite(name=f"jsonl:{path}", environment=environment, tasks=tasks)
