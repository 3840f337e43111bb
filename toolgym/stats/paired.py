"""Paired comparison of two runs on the same tasks: is B better than A, and by how much?

Only tasks scored in both runs are compared (the counts of dropped tasks are reported). For each
shared task the difference of pass rates d = rate_B - rate_A is the unit of analysis:

* the difference is mean(d), the two accuracies being means of per-task rates as in `accuracy`;
* its interval is the paired bootstrap over tasks (a task's A and B results move together);
* its p-value (two-sided) is the exact McNemar test when both runs have one sample per task
  (a binomial test on the discordant tasks), and otherwise a sign-flip permutation test on the
  per-task differences: under "no difference" each d is as likely to be -d. The test enumerates all
  sign patterns when at most 16 tasks differ, and otherwise draws `n_perm` of them, reporting
  (1 + hits) / (1 + n_perm) so a p-value is never 0.

Per-category p-values are not corrected for testing several categories.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.stats import binomtest

from ..errors import UserError
from .bootstrap import bootstrap_means, percentile_interval
from .estimates import Comparison, Difference
from .records import Record, TaskCounts

__all__ = ["compare", "sign_flip_p_value"]

_EXACT_MAX = 16  # 2**16 sign patterns: enumerate them all


def compare(
    a_records: Iterable[Record | Sequence[object]],
    b_records: Iterable[Record | Sequence[object]],
    *,
    confidence: float = 0.95,
    n_boot: int = 2000,
    n_perm: int = 10_000,
    seed: int = 0,
) -> Comparison:
    """Compare run B against run A on their shared tasks, overall and per category.

    Args:
        a_records: `(task_id, category, passed)` per scored sample of run A.
        b_records: the same for run B.
        confidence: confidence level of the intervals.
        n_boot: paired bootstrap rounds.
        n_perm: random sign patterns when more than 16 tasks differ.
        seed: seed of the bootstrap and the permutations.

    Raises:
        UserError: no shared task, or a shared task has different categories in A and B.
    """
    a = TaskCounts.from_records(a_records, source="run A")
    b = TaskCounts.from_records(b_records, source="run B")
    shared, ia, ib = np.intersect1d(a.task_ids, b.task_ids, assume_unique=True, return_indices=True)
    if shared.size == 0:
        raise UserError(
            f"compare: runs A ({len(a)} tasks) and B ({len(b)} tasks) share no task; compare runs of the same suite"
        )
    differ = np.flatnonzero(a.categories[ia] != b.categories[ib])
    if differ.size:
        i = int(differ[0])
        raise UserError(
            f"compare: task {shared[i]!r} is in category {a.categories[ia][i]!r} in run A but "
            f"{b.categories[ib][i]!r} in run B; compare runs of the same suite version"
        )
    n_only_a, n_only_b = len(a) - shared.size, len(b) - shared.size
    # ia and ib are the shared tasks' rows, in the same sorted order (np.isin on str objects is quadratic)
    a, b = a.select(_rows(ia, len(a))), b.select(_rows(ib, len(b)))
    single = bool(np.all(a.n == 1) and np.all(b.n == 1))

    def diff(mask: np.ndarray, rng: np.random.Generator) -> Difference:
        return _difference(a.rates[mask], b.rates[mask], single, confidence, n_boot, n_perm, rng)

    overall = diff(np.ones(shared.size, dtype=bool), np.random.default_rng([seed, 0]))
    per_category = {
        name: diff(a.categories == name, np.random.default_rng([seed, 1, *name.encode()]))
        for name in a.category_names()
    }
    return Comparison(
        overall=overall,
        by_category=per_category,
        n_shared=int(shared.size),
        n_only_a=n_only_a,
        n_only_b=n_only_b,
    )


def _rows(indices: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[indices] = True
    return mask


def _difference(
    rate_a: np.ndarray,
    rate_b: np.ndarray,
    single: bool,
    confidence: float,
    n_boot: int,
    n_perm: int,
    rng: np.random.Generator,
) -> Difference:
    d = rate_b - rate_a
    value = float(d.mean())
    if np.all(d == d[0]):  # no spread: every resample gives the same mean
        low = high = value
    else:
        lo, hi = percentile_interval(bootstrap_means(d, n_boot, rng), confidence)
        low, high = min(float(lo), value), max(float(hi), value)
    if single:
        better, worse = int(np.sum(d > 0)), int(np.sum(d < 0))
        p = 1.0 if better + worse == 0 else binomtest(better, better + worse, 0.5).pvalue
        test = "mcnemar_exact"
    else:
        p, exact = sign_flip_p_value(d, n_perm=n_perm, rng=rng)
        test = "sign_flip_exact" if exact else "sign_flip_monte_carlo"
    return Difference(
        value=value,
        low=low,
        high=high,
        accuracy_a=float(rate_a.mean()),
        accuracy_b=float(rate_b.mean()),
        p_value=min(1.0, float(p)),
        test=test,
        n_tasks=int(d.size),
        confidence=confidence,
    )


def sign_flip_p_value(
    differences: np.ndarray, *, n_perm: int = 10_000, rng: np.random.Generator | None = None
) -> tuple[float, bool]:
    """Two-sided sign-flip permutation p-value of "the mean difference is zero".

    Args:
        differences: per-task paired differences.
        n_perm: random sign patterns when more than 16 differences are non-zero.
        rng: the random generator (a fixed default when None).

    Returns:
        `(p_value, exact)`: exact is True when all sign patterns were enumerated.
    """
    nz = np.asarray(differences, dtype=float)
    nz = nz[nz != 0.0]
    if nz.size == 0:
        return 1.0, True
    observed = abs(nz.sum()) - 1e-9 * np.abs(nz).sum()  # tolerance: equal sums count as hits
    if nz.size <= _EXACT_MAX:
        patterns = np.arange(2**nz.size)[:, None] >> np.arange(nz.size) & 1
        return float(np.mean(np.abs((2 * patterns - 1) @ nz) >= observed)), True
    rng = rng if rng is not None else np.random.default_rng(0)
    hits = 0
    step = max(1, 2_000_000 // nz.size)
    for start in range(0, n_perm, step):
        signs = rng.integers(0, 2, size=(min(step, n_perm - start), nz.size), dtype=np.int8) * 2 - 1
        hits += int(np.sum(np.abs(signs @ nz) >= observed))
    return (1 + hits) / (1 + n_perm), False
