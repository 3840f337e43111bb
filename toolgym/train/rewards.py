"""An environment's verifier as a reward function for TRL's GRPOTrainer.

TRL calls a reward function with the prompts, the completions and every other dataset column by
name, and takes back one float (or None, "does not apply") per completion. Here the `task` column
carries each row's task as JSON (its id, tools, category and expected outcome), so the verifier
needs nothing but the row. A completion is parsed with the model's tool-call parser and judged
exactly as `toolgym eval` judges it; a completion whose calls cannot be decoded gets 0.

A verifier that raises has a bug (STYLE.md): the completion gets None, which TRL leaves out of the
reward, the error is logged and counted in `errors`, never scored as 0.

Examples:
    >>> from toolgym.envs import FunctionCallingEnv
    >>> reward = EnvironmentReward(FunctionCallingEnv())
    >>> task = '{"id": "t", "messages": [], "category": "irrelevance", "expected": {"calls": []}}'
    >>> reward(prompts=["..."], completions=["I cannot help with that."], task=[task])
    [1.0]
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..envs import Environment, RemoteEnvironment
from ..models.conversions import choose_parser, completion_from_openai, completion_from_text, content_text
from ..types import Message, Task

__all__ = ["EnvironmentReward", "completion_messages"]

log = logging.getLogger(__name__)


class EnvironmentReward:
    """`reward_funcs` entry: `(prompts, completions, task, **columns) -> list[float | None]`.

    Args:
        env: The environment whose `verify` scores each completion.
        parser: Tool-call parser of the model being trained (`hermes`, `llama3`, `pythonic`, `mistral`).
    """

    def __init__(self, env: Environment, parser: str = "hermes") -> None:
        self.env = env
        self.parser = choose_parser(parser)  # an unknown parser fails now, listing the known ones
        self.errors = 0
        """Completions the verifier raised on (left out of the reward)."""
        self.__name__ = "verifier"  # TRL logs each reward function under its __name__
        self._tasks: dict[str, Task] = {}

    def __call__(
        self, prompts: Sequence[Any], completions: Sequence[Any], task: Sequence[str], **columns: Any
    ) -> list[float | None]:
        """One reward per completion; `task` is the dataset column of task JSON.

        A remote environment scores the whole batch in one request (`RemoteEnvironment.rewards`).
        """
        if isinstance(self.env, RemoteEnvironment):
            rewards = self.env.rewards([self._task(t).id for t in task], list(completions), self.parser)
            self.errors += sum(r is None for r in rewards)
            return rewards
        return [self.score(c, t) for c, t in zip(completions, task, strict=True)]

    def score(self, completion: str | list[dict[str, Any]], task_json: str) -> float | None:
        """The verifier's reward for one completion (text, or TRL's conversational message list)."""
        task = self._task(task_json)
        answer = completion_messages(completion, self.parser)
        if any(m.parse_error for m in answer):
            return 0.0
        try:
            verdict = self.env.verify(task, [*task.messages, *answer])
        except Exception:  # recorded: a verifier bug is not the model's failure
            log.exception("verifier failed on task %s", task.id)
            self.errors += 1
            return None
        return verdict.reward

    def _task(self, task_json: str) -> Task:
        found = self._tasks.get(task_json)
        if found is None:
            found = self._tasks[task_json] = Task.model_validate_json(task_json)
        return found


def completion_messages(completion: str | list[dict[str, Any]], parser: str = "hermes") -> list[Message]:
    """TRL's completion as toolgym messages.

    A text completion (standard format) is one assistant message parsed with `parser`. A
    conversational one is a list of message dicts: assistant messages whose `tool_calls` TRL already
    parsed (from tool-using rollouts) are taken as they are, others are parsed from their text, and
    tool results become tool messages.
    """
    if isinstance(completion, str):
        return [completion_from_text(completion, parser).to_message()]
    out = []
    for m in completion:
        if m.get("role") == "tool":
            out.append(Message(role="tool", content=content_text(m.get("content")) or "", name=m.get("name")))
        else:
            out.append(completion_from_openai(m, parser=parser).to_message())
    return out
