"""Environment: what the tasks are, how an attempt acts on the world, and how it is verified.

An environment does not call models, schedule work or store results (STYLE.md, habit 2): the agent
loop in `run/` drives it through `reset`, `Episode.call` and `verify`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..types import Content, Message, Task, ToolCall, Verdict

__all__ = ["Environment", "Episode"]


class Episode:
    """Per-rollout state. The stateless default refuses to execute calls: single-turn tasks end at the call."""

    def call(self, call: ToolCall) -> Content:
        """Execute one tool call and return the tool message content: text, or text and image parts."""
        raise NotImplementedError(f"tool {call.name!r} has no implementation in this environment")

    def close(self) -> None:
        """Release what the episode holds (a remote episode, an MCP session); the agent loop calls it at the end."""


class Environment(ABC):
    """A kind of task and its verifier."""

    #: True when the agent loop should stop after the first assistant turn (single-turn function calling).
    single_turn: bool = True
    #: True when tool calls or verification block for long (a sandboxed process): the engine then runs
    #: them in a worker thread so other rollouts keep going.
    blocking: bool = False

    def reset(self, task: Task) -> Episode:
        """Fresh state for one rollout of `task`."""
        return Episode()

    @abstractmethod
    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Judge a finished transcript of `task`."""
