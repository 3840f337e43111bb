"""Limits on one episode of the agent loop; each one, when hit, is recorded as the episode's end reason.

| end reason           | limit                                                                    |
| -------------------- | ------------------------------------------------------------------------ |
| `max_turns`          | `max_turns` assistant turns were taken and the episode had not ended     |
| `max_tool_calls`     | a turn asked for calls past `max_tool_calls` (none of that turn's ran)    |
| `max_tokens`         | the model generated `max_tokens` tokens over the episode                 |
| `timeout`            | `timeout_s` seconds of wall time passed (checked before each turn)       |
| `max_steps_per_turn` | a user turn took more steps with calls than `Environment.steps_per_turn` |

An episode that ends on one of these and fails its verdict is labelled `limit_reached` by
`label_limit`, so reports tell "ran out of budget" apart from "did the wrong thing".
"""

from __future__ import annotations

import time

from pydantic import BaseModel, ConfigDict, Field

from ..types import FailureKind, Usage, Verdict

__all__ = ["LIMIT_REASONS", "Budget", "EpisodeLimits", "label_limit"]

#: end reasons that mean a limit cut the episode short
LIMIT_REASONS = frozenset({"max_turns", "max_tool_calls", "max_tokens", "timeout", "max_steps_per_turn"})


class EpisodeLimits(BaseModel):
    """Bounds that end an episode even when the model keeps calling tools."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    max_turns: int = Field(default=30, gt=0)
    """Most assistant turns (multi-turn tasks with a user need room: tau-bench allows 30 steps)."""
    max_tool_calls: int = Field(default=60, gt=0)
    """Most tool calls over the whole episode."""
    max_tokens: int = Field(default=8192, gt=0)
    """Most generated tokens over the whole episode."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Wall-clock limit of one rollout, in seconds."""


class Budget:
    """What one episode has used of its limits, and which limit, if any, ends it now."""

    def __init__(self, limits: EpisodeLimits) -> None:
        self.limits = limits
        self.usage = Usage()
        self.tool_calls = 0
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        """Seconds since the episode started."""
        return time.perf_counter() - self.start

    def add(self, usage: Usage) -> None:
        """Count one generation's tokens."""
        self.usage.prompt_tokens += usage.prompt_tokens
        self.usage.completion_tokens += usage.completion_tokens

    def spent(self) -> str | None:
        """`max_tokens` or `timeout` when that budget is used up (checked before each turn), else None."""
        if self.usage.completion_tokens >= self.limits.max_tokens:
            return "max_tokens"
        if self.elapsed() >= self.limits.timeout_s:
            return "timeout"
        return None

    def take_calls(self, n: int) -> bool:
        """Count `n` calls of one turn; False (and nothing counted) when they would pass the limit."""
        if self.tool_calls + n > self.limits.max_tool_calls:
            return False
        self.tool_calls += n
        return True


def label_limit(verdict: Verdict, end_reason: str) -> Verdict:
    """The verdict of an episode that ended on a limit: failures become `limit_reached`, passes stay."""
    if verdict.passed or end_reason not in LIMIT_REASONS:
        return verdict
    return verdict.model_copy(update={
        "failure": FailureKind.LIMIT_REACHED,
        "explanation": f"{end_reason} reached: {verdict.explanation}"[:500],
    })
