"""Prerequisite conversations (`envs.Prerequisites`): played once per chain and sample, before the tasks that need them.

BFCL's memory questions start from the memory the same model built in earlier conversations. The
first rollout that needs a chain plays it (each conversation through the agent loop, from the state
the previous one handed over) and every rollout of the same chain and sample waits for it and starts
from its end state. Their transcripts are not stored and not scored, as BFCL does not score them. A
chain that ends on an infrastructure error fails every task waiting for it (each recorded as
`infra_error`, retried on resume); a resumed run plays the chain again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ..envs import Environment, Prerequisites
from ..errors import InfraError
from ..models import Model
from ..types import SamplingConfig, Task
from .limits import EpisodeLimits
from .loop import play
from .user import SimulatedUser

__all__ = ["Preludes", "prepared"]


class Preludes:
    """The chains played so far in one run (their end states, or the error that ended them), by (key, sample)."""

    def __init__(self) -> None:
        self._chains: dict[tuple[str, int], asyncio.Task[Any]] = {}

    async def state(self, key: str, sample: int, playing: Callable[[], Any]) -> Any:
        """The end state of chain `key` for `sample`, playing it (`playing()`, a coroutine) the first time."""
        chain = self._chains.get((key, sample))
        if chain is None:
            chain = self._chains[(key, sample)] = asyncio.ensure_future(playing())
        return await asyncio.shield(chain)


async def _play_chain(
    model: Model,
    env: Environment,
    prerequisites: Prerequisites,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    sample: int,
    seed: Callable[[str], int | None],
    user: SimulatedUser | None,
) -> Any:
    state = None
    for conversation in prerequisites.tasks:
        task = env.continue_from(conversation, state)
        seeded = sampling.model_copy(update={"seed": seed(task.id)})
        try:
            _, state = await play(model, env, task, seeded, _limits(env, task, limits), sample=sample, user=user,
                                  handover=True)
        except InfraError as e:
            raise InfraError(f"prerequisite conversation {task.id!r}: {e}") from e
    return state


def _limits(env: Environment, task: Task, limits: EpisodeLimits) -> EpisodeLimits:
    """A conversation's limits: the run's, but room for every user turn to take the environment's steps.

    BFCL bounds a prerequisite conversation only by its per-turn step limit; the run's `max_turns` and
    `max_tool_calls` (sized for one request) would cut a long conversation short.
    """
    if env.steps_per_turn is None:
        return limits
    turns = 1 + len(task.metadata.get("user_turns") or [])
    steps = (env.steps_per_turn + 2) * turns
    return limits.model_copy(update={"max_turns": max(limits.max_turns, steps),
                                     "max_tool_calls": max(limits.max_tool_calls, 10 * steps)})


async def prepared(
    model: Model,
    env: Environment,
    task: Task,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    sample: int,
    seed: Callable[[str], int | None],
    *,
    preludes: Preludes | None = None,
    user: SimulatedUser | None = None,
) -> Task:
    """`task` as it starts after its prerequisite conversations (played first, or shared); itself without any.

    `sampling` is the run's (not yet seeded); `seed(task_id)` gives each conversation its own seed.
    Without `preludes` the chain is played for this task alone.
    """
    prerequisites = env.prerequisites(task)
    if prerequisites is None:
        return task

    def playing() -> Any:
        return _play_chain(model, env, prerequisites, sampling, limits, sample, seed, user)

    state = await (preludes or Preludes()).state(prerequisites.key, sample, playing)
    return env.continue_from(task, state)
