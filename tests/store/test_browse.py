"""Paged, filtered reading of a run (toolgym/store/browse.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from toolgym.store import RolloutFilter, RunManifest, Store, categories, rollout_page, rollouts_by_key
from toolgym.store.browse import run_without_counts
from toolgym.types import FailureKind, Message, Rollout, Verdict


def filled(store: Store) -> int:
    run = store.open_run("r", RunManifest(suite="s", suite_version="1", model="m", repeats=2))
    rows = []
    for i in range(30):
        for sample in range(2):
            said = "a 100% match_here" if i == 7 else f"answer {i}"
            rollout = Rollout(task_id=f"t{i:02d}", sample=sample,
                              messages=[Message(role="user", content="q"), Message(role="assistant", content=said)])
            if i % 10 == 9:
                verdict = None  # the verifier raised: unscored
            elif i % 2:
                verdict = Verdict.fail(FailureKind.WRONG_VALUE, f"wrong unit in t{i:02d}")
            else:
                verdict = Verdict.ok()
            rows.append((rollout, "odd" if i % 2 else "even", verdict))
    store.write(run.id, rows)
    return run.id


def keys(page) -> list[tuple[str, int]]:
    return [(r.task_id, r.sample) for r in page.records]


def test_pages_follow_task_and_sample_order(store: Store):
    run_id = filled(store)
    first = rollout_page(store, run_id, RolloutFilter(), 0, 25)
    last = rollout_page(store, run_id, RolloutFilter(), 50, 25)
    assert first.total == 60 and first.more and keys(first)[:3] == [("t00", 0), ("t00", 1), ("t01", 0)]
    assert not last.more and len(last.records) == 10 and keys(last)[-1] == ("t29", 1)


def test_filters_combine(store: Store):
    run_id = filled(store)
    failed_odd = rollout_page(store, run_id, RolloutFilter(category="odd", passed=False), 0, 100)
    assert failed_odd.total == 30  # every odd task: wrong_value, or unscored (t09, t19, t29)
    wrong = rollout_page(store, run_id, RolloutFilter(failure="wrong_value"), 0, 100)
    assert wrong.total == 24 and {r.failure for r in wrong.records} == {FailureKind.WRONG_VALUE}
    unscored = rollout_page(store, run_id, RolloutFilter(failure="unscored"), 0, 100)
    assert sorted({r.task_id for r in unscored.records}) == ["t09", "t19", "t29"]
    passed = rollout_page(store, run_id, RolloutFilter(passed=True), 0, 100)
    assert passed.total == 30 and all(r.passed for r in passed.records)


def test_text_search_reads_task_ids_explanations_and_transcripts(store: Store):
    run_id = filled(store)
    in_transcript = rollout_page(store, run_id, RolloutFilter(text="100% MATCH_here"), 0, 100)
    assert keys(in_transcript) == [("t07", 0), ("t07", 1)] and in_transcript.total is None
    assert {r.task_id for r in rollout_page(store, run_id, RolloutFilter(text="T1"), 0, 100).records} == {
        f"t1{i}" for i in range(10)}
    assert {r.task_id for r in rollout_page(store, run_id, RolloutFilter(text="unit in t13"), 0, 100).records} == {
        "t13"}
    assert rollout_page(store, run_id, RolloutFilter(text="%"), 0, 100).records[0].task_id == "t07"  # % is literal


def test_rollouts_by_key_brings_transcripts_and_verdicts(store: Store):
    run_id = filled(store)
    found = rollouts_by_key(store, run_id, [("t07", 1), ("t09", 0), ("t99", 0)])
    assert set(found) == {("t07", 1), ("t09", 0)}
    rollout, verdict = found[("t07", 1)]
    assert rollout.messages[-1].content == "a 100% match_here" and verdict is not None and not verdict.passed
    assert found[("t09", 0)][1] is None


def test_filters_use_their_index(tmp_path):
    import sqlite3

    db = tmp_path / "r.db"
    with Store(str(db)) as store:
        filled(store)
    with sqlite3.connect(db) as conn:
        plans = {
            name: " ".join(row[-1] for row in conn.execute(
                "EXPLAIN QUERY PLAN SELECT task_id, sample FROM rollouts WHERE run_id = 1 AND " + where
                + " ORDER BY task_id, sample LIMIT 50"))
            for name, where in (("category", "category = 'odd'"), ("failure", "failure = 'wrong_value'"))
        }
    assert "ix_rollouts_category" in plans["category"] and "ix_rollouts_failure" in plans["failure"]
    assert "TEMP B-TREE" not in plans["category"]  # pages come in index order, no sort of the run


def test_an_older_database_gains_the_filter_indexes(tmp_path):
    import sqlite3

    from toolgym.store.schema import SCHEMA_VERSION

    db = tmp_path / "old.db"
    with Store(str(db)) as store:
        filled(store)
    with sqlite3.connect(db) as conn:  # as schema 3 left it
        conn.execute("DROP INDEX ix_rollouts_category")
        conn.execute("DROP INDEX ix_rollouts_failure")
        conn.execute("UPDATE toolgym_meta SET value = '3' WHERE key = 'schema_version'")
    with Store(str(db)) as store:
        assert rollout_page(store, 1, RolloutFilter(category="odd"), 0, 5).total == 30
    with sqlite3.connect(db) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
    assert {"ix_rollouts_category", "ix_rollouts_failure"} <= names and version == str(SCHEMA_VERSION)


def test_a_run_without_counts_and_its_categories(store: Store):
    import pytest

    from toolgym.errors import UserError

    run_id = filled(store)
    run = run_without_counts(store, run_id)
    assert (run.name, run.manifest.repeats, run.status, run.rollouts) == ("r", 2, "running", 0)
    assert categories(store, run_id) == ["even", "odd"]
    with pytest.raises(UserError, match="no run named '99'"):
        run_without_counts(store, 99)
