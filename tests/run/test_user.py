"""Users in the loop: a scripted user, a model-backed user (replay file, and a real HTTP server)."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.helpers.openai_server import OpenAIServer, calls, completion, status, tool_call
from tests.run import counter_domain as cd
from toolgym.errors import InfraError
from toolgym.models import ModelOptions, load_model
from toolgym.run import EpisodeLimits, run_episode
from toolgym.run.user import STOP_MARKER, USER_NAME, ScriptedUser, SimulatedUser, user_for, user_view
from toolgym.types import Message, SamplingConfig, ToolCall

TWO_TICKS = [ToolCall(name="tick", arguments={"by": 1}), ToolCall(name="tick", arguments={"by": 2})]
AGENT = [cd.calls(("tick", {"by": 1})), "Added one.", cd.calls(("tick", {"by": 2})), "Added two more."]


def play(agent, task, user=None, **limits):
    async def go():
        try:
            return await run_episode(agent, cd.env(), task, SamplingConfig(), EpisodeLimits(**limits), user=user)
        finally:
            await agent.aclose()
            if user is not None:
                await user.model.aclose()

    return asyncio.run(go())


def agent_model(tmp_path, turns=AGENT):
    return load_model(f"replay:{cd.write_replay(tmp_path / 'agent.jsonl', 't1', turns)}")


def test_scripted_user_says_its_turns_in_order_then_stops(tmp_path):
    task = cd.task(gold=TWO_TICKS, user_turns=["Add two more, please.", f"Thanks! {STOP_MARKER}"])
    rollout = play(agent_model(tmp_path), task)
    said = [m for m in rollout.messages if m.role == "user" and m.name == USER_NAME]
    assert [m.content for m in said] == ["Add two more, please.", f"Thanks! {STOP_MARKER}"]
    assert rollout.messages[-1] == said[-1] and rollout.end_reason == "user_stop"
    assert cd.env().verify(task, rollout.messages).passed


def test_scripted_user_with_no_turns_left_ends_the_episode(tmp_path):
    rollout = play(agent_model(tmp_path), cd.task(user_turns=[]))
    assert rollout.end_reason == "user_stop" and rollout.messages[-1].content == "Added one."


def test_turns_after_a_user_reply_still_count_toward_max_turns(tmp_path):
    rollout = play(agent_model(tmp_path), cd.task(user_turns=["more", "more", "more"]), max_turns=3)
    assert rollout.end_reason == "max_turns" and sum(m.role == "assistant" for m in rollout.messages) == 3


def test_simulated_user_from_a_replay_file(tmp_path):
    # replay turns count from the first call's prompt, whatever assistant turns it already holds
    lines = [{"id": "t1", "turn": 0, "content": "Please add two more."},
             {"id": "t1", "turn": 1, "content": f"Perfect. {STOP_MARKER}"}]
    (tmp_path / "user.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    user = SimulatedUser(load_model(f"replay:{tmp_path / 'user.jsonl'}"))
    task = cd.task(gold=TWO_TICKS, user_instruction="You want the counter at 3.", user_turns=["ignored"])
    rollout = play(agent_model(tmp_path), task, user=user)
    said = [m.content for m in rollout.messages if m.name == USER_NAME]
    assert said == ["Please add two more.", f"Perfect. {STOP_MARKER}"] and rollout.end_reason == "user_stop"
    assert cd.env().verify(task, rollout.messages).passed


def test_simulated_user_over_http_sees_the_conversation_from_its_side(tmp_path):
    with OpenAIServer() as server:
        server.script(completion(f"Thanks. {STOP_MARKER}"))
        user = SimulatedUser(load_model("openai:user-model", ModelOptions(base_url=server.url, max_retries=0)))
        task = cd.task(user_instruction="You want the counter at 1; never mention cats.")
        rollout = play(agent_model(tmp_path), task, user=user)
        body = server.bodies[0]
    assert rollout.end_reason == "user_stop"
    assert "never mention cats" in body["messages"][0]["content"] and STOP_MARKER in body["messages"][0]["content"]
    assert [(m["role"], m["content"]) for m in body["messages"][1:]] == [
        ("assistant", "count for me"), ("user", "Added one.")]
    assert not body.get("tools")


def test_a_user_model_that_gives_no_text_is_a_user_error(tmp_path):
    with OpenAIServer() as server:
        server.script(calls(tool_call("tick", {})))
        user = SimulatedUser(load_model("openai:user-model", ModelOptions(base_url=server.url, max_retries=0)))
        rollout = play(agent_model(tmp_path), cd.task(user_instruction="You want the counter at 1."), user=user)
    assert rollout.end_reason == "user_error" and not any(m.name == USER_NAME for m in rollout.messages)


def test_an_unreachable_user_model_is_an_infra_error_naming_the_simulator(tmp_path):
    with OpenAIServer() as server:
        server.script(status(503))
        user = SimulatedUser(load_model("openai:user-model", ModelOptions(base_url=server.url, max_retries=0)))
        with pytest.raises(InfraError, match="simulated user"):
            play(agent_model(tmp_path), cd.task(user_instruction="You want the counter at 1."), user=user)


def test_who_answers_the_agent():
    simulator = SimulatedUser(load_model("openai:m", ModelOptions(base_url="http://127.0.0.1:9/v1")))
    both = cd.task(user_instruction="x", user_turns=["y"])
    assert user_for(both, simulator) is simulator
    assert isinstance(user_for(both, None), ScriptedUser)
    assert user_for(cd.task(user_instruction="x"), None) is None and user_for(cd.task(), simulator) is None


def test_user_view_swaps_roles_and_hides_tools():
    transcript = [
        Message(role="system", content="policy"), Message(role="user", content="hi"),
        Message(role="assistant", content="checking", tool_calls=[ToolCall(name="tick", id="c0")]),
        Message(role="tool", content="{}", tool_call_id="c0", name="tick"),
        Message(role="assistant", content="done"), Message(role="user", content="bye", name=USER_NAME),
    ]
    assert [(m.role, m.content) for m in user_view(transcript)] == [
        ("assistant", "hi"), ("user", "done"), ("assistant", "bye")]
