"""What a rollout answered, as a key to compare models by and a short text to show a person."""

from __future__ import annotations

import json

from ..envs import executed_calls
from ..types import Message, Rollout, ToolCall

__all__ = ["answer_of"]


def answer_of(rollout: Rollout, n_prompt: int, single_turn: bool) -> tuple[str, str]:
    """`(key, shown)`: equal keys mean the same answer; `shown` is a one-line rendering.

    Single-turn tasks answer with the last assistant message's calls (order does not matter, as for
    parallel calls), or with no call; multi-turn tasks with the calls that ran, in order.
    """
    agent = rollout.messages[n_prompt:]
    if single_turn:
        last = next((m for m in reversed(agent) if m.role == "assistant"), None)
        calls = sorted(last.tool_calls if last else [], key=_call_text)
        if last is not None and last.parse_error and not calls:
            return "parse_error", "(unparsable output)"
    else:
        calls = executed_calls(agent)
    if not calls:
        return "no_call", "(no call)" if single_turn else _final_text(agent)
    shown = "; ".join(_call_text(c) for c in calls)
    return json.dumps([[c.name, c.arguments] for c in calls], sort_keys=True, default=str), shown[:300]


def _call_text(call: ToolCall) -> str:
    args = ", ".join(f"{k}={json.dumps(v, default=str)}" for k, v in sorted(call.arguments.items()))
    return f"{call.name}({args})"


def _final_text(agent: list[Message]) -> str:
    last = next((m for m in reversed(agent) if m.role == "assistant" and m.content), None)
    return "(no call) " + last.text[:200] if last else "(no call)"
