"""Arena prompts: the questions every model answers, from a JSON Lines file or a suite.

A prompts file has one JSON object per line::

    {"id": "q1", "prompt": "Explain CRDTs to a backend engineer.", "category": "coding"}
    {"id": "q2", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}

`prompt` (one user message) or `messages` (a chat ending with a user message); `category` is
optional (default `general`). Prompts become `Task`s without tools in a `Suite` named
`arena:FILE_NAME`, whose content hash identifies the prompt set in runs and battles. A suite spec
(`fc-core`, `jsonl:FILE`) is also accepted: its test split is used as is, tools included.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..errors import UserError, invalid_input
from ..inputs import parse_json, read_text
from ..suites import Suite, load_suite
from ..types import Message, Task, text_of
from .environment import ArenaEnvironment

__all__ = ["DEFAULT_CATEGORY", "PromptRecord", "load_prompts", "prompt_set_name", "question_text"]

DEFAULT_CATEGORY = "general"
"""Category of a prompt whose line names none."""


class PromptRecord(BaseModel):
    """One line of a prompts file."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    id: str | int
    """Unique id of the prompt within the file."""
    prompt: str | None = None
    """The question, as one user message."""
    messages: list[Message] | None = None
    """The conversation to answer instead of `prompt`; it ends with a user message."""
    category: str = DEFAULT_CATEGORY
    """Category name, for per-category leaderboards."""

    @model_validator(mode="after")
    def _one_shape(self) -> PromptRecord:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError('give either "prompt" (a string) or "messages" (a chat), exactly one')
        if self.messages is not None and (not self.messages or self.messages[-1].role != "user"):
            raise ValueError('"messages" must end with a user message')
        return self

    def to_task(self) -> Task:
        """The prompt as a tool-less test Task."""
        messages = self.messages or [Message(role="user", content=self.prompt)]
        return Task(id=str(self.id), messages=messages, category=self.category)


def load_prompts(spec: str) -> Suite:
    """The prompt set `spec` names: a JSONL prompts file, or a suite spec (its test split).

    Raises:
        UserError: a missing file, a malformed line (naming file:line and the field), a repeated id,
            or an unknown suite.
    """
    path = Path(spec).expanduser()
    if path.is_file():
        return _read_file(path)
    if ":" not in spec and (path.suffix in (".jsonl", ".json") or "/" in spec):
        raise UserError(f"prompts file {spec} does not exist; give a JSONL file of prompts or a suite name")
    suite = load_suite(spec)
    tasks = suite.split("test")
    if not tasks:
        raise UserError(f"suite {spec!r} has no test tasks to use as arena prompts")
    return Suite(name=f"arena:{spec}", env=ArenaEnvironment(), tasks=tasks)


def prompt_set_name(suite: Suite) -> str:
    """How battles and answer runs name a prompt set: `NAME@CONTENT_HASH`."""
    return f"{suite.name}@{suite.version}"


def question_text(messages: list[Message]) -> str:
    """The question a judge reads: the user message alone, or the whole chat with role headers."""
    if len(messages) == 1 and messages[0].role == "user":
        return text_of(messages[0].content, "[image]")
    return "\n\n".join(f"[{m.role}]\n{text_of(m.content, '[image]')}" for m in messages)


def _read_file(path: Path) -> Suite:
    lines = read_text(path, "prompts file").splitlines()
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        task = _read_line(f"{path}:{number}", line).to_task()
        if task.id in seen:
            raise UserError(f"{path}:{number}: prompt id {task.id!r} is already used on line {seen[task.id]}")
        seen[task.id] = number
        tasks.append(task)
    if not tasks:
        raise UserError(f'{path}: no prompts found; write one JSON object per line with "id" and "prompt"')
    return Suite(name=f"arena:{path.name}", env=ArenaEnvironment(), tasks=tasks)


def _read_line(where: str, line: str) -> PromptRecord:
    data = parse_json(line, where, "write one object per line")
    if not isinstance(data, dict):
        raise UserError(f'{where}: expected a JSON object with "id" and "prompt", got {type(data).__name__}')
    try:
        return PromptRecord.model_validate(data)
    except ValidationError as e:
        raise invalid_input(e, where, model=PromptRecord) from None
