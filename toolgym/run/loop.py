"""The agent loop: model -> tool calls -> environment -> tool results -> model, until an end rule fires.

An episode ends when the model answers without a tool call (`answered`; or, when the task has a
user, when the user stops: `user_stop`, `user_error`), or when a limit is hit (`limits.py`; and the
environment's `steps_per_turn`: `max_steps_per_turn`). Calls of one turn run in order, each answered
by a tool message with the call's id; a call without an id gets `call_<turn>_<index>` in the
transcript. A tool's failure goes back to the model as the tool message; only infrastructure errors
propagate. The tools offered are the task's, unless the episode changes them when a user turn begins
(`Episode.begin_turn`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..envs import Environment, Episode
from ..errors import InfraError, ToolError
from ..models import Model
from ..types import Message, Rollout, SamplingConfig, Task, Tool, ToolCall
from .limits import Budget, EpisodeLimits
from .user import SimulatedUser, user_for

__all__ = ["play", "run_episode"]

log = logging.getLogger(__name__)


async def run_episode(
    model: Model,
    env: Environment,
    task: Task,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    *,
    sample: int = 0,
    user: SimulatedUser | None = None,
) -> Rollout:
    """Play one episode of `task` and return its transcript; infrastructure errors propagate.

    Single-turn environments stop after the first assistant turn: the call *is* the answer. `user`
    plays tasks that have a `user_instruction`; tasks with `user_turns` get a scripted user.
    """
    rollout, _ = await play(model, env, task, sampling, limits, sample=sample, user=user)
    return rollout


async def play(
    model: Model,
    env: Environment,
    task: Task,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    *,
    sample: int = 0,
    user: SimulatedUser | None = None,
    handover: bool = False,
) -> tuple[Rollout, Any]:
    """`run_episode`, and with `handover` the state the episode hands on at its end (`Episode.handover`)."""
    episode = await asyncio.to_thread(env.reset, task) if env.blocking else env.reset(task)
    try:
        rollout = await _play(model, env, task, episode, sampling, limits, sample, user)
        return rollout, (episode.handover() if handover else None)
    finally:
        if env.blocking:
            await asyncio.to_thread(episode.close)
        else:
            episode.close()


async def _play(
    model: Model,
    env: Environment,
    task: Task,
    episode: Episode,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    sample: int,
    user: SimulatedUser | None,
) -> Rollout:
    player = None if env.single_turn else user_for(task, user)
    messages = list(task.messages)
    budget = Budget(limits)
    end_reason = "max_turns"
    model_s = 0.0
    tools = _offered(episode, 0, task.tools)
    user_turn = steps = 0  # the user turn the model is answering; its steps with calls so far
    for turn in range(limits.max_turns):
        if turn and (spent := budget.spent()):
            end_reason = spent
            break
        completion = await model.generate(messages, tools, sampling, task_id=task.id, sample=sample)
        budget.add(completion.usage)
        model_s += completion.latency_s
        message = _with_call_ids(completion.to_message(), turn)
        messages.append(message)
        if env.single_turn or (not message.tool_calls and player is None):
            end_reason = "answered"
            break
        if not message.tool_calls:
            reply = await player.reply(task, messages, sample=sample)
            messages.extend([reply.message] if reply.message else [])
            if reply.end_reason:
                end_reason = reply.end_reason
                break
            if reply.message is not None:
                user_turn, steps = user_turn + 1, 0
                tools = _offered(episode, user_turn, tools)
        elif not budget.take_calls(len(message.tool_calls)):
            end_reason = "max_tool_calls"
            break
        else:
            if env.blocking:  # e.g. a sandboxed interpreter: keep the event loop free for other rollouts
                messages.extend(await asyncio.to_thread(_answer_calls, episode, message.tool_calls))
            else:
                messages.extend(_answer_calls(episode, message.tool_calls))
            steps += 1
            if env.steps_per_turn is not None and steps > env.steps_per_turn:
                end_reason = "max_steps_per_turn"  # BFCL's rule: the step past the limit runs, then the end
                break
    return Rollout(task_id=task.id, sample=sample, seed=sampling.seed, messages=messages, usage=budget.usage,
                   latency_s=budget.elapsed(), model_s=model_s, end_reason=end_reason)


def _offered(episode: Episode, user_turn: int, tools: list[Tool]) -> list[Tool]:
    """The tools the episode offers from `user_turn` on (`Episode.begin_turn`), else those offered so far."""
    changed = episode.begin_turn(user_turn)
    return tools if changed is None else changed


def _with_call_ids(message: Message, turn: int) -> Message:
    """Give every call an id, so each tool message names the call it answers."""
    if all(c.id for c in message.tool_calls):
        return message
    calls = [c if c.id else c.model_copy(update={"id": f"call_{turn}_{i}"}) for i, c in enumerate(message.tool_calls)]
    return message.model_copy(update={"tool_calls": calls})


def _answer_calls(episode: Episode, calls: list[ToolCall]) -> list[Message]:
    """Execute calls in order; a tool's failure goes back to the model as the tool message."""
    out = []
    for call in calls:
        try:
            content = episode.call(call)
        except InfraError:
            raise
        except ToolError as e:
            content = f"Error: {e}"
        except Exception as e:  # a bad call or a tool bug: shown to the model, logged, never fatal
            log.warning("tool %s raised %s: %s", call.name, type(e).__name__, e)
            content = f"Error: {type(e).__name__}: {e}"
        out.append(Message(role="tool", content=content, tool_call_id=call.id, name=call.name))
    return out
