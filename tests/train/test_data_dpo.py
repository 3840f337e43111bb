"""DPO data: passed against failed rollouts of one task, reference against perturbed answers, battles."""

from __future__ import annotations

import pytest

from tests.train.crafted import write_run
from toolgym.envs import FunctionCallingEnv
from toolgym.errors import UserError
from toolgym.train import Judgment, battle_pairs, build_dpo_data, read_rollouts
from toolgym.train.data_dpo import dpo_rows, dpo_rows_from_suite
from toolgym.types import Message, Task, ToolCall


def test_pairs_a_passed_with_a_failed_answer_of_the_same_task(scored_db, train_tasks):
    rows, record = dpo_rows(read_rollouts(str(scored_db), ["sampled"]))
    assert record.rows == len(train_tasks) == len(rows)
    env = FunctionCallingEnv()
    tasks = {t.id: t for t in train_tasks}
    for row in rows:
        task = tasks[row["task_id"]]
        assert row["prompt"] == [{"role": m.role, "content": m.content} for m in task.messages]
        assert row["chosen"] != row["rejected"]
        assert _verdict(env, task, row["chosen"]).passed and not _verdict(env, task, row["rejected"]).passed


def _verdict(env, task: Task, answer: list[dict]):
    m = answer[-1]
    calls = [ToolCall(name=c["function"]["name"], arguments=c["function"]["arguments"])
             for c in m.get("tool_calls", [])]
    return env.verify(task, [*task.messages, Message(role="assistant", content=m["content"], tool_calls=calls)])


def test_tasks_without_a_failed_answer_give_no_pair(tmp_path, fc_core):
    from toolgym.train.chat import reference_answer

    task = fc_core.split("train")[0]
    db = tmp_path / "runs.db"
    write_run(db, "r", fc_core, {(task.id, 0): reference_answer(task)})
    rows, record = dpo_rows(read_rollouts(str(db), ["r"]))
    assert rows == [] and record.skipped["no_failed"] == 1
    with pytest.raises(UserError, match="a pair needs a passed and a failed rollout"):
        build_dpo_data(str(db), ["r"], tmp_path / "out")


def test_reference_against_perturbed_answers_cover_several_mistakes(fc_core):
    rows, record = dpo_rows_from_suite(fc_core, limit=30)
    assert record.rows >= 25 and all(r["category"] != "irrelevance" for r in rows)
    env = FunctionCallingEnv()
    tasks = {t.id: t for t in fc_core.tasks}
    failures = set()
    for row in rows:
        task = tasks[row["task_id"]]
        assert _verdict(env, task, row["chosen"]).passed
        bad = _verdict(env, task, row["rejected"])
        assert not bad.passed
        failures.add(bad.failure)
    assert len(failures) >= 4


def test_battles_make_pairs_from_the_winner_and_drop_ties():
    prompt = [Message(role="user", content="Say hi")]
    judged = [
        Judgment(prompt, "hi!", "go away", "a", prompt_id="p1"),
        Judgment(prompt, "hello", "hi there", "b", prompt_id="p2"),
        Judgment(prompt, "x", "y", "tie", prompt_id="p3"),
    ]
    rows = battle_pairs(judged, source="judge:gpt")
    assert [r["task_id"] for r in rows] == ["p1", "p2"]
    assert rows[0]["chosen"] == [{"role": "assistant", "content": "hi!"}]
    assert rows[1]["rejected"] == [{"role": "assistant", "content": "hello"}]
    assert rows[0]["source"] == "judge:gpt"


def test_saved_pairs_load_with_datasets(scored_db, tmp_path):
    datasets = pytest.importorskip("datasets", reason="needs datasets: pip install 'toolgym[train]'")
    out = tmp_path / "dpo"
    build_dpo_data(str(scored_db), ["sampled"], out)
    loaded = datasets.load_from_disk(str(out))
    assert {"prompt", "chosen", "rejected", "tools"} <= set(loaded.column_names)
    assert loaded[0]["chosen"][0]["role"] == "assistant"
