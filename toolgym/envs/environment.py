"""Environment: what the tasks are, how an attempt acts on the world, and how it is verified.

An environment does not call models, schedule work or store results (STYLE.md, habit 2): the agent
loop in `run/` drives it through `reset`, `Episode.call` and `verify`.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from ..check import Mode
from ..errors import UserError
from ..types import Content, Message, Task, Tool, ToolCall, Verdict

__all__ = ["Environment", "Episode", "ModeMixin", "Prerequisites", "check_mode"]


class Episode:
    """Per-rollout state. The stateless default refuses to execute calls: single-turn tasks end at the call."""

    def call(self, call: ToolCall) -> Content:
        """Execute one tool call and return the tool message content: text, or text and image parts."""
        raise NotImplementedError(f"tool {call.name!r} has no implementation in this environment")

    def begin_turn(self, user_turn: int) -> list[Tool] | None:
        """The tools to offer from user turn `user_turn` on, or None to keep those offered so far.

        The agent loop calls this when the task's prompt is first answered (turn 0) and after each
        user reply (turn 1, 2, ...), before the model's next step; until a call returns a list, the
        model is offered the task's tools. An episode whose tools change between user turns overrides
        it (BFCL's `multi_turn_miss_func` offers some functions only from a later turn) and should
        refuse calls to tools not offered yet.
        """
        return None

    def handover(self) -> Any:
        """The state a later conversation continues from, once this one has ended (see `Prerequisites`).

        JSON-able; None by default. BFCL's memory episodes hand over their memory snapshot.
        """
        return None

    def close(self) -> None:
        """Release what the episode holds (a remote episode, an MCP session); the agent loop calls it at the end."""


@dataclass(frozen=True)
class Prerequisites:
    """Conversations the agent loop plays, in order, before a task, whose end state the task starts from.

    BFCL's memory categories fill the agent's memory by prerequisite conversations with the same
    model, then ask each question against that memory. The loop plays a chain once per `key` and
    sample and shares its end state (`Episode.handover` of the last one) with every task naming the
    same key; each conversation starts from the state the one before handed over
    (`Environment.continue_from`). They are not scored.
    """

    key: str
    """Names the chain: tasks with the same key share one playing of it (per sample)."""
    tasks: tuple[Task, ...]
    """The conversations, in order (tasks with `user_turns`)."""


class Environment(ABC):
    """A kind of task and its verifier.

    A `Suite` holds one instance (`suite.env`); `evaluate`, `train_*`, `arena` and the servers take it
    from there, so a user's own environment runs everywhere a bundled one does.
    """

    #: kind name a Suite records for it (`Suite.environment`, run manifests); "" for a user's own class,
    #: which then records its class name
    kind: ClassVar[str] = ""

    #: True when the agent loop should stop after the first assistant turn (single-turn function calling).
    single_turn: bool = True
    #: True when tool calls or verification block for long (a sandboxed process): the engine then runs
    #: them in a worker thread so other rollouts keep going.
    blocking: bool = False
    #: Most steps (assistant messages with tool calls) in one user turn, or None for no such limit: a
    #: benchmark's own protocol (BFCL's multi-turn runner stops an entry once a turn passes 20 steps).
    #: Past it the episode ends with `max_steps_per_turn`, on top of the run's `EpisodeLimits`.
    steps_per_turn: int | None = None

    def with_mode(self, mode: Mode) -> Environment:
        """This environment judging in verifier `mode` (a run's `--mode`).

        Kinds whose verdicts have one meaning (state comparison, hidden tests) return themselves; a kind
        that matches calls returns a copy set to `mode` (`ModeMixin`).
        """
        return self

    def reset(self, task: Task) -> Episode:
        """Fresh state for one rollout of `task`."""
        return Episode()

    def prerequisites(self, task: Task) -> Prerequisites | None:
        """Conversations to play before `task` (see `Prerequisites`); None for none, the default.

        Only the agent loop in `run/` plays them: a path that drives episodes otherwise (the environment
        server, the MCP server, the TRL tool environment) refuses a suite that has them.
        """
        return None

    def needs_agent_loop(self, task: Task) -> str | None:
        """Why only toolgym's agent loop (`run/`) can play `task`, or None when any driver can.

        The loop honours `Episode.begin_turn` and `prerequisites`; the environment server, the MCP
        server and the TRL tool environment offer one list of tools and open one episode, so they
        refuse a task that needs either, with this reason. The default knows prerequisites; a kind
        whose tools change between user turns adds that.
        """
        if self.prerequisites(task) is not None:
            return f"task {task.id!r} starts after prerequisite conversations that fill its state"
        return None

    def continue_from(self, task: Task, state: Any) -> Task:
        """`task` as it starts after prerequisite conversations that handed over `state` (None: nothing yet).

        The default changes nothing; BFCL's memory puts the snapshot in the task's metadata and the memory
        prompt in its first message.
        """
        return task

    @abstractmethod
    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Judge a finished transcript of `task`."""


class ModeMixin:
    """For kinds whose verdicts depend on the verifier mode: `mode` checked when set, `with_mode` copies."""

    mode: Mode = "toolgym"

    def with_mode(self, mode: Mode) -> Environment:
        """A copy of this environment that judges in `mode`; the original is unchanged."""
        if mode == self.mode:
            return self  # type: ignore[return-value]
        other = copy.copy(self)
        other.mode = check_mode(mode, getattr(self, "kind", "") or type(self).__name__)
        return other  # type: ignore[return-value]


def check_mode(mode: str, owner: str) -> Mode:
    """`mode` when it is a verifier mode; a UserError naming `owner` and the choices otherwise."""
    if mode not in ("bfcl", "toolgym"):
        raise UserError(f"{owner}: unknown verifier mode {mode!r}; use 'bfcl' or 'toolgym'")
    return mode  # type: ignore[return-value]
