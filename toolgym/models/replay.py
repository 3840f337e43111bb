"""The `replay` backend: answers read from a file of recorded model outputs, no model involved.

Spec `replay:FILE`. FILE is JSON Lines, one recorded answer per line, in either shape::

    {"id": "simple-3", "text": "[get_weather(city='Paris')]", "parser": "pythonic"}
    {"id": "simple-4", "tool_calls": [{"function": {"name": "get_time", "arguments": {"tz": "UTC"}}}]}

`text` is raw model output, decoded with the line's `"parser"` (else `ModelOptions.parser`, else
hermes); `tool_calls` are OpenAI-style calls whose arguments are a JSON string or an object, with an
optional `"content"`. A line may also carry `"sample"` (the repeat index it answers; without it, it
answers every repeat) and `"turn"` (the assistant turn it answers, counted from 0 by the assistant
messages added since the task's prompt, so a prompt that already holds assistant turns still starts
at 0; a file whose turns count every assistant message, as older ones do, still works; default
0). Use it to score outputs produced elsewhere, to re-verify a run after changing a verifier, and
in tests.

A malformed line is a UserError naming file:line and the field. A task the file does not answer is
that task's error (an `InfraError` naming the file, task, sample and turn: kept out of accuracy and
listed with the run's errors), so the other answers are still scored. Recorded output that does not
decode (bad JSON arguments) is the model's fault: `parse_error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import InfraError, UserError, invalid_input
from ..inputs import parse_json, read_lines
from ..types import Completion, Message, SamplingConfig, Tool
from .conversions import choose_parser, completion_from_openai, completion_from_text
from .model import BACKENDS, Model, ModelOptions
from .parsers import TOOL_PARSERS

__all__ = ["ReplayModel", "ReplayRecord", "load_replay", "write_replay"]


class ReplayRecord(BaseModel):
    """One recorded answer: a line of a replay file."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    id: str
    """Id of the task answered."""
    sample: int | None = Field(default=None, ge=0)
    """Repeat index answered; None answers every repeat."""
    turn: int = Field(default=0, ge=0)
    """Assistant turn answered, 0 for the first."""
    text: str | None = None
    """Raw model output, decoded with `parser`."""
    parser: str | None = None
    """Tool-call parser for `text` (hermes, llama3, pythonic, mistral)."""
    tool_calls: list[dict[str, Any]] | None = None
    """OpenAI-style tool calls; `function.arguments` is a JSON string or an object."""
    content: str | None = None
    """Assistant text beside `tool_calls` (or alone, for an answer without calls)."""
    parse_error: str | None = None
    """Why the output in `content` did not decode, when it was decoded before the file was written
    (BFCL's Java/JavaScript result strings are read with BFCL's own decoders)."""

    @model_validator(mode="after")
    def _one_shape(self) -> ReplayRecord:
        if self.text is not None and (self.tool_calls is not None or self.content is not None):
            raise ValueError('give either "text" or "tool_calls"/"content", not both')
        if self.text is None and self.tool_calls is None and self.content is None:
            raise ValueError('needs "text" (raw output) or "tool_calls" (and/or "content")')
        if self.parser is not None and self.text is None:
            raise ValueError('"parser" applies to "text" only')
        if self.parse_error is not None and (self.content is None or self.tool_calls is not None):
            raise ValueError('"parse_error" goes with "content" (the output that did not decode) alone')
        return self


def _check_calls(where: str, calls: list[dict[str, Any]]) -> None:
    for i, entry in enumerate(calls):
        fn = entry.get("function", entry)
        field = f"tool_calls[{i}]" + (".function" if "function" in entry else "")
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str) or not fn["name"]:
            raise UserError(
                f'{where}: field "{field}.name": expected a function name; write {{"name": "f", ...}}'
            )


def _read_line(path: Path, number: int, line: str) -> ReplayRecord:
    where = f"{path}:{number}"
    data = parse_json(line, where, "write one JSON object per line")
    if not isinstance(data, dict):
        raise UserError(f'{where}: expected a JSON object with an "id", got {type(data).__name__}')
    try:
        record = ReplayRecord.model_validate(data)
    except ValidationError as e:
        raise invalid_input(e, where, model=ReplayRecord, missing_hint="every line needs it") from None
    if record.parser is not None and record.parser not in TOOL_PARSERS:
        known = ", ".join(sorted(TOOL_PARSERS.names()))
        raise UserError(f'{where}: field "parser": unknown parser {record.parser!r}; known: {known}')
    _check_calls(where, record.tool_calls or [])
    return record


def load_replay(path: Path) -> dict[tuple[str, int | None, int], ReplayRecord]:
    """Read a replay file into `(id, sample, turn) -> record`.

    Raises:
        UserError: for a missing file, a malformed line (naming file:line and the field) or a repeat.
    """
    return {key: _read_line(path, number, line) for key, (number, line) in _index_replay(path).items()}


def _index_replay(path: Path) -> dict[tuple[str, int | None, int], tuple[int, str]]:
    """Validate every line once and index it as `(id, sample, turn) -> (line number, raw line)`.

    The raw line is kept instead of the parsed record: a 100,000-task replay then costs tens of MB,
    not hundreds; the record is parsed again when its turn comes.
    """
    if not path.exists():
        raise UserError(f"replay file {str(path)!r} not found; give replay:PATH to a JSONL file of outputs")
    return _index_lines(path, read_lines(path, "replay file"))


def _index_lines(path: Path, lines: Iterable[tuple[int, str]]) -> dict[tuple[str, int | None, int], tuple[int, str]]:
    index: dict[tuple[str, int | None, int], tuple[int, str]] = {}
    for number, line in lines:
        if not line.strip():
            continue
        record = _read_line(path, number, line)
        key = (record.id, record.sample, record.turn)
        if key in index:
            raise UserError(
                f"{path}:{number}: task {record.id!r} sample {record.sample} turn {record.turn} is already "
                f"recorded at line {index[key][0]}; keep one of them"
            )
        index[key] = (number, line)
    return index


def write_replay(path: Path, records: Iterable[ReplayRecord]) -> int:
    """Write `records` as a replay file (JSONL, unset fields left out); returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(record.model_dump_json(exclude_none=True, exclude_defaults=True) + "\n")
            count += 1
    return count


class ReplayModel(Model):
    """A model that answers from a replay file (see the module docstring for the format)."""

    def __init__(self, path: Path, options: ModelOptions) -> None:
        self.path = path
        self.parser = choose_parser(options.parser)  # no model name to guess from: hermes
        self.records = _index_replay(path)
        self.spec = f"replay:{path}"
        # (task id, sample) -> assistant messages in the task's prompt: the fewest seen in a request
        self._prompt_turns: dict[tuple[str, int], int] = {}

    def describe(self) -> dict:
        """Spec and default parser."""
        return {"spec": self.spec, "parser": self.parser, "records": len(self.records)}

    def _prompt_turns_of(self, task_id: str, sample: int, seen: int) -> int:
        """Assistant messages in the task's prompt: the fewest seen in a request of this task and sample.

        The first request of an episode holds only the prompt (a retried turn sends the same count). A
        file whose lines count every assistant message instead (older files, a simulated user's replies)
        has no turn 0 but a line at the count seen first: it keeps that counting.
        """
        key = (task_id, sample)
        base = self._prompt_turns.get(key)
        if base is None or seen < base:
            base = seen
            if seen and not _has(self.records, task_id, sample, 0) and _has(self.records, task_id, sample, seen):
                base = 0
            self._prompt_turns[key] = base
        return base

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """The recorded answer for (`task_id`, `sample`, turn); turn counts assistant messages so far.

        Raises:
            InfraError: the file holds no answer for this task, sample and turn (this task's error).
        """
        if task_id is None:
            raise UserError(f"replay:{self.path} answers by task id, and none was given")
        seen = sum(m.role == "assistant" for m in messages)
        turn = seen - self._prompt_turns_of(task_id, sample, seen)
        entry = self.records.get((task_id, sample, turn)) or self.records.get((task_id, None, turn))
        if entry is None:
            raise InfraError(
                f"{self.path}: no recorded answer for task {task_id!r} (sample {sample}, turn {turn}); "
                "add a line for it, or run only the tasks the file answers"
            )
        record = _read_line(self.path, *entry)
        if record.text is not None:
            return completion_from_text(record.text, record.parser or self.parser)
        if record.parse_error is not None:
            return Completion(text=record.content, raw=record.content, parse_error=record.parse_error)
        return completion_from_openai({"content": record.content, "tool_calls": record.tool_calls})


def _has(records: dict, task_id: str, sample: int, turn: int) -> bool:
    return (task_id, sample, turn) in records or (task_id, None, turn) in records


@BACKENDS.register("replay")
def replay_backend(name: str, options: ModelOptions) -> Model:
    """Factory for `replay:FILE` specs."""
    if not name:
        raise UserError("model spec 'replay:' needs a file, e.g. replay:outputs.jsonl")
    return ReplayModel(Path(name), options)
