"""Typed views of `Task.metadata`: the simulated user's, the code kind's and the MCP kind's contracts.

A `Task` stays plain JSON (it travels in JSONL files, over HTTP, in TRL rows), so what a user,
checker or environment needs from a task lives in `Task.metadata`; each class here is one such
contract's schema (`StatefulMetadata`, the stateful kind's, is one too). Readers parse with `Cls.of(task)`
and read fields, never string keys; keys a class does not define pass through untouched. A bad value
is one `UserError` naming the task, the field, what it must be and pydantic's detail (worded by
`errors.invalid_input`); `load_suite` reports it at load with the file and line (`suites/checks.py`).

| class              | key in `Task.metadata`   | read by                                            |
| ------------------ | ------------------------ | -------------------------------------------------- |
| `StatefulMetadata` | `domain`, `initial_state`| the `stateful` kind (`stateful_metadata.py`)       |
|                    | `state_seed`, ...        |                                                    |
| `UserMetadata`     | `user_instruction`       | the simulated user (`run/user.py`), the audit      |
|                    | `user_turns`             | the scripted user: later user messages, in order   |
| `CodeMetadata`     | `tests`                  | the `code` kind's verifier (hidden assert lines)   |
| `MCPMetadata`      | `mcp`                    | the `mcp` kind: servers, workdir, checks, tools    |

Examples:
    >>> UserMetadata(user_turns=["And the total?"]).as_metadata()
    {'user_turns': ['And the total?']}
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import UserError, invalid_input
from ..types import Task

__all__ = ["CodeMetadata", "MCPCheck", "MCPMetadata", "MCPSpec", "TaskMetadata", "UserMetadata"]


class TaskMetadata(BaseModel):
    """Base of a typed view of `Task.metadata`: parsed strictly, extra keys kept, errors naming the field."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True, use_attribute_docstrings=True)

    rules: ClassVar[dict[str, str]] = {}
    """Field -> what its value must be, for the error message."""

    @classmethod
    def of(cls, task: Task) -> Self:
        """The task's metadata, parsed; a UserError naming the task, the field and the fix otherwise."""
        try:
            return cls.model_validate(task.metadata)
        except ValidationError as e:
            raise UserError(f"task {task.id!r}: {cls._problem(e)}") from None

    @classmethod
    def problem(cls, task: Task) -> str | None:
        """What is wrong with the task's metadata (field, rule, detail); None when it is fine."""
        try:
            cls.model_validate(task.metadata)
        except ValidationError as e:
            return cls._problem(e)
        return None

    @classmethod
    def _problem(cls, error: ValidationError) -> str:
        loc = error.errors()[0]["loc"]
        top = str(loc[0]) if loc else ""
        rule = cls.rules.get(top, "valid")
        return f"metadata.{top} must be {rule} ({invalid_input(error, quote=False)})"

    def as_metadata(self) -> dict[str, Any]:
        """The JSON object to store as `Task.metadata` (unset fields left out)."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


class UserMetadata(TaskMetadata):
    """Who answers the agent: a simulated user who knows `user_instruction`, or scripted `user_turns`."""

    rules: ClassVar[dict[str, str]] = {
        "user_instruction": "a non-empty string: what the simulated user wants",
        "user_turns": "a list of strings: the user's later messages, in order",
    }

    user_instruction: str | None = None
    """What the simulated user wants and knows (it never sees the tools)."""
    user_turns: list[str] | None = None
    """The scripted user's messages after the task's first, said in order."""

    @field_validator("user_instruction")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the instruction is blank")
        return value


class CodeMetadata(TaskMetadata):
    """A `code` task's hidden tests: assert statements run against the agent's last python block."""

    rules: ClassVar[dict[str, str]] = {"tests": "a non-empty list of assert statements (strings)"}

    tests: list[str] = Field(min_length=1)
    """Assert statements, each run on its own (`assert add(2, 3) == 5`)."""


class MCPCheck(BaseModel):
    """An outcome check: a tool called after the agent's calls are replayed, whose text must show or not show."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)

    name: str
    """The tool to call."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Its arguments."""
    contains: str | None = None
    """Text the result must show."""
    absent: str | None = None
    """Text the result must no longer show."""

    @model_validator(mode="after")
    def _says_what_to_look_for(self) -> MCPCheck:
        if self.contains is None and self.absent is None:
            raise ValueError("a check needs `contains` or `absent`")
        return self


class MCPSpec(BaseModel):
    """A task's MCP servers and how its outcome is checked (the `mcp` key)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)

    servers: dict[str, dict[str, Any]] = Field(min_length=1)
    """Name -> `{"command", "args", "env", "cwd"}` (stdio) or `{"url", "headers"}` (streamable HTTP)."""
    workdir: dict[str, Any] | None = None
    """`{"files": {path: text}, "git": true}`: a fresh directory per session, made before the servers start."""
    checks: list[MCPCheck] = Field(default_factory=list)
    """Outcome checks run on a fresh session after the agent's answered calls are replayed."""
    required_tools: list[str] = Field(default_factory=list)
    """Tool names the agent must have called successfully."""


class MCPMetadata(TaskMetadata):
    """An `mcp` task's servers and checks."""

    rules: ClassVar[dict[str, str]] = {
        "mcp": 'an object naming the MCP servers, e.g. {"servers": {"time": {"command": "{python}", '
               '"args": ["-m", "mcp_server_time"]}}}, with optional workdir, checks (each a tool `name` and '
               '`contains` or `absent`) and required_tools',
    }

    mcp: MCPSpec
    """The servers, workdir, checks and required tools."""
