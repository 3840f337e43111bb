"""Fixtures of the post-training tests: fc-core, a real SQLite store of scored rollouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.train.crafted import write_run, wrong_answer
from toolgym.suites import Suite, load_suite
from toolgym.train.chat import reference_answer
from toolgym.types import Task


@pytest.fixture(scope="session")
def fc_core() -> Suite:
    return load_suite("fc-core")


@pytest.fixture
def train_tasks(fc_core: Suite) -> list[Task]:
    """Two train tasks of each category."""
    out = []
    for category in fc_core.categories():
        out += [t for t in fc_core.split("train") if t.category == category][:2]
    return out


@pytest.fixture
def scored_db(tmp_path: Path, fc_core: Suite, train_tasks: list[Task]) -> Path:
    """Run `sampled` (3 samples per train task: right, wrong, right again) and run `test-run` on test tasks."""
    db = tmp_path / "runs.db"
    answers = {}
    for task in train_tasks:
        answers[(task.id, 0)] = reference_answer(task)
        answers[(task.id, 1)] = wrong_answer(task)
        answers[(task.id, 2)] = reference_answer(task)
    write_run(db, "sampled", fc_core, answers)
    test = fc_core.split("test")[:3]
    write_run(db, "test-run", fc_core, {(t.id, 0): reference_answer(t) for t in test}, split="test")
    return db
