"""The verifier as a GRPO reward: parsed completions scored like `toolgym eval`, parse failures 0, bugs None."""

from __future__ import annotations

import pytest

from toolgym.envs import Environment, FunctionCallingEnv
from toolgym.errors import UserError
from toolgym.models.parsers import render_tool_calls
from toolgym.train import EnvironmentReward
from toolgym.train.chat import reference_answer
from toolgym.train.rewards import completion_messages
from toolgym.types import Verdict


def test_reference_scores_one_and_a_wrong_answer_zero(train_tasks):
    reward = EnvironmentReward(FunctionCallingEnv())
    completions, tasks = [], []
    for task in train_tasks:
        answer = reference_answer(task)
        good = render_tool_calls(answer.tool_calls, "hermes") if answer.tool_calls else answer.content
        completions += [good, "I will not do that."]
        tasks += [task.model_dump_json()] * 2
    scores = reward(prompts=[""] * len(completions), completions=completions, task=tasks, task_id=["x"] * len(tasks))
    for task, good, bad in zip(train_tasks, scores[::2], scores[1::2], strict=True):
        assert good == 1.0
        assert bad == (1.0 if task.category == "irrelevance" else 0.0)


def test_undecodable_calls_score_zero_even_where_no_call_was_wanted(train_tasks):
    task = next(t for t in train_tasks if t.category == "irrelevance")
    reward = EnvironmentReward(FunctionCallingEnv(mode="bfcl"))  # bfcl would count a decode failure as abstention
    assert reward([""], ['<tool_call>{"name": "f", "arguments": {</tool_call>'], task=[task.model_dump_json()]) == [0.0]


def test_conversational_completions_with_parsed_tool_calls(train_tasks):
    task = next(t for t in train_tasks if t.category == "simple")
    call = reference_answer(task).tool_calls[0]
    parsed = [{"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": call.name, "arguments": call.arguments}}]}]
    text = [{"role": "assistant", "content": render_tool_calls([call], "hermes")}]
    broken = [{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "{"}}]}]
    reward = EnvironmentReward(FunctionCallingEnv())
    assert reward([""] * 3, [parsed, text, broken], task=[task.model_dump_json()] * 3) == [1.0, 1.0, 0.0]
    assert completion_messages(broken)[0].parse_error.startswith("tool call 1 (f): arguments are not valid JSON")


class _Broken(Environment):
    def verify(self, task, transcript) -> Verdict:
        raise KeyError("bug")


def test_a_verifier_that_raises_gives_none_and_is_counted(train_tasks):
    reward = EnvironmentReward(_Broken())
    assert reward([""], ["hello"], task=[train_tasks[0].model_dump_json()]) == [None]
    assert reward.errors == 1 and reward.__name__ == "verifier"


def test_unknown_parser_lists_the_known_ones():
    with pytest.raises(UserError, match="hermes"):
        EnvironmentReward(FunctionCallingEnv(), parser="hermez")
