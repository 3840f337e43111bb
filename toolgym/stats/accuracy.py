"""Accuracy of a run, overall and per category, with intervals clustered by task.

Accuracy is the mean over tasks of each task's pass rate (c / n). Every task weighs the same
whatever its number of scored samples, so a task that lost a repeat to an infrastructure error
does not count less; with equal repeats this equals passes / samples. The interval resamples tasks
(`bootstrap.task_mean_estimate`): Wilson over tasks when each task is a plain pass/fail, the
percentile bootstrap over tasks otherwise. The overall interval resamples all tasks together, a
category's interval only that category's tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..errors import UserError
from .bootstrap import task_mean_estimate
from .estimates import AccuracyReport, Estimate
from .records import Record, TaskCounts

__all__ = ["accuracy"]


def accuracy(
    records: Iterable[Record | Sequence[object]],
    *,
    by_category: bool = True,
    categories: Sequence[str] | None = None,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> AccuracyReport:
    """Accuracy overall and per category with task-clustered confidence intervals.

    Args:
        records: one `(task_id, category, passed)` per scored sample; infrastructure failures must
            be left out.
        by_category: also estimate each category.
        categories: categories expected in the report; those without samples are listed in
            `AccuracyReport.empty_categories` instead of being silently absent.
        confidence: confidence level of the intervals.
        n_boot: bootstrap rounds (used only when some task has a pass rate strictly between 0 and 1).
        seed: seed of the bootstrap; each category draws from its own stream derived from it, so a
            category's interval does not depend on which other categories are present.

    Raises:
        UserError: no scored samples, or malformed records.

    Examples:
        >>> report = accuracy([("t1", "simple", True), ("t2", "simple", False)])
        >>> report.overall.value, report.overall.method
        (0.5, 'wilson')
    """
    counts = TaskCounts.from_records(records)
    if len(counts) == 0:
        raise UserError("accuracy: no scored samples; run the suite first or check the run's filters")
    overall = _estimate(counts, confidence, n_boot, np.random.default_rng([seed, 0]))
    per_category: dict[str, Estimate] = {}
    if by_category:
        for name in counts.category_names():
            rng = np.random.default_rng([seed, 1, *name.encode()])
            per_category[name] = _estimate(counts.in_category(name), confidence, n_boot, rng)
    empty = sorted(set(categories or ()) - set(counts.categories.tolist()))
    return AccuracyReport(overall=overall, by_category=per_category, empty_categories=empty)


def _estimate(counts: TaskCounts, confidence: float, n_boot: int, rng: np.random.Generator) -> Estimate:
    return task_mean_estimate(counts.rates, int(counts.n.sum()), confidence=confidence, n_boot=n_boot, rng=rng)
