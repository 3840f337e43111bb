"""`--limit N` keeps every category's share: the first tasks of each, in suite order."""

from __future__ import annotations

from collections import Counter

import pytest

from toolgym.suites import head_by_category
from toolgym.suites.fc_core import fc_core
from toolgym.types import Message, Task


def _tasks(sizes: dict[str, int]) -> list[Task]:
    return [
        Task(id=f"{c}-{i}", messages=[Message(role="user", content="hi")], category=c)
        for c, k in sizes.items()
        for i in range(k)
    ]


def test_fc_core_limit_covers_every_category_in_proportion():
    tasks = fc_core().split("test")  # listed category by category: the first 40 are all simple
    assert Counter(t.category for t in tasks[:40]) == {"simple": 40}
    kept = head_by_category(tasks, 40)
    assert Counter(t.category for t in kept) == {
        "simple": 10, "multiple": 10, "parallel": 7, "parallel_multiple": 7, "irrelevance": 6,
    }


def test_kept_tasks_are_the_first_of_each_category_in_suite_order():
    tasks = _tasks({"a": 6, "b": 3, "c": 1})
    kept = head_by_category(tasks, 5)
    assert [t.id for t in kept] == ["a-0", "a-1", "a-2", "b-0", "c-0"]
    positions = [tasks.index(t) for t in kept]
    assert positions == sorted(positions)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 9, 10])
def test_exactly_n_tasks_and_no_duplicates(n):
    kept = head_by_category(_tasks({"a": 6, "b": 3, "c": 1}), n)
    assert len(kept) == n and len({t.id for t in kept}) == n


def test_small_category_keeps_one_task_beside_a_large_one():
    kept = head_by_category(_tasks({"big": 4000, "small": 60}), 100)
    assert Counter(t.category for t in kept) == {"big": 99, "small": 1}


def test_fewer_tasks_than_categories_keeps_the_largest_first():
    kept = head_by_category(_tasks({"a": 2, "b": 5, "c": 1}), 1)
    assert [t.id for t in kept] == ["b-0"]


def test_no_limit_or_a_large_one_keeps_everything_in_order():
    tasks = _tasks({"a": 2, "b": 2})
    assert head_by_category(tasks, None) == tasks
    assert head_by_category(tasks, 10) == tasks


def test_same_input_same_choice():
    tasks = fc_core().split("test")
    assert [t.id for t in head_by_category(tasks, 57)] == [t.id for t in head_by_category(tasks, 57)]
