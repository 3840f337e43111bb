import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import Record, TaskCounts


def test_groups_samples_by_task_sorted():
    counts = TaskCounts.from_records(
        [("t2", "b", True), Record("t1", "a", False), ("t2", "b", False), ("t1", "a", True), ("t1", "a", True)]
    )
    assert counts.task_ids.tolist() == ["t1", "t2"]
    assert counts.categories.tolist() == ["a", "b"]
    assert counts.n.tolist() == [3, 2]
    assert counts.c.tolist() == [2, 1]
    assert np.allclose(counts.rates, [2 / 3, 0.5])


def test_task_in_two_categories_is_named():
    with pytest.raises(UserError, match=r"task 't1' has category 'b' but earlier 'a'"):
        TaskCounts.from_records([("t1", "a", True), ("t1", "b", True)])


def test_non_boolean_passed_is_refused_with_fix():
    with pytest.raises(UserError, match=r"run A\[1\].*passed must be a boolean.*infrastructure"):
        TaskCounts.from_records([("t1", "a", True), ("t2", "a", None)], source="run A")


def test_wrong_arity_is_refused():
    with pytest.raises(UserError, match=r"expected \(task_id, category, passed\)"):
        TaskCounts.from_records([("t1", True)])
