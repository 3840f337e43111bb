"""EnvironmentReward on vision-core: completions of tasks whose prompts and tool results are images."""

from __future__ import annotations

from toolgym.envs import StatefulEnv
from toolgym.suites import load_suite
from toolgym.train import EnvironmentReward
from toolgym.types import Message


def conversational(task, calls) -> list[dict]:
    """A TRL conversational completion: each call in its own turn, answered by the domain (images included)."""
    episode, out = StatefulEnv().reset(task), []
    for i, call in enumerate(calls):
        call = call.model_copy(update={"id": f"c{i}"})
        out.append(Message(role="assistant", tool_calls=[call]).to_openai())
        out.append(Message(role="tool", content=episode.call(call), tool_call_id=call.id, name=call.name).to_openai())
    return [*out, {"role": "assistant", "content": "Done."}]


def test_reference_completions_score_one_and_wrong_ones_zero():
    tasks = [t for t in load_suite("vision-core").split("train") if t.category in ("zoom_expense", "bar_log",
                                                                                    "render_log", "irrelevance")]
    reward = EnvironmentReward(StatefulEnv())
    good = [conversational(t, t.expected.gold_actions) for t in tasks]
    good = [c if t.category != "irrelevance" else [{"role": "assistant", "content": " ".join(t.expected.facts)}]
            for c, t in zip(good, tasks, strict=True)]
    assert any(isinstance(m["content"], list) for c in good for m in c)  # tool results that are pictures
    assert reward(prompts=[[]] * len(tasks), completions=good, task=[t.model_dump_json() for t in tasks]) == \
        [1.0] * len(tasks)
    bad = [conversational(t, t.expected.gold_actions[:-1]) for t in tasks if t.category != "irrelevance"]
    scored = [t for t in tasks if t.category != "irrelevance"]
    assert reward(prompts=[[]] * len(bad), completions=bad, task=[t.model_dump_json() for t in scored]) == \
        [0.0] * len(bad) and reward.errors == 0
