"""`--limit N`: a short run that still covers every category of the suite.

Suites list their tasks category by category (fc-core: 100 simple, then 100 multiple, ...), so the
first N tasks of a split are one category only, and a quick `--limit 40` run would report the
simple-task accuracy as the model's accuracy. `head_by_category` keeps each category's share instead:
the first tasks of each category, as many as its share of N (largest remainder), in suite order. The
choice depends only on the task list and N, so a resumed run picks the same tasks.

A file-backed suite (`CompactTasks`) stays compact: all tasks come back as the same sequence, and a
subset is chosen from the categories kept beside the text, without parsing a task (turning 100,000
tasks into a list of `Task` objects took ~500 MB).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..types import Task
from .compact import CompactTasks

__all__ = ["head_by_category"]


def head_by_category(tasks: Sequence[Task], n: int | None) -> Sequence[Task]:
    """`n` tasks, the first ones of each category in proportion to its size; all tasks when `n` is None.

    Every category with tasks keeps at least one when `n` allows it (a 60-task category beside 4,000
    others still shows up in a 100-task run).

    Examples:
        >>> from toolgym.types import Message
        >>> ts = [Task(id=f"{c}{i}", messages=[Message(role="user", content="hi")], category=c)
        ...       for c, k in (("a", 6), ("b", 3), ("c", 1)) for i in range(k)]
        >>> [t.id for t in head_by_category(ts, 5)]
        ['a0', 'a1', 'a2', 'b0', 'c0']
    """
    if n is None or n >= len(tasks):
        return tasks
    compact = isinstance(tasks, CompactTasks)
    by_category: dict[str, list[int]] = {}
    for i, category in enumerate(tasks.category_list() if compact else (t.category for t in tasks)):
        by_category.setdefault(category, []).append(i)
    quota = _quotas({c: len(ix) for c, ix in by_category.items()}, n)
    kept = sorted(i for c, ix in by_category.items() for i in ix[: quota[c]])
    return tasks.take(kept) if compact else [tasks[i] for i in kept]


def _quotas(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Split `n` (< the total) over categories by size: each its share, rounded, at least one while `n` lasts."""
    total = sum(sizes.values())
    exact = {c: n * size / total for c, size in sizes.items()}
    quota = {c: min(size, max(1, int(exact[c]))) for c, size in sizes.items()}
    order = {c: i for i, c in enumerate(sizes)}  # ties go to the category that comes first
    while sum(quota.values()) > n:  # more categories than tasks: the smallest shares give theirs back
        quota[max(quota, key=lambda c: (quota[c] - exact[c], order[c]))] -= 1
    while sum(quota.values()) < n:  # the rest goes to the categories furthest below their share
        room = (c for c in sizes if quota[c] < sizes[c])
        quota[max(room, key=lambda c: (exact[c] - quota[c], -order[c]))] += 1
    return quota
