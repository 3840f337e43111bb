"""A tiny stateful domain for engine tests: a counter, a tool that refuses, one with a bug, one with an outage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolgym.envs import Domain, StatefulEnv, state_tool
from toolgym.errors import InfraError, ToolError
from toolgym.types import Expected, Message, Task, ToolCall


@state_tool
def tick(state: dict, by: int = 1) -> dict:
    """Add to the counter.

    Args:
        state: The counter.
        by: How much to add.
    """
    state["count"] += by
    state["log"].append(by)
    return {"count": state["count"]}


@state_tool
def peek(state: dict, what: str = "count") -> str:
    """Read the counter without changing it.

    Args:
        state: The counter.
        what: Which field to read.
    """
    return str(state[what])


@state_tool
def refuse(state: dict, message: str) -> str:
    """Refuse with a message.

    Args:
        state: The counter.
        message: What to say.
    """
    state["count"] = -1  # changed, then rolled back: a failed call leaves the state as it was
    raise ToolError(message)


@state_tool
def crash(state: dict) -> int:
    """A tool with a bug.

    Args:
        state: The counter.
    """
    state["count"] = -2
    return 1 // 0


@state_tool
def outage(state: dict) -> str:
    """A tool whose backend is down.

    Args:
        state: The counter.
    """
    raise InfraError("sandbox unreachable")


COUNTER = Domain("counter", (tick, peek, refuse, crash, outage))


def env() -> StatefulEnv:
    return StatefulEnv(domains=[COUNTER])


def task(task_id: str = "t1", gold: list[ToolCall] | None = None, **metadata: Any) -> Task:
    return Task(
        id=task_id,
        messages=[Message(role="user", content="count for me")],
        tools=COUNTER.schemas(),
        category="counting",
        expected=Expected(gold_actions=gold if gold is not None else [ToolCall(name="tick", arguments={"by": 1})]),
        metadata={"domain": "counter", "initial_state": {"count": 0, "log": []}, **metadata},
    )


def calls(*entries: tuple[str, dict], ids: bool = True) -> list[dict]:
    """OpenAI-style tool calls for a replay line."""
    out = [{"id": f"c{i}", "function": {"name": n, "arguments": a}} for i, (n, a) in enumerate(entries)]
    return out if ids else [{"function": c["function"]} for c in out]


def write_replay(path: Path, task_id: str, turns: list[list[dict] | str]) -> Path:
    """One replay line per turn: a list of tool calls, or a text answer."""
    with path.open("w") as f:
        for turn, answer in enumerate(turns):
            key = "content" if isinstance(answer, str) else "tool_calls"
            f.write(json.dumps({"id": task_id, "turn": turn, key: answer}) + "\n")
    return path
