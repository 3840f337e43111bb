"""The stateful environment: isolated state, argument checks, and verification by state, facts and actions."""

from __future__ import annotations

import pytest

from tests.run import counter_domain as cd
from toolgym.envs import ENVIRONMENTS, Domain, StatefulEnv, state_diff, state_hash, state_tool
from toolgym.errors import ToolError, UserError
from toolgym.suites.files import FILES
from toolgym.tools import ToolDefinitionError
from toolgym.types import Expected, FailureKind, Message, Task, ToolCall


def answered(*calls: ToolCall, text: str = "done", answer_all: bool = True) -> list[Message]:
    """A transcript in which the agent made `calls` (one turn) and then said `text`."""
    ids = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(calls)]
    out = [Message(role="assistant", tool_calls=ids)]
    if answer_all:
        out += [Message(role="tool", content="ok", tool_call_id=c.id, name=c.name) for c in ids]
    return out + [Message(role="assistant", content=text)]


def mkdir(path: str) -> ToolCall:
    return ToolCall(name="mkdir", arguments={"path": path})


def fs_task(gold: list[ToolCall], **expected) -> Task:
    tree = {p: {"type": "dir"} for p in ("/", "/home", "/home/user")}
    return Task(id="fs-1", messages=[Message(role="user", content="make folders a and b")], tools=FILES.schemas(),
                category="two_dirs", expected=Expected(gold_actions=gold, **expected),
                metadata={"domain": "files", "initial_state": {"cwd": "/home/user", "tree": tree}})


def test_the_verifier_mode_does_not_change_a_stateful_environment():
    env = ENVIRONMENTS.get("stateful")()
    assert isinstance(env, StatefulEnv) and env.single_turn is False and env.with_mode("bfcl") is env


def test_state_tool_hides_the_state_parameter_and_its_description():
    assert cd.tick.parameters["properties"] == {"by": {"type": "integer", "description": "How much to add.",
                                                       "default": 1}}
    assert cd.tick.fn({"count": 1, "log": []}, by=2) == {"count": 3}


def test_state_tool_without_a_state_parameter_names_the_function():
    def nothing() -> str:
        """Do nothing."""
        return ""

    with pytest.raises(ToolDefinitionError, match=r"test_stateful.py:\d+: @state_tool .*nothing.*state"):
        state_tool(nothing)


def test_state_tool_errors_point_at_the_tool_not_at_the_wrapper():
    def undocumented(state: dict, x: int) -> int:
        """Has no Args section."""
        return x

    with pytest.raises(ToolDefinitionError, match=r"test_stateful.py:\d+: @tool .*undocumented.*'x'"):
        state_tool(undocumented)


def test_each_episode_gets_its_own_copy_of_the_initial_state():
    env, task = cd.env(), cd.task()
    first, second = env.reset(task), env.reset(task)
    first.call(ToolCall(name="tick", arguments={"by": 5}))
    assert first.state["count"] == 5 and second.state["count"] == 0
    assert task.metadata["initial_state"] == {"count": 0, "log": []}


def test_a_failing_call_leaves_the_state_as_it_was():
    episode = cd.env().reset(cd.task())
    with pytest.raises(ToolError, match="no"):
        episode.call(ToolCall(name="refuse", arguments={"message": "no"}))
    with pytest.raises(ZeroDivisionError):
        episode.call(ToolCall(name="crash"))
    assert episode.state == {"count": 0, "log": []}


def test_arguments_are_checked_against_the_schema():
    episode = cd.env().reset(cd.task())
    assert episode.call(ToolCall(name="tick", positional=[4])) == '{"count": 4}'
    for call, message in [
        (ToolCall(name="tick", arguments={"by": True}), "'by' must be an integer, got bool"),
        (ToolCall(name="tick", arguments={"by": 1.5}), "'by' must be an integer, got float"),
        (ToolCall(name="tick", positional=[1], arguments={"by": 1}), "'by' given twice"),
        (ToolCall(name="refuse"), "missing required argument 'message'"),
    ]:
        with pytest.raises(ToolError, match=message):
            episode.call(call)


def test_folders_made_in_another_order_reach_the_same_goal():
    env, task = StatefulEnv(), fs_task([mkdir("a"), mkdir("b")])
    verdict = env.verify(task, task.messages + answered(mkdir("/home/user/b"), mkdir("~/a")))
    assert verdict.passed and verdict.reward == 1.0 and verdict.components == {"state": 1.0}


def test_a_wrong_action_is_a_state_mismatch_with_a_short_diff():
    env, task = StatefulEnv(), fs_task([mkdir("a"), mkdir("b")])
    verdict = env.verify(task, answered(mkdir("a"), mkdir("c")))
    assert verdict.failure == FailureKind.STATE_MISMATCH and verdict.reward == 0.0
    assert "+/home/user/c" in verdict.explanation and "-/home/user/b" in verdict.explanation


def test_calls_cut_off_by_a_limit_never_ran_and_do_not_count():
    env, task = StatefulEnv(), fs_task([mkdir("a")])
    assert not env.verify(task, answered(mkdir("a"), answer_all=False)).passed


def test_a_missing_fact_fails_with_partial_credit_in_components():
    env, task = cd.env(), cd.task(gold=[])
    task = task.model_copy(update={"expected": Expected(gold_actions=[], facts=["count is 0", "no log"])})
    verdict = env.verify(task, task.messages + [Message(role="assistant", content="The COUNT is   0.")])
    assert verdict.failure == FailureKind.MISSING_FACT and verdict.components == {"state": 1.0, "facts": 0.5}
    assert "'no log'" in verdict.explanation


def test_required_actions_must_appear_with_the_gold_arguments():
    peek, tick = ToolCall(name="peek", arguments={"what": "log"}), ToolCall(name="tick", arguments={"by": 2})
    env, task = cd.env(), cd.task(gold=[peek, tick], required_actions=["peek"])
    lazy = env.verify(task, answered(tick))
    assert lazy.failure == FailureKind.MISSING_ACTION and lazy.components == {"state": 1.0, "actions": 0.0}
    assert "peek(what='log')" in lazy.explanation
    assert not env.verify(task, answered(ToolCall(name="peek"), tick)).passed  # default what="count"
    assert env.verify(task, answered(tick, ToolCall(name="peek", positional=[" LOG "]))).passed


def test_initial_state_from_a_seed_and_the_domains_builder():
    domain = Domain("seeded", (cd.tick,), build_state=lambda seed: {"count": seed, "log": []})
    task = cd.task().model_copy(update={"metadata": {"domain": "seeded", "state_seed": 7}})
    assert StatefulEnv(domains=[domain]).reset(task).state == {"count": 7, "log": []}


@pytest.mark.parametrize(("metadata", "message"), [
    ({}, "metadata.domain is missing"),
    ({"domain": "nowhere"}, "task 't1': unknown stateful domain 'nowhere'.*Known: .*files"),
    ({"domain": "files"}, "metadata.initial_state must be a JSON object .*state_seed"),
])
def test_task_errors_name_the_task_and_the_field(metadata, message):
    task = cd.task().model_copy(update={"metadata": metadata})
    with pytest.raises(UserError, match=message):
        StatefulEnv().reset(task)


def test_a_gold_action_that_fails_is_a_user_error_naming_it():
    task = cd.task(gold=[ToolCall(name="tick"), ToolCall(name="refuse", arguments={"message": "x"})])
    with pytest.raises(UserError, match=r"task 't1': expected.gold_actions\[1\] \(refuse\) fails"):
        cd.env().verify(task, [])
    with pytest.raises(UserError, match="gold_actions is missing"):
        cd.env().verify(cd.task().model_copy(update={"expected": Expected()}), [])


def test_canonical_hash_ignores_key_order_but_not_list_order():
    assert state_hash({"a": 1, "b": [1, 2]}) == state_hash({"b": [1, 2], "a": 1})
    assert state_hash({"b": [1, 2]}) != state_hash({"b": [2, 1]})
    assert state_diff({"o": {"s": "x", "k": 1}}, {"o": {"s": "y", "n": 2}}) == [
        "-o.k (goal has 1)", "+o.n = 2 (not in goal)", "o.s: 'y' (goal 'x')"]
