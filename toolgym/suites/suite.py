"""Suite: a named, versioned set of tasks from one environment kind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, SkipValidation

from ..types import Split, Task
from .compact import CompactTasks

__all__ = ["STOP_MARKER", "Suite"]

#: a user turn holding this ends the episode (`user_stop`): suites write it into scripted user turns,
#: and the simulated user is told to say it
STOP_MARKER = "###STOP###"


class Suite(BaseModel):
    """A named set of tasks; its content hash is part of every run's identity."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, arbitrary_types_allowed=True)

    name: str
    """Name as given on the CLI (`fc-core`, `bfcl:DIR:simple`)."""
    environment: str = "function_calling"
    """Registered environment kind that runs and verifies these tasks."""
    tasks: Annotated[Sequence[Task], SkipValidation]
    """All tasks, both splits: a list of validated Tasks, or `CompactTasks` for large suites read from files."""

    @cached_property
    def version(self) -> str:
        """Content hash (12 hex digits of SHA-256 over the canonical JSON of the tasks)."""
        h = hashlib.sha256()
        for task in self.tasks:
            h.update(json.dumps(task.model_dump(mode="json"), sort_keys=True).encode())
        return h.hexdigest()[:12]

    def split(self, split: Split | None) -> Sequence[Task]:
        """Tasks of one split (all tasks when `split` is None)."""
        if isinstance(self.tasks, CompactTasks):
            return self.tasks.where(split)
        return [t for t in self.tasks if split is None or t.split == split]

    def categories(self) -> list[str]:
        """Category names in first-seen order."""
        if isinstance(self.tasks, CompactTasks):
            return self.tasks.categories()
        return list(dict.fromkeys(t.category for t in self.tasks))
