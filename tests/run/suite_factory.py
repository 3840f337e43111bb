"""A small function-calling suite written to a real JSONL file, for engine tests."""

from __future__ import annotations

import json
from pathlib import Path

from toolgym.types import Expected, ExpectedCall, Message, Task, Tool

ADD = Tool(
    name="add_numbers",
    description="Add two integers.",
    parameters={
        "type": "object",
        "properties": {
            "a": {"type": "integer", "description": "first"},
            "b": {"type": "integer", "description": "second"},
        },
        "required": ["a", "b"],
    },
)


def make_tasks(n: int, split: str = "test") -> list[Task]:
    """Task i asks to add i and i+1; categories alternate simple / irrelevance-free simple2."""
    tasks = []
    for i in range(n):
        tasks.append(Task(
            id=f"t{i:04d}",
            messages=[Message(role="user", content=f"What is {i} plus {i + 1}?")],
            tools=[ADD],
            category="simple" if i % 2 else "multiple",
            split=split,
            expected=Expected(calls=[ExpectedCall(name="add_numbers", arguments={"a": [i], "b": [i + 1]})]),
        ))
    return tasks


def write_suite(path: Path, n: int) -> Path:
    with path.open("w") as f:
        for t in make_tasks(n):
            f.write(t.model_dump_json() + "\n")
    return path


def answer_for(i: int) -> dict:
    """The scripted answer to task i: right unless i % 3 == 0 (then b is off by one)."""
    b = i + 1 if i % 3 else i + 2
    return {"name": "add_numbers", "arguments": {"a": i, "b": b}}


def write_replay(path: Path, n: int) -> Path:
    with path.open("w") as f:
        for i in range(n):
            call = answer_for(i)
            f.write(json.dumps({"id": f"t{i:04d}", "tool_calls": [
                {"id": "c0", "type": "function",
                 "function": {"name": call["name"], "arguments": json.dumps(call["arguments"])}}]}) + "\n")
    return path


def expected_passes(n: int) -> int:
    return sum(1 for i in range(n) if i % 3)


def responder(delay_s: float = 0.0):
    """An OpenAI-server responder that answers task i with `answer_for(i)`, deterministically."""
    import re

    from tests.helpers.openai_server import calls, tool_call

    def respond(body):
        text = next(m["content"] for m in body["messages"] if m["role"] == "user")
        i = int(re.match(r"What is (\d+) plus", text).group(1))
        call = answer_for(i)
        reply = calls(tool_call(call["name"], call["arguments"]))
        reply.delay_s = delay_s
        return reply

    return respond
