"""The agent loop: parallel calls, tool errors, every limit as an end reason, single-turn environments."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.openai_server import OpenAIServer, call_first_tool
from tests.run import counter_domain as cd
from tests.run.suite_factory import make_tasks
from toolgym.envs import FunctionCallingEnv, executed_calls
from toolgym.errors import InfraError
from toolgym.models import ModelOptions, load_model
from toolgym.run import EpisodeLimits, run_episode
from toolgym.run.limits import label_limit
from toolgym.types import FailureKind, SamplingConfig, Verdict


def play(model, task, env=None, **limits):
    async def go():
        try:
            return await run_episode(model, env or cd.env(), task, SamplingConfig(), EpisodeLimits(**limits))
        finally:
            await model.aclose()

    return asyncio.run(go())


def replay(tmp_path, turns, task_id="t1"):
    return load_model(f"replay:{cd.write_replay(tmp_path / 'agent.jsonl', task_id, turns)}")


def test_parallel_calls_run_in_order_and_answer_their_ids(tmp_path):
    turns = [cd.calls(("tick", {"by": 1}), ("tick", {"by": 10})), "counted to 11"]
    rollout = play(replay(tmp_path, turns), cd.task())
    roles = [m.role for m in rollout.messages]
    assert roles == ["user", "assistant", "tool", "tool", "assistant"]
    assert [(m.tool_call_id, m.name, m.content) for m in rollout.messages[2:4]] == [
        ("c0", "tick", '{"count": 1}'), ("c1", "tick", '{"count": 11}')]
    assert rollout.end_reason == "answered"
    assert cd.env().final_state(cd.task(), rollout.messages)["log"] == [1, 10]


def test_calls_without_ids_get_ids_the_tool_messages_echo(tmp_path):
    turns = [cd.calls(("tick", {}), ("tick", {}), ids=False), cd.calls(("tick", {}), ids=False), "done"]
    rollout = play(replay(tmp_path, turns), cd.task())
    asked = [c.id for m in rollout.messages if m.role == "assistant" for c in m.tool_calls]
    answered = [m.tool_call_id for m in rollout.messages if m.role == "tool"]
    assert asked == answered == ["call_0_0", "call_0_1", "call_1_0"]


def test_tool_errors_go_back_to_the_model_and_the_run_goes_on(tmp_path):
    bad = cd.calls(("tick", {"by": "two"}), ("tick", {"step": 1}), ("refuse", {"message": "not today"}),
                   ("crash", {}), ("teleport", {}), ("tick", {"by": 2}))
    rollout = play(replay(tmp_path, [bad, "sorry"]), cd.task())
    results = [m.content for m in rollout.messages if m.role == "tool"]
    assert results[0] == "Error: tick: argument 'by' must be an integer, got str 'two'"
    assert results[1].startswith("Error: tick: unknown argument 'step'")
    assert results[2] == "Error: not today"
    assert results[3] == "Error: ZeroDivisionError: integer division or modulo by zero"
    assert results[4].startswith("Error: unknown tool 'teleport'; the tools are: tick, peek, refuse")
    assert results[5] == '{"count": 2}'  # failed calls left the counter as it was
    assert rollout.end_reason == "answered"


def test_an_infrastructure_error_in_a_tool_propagates(tmp_path):
    with pytest.raises(InfraError, match="sandbox unreachable"):
        play(replay(tmp_path, [cd.calls(("outage", {})), "done"]), cd.task())


def test_max_turns_ends_a_model_that_never_stops_calling(tmp_path):
    rollout = play(replay(tmp_path, [cd.calls(("tick", {}))] * 6), cd.task(), max_turns=3)
    assert rollout.end_reason == "max_turns"
    assert sum(m.role == "assistant" for m in rollout.messages) == 3
    assert len(executed_calls(rollout.messages)) == 3


def test_max_tool_calls_stops_before_the_turn_that_would_pass_it(tmp_path):
    two = cd.calls(("tick", {}), ("tick", {}))
    rollout = play(replay(tmp_path, [two, two, "done"]), cd.task(), max_tool_calls=3)
    assert rollout.end_reason == "max_tool_calls"
    assert rollout.messages[-1].role == "assistant" and len(rollout.messages[-1].tool_calls) == 2
    assert len(executed_calls(rollout.messages)) == 2
    assert cd.env().final_state(cd.task(), rollout.messages)["count"] == 2  # the cut turn never ran


def test_max_tokens_counts_generated_tokens_over_the_episode():
    with OpenAIServer(call_first_tool) as server:  # every reply: a call, 5 completion tokens
        model = load_model("openai:test-model", ModelOptions(base_url=server.url, max_retries=0))
        rollout = play(model, cd.task(), max_tokens=12)
    assert rollout.end_reason == "max_tokens"
    assert rollout.usage.completion_tokens == 15 and sum(m.role == "assistant" for m in rollout.messages) == 3


def test_wall_time_limit_is_an_end_reason_not_an_infra_error():
    def slow(body):
        reply = call_first_tool(body)
        reply.delay_s = 0.06
        return reply

    with OpenAIServer(slow) as server:
        model = load_model("openai:test-model", ModelOptions(base_url=server.url, max_retries=0))
        rollout = play(model, cd.task(), timeout_s=0.1)
    assert rollout.end_reason == "timeout" and rollout.error is None
    assert 1 <= sum(m.role == "assistant" for m in rollout.messages) < 10


def test_single_turn_environment_ends_after_the_first_answer(tmp_path):
    task = make_tasks(1)[0]
    model = replay(tmp_path, [cd.calls(("add_numbers", {"a": 0, "b": 1})), "never asked"], task_id=task.id)
    rollout = play(model, task, env=FunctionCallingEnv())
    assert [m.role for m in rollout.messages] == ["user", "assistant"] and rollout.end_reason == "answered"
    assert FunctionCallingEnv().verify(task, rollout.messages).passed


def test_a_failed_verdict_that_hit_a_limit_is_labelled_limit_reached():
    failed = Verdict.fail(FailureKind.STATE_MISMATCH, "final state differs")
    labelled = label_limit(failed, "max_turns")
    assert labelled.failure == FailureKind.LIMIT_REACHED and labelled.explanation.startswith("max_turns reached")
    assert label_limit(failed, "answered") is failed
    assert label_limit(Verdict.ok(), "max_turns").passed
