"""The run engine end to end: a JSONL suite, the replay backend, a real SQLite file."""

from __future__ import annotations

import pytest

from tests.run.suite_factory import expected_passes, write_replay, write_suite
from toolgym.errors import UserError
from toolgym.run import RunConfig, evaluate
from toolgym.store import Store


@pytest.fixture
def setup(tmp_path):
    n = 30
    suite = write_suite(tmp_path / "suite.jsonl", n)
    replay = write_replay(tmp_path / "answers.jsonl", n)
    db = str(tmp_path / "runs.db")
    return n, suite, replay, db


def config(suite, replay, db, **kw) -> RunConfig:
    return RunConfig(suite=f"jsonl:{suite}", model=f"replay:{replay}", db=db, split="all", **kw)


def test_evaluate_stores_every_rollout_and_verdict(setup):
    n, suite, replay, db = setup
    run = evaluate(config(suite, replay, db, run="r1"))
    assert run.done == n and run.passed == expected_passes(n) and run.infra_errors == 0
    with Store(db) as store:
        rows = list(store.results(run.id))
    assert sorted(r.task_id for r in rows) == [f"t{i:04d}" for i in range(n)]
    wrong = [r for r in rows if not r.passed]
    assert all(r.failure.value == "wrong_value" for r in wrong)


def test_same_command_resumes_without_redoing_work(setup):
    n, suite, replay, db = setup
    first = evaluate(config(suite, replay, db, limit=10))
    assert first.done == 10
    second = evaluate(config(suite, replay, db, limit=10))
    assert second.name == first.name and second.done == 10 and second.rollouts == 10


def test_limit_runs_the_first_tasks_of_every_category(tmp_path):
    """fc-core lists 100 simple tasks first; `--limit 5` still runs one task of each of its five categories."""
    run = evaluate(RunConfig(suite="fc-core", model="tiny", split="test", limit=5, db=str(tmp_path / "r.db")))
    with Store(str(tmp_path / "r.db")) as store:
        ids = sorted(r.task_id for r in store.results(run.id))
    assert [i.split("/")[2] for i in ids] == ["irrelevance", "multiple", "parallel", "parallel_multiple", "simple"]
    assert all(i.endswith("/0000") for i in ids)


def test_repeats_give_k_samples_per_task_with_distinct_seeds(setup):
    n, suite, replay, db = setup
    run = evaluate(config(suite, replay, db, repeats=3, limit=4))
    assert run.done == 12
    with Store(db) as store:
        seeds = {store.rollout(run.id, "t0001", s).seed for s in range(3)}
    assert len(seeds) == 3


def test_changed_manifest_is_refused_naming_the_field(setup):
    n, suite, replay, db = setup
    evaluate(config(suite, replay, db, run="fixed"))
    with pytest.raises(UserError, match="temperature") as e:
        evaluate(config(suite, replay, db, run="fixed", temperature=0.7))
    assert "--run" in str(e.value)


def test_a_missing_recorded_answer_is_that_tasks_infra_error_and_the_run_goes_on(setup, tmp_path):
    n, suite, replay, db = setup
    short = write_replay(tmp_path / "short.jsonl", 5)
    run = evaluate(config(suite, short, db, limit=8, concurrency=1))
    assert run.rollouts == 8 and run.infra_errors == 3
    with Store(db) as store:
        errors = {r.task_id: r.error for r in store.results(run.id) if r.error}
    assert sorted(errors) == ["t0005", "t0006", "t0007"]
    assert all("no recorded answer" in e and task in e for task, e in errors.items())


