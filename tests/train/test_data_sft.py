"""Rejection-sampled SFT data: passed train rollouts only, best of n per task, deduplicated, saved for TRL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.train.crafted import write_run, wrong_answer
from toolgym.errors import UserError
from toolgym.train import build_sft_data, read_rollouts
from toolgym.train.data_sft import sft_rows, sft_rows_from_suite
from toolgym.train.dataset_files import read_data_record
from toolgym.types import Message


def test_keeps_one_passed_answer_per_task_and_drops_the_duplicate(scored_db, train_tasks):
    rows, record = sft_rows(read_rollouts(str(scored_db), ["sampled"]), per_task=1)
    assert len(rows) == len(train_tasks) == record.rows == record.tasks_with_rows
    assert {r["task_id"] for r in rows} == {t.id for t in train_tasks}
    assert all(r["source"] == "sampled" and r["reward"] == 1.0 for r in rows)
    # samples 0 and 2 are the same answer: with room for two per task, the copy is still left out
    rows2, record2 = sft_rows(read_rollouts(str(scored_db), ["sampled"]), per_task=2)
    assert len(rows2) == len(train_tasks) and record2.skipped["duplicate"] == len(train_tasks)


def test_rows_are_conversations_with_tools_and_dict_arguments(scored_db, train_tasks):
    rows, _ = sft_rows(read_rollouts(str(scored_db), ["sampled"]))
    by_id = {r["task_id"]: r for r in rows}
    task = next(t for t in train_tasks if t.category == "parallel")
    row = by_id[task.id]
    assert row["messages"][:-1] == [{"role": m.role, "content": m.content} for m in task.messages]
    last = row["messages"][-1]
    assert last["role"] == "assistant" and len(last["tool_calls"]) >= 2
    assert all(isinstance(c["function"]["arguments"], dict) for c in last["tool_calls"])
    assert row["tools"] == [t.to_openai() for t in task.tools]


def test_best_of_n_prefers_the_shorter_correct_answer(tmp_path, fc_core):
    task = next(t for t in fc_core.split("train") if t.category == "simple")
    from toolgym.train.chat import reference_answer

    good = reference_answer(task)
    chatty = good.model_copy(update={"content": "Sure, calling it now."})
    db = tmp_path / "runs.db"
    write_run(db, "r", fc_core, {(task.id, 0): chatty, (task.id, 1): good}, tokens={(task.id, 0): 40, (task.id, 1): 12})
    rows, _ = sft_rows(read_rollouts(str(db), ["r"]))
    assert len(rows) == 1 and rows[0]["messages"][-1]["content"] is None


def test_test_split_rollouts_are_never_training_data(scored_db):
    source = read_rollouts(str(scored_db), ["test-run"])
    assert source.rollouts == [] and source.skipped["test_split"] == 3
    with pytest.raises(UserError, match="no sft rows.*test_split: 3"):
        build_sft_data(str(scored_db), ["test-run"], scored_db.parent / "out")


def test_saved_dataset_loads_with_datasets_and_keeps_argument_keys_apart(scored_db, tmp_path):
    datasets = pytest.importorskip("datasets", reason="needs datasets: pip install 'toolgym[train]'")
    out = tmp_path / "sft"
    record = build_sft_data(str(scored_db), ["sampled"], out, jsonl=True)
    loaded = datasets.load_from_disk(str(out))
    assert len(loaded) == record.rows and {"messages", "tools", "task_id"} <= set(loaded.column_names)
    lines = [json.loads(line) for line in (out / "data.jsonl").read_text().splitlines()]
    for row, line in zip(loaded, lines, strict=True):
        assert row["messages"] == line["messages"]  # no key of another row's arguments was merged in
        assert row["tools"] == line["tools"]
    assert read_data_record(out).suite == "fc-core"


def test_reference_rows_cover_every_train_task(fc_core):
    rows, record = sft_rows_from_suite(fc_core, limit=50)
    assert record.rows == 50 and record.sources == ["suite:fc-core"]
    refusals = [r for r in rows if r["category"] == "irrelevance"]
    assert all(r["messages"][-1]["content"] and "tool_calls" not in r["messages"][-1] for r in refusals)


def test_undecodable_answers_are_left_out(tmp_path, fc_core):
    task = fc_core.split("train")[0]
    broken = Message(role="assistant", content="", parse_error="call 1 at char 12: bad JSON")
    db = tmp_path / "runs.db"
    write_run(db, "r", fc_core, {(task.id, 0): broken, (task.id, 1): wrong_answer(task)})
    source = read_rollouts(str(db), ["r"])
    assert source.skipped["undecodable"] == 1 and len(source.rollouts) == 1


def test_unknown_run_names_the_close_ones(scored_db):
    with pytest.raises(UserError, match="did you mean 'sampled'"):
        read_rollouts(str(scored_db), ["sampeld"])


def test_out_that_is_a_file_is_refused(scored_db, tmp_path: Path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(UserError, match="is a file"):
        build_sft_data(str(scored_db), ["sampled"], target)
