"""Scored samples grouped by task: the input of accuracy, pass@k and paired comparisons.

A run gives one `Record` per scored rollout: `(task_id, category, passed)`. Infrastructure failures
are not scored and must not be passed here (DESIGN.md: they stay out of accuracy). `TaskCounts`
folds records into one row per task (samples `n`, passes `c`), which is all the statistics need:
repeats of a task are correlated, so the task, not the rollout, is the unit that is resampled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..errors import UserError

__all__ = ["Record", "TaskCounts"]


class Record(NamedTuple):
    """One scored sample: which task, its category, and whether the attempt passed."""

    task_id: str
    category: str
    passed: bool


@dataclass(frozen=True)
class TaskCounts:
    """Per-task sample and pass counts, one row per task, sorted by task id.

    Attributes:
        task_ids: task ids (object array of str), sorted and unique.
        categories: category of each task (object array of str).
        n: number of scored samples of each task (int64, >= 1).
        c: number of passing samples of each task (int64, 0 <= c <= n).
    """

    task_ids: np.ndarray
    categories: np.ndarray
    n: np.ndarray
    c: np.ndarray

    @classmethod
    def from_records(cls, records: Iterable[Record | Sequence[object]], *, source: str = "records") -> TaskCounts:
        """Group `(task_id, category, passed)` records by task.

        Args:
            records: scored samples; plain tuples work as well as `Record`.
            source: name used in error messages (e.g. "run A").

        Raises:
            UserError: a record is malformed, `passed` is not a boolean, or a task appears under two
                categories.
        """
        rows = list(records)
        if not rows:
            return cls(*(np.array([], dtype=object),) * 2, *(np.array([], dtype=np.int64),) * 2)
        for i, row in enumerate(rows):
            if len(row) != 3:
                raise UserError(
                    f"{source}[{i}]: expected (task_id, category, passed), got {row!r}; "
                    "pass one (task_id, category, passed) triple per scored sample"
                )
            if not isinstance(row[2], bool | np.bool_) and row[2] not in (0, 1):
                raise UserError(
                    f"{source}[{i}] (task {row[0]!r}): passed must be a boolean, got {row[2]!r}; "
                    "leave infrastructure failures out instead of scoring them"
                )
        tasks = np.array([str(r[0]) for r in rows], dtype=object)
        cats = np.array([str(r[1]) for r in rows], dtype=object)
        passed = np.array([bool(r[2]) for r in rows], dtype=bool)
        task_ids, first, inverse = np.unique(tasks, return_index=True, return_inverse=True)
        categories = cats[first]
        clash = np.flatnonzero(cats != categories[inverse])
        if clash.size:
            i = int(clash[0])
            raise UserError(
                f"{source}[{i}]: task {tasks[i]!r} has category {cats[i]!r} but earlier "
                f"{categories[inverse[i]]!r}; a task belongs to exactly one category"
            )
        n = np.bincount(inverse, minlength=task_ids.size).astype(np.int64)
        c = np.bincount(inverse, weights=passed, minlength=task_ids.size).astype(np.int64)
        return cls(task_ids, categories, n, c)

    def __len__(self) -> int:
        return int(self.task_ids.size)

    @property
    def rates(self) -> np.ndarray:
        """Pass rate of each task, c / n."""
        return self.c / self.n

    def select(self, mask: np.ndarray) -> TaskCounts:
        """The tasks where `mask` (boolean, one per task) is true."""
        return TaskCounts(self.task_ids[mask], self.categories[mask], self.n[mask], self.c[mask])

    def category_names(self) -> list[str]:
        """The categories present, sorted."""
        return sorted(set(self.categories.tolist()))

    def in_category(self, category: str) -> TaskCounts:
        """The tasks of one category."""
        return self.select(self.categories == category)
