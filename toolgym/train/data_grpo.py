"""GRPO prompts: a suite's train tasks as rows that carry their own task, for the verifier reward.

Single-turn suites: each prompt is rendered here with the model's chat template and the task's own
tools (standard text format), because TRL renders conversational prompts with one tool list for the
whole run while every fc-core task offers its own. Multi-turn (stateful) suites: the prompt stays a
conversation and the row names its domain in `environment`, whose tools TRL renders (see
`tool_environment.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UserError
from ..models.prompt_tools import prompt_messages
from ..suites import Suite, head_by_category, load_suite
from ..types import Task
from .chat import chat_message, chat_tools
from .dataset_files import read_data_record

__all__ = ["grpo_rows", "grpo_tasks", "render_prompt"]


def grpo_tasks(suite_spec: str | None, data: Path | None, limit: int | None = None) -> tuple[Suite, list[Task]]:
    """The train tasks to optimise on: a suite's train split, or the tasks of a toolgym dataset directory."""
    if data is not None:
        record = read_data_record(data)
        suite = load_suite(record.suite)
        if suite.version != record.suite_version:
            raise UserError(
                f"--data {data} was made from {record.suite}@{record.suite_version}, which is now "
                f"@{suite.version}; rebuild the data or use --suite {record.suite}"
            )
        from datasets import load_from_disk

        wanted = set(load_from_disk(str(data))["task_id"])
        tasks = [t for t in suite.split("train") if t.id in wanted]
    elif suite_spec is not None:
        suite = load_suite(suite_spec)
        tasks = suite.split("train")
    else:
        raise UserError("no training prompts: give --suite SUITE (its train split) or --data DIR")
    if not tasks:
        raise UserError(f"suite {suite.name!r} has no train tasks to optimise on")
    return suite, head_by_category(tasks, limit)


def render_prompt(tokenizer: Any, task: Task, tool_mode: str = "native", parser: str = "hermes") -> str:
    """The task as the model sees it: chat template, its tools and the generation prompt, as text.

    In `prompt` tool mode the tools go into the system prompt in `parser`'s format, as the local
    backend renders them for `--tool-mode prompt`, so a model is trained on the prompts it is
    evaluated with. A leading BOS the template writes is dropped when the tokenizer adds one itself,
    so it appears once.
    """
    if tool_mode == "prompt":
        chat, tools = prompt_messages(task.messages, task.tools, parser), None
    else:
        chat, tools = [chat_message(m) for m in task.messages], chat_tools(task.tools) or None
    text = tokenizer.apply_chat_template(chat, tools=tools, add_generation_prompt=True, tokenize=False)
    bos = tokenizer.bos_token
    if bos and text.startswith(bos) and tokenizer("x")["input_ids"][:1] == [tokenizer.bos_token_id]:
        text = text[len(bos):]
    return text


def grpo_rows(
    tasks: list[Task], tokenizer: Any | None, environment: bool = False, tool_mode: str = "native",
    parser: str = "hermes",
) -> list[dict[str, Any]]:
    """One row per task: the prompt (rendered text, or messages for tool environments) and the task as JSON."""
    rows = []
    for task in tasks:
        row: dict[str, Any] = {"task_id": task.id, "category": task.category, "task": task.model_dump_json()}
        if environment:
            row["prompt"] = [chat_message(m) for m in task.messages]
            row["environment"] = task.metadata.get("domain")
        else:
            row["prompt"] = render_prompt(tokenizer, task, tool_mode, parser)
        rows.append(row)
    return rows
