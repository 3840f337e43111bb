"""The agent loop: model -> tool calls -> environment -> tool results -> model, until an end rule fires."""

from __future__ import annotations

import time

from ..envs import Environment
from ..errors import ToolError
from ..models import Model
from ..types import Message, Rollout, SamplingConfig, Task, ToolCall, Usage
from .limits import EpisodeLimits

__all__ = ["run_episode"]


async def run_episode(
    model: Model,
    env: Environment,
    task: Task,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    *,
    sample: int = 0,
) -> Rollout:
    """Play one episode of `task` and return its transcript; infrastructure errors propagate.

    Single-turn environments stop after the first assistant turn: the call *is* the answer.
    """
    episode = env.reset(task)
    messages = list(task.messages)
    usage = Usage()
    calls_made = 0
    start = time.perf_counter()
    end_reason = "max_turns"
    for _ in range(limits.max_turns):
        completion = await model.generate(messages, task.tools, sampling, task_id=task.id, sample=sample)
        messages.append(completion.to_message())
        usage.prompt_tokens += completion.usage.prompt_tokens
        usage.completion_tokens += completion.usage.completion_tokens
        if env.single_turn or not completion.tool_calls:
            end_reason = "answered"
            break
        if usage.completion_tokens >= limits.max_tokens:
            end_reason = "max_tokens"
            break
        calls_made += len(completion.tool_calls)
        if calls_made > limits.max_tool_calls:
            end_reason = "max_tool_calls"
            break
        messages.extend(_answer_calls(episode, completion.tool_calls))
    return Rollout(
        task_id=task.id,
        sample=sample,
        seed=sampling.seed,
        messages=messages,
        usage=usage,
        latency_s=time.perf_counter() - start,
        end_reason=end_reason,
    )


def _answer_calls(episode, calls: list[ToolCall]) -> list[Message]:
    """Execute calls in order; a tool's failure goes back to the model as the tool message."""
    out = []
    for i, call in enumerate(calls):
        call_id = call.id or f"call_{i}"
        try:
            content = episode.call(call)
        except ToolError as e:
            content = f"Error: {e}"
        except (TypeError, ValueError, KeyError) as e:
            # bad arguments from the model (wrong names or types) are the model's mistake, shown to it
            content = f"Error: {type(e).__name__}: {e}"
        out.append(Message(role="tool", content=content, tool_call_id=call_id, name=call.name))
    return out
