"""Gold replay: every task's own answer, played through its environment and verifier, must pass.

A task whose gold answer fails is broken, whatever the models do: a parameter the function does not
have (BFCL's parallel_multiple_12 answers `permeability` for the wrong function), a required
parameter with no acceptable value (live_simple_106), a gold action that fails on the initial state.

What is replayed, per environment kind:

* function calling: the reference answer (each parameter's first accepted value), then one variant
  per other accepted value of each parameter (`""`: the parameter left out), since every value the
  answer key accepts must be one a correct call can pass;
* stateful: the gold actions, each answered by the environment, then a reply stating the facts;
* code: the reference solution in a python block.

Other kinds are skipped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from ..check import reference_calls
from ..envs import Environment, StatefulEnv
from ..errors import UserError
from ..types import ExpectedCall, Message, Task, ToolCall

__all__ = ["GoldFailure", "gold_transcripts", "replay_gold"]

_MAX_VARIANTS = 24  # per task: enough to try every alternative of ordinary answers


class GoldFailure(BaseModel):
    """A task whose gold answer does not pass its own verifier."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    task_id: str
    """The task."""
    category: str
    """Its category."""
    replayed: str
    """What was replayed: `reference`, or the variant (`call 2 permeability=0.1`)."""
    failure: str
    """The verifier's failure kind (or `gold_error` when the gold answer cannot even be played)."""
    explanation: str
    """The verifier's one-line explanation."""


def replay_gold(env: Environment, tasks: Sequence[Task]) -> tuple[list[GoldFailure], int, list[str]]:
    """Replay each task's gold answer (and variants) through `env.verify`.

    Returns:
        `(failures, n_checked, skipped)`: one failure per broken task (the first failing replay), the
        number of tasks replayed, and a reason per kind of task that could not be replayed.
    """
    failures, checked, skipped = [], 0, set()
    for task in tasks:
        try:
            transcripts = list(gold_transcripts(env, task))
        except _NoGold as e:
            skipped.add(str(e))
            continue
        except UserError as e:  # the gold answer itself cannot be played (a gold action fails)
            checked += 1
            failures.append(GoldFailure(task_id=task.id, category=task.category, replayed="reference",
                                        failure="gold_error", explanation=str(e)[:300]))
            continue
        checked += 1
        for label, transcript in transcripts:
            try:
                verdict = env.verify(task, transcript)
            except UserError as e:  # the verifier refuses the task's own data
                failure, why = "gold_error", str(e)[:300]
            else:
                if verdict.passed:
                    continue
                failure = verdict.failure.value if verdict.failure else "failed"
                why = verdict.explanation
            failures.append(GoldFailure(task_id=task.id, category=task.category, replayed=label, failure=failure,
                                        explanation=why))
            break
    return failures, checked, sorted(skipped)


class _NoGold(Exception):
    """The task has no gold answer this module can replay (the message says why)."""


def gold_transcripts(env: Environment, task: Task) -> Iterator[tuple[str, list[Message]]]:
    """The transcripts that replay a task's gold answer, labelled; raises _NoGold when it has none."""
    expected = task.expected
    if isinstance(env, StatefulEnv):
        if expected.gold_actions is None:
            raise _NoGold("stateful tasks without expected.gold_actions")
        yield "gold actions", _stateful_transcript(env, task)
    elif expected.calls == [] and "relevance" in task.category and "irrelevance" not in task.category:
        raise _NoGold("BFCL live_relevance tasks (any call passes: the key holds no answer to replay)")
    elif expected.calls is not None:
        yield "reference", _answer(task, reference_calls(expected.calls, task.tools))
        for label, calls in _variants(expected.calls, task):
            yield label, _answer(task, calls)
    elif expected.reference is not None and task.metadata.get("tests"):
        yield "reference", [*task.messages, Message(role="assistant", content=f"```python\n{expected.reference}\n```")]
    else:
        raise _NoGold(f"{type(env).__name__} tasks without a replayable gold answer")


def _answer(task: Task, calls: list[ToolCall]) -> list[Message]:
    ids = [c.model_copy(update={"id": f"gold_{i}"}) for i, c in enumerate(calls)]
    return [*task.messages, Message(role="assistant", tool_calls=ids)]


def _variants(expected: list[ExpectedCall], task: Task) -> Iterator[tuple[str, list[ToolCall]]]:
    """The reference with one parameter set to another accepted value (or left out for `""`)."""
    base = reference_calls(expected, task.tools)
    made = 0
    for i, call in enumerate(expected):
        for name, accepted in call.arguments.items():
            used = base[i].arguments.get(name, "")
            for value in accepted:
                if _same(value, used) or made >= _MAX_VARIANTS:
                    continue
                args = dict(base[i].arguments)
                if type(value) is str and value == "":
                    args.pop(name, None)
                    shown = f"{name} left out"
                else:
                    one = ExpectedCall(name=call.name, arguments={name: [value]})
                    args[name] = reference_calls([one], task.tools)[0].arguments[name]
                    shown = f"{name}={json.dumps(value)[:60]}"
                calls = list(base)
                calls[i] = calls[i].model_copy(update={"arguments": args})
                made += 1
                yield f"call {i + 1} ({call.name}) {shown}", calls


def _same(a: object, b: object) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _stateful_transcript(env: StatefulEnv, task: Task) -> list[Message]:
    env.goal_state(task)  # a gold action that fails on the initial state raises a UserError naming it
    episode = env.reset(task)
    messages = list(task.messages)
    for i, action in enumerate(task.expected.gold_actions or []):
        call = action.model_copy(update={"id": f"gold_{i}"})
        messages.append(Message(role="assistant", tool_calls=[call]))
        messages.append(Message(role="tool", content=str(episode.call(call)), tool_call_id=call.id, name=call.name))
    messages.append(Message(role="assistant", content=" ".join(["Done.", *task.expected.facts])))
    return messages
