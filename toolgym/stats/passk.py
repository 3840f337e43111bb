"""pass@k and pass^k: how often k samples of a model solve a task (at least one / all of them).

Both use the unbiased estimators over the n samples of each task, then average over tasks:

* pass@k = 1 - C(n - c, k) / C(n, k)   (chance that at least one of k samples drawn from the n passes)
* pass^k = C(c, k) / C(n, k)           (chance that all k drawn samples pass; tau-bench's reliability)

with c passing samples. A task with fewer than k samples has no unbiased estimate: it is left out
and listed in `PassKReport.excluded_tasks`; if every task is left out that is a `UserError`. The
ratios are computed as products of k fractions, which is exact enough for any n and never
overflows. Intervals are clustered by task as for accuracy (`bootstrap.task_mean_estimate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..errors import UserError
from .bootstrap import task_mean_estimate
from .estimates import Estimate, PassKReport
from .records import Record, TaskCounts

__all__ = ["pass_at_k", "pass_at_k_per_task", "pass_hat_k", "pass_hat_k_per_task"]


def _draw_ratio(good: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    """C(good, k) / C(n, k) for each task: the chance that k draws without replacement are all good."""
    steps = np.arange(k)
    num = np.clip(good[:, None] - steps, 0, None)
    return np.prod(num / (n[:, None] - steps), axis=1)


def _check(n: np.ndarray, c: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = np.asarray(n, dtype=np.int64)
    c = np.asarray(c, dtype=np.int64)
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if np.any(n < k) or np.any((c < 0) | (c > n)):
        raise ValueError("every task needs n >= k samples and 0 <= c <= n passes")
    return n, c


def pass_at_k_per_task(n: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
    """Unbiased pass@k of each task from its `n` samples with `c` passes (needs n >= k)."""
    n, c = _check(n, c, k)
    return 1.0 - _draw_ratio(n - c, n, k)


def pass_hat_k_per_task(n: np.ndarray, c: np.ndarray, k: int) -> np.ndarray:
    """Unbiased pass^k of each task from its `n` samples with `c` passes (needs n >= k)."""
    n, c = _check(n, c, k)
    return _draw_ratio(c, n, k)


def pass_at_k(
    records: Iterable[Record | Sequence[object]],
    k: int,
    *,
    by_category: bool = True,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> PassKReport:
    """pass@k overall and per category: the chance that at least one of k samples passes.

    Args:
        records: one `(task_id, category, passed)` per scored sample.
        k: samples per attempt; tasks with fewer than k samples are excluded and listed.
        by_category: also estimate each category.
        confidence: confidence level of the intervals.
        n_boot: bootstrap rounds.
        seed: seed of the bootstrap.

    Raises:
        UserError: k < 1, or no task has k samples.

    Examples:
        >>> recs = [("t", "c", True), ("t", "c", False), ("t", "c", False)]
        >>> round(pass_at_k(recs, 2).overall.value, 4)  # 1 - C(2,2)/C(3,2)
        0.6667
    """
    return _report("pass@k", pass_at_k_per_task, records, k, by_category, confidence, n_boot, seed)


def pass_hat_k(
    records: Iterable[Record | Sequence[object]],
    k: int,
    *,
    by_category: bool = True,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> PassKReport:
    """pass^k overall and per category: the chance that all of k samples pass.

    Arguments and errors as for `pass_at_k`.

    Examples:
        >>> recs = [("t", "c", True), ("t", "c", True), ("t", "c", False)]
        >>> round(pass_hat_k(recs, 2).overall.value, 4)  # C(2,2)/C(3,2)
        0.3333
    """
    return _report("pass^k", pass_hat_k_per_task, records, k, by_category, confidence, n_boot, seed)


def _report(
    metric: str,
    per_task: Callable[[np.ndarray, np.ndarray, int], np.ndarray],
    records: Iterable[Record | Sequence[object]],
    k: int,
    by_category: bool,
    confidence: float,
    n_boot: int,
    seed: int,
) -> PassKReport:
    if not isinstance(k, int) or k < 1:
        raise UserError(f"{metric}: k must be a positive integer, got {k!r}")
    counts = TaskCounts.from_records(records)
    enough = counts.n >= k
    if not enough.any():
        most = int(counts.n.max()) if len(counts) else 0
        raise UserError(
            f"{metric} with k={k}: no task has {k} scored samples (most has {most}); run with repeats >= {k} or lower k"
        )
    kept = counts.select(enough)
    values = per_task(kept.n, kept.c, k)

    def estimate(mask: np.ndarray, rng: np.random.Generator) -> Estimate:
        return task_mean_estimate(values[mask], int(kept.n[mask].sum()), confidence=confidence, n_boot=n_boot, rng=rng)

    overall = estimate(np.ones(len(kept), dtype=bool), np.random.default_rng([seed, 0]))
    per_category = {}
    if by_category:
        for name in kept.category_names():
            rng = np.random.default_rng([seed, 1, *name.encode()])
            per_category[name] = estimate(kept.categories == name, rng)
    return PassKReport(
        metric=metric,
        k=k,
        overall=overall,
        by_category=per_category,
        excluded_tasks=counts.task_ids[~enough].tolist(),
    )
