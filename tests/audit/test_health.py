"""Audits across stored runs (real evaluations of replayed models into a real SQLite file), and rescoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.run.suite_factory import make_tasks
from toolgym.audit import audit_suite, rescore_run
from toolgym.run import RunConfig, evaluate
from toolgym.store import Store
from toolgym.suites import load_suite

N = 8


def write_suite(path: Path, fix_t0: bool = False) -> Path:
    tasks = make_tasks(N)
    if fix_t0:  # the corrected key also accepts b = 2 for task 0
        tasks[0].expected.calls[0].arguments["b"] = [1, 2]
    path.write_text("".join(t.model_dump_json() + "\n" for t in tasks))
    return path


def write_model(path: Path, wrong: dict[int, int]) -> Path:
    """A replayed model answering a = i, b = i + 1, except b = wrong[i] on some tasks."""
    with path.open("w") as f:
        for i in range(N):
            args = {"a": i, "b": wrong.get(i, i + 1)}
            f.write(json.dumps({"id": f"t{i:04d}", "tool_calls": [{"id": "c0", "type": "function", "function": {
                "name": "add_numbers", "arguments": json.dumps(args)}}]}) + "\n")
    return path


@pytest.fixture
def world(tmp_path: Path):
    suite = write_suite(tmp_path / "suite.jsonl")
    models = {  # models a and b agree on b = 2 for t0; nobody gets t1 right, each in its own way
        "a": write_model(tmp_path / "a.jsonl", {0: 2, 1: 7}),
        "b": write_model(tmp_path / "b.jsonl", {0: 2, 1: 8}),
        "c": write_model(tmp_path / "c.jsonl", {1: 9}),
    }
    db = str(tmp_path / "runs.db")
    for name, path in models.items():
        evaluate(RunConfig(suite=f"jsonl:{suite}", model=f"replay:{path}", split="all", db=db, run=name))
    return tmp_path, suite, db


def test_unsolved_tasks_and_label_suspects(world) -> None:
    _, suite_path, db = world
    suite = load_suite(f"jsonl:{suite_path}")
    env = suite.env
    with Store(db) as store:
        runs = [store.get_run(n) for n in ("a", "b", "c")]
        report = audit_suite(suite, env, "toolgym", store=store, runs=runs)
    assert report.gold_failures == [] and report.gold_checked == N
    assert [u.task_id for u in report.unsolved] == ["t0001"]
    u = report.unsolved[0]
    assert (u.attempts, u.models) == (3, 3) and u.upper_bound == pytest.approx(1 - 0.05 ** (1 / 3))
    assert [s.task_id for s in report.label_suspects] == ["t0000"]
    s = report.label_suspects[0]
    assert s.answer == "add_numbers(a=0, b=2)" and s.n_models == 3 and len(s.agreeing) == 2
    assert "'b'" in s.explanation
    assert report.verdict_changes == []


def test_rescore_under_a_fixed_key_writes_a_new_run_and_the_audit_shows_the_change(world) -> None:
    tmp, suite_path, db = world
    old_version = load_suite(f"jsonl:{suite_path}").version
    write_suite(suite_path, fix_t0=True)
    suite = load_suite(f"jsonl:{suite_path}")
    assert suite.version != old_version
    env = suite.env
    with Store(db) as store:
        info = store.get_run("a")
        summary = rescore_run(store, info, suite, env, "toolgym", "a-fixed")
        assert summary.regraded == N and summary.dropped_tasks == []
        assert [(c.task_id, c.before, c.after) for c in summary.changes] == [("t0000", False, True)]
        new = store.get_run("a-fixed")
        assert new.manifest.suite_version == suite.version and new.manifest.model == info.manifest.model
        assert (new.passed, info.passed) == (N - 1, N - 2)
        assert store.get_run("a").passed == N - 2  # the old run is untouched
        report = audit_suite(suite, env, "toolgym", store=store, runs=[store.get_run(n) for n in ("a", "b", "c")])
    changed = {(c.run, c.task_id) for c in report.verdict_changes}
    assert changed == {("a", "t0000"), ("b", "t0000")}
    assert report.label_suspects == []  # the key now accepts what the models agreed on
