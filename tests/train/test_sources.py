"""Reading scored rollouts back from the store: only train tasks, and runs that can be trusted."""

from __future__ import annotations

import pytest

from toolgym.errors import UserError
from toolgym.store import RunManifest, Store
from toolgym.train import read_rollouts


def _empty_run(db, name: str, **manifest) -> None:
    with Store(str(db)) as store:
        store.open_run(name, RunManifest(**{"suite": "fc-core", "suite_version": "x", "model": "m", **manifest}))


def test_rollouts_come_with_their_tasks_and_answers(scored_db, train_tasks):
    source = read_rollouts(str(scored_db), ["sampled"])
    assert len(source.rollouts) == 3 * len(train_tasks) and source.runs == ["sampled"]
    first = source.rollouts[0]
    assert first.answer == first.rollout.messages[len(first.task.messages):]
    assert first.run == "sampled" and first.task.split == "train"


def test_a_run_of_an_older_suite_version_is_refused(scored_db):
    _empty_run(scored_db, "old", suite_version="000000000000")
    with pytest.raises(UserError, match="its tasks changed"):
        read_rollouts(str(scored_db), ["old"])


def test_runs_of_different_suites_are_not_mixed(scored_db):
    _empty_run(scored_db, "other", suite="jsonl:x.jsonl")
    with pytest.raises(UserError, match="different suites: sampled .*other"):
        read_rollouts(str(scored_db), ["sampled", "other"])


def test_arena_runs_have_no_verdicts_to_train_on(scored_db):
    _empty_run(scored_db, "answers", mode="arena")
    with pytest.raises(UserError, match="arena answer run.*battle_pairs"):
        read_rollouts(str(scored_db), ["answers"])


def test_no_run_named():
    with pytest.raises(UserError, match="no run given"):
        read_rollouts("unused.db", [])
