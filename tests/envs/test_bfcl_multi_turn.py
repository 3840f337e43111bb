"""BFCL multi-turn: BFCL's back-ends driven by structured calls, gold sequences, and BFCL's own verdicts."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import openai_server as completions
from tests.helpers.openai_server import OpenAIServer, tool_call
from toolgym.cli import main
from toolgym.envs import BfclMultiTurnEnv
from toolgym.envs.bfcl_multi_turn import STEPS_PER_TURN, BfclMultiTurnEpisode, _state_and_responses
from toolgym.errors import UserError
from toolgym.run.limits import label_limit
from toolgym.suites import load_suite
from toolgym.types import FailureKind, Message, ToolCall

from ..suites.bfcl_oracle import bfcl_checker

needs_package = pytest.mark.skipif(bfcl_checker() is None, reason="needs bfcl-eval: pip install --no-deps bfcl-eval")
CATEGORIES = ("multi_turn_base", "multi_turn_miss_func", "multi_turn_miss_param", "multi_turn_long_context")


@pytest.fixture(scope="module")
def suite():
    return load_suite("bfcl:multi_turn")


def gold(task) -> list[list[ToolCall]]:
    return [[ToolCall.model_validate(c) for c in turn] for turn in task.metadata["gold_turns"]]


@needs_package
def test_multi_turn_tasks_load_with_user_turns_and_back_end_tools(suite) -> None:
    assert {t.category for t in suite.tasks} == set(CATEGORIES) and len(suite.tasks) == 800
    task = next(t for t in suite.tasks if t.id == "multi_turn_base_0")
    assert task.messages[0].content.startswith("Move 'final_report.pdf'")
    assert len(task.metadata["user_turns"]) == 3 and "cd" in {t.name for t in task.tools}
    assert gold(task)[2] == [ToolCall(name="sort", positional=["final_report.pdf"])]  # read with ast


@needs_package
def test_calls_reach_back_ends_by_name_only_for_offered_functions(suite) -> None:
    task = next(t for t in suite.tasks if t.id == "multi_turn_base_0")
    episode = BfclMultiTurnEnv(mode="bfcl").reset(task)
    assert "document" in episode.call(ToolCall(name="ls"))
    moved = episode.call(ToolCall(name="cd", arguments={"folder": "document"}))
    assert moved == '{"current_working_directory": "document"}'
    # a method of the class that the task does not offer, and Python's own names, are not reachable
    offered = {t.name for t in task.tools}
    assert "_load_scenario" not in offered
    assert "not available" in episode.call(ToolCall(name="_load_scenario", arguments={"scenario": {}}))
    assert "not available" in episode.call(ToolCall(name="__import__", positional=["os"]))
    assert episode.call(ToolCall(name="cd", arguments={"nope": 1})).startswith("Error during execution:")


@needs_package
def test_gold_sequences_through_the_agent_loop_score_100_percent(tmp_path: Path, capsys) -> None:
    replay = tmp_path / "gold.jsonl"
    main(["suite", "reference", "bfcl:multi_turn", "--out", str(replay)])
    db = tmp_path / "runs.db"
    main(["eval", "bfcl:multi_turn", "--model", f"replay:{replay}", "--mode", "bfcl", "--db", str(db),
          "--limit", "60", "--run", "gold"])
    out = capsys.readouterr().out
    rows = sqlite3.connect(db).execute("select passed, explanation from rollouts").fetchall()
    assert len(rows) == 60 and all(passed == 1 for passed, _ in rows), [r for r in rows if r[0] != 1][:3]
    assert "BFCL multi-turn " in out and "/4 run)" not in out  # all four multi-turn categories ran


@needs_package
def test_eval_of_single_and_multi_turn_categories_prints_bfcls_whole_overall(tmp_path: Path, capsys) -> None:
    """Two suites, so two runs; eval, show and the HTML report print BFCL's overall over both."""
    from toolgym.report import bfcl_scores

    single, multi, gold_file = tmp_path / "st.jsonl", tmp_path / "mt.jsonl", tmp_path / "gold.jsonl"
    main(["suite", "reference", "bfcl:simple_python,live_simple", "--out", str(single)])
    main(["suite", "reference", "bfcl:multi_turn_base", "--out", str(multi)])
    gold_file.write_text(single.read_text() + multi.read_text())
    db = tmp_path / "runs.db"
    main(["eval", "bfcl:simple_python,live_simple,multi_turn_base", "--model", f"replay:{gold_file}",
          "--mode", "bfcl", "--db", str(db), "--limit", "6", "--run", "gold"])
    out = capsys.readouterr().out
    rows = sqlite3.connect(db).execute("select category, count(*), sum(passed) from rollouts group by category")
    counts = {c: n for c, n, passed in rows if passed == n}  # gold: every rollout passes
    assert set(counts) == {"simple", "live_simple", "multi_turn_base"}, counts
    want = f"{100 * bfcl_scores(dict.fromkeys(counts, 1.0), counts).overall:.1f}"
    assert "gold-single_turn" in out and "gold-multi_turn" in out
    assert "BFCL v4 over gold-single_turn + gold-multi_turn" in out
    lines = [x for x in out.splitlines() if "BFCL v4 overall (3/22 categories run" in x]
    assert lines and want in lines[-1], out[-2000:]
    main(["show", "gold-single_turn", "gold-multi_turn", "--db", str(db)])
    assert "BFCL v4 over gold-single_turn + gold-multi_turn" in capsys.readouterr().out
    main(["show", "gold-single_turn", "gold-multi_turn", "--db", str(db), "--json"])
    shown = json.loads(capsys.readouterr().out)
    combined = shown[0]["bfcl_combined"]  # the same object on both runs: BFCL's overall over the two
    assert shown[1]["bfcl_combined"] == combined and combined["runs"] == ["gold-single_turn", "gold-multi_turn"]
    assert f"{100 * combined['overall']:.1f}" == want and combined["multi_turn"] == 0.25  # base run; 3 others 0
    assert sorted(combined["categories"]) == ["live_simple", "multi_turn_base", "simple_python"]
    assert "bfcl_combined" not in json.loads(_show_json(db, "gold-single_turn"))[0]  # one run: nothing to combine
    main(["report", "gold-single_turn", "gold-multi_turn", "--db", str(db), "--out", str(tmp_path / "r.html")])
    html = (tmp_path / "r.html").read_text()
    assert "BFCL v4 over gold-single_turn + gold-multi_turn" in html and f">{want}<" in html


def _show_json(db: Path, *runs: str) -> str:
    from toolgym.cli.summary import run_summary_json

    return json.dumps(run_summary_json(str(db), list(runs)))


def test_mixed_suites_and_unknown_modes_are_refused_with_the_reason() -> None:
    with pytest.raises(UserError, match="unknown verifier mode 'strict'"):
        BfclMultiTurnEnv(mode="strict")
    if bfcl_checker() is None:
        pytest.skip("needs bfcl-eval: pip install --no-deps bfcl-eval")
    with pytest.raises(UserError, match="load single-turn, multi-turn and memory categories on their own"):
        load_suite("bfcl:multi_turn_base,simple_python")


# ---------------------------------------------------------------- miss_func and BFCL's step limit


def _openai_model(server):
    from toolgym.models import ModelOptions, load_model

    return load_model("openai:test-model", ModelOptions(base_url=server.url, max_retries=0))


def _play(model, task, env=None):
    from toolgym.run import EpisodeLimits, run_episode
    from toolgym.types import SamplingConfig

    async def go():
        try:
            return await run_episode(model, env or BfclMultiTurnEnv(mode="bfcl"), task, SamplingConfig(),
                                     EpisodeLimits())
        finally:
            await model.aclose()

    return asyncio.run(go())


def _openai_calls(calls: list[ToolCall], task) -> list[dict]:
    order = {t.name: list(t.parameters.get("properties", {})) for t in task.tools}
    order.update({t["name"]: list(t["parameters"]["properties"]) for ts in task.metadata["later_tools"].values()
                  for t in ts})
    out = []
    for c in calls:
        args = dict(zip(order[c.name], c.positional, strict=False)) | c.arguments
        out.append(tool_call(c.name, args, id=f"c{len(out)}"))
    return out


@needs_package
def test_miss_func_offers_held_back_functions_from_the_turn_bfcl_adds_them(suite) -> None:
    """Through the agent loop and a real HTTP model: `sort` is offered (last) from turn 3 on, refused before."""
    task = next(t for t in suite.tasks if t.id == "multi_turn_miss_func_0")
    assert "sort" not in {t.name for t in task.tools} and list(task.metadata["later_tools"]) == ["3"]
    assert task.metadata["user_turns"][2] == "I have updated some more functions you can choose from. What about now?"
    turns = gold(task)
    assert turns[2] == [] and turns[3][0].name == "sort"
    replies = []
    for i, calls in enumerate(turns):
        if i == 2:  # the turn that asks for sort before it is offered: the model tries it anyway
            replies.append(completions.calls(tool_call("sort", {"file_name": "final_report.pdf"}, id="early")))
        if calls:
            replies.append(completions.calls(*_openai_calls(calls, task)))
        replies.append(completions.completion("Done."))
    with OpenAIServer() as server:
        server.script(*replies)
        rollout = _play(_openai_model(server), task, BfclMultiTurnEnv(mode="toolgym"))
        bodies = server.bodies
    offered = [[t["function"]["name"] for t in b["tools"]] for b in bodies]
    user_turn_of = [sum(m["role"] == "user" for m in b["messages"]) - 1 for b in bodies]
    for names, turn in zip(offered, user_turn_of, strict=True):
        assert ("sort" in names) is (turn >= 3), (turn, names)
        if turn >= 3:
            assert names[-1] == "sort" and names[:-1] == [t.name for t in task.tools]
    early = next(m for m in rollout.messages if m.role == "tool" and m.tool_call_id == "early")
    assert "not available" in early.content  # not offered yet: never reaches the back-end
    assert rollout.end_reason == "user_stop"
    # the early call changed nothing: toolgym mode lets it pass; BFCL's irrelevance check fails the turn
    assert BfclMultiTurnEnv(mode="toolgym").verify(task, rollout.messages).passed
    bfcl = BfclMultiTurnEnv(mode="bfcl").verify(task, rollout.messages)
    assert bfcl.failure is FailureKind.SHOULD_ABSTAIN and "turn 2" in bfcl.explanation


@needs_package
def test_a_turn_past_bfcls_step_limit_ends_the_episode(suite) -> None:
    """BFCL stops an entry when a turn's steps with calls pass 20: the 21st runs, then the episode ends."""
    task = next(t for t in suite.tasks if t.id == "multi_turn_base_0")
    assert BfclMultiTurnEnv.steps_per_turn == STEPS_PER_TURN == 20
    with OpenAIServer(completions.call_first_tool) as server:  # every reply: a call
        rollout = _play(_openai_model(server), task)
    assert rollout.end_reason == "max_steps_per_turn"
    assert sum(m.role == "assistant" for m in rollout.messages) == STEPS_PER_TURN + 1
    assert sum(m.role == "tool" for m in rollout.messages) == STEPS_PER_TURN + 1  # the last step's call ran
    verdict = label_limit(BfclMultiTurnEnv(mode="bfcl").verify(task, rollout.messages), rollout.end_reason)
    assert verdict.failure is FailureKind.LIMIT_REACHED and "max_steps_per_turn" in verdict.explanation


# ---------------------------------------------------------------- agreement with BFCL's own checker


def call_string(call: ToolCall) -> str:
    args = [repr(v) for v in call.positional] + [f"{k}={v!r}" for k, v in call.arguments.items()]
    return f"{call.name}({', '.join(args)})"


def perturbations(turns: list[list[ToolCall]], rng: random.Random) -> list[list[list[ToolCall]]]:
    """A removed call, a wrong value, a call moved to the next turn, an extra call, reordered calls."""
    out = []
    filled = [i for i, t in enumerate(turns) if t]
    if not filled:
        return out
    i = rng.choice(filled)
    removed = copy.deepcopy(turns)
    removed[i].pop(rng.randrange(len(removed[i])))
    out.append(removed)
    wrong = copy.deepcopy(turns)
    call = rng.choice(wrong[i])
    for key, value in call.arguments.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            call.arguments[key] = value + ("x" if isinstance(value, str) else 1)
            out.append(wrong)
            break
    if i + 1 < len(turns):
        moved = copy.deepcopy(turns)
        moved[i + 1].insert(0, moved[i].pop())
        out.append(moved)
    extra = copy.deepcopy(turns)
    extra[i].append(copy.deepcopy(rng.choice(extra[i])))
    out.append(extra)
    if len(turns[i]) > 1:
        shuffled = copy.deepcopy(turns)
        rng.shuffle(shuffled[i])
        out.append(shuffled)
    return out


def bfcl_multi_turn_verdict(task, raw: dict, turns: list[list[ToolCall]], name: str) -> bool:
    from bfcl_eval.eval_checker.multi_turn_eval.multi_turn_checker import (
        multi_turn_checker,
        multi_turn_irrelevance_checker,
    )

    decoded = [[[call_string(c) for c in turn]] if turn else [] for turn in turns]
    truth = [[call_string(c) for c in turn] for turn in gold(task)]
    ok = multi_turn_checker(decoded, truth, copy.deepcopy(raw), task.category, name)["valid"]
    return ok and multi_turn_irrelevance_checker(decoded, truth)["valid"]


def toolgym_verdict(task, turns: list[list[ToolCall]], mode: str = "bfcl") -> bool:
    transcript = list(task.messages)
    for k, turn in enumerate(turns):
        if k:
            transcript.append(Message(role="user", content=task.metadata["user_turns"][k - 1], name="user_sim"))
        if turn:
            transcript.append(Message(role="assistant", tool_calls=turn))
        transcript.append(Message(role="assistant", content="Done."))
    return BfclMultiTurnEnv(mode=mode).verify(task, transcript).passed


@needs_package
def test_bfcl_mode_agrees_with_bfcls_multi_turn_checker_on_perturbed_gold(suite) -> None:
    from toolgym.suites.bfcl_package import bfcl_package_data

    data = bfcl_package_data()
    raw = {}
    for category in CATEGORIES:
        for line in (data / f"BFCL_v4_{category}.json").read_text().splitlines():
            row = json.loads(line)
            raw[row["id"]] = row
    rng = random.Random(17)
    disagree, seen, failing = [], 0, 0
    for n, task in enumerate(suite.tasks[::5]):
        for k, turns in enumerate([gold(task), *perturbations(gold(task), rng)]):
            theirs = bfcl_multi_turn_verdict(task, raw[task.id], turns, f"oracle_{n}_{k}")
            ours = toolgym_verdict(task, turns)
            seen += 1
            failing += not theirs
            if ours != theirs:
                disagree.append((task.id, k, theirs))
    assert not disagree, disagree[:5]
    assert seen > 500 and failing > 200


@needs_package
def test_back_ends_get_fresh_argument_values(suite) -> None:
    """The posting back-end keeps and extends the list it is given: the task's gold must not change."""
    task = next(t for t in suite.tasks if t.id == "multi_turn_base_147")
    before = copy.deepcopy(task.metadata["gold_turns"])
    for _ in range(2):
        assert _state_and_responses(task, [[t] if t else [] for t in gold(task)], gold(task)).passed
    episode = BfclMultiTurnEpisode(task)
    for turn in gold(task):
        for call in turn:
            episode.call(call)
    assert task.metadata["gold_turns"] == before


@pytest.mark.parametrize(
    ("gold_call", "message"),
    [
        ("cd(folder=__import__('os').system('touch /tmp/pwned'))", "cannot be read"),
        ("os.system('ls')", "not a call of a function by name"),
        ("cd(folder='x'", "cannot be read"),
    ],
)
def test_gold_call_strings_are_read_never_run(tmp_path: Path, gold_call: str, message: str) -> None:
    from toolgym.suites.bfcl import load_bfcl

    row = {"id": "multi_turn_base_0", "question": [[{"role": "user", "content": "hi"}]],
           "initial_config": {}, "involved_classes": ["MathAPI"]}
    (tmp_path / "possible_answer").mkdir()
    (tmp_path / "BFCL_v4_multi_turn_base.json").write_text(json.dumps(row) + "\n")
    (tmp_path / "possible_answer" / "BFCL_v4_multi_turn_base.json").write_text(
        json.dumps({"id": "multi_turn_base_0", "ground_truth": [[gold_call]]}) + "\n"
    )
    with pytest.raises(UserError) as info:
        load_bfcl(tmp_path, ["multi_turn_base"])
    assert "BFCL_v4_multi_turn_base.json:1: task 'multi_turn_base_0' turn 0" in str(info.value)
    assert message in str(info.value) and "write f(name=literal" in str(info.value)
    assert not Path("/tmp/pwned").exists()


# ---------------------------------------------------------------- toolgym mode: BFCL's flaws fixed


def both(task, turns) -> tuple[bool, bool]:
    return toolgym_verdict(task, turns, "bfcl"), toolgym_verdict(task, turns, "toolgym")


@needs_package
def test_gold_sequences_pass_in_toolgym_mode_too(suite) -> None:
    failed = [t.id for t in suite.tasks[::3] if not toolgym_verdict(t, gold(t), "toolgym")]
    assert not failed


@needs_package
def test_read_only_calls_in_a_turn_with_nothing_to_do_are_free_in_toolgym_mode(suite) -> None:
    found = 0
    for task in suite.tasks:
        turns = gold(task)
        names = {t.name for t in task.tools}
        if "pwd" not in names or all(turns):
            continue
        asked = [list(t) if t else [ToolCall(name="pwd")] for t in turns]  # looks around instead of asking
        assert both(task, asked) == (False, True), task.id
        changed = [list(t) if t else [ToolCall(name="mkdir", arguments={"dir_name": "zz_new"})] for t in turns]
        assert both(task, changed) == (False, False), task.id
        found += 1
    assert found >= 5


@needs_package
def test_private_state_is_compared_in_toolgym_mode(suite) -> None:
    found = 0
    for task in suite.tasks:
        turns = gold(task)
        last = max((i for i, t in enumerate(turns) if t), default=None)
        if last is None or "cd" not in {t.name for t in task.tools}:
            continue
        wandered = copy.deepcopy(turns)
        wandered[last].append(ToolCall(name="cd", arguments={"folder": ".."}))
        verdicts = both(task, wandered)
        if verdicts == (True, False):
            found += 1
        else:
            assert verdicts == (True, True)  # already at the top: cd('..') changes nothing
    assert found >= 5


@needs_package
def test_results_count_only_in_their_turn_in_toolgym_mode(suite) -> None:
    found = 0
    for task in suite.tasks[:200]:
        turns = gold(task)
        for k in range(1, len(turns)):
            if turns[k] and turns[k - 1]:
                early = copy.deepcopy(turns)
                early[k - 1].append(early[k][-1])  # done a turn early, then again where it belongs
                early[k] = early[k][:-1] or [ToolCall(name="__none__")]
                verdicts = both(task, early)
                found += verdicts == (True, False)
                break
    assert found >= 3


@needs_package
def test_int_and_float_results_are_equal_in_toolgym_mode(suite) -> None:
    """add(a=2, b=3) gives {"result": 5}, add(a=2.0, b=3.0) gives {"result": 5.0}: BFCL compares the text."""
    task = next(t for t in suite.tasks if "MathAPI" in t.metadata["involved_classes"]).model_copy(deep=True)
    n = len(task.metadata["gold_turns"])
    task.metadata["gold_turns"] = [[{"name": "add", "arguments": {"a": 2, "b": 3}}]] + [[] for _ in range(n - 1)]
    floats = [[ToolCall(name="add", arguments={"a": 2.0, "b": 3.0})]] + [[] for _ in range(n - 1)]
    assert both(task, floats) == (False, True)
    wrong = [[ToolCall(name="add", arguments={"a": 2.0, "b": 4.0})]] + [[] for _ in range(n - 1)]
    assert both(task, wrong) == (False, False)
