"""Suite: a named, versioned set of tasks and the environment that runs and verifies them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SkipValidation, model_validator

from ..envs import ENVIRONMENTS, Environment
from ..types import Split, Task
from .compact import CompactTasks

__all__ = ["STOP_MARKER", "Suite"]

#: a user turn holding this ends the episode (`user_stop`): suites write it into scripted user turns,
#: and the simulated user is told to say it
STOP_MARKER = "###STOP###"


class Suite(BaseModel):
    """A named set of tasks with its environment; its content hash is part of every run's identity.

    `evaluate`, `train_*`, `arena` and the servers take the environment from the suite (`suite.env`),
    so a suite is all a command needs. Define one with `@suite("name")` (`registered.py`).

    Examples:
        >>> from toolgym.envs import FunctionCallingEnv
        >>> s = Suite(name="empty", tasks=[])
        >>> type(s.env).__name__, s.environment
        ('FunctionCallingEnv', 'function_calling')
    """

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, arbitrary_types_allowed=True)

    name: str
    """Name as given on the CLI (`fc-core`, `bfcl:DIR:simple`)."""
    environment: str = "function_calling"
    """Environment kind name, recorded with runs; taken from `env` when that is given."""
    tasks: Annotated[Sequence[Task], SkipValidation]
    """All tasks, both splits: a list of validated Tasks, or `CompactTasks` for large suites read from files."""
    env: Annotated[Environment, SkipValidation] = Field(default=None, exclude=True, repr=False)  # type: ignore[assignment]
    """The environment instance that runs and verifies the tasks; when not given, the registered class of
    `environment` (`ENVIRONMENTS`) with its defaults. Not part of the suite's version (only tasks are)."""

    @model_validator(mode="after")
    def _with_environment(self) -> Suite:
        if self.env is None:
            self.env = ENVIRONMENTS.get(self.environment)()
        elif not isinstance(self.env, Environment):
            raise ValueError(f"env must be an Environment instance (got {type(self.env).__name__}); "
                             "write env=StatefulEnv(domains=[...]) or leave it out")
        elif "environment" not in self.model_fields_set:
            self.environment = self.env.kind or type(self.env).__name__
        return self

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
