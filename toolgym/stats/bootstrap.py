"""Clustered bootstrap: resample whole clusters (tasks, prompts), never single samples.

Repeats of a task, and the position-swapped games of a prompt, are correlated; resampling them one
by one would pretend they are independent and give intervals that are too narrow. Here a bootstrap
round draws K clusters with replacement from the K observed ones, i.e. a multinomial count vector
over clusters, and every statistic is a weighted sum over clusters with those counts.

Identical clusters may be merged into one *type* with a multiplicity (`resample_counts`), which keeps
a round's cost proportional to the number of distinct cluster contents rather than to the data size.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.sparse import csr_matrix, vstack

from .estimates import Estimate
from .wilson import wilson_interval

__all__ = [
    "bootstrap_means",
    "merge_identical_rows",
    "percentile_interval",
    "resample_counts",
    "task_mean_estimate",
]

_CHUNK_CELLS = 4_000_000  # bound memory of one (rounds x units) block
_DIRECT_MULTINOMIAL = 2000  # up to this many types numpy's own multinomial is fast enough
_MERGE_MAX_NNZ = 8  # clusters with more non-zeros are kept as their own type


def merge_identical_rows(rows: csr_matrix) -> tuple[csr_matrix, np.ndarray]:
    """Merge identical rows of a sparse matrix (one row per cluster) into types with multiplicities.

    Resampling K clusters is the same as resampling their types with weights multiplicity / K, and
    real data repeats itself a lot (a prompt judged once for one model pair has one of a few
    outcome patterns), so this can shrink the bootstrap's work by orders of magnitude. Rows are
    compared exactly (column indices and the bits of the values) after a lexicographic sort; rows
    with more than 8 non-zeros are assumed distinct.

    Returns:
        `(types, multiplicity)`: the distinct rows (csr) and how many clusters each stands for.
    """
    rows = csr_matrix(rows)
    rows.sum_duplicates()
    rows.sort_indices()
    lens = np.diff(rows.indptr)
    short = np.flatnonzero(lens <= _MERGE_MAX_NNZ)
    long = np.flatnonzero(lens > _MERGE_MAX_NNZ)
    width = int(lens[short].max()) if short.size else 0
    owner = np.repeat(np.arange(lens.size), lens)
    rank = np.full(lens.size, -1)
    rank[short] = np.arange(short.size)
    keep = rank[owner] >= 0
    slot = (np.arange(owner.size) - rows.indptr[owner])[keep]
    keys = np.full((short.size, 2 * width), -1, dtype=np.int64)
    keys[rank[owner[keep]], slot] = rows.indices[keep]
    keys[rank[owner[keep]], width + slot] = rows.data[keep].astype(np.float64).view(np.int64)
    order = np.lexsort(keys.T[::-1]) if width else np.arange(short.size)
    ordered = keys[order]
    new = np.r_[True, np.any(ordered[1:] != ordered[:-1], axis=1)] if short.size else np.zeros(0, bool)
    group = np.cumsum(new) - 1
    multiplicity = np.concatenate([np.bincount(group), np.ones(long.size, dtype=np.int64)])
    types = vstack([rows[short[order[new]]], rows[long]], format="csr")
    return types, multiplicity.astype(np.int64)


def resample_counts(rng: np.random.Generator, multiplicity: np.ndarray, n_rounds: int) -> np.ndarray:
    """Multinomial bootstrap counts over cluster types, exactly, at Poisson cost.

    Draws `K = multiplicity.sum()` clusters uniformly with replacement per round and returns how many
    draws fell on each type: row r is Multinomial(K, multiplicity / K). numpy's multinomial is slow
    for many categories, so beyond 2000 types each type first gets a Poisson(multiplicity) count
    (given their sum S, Poisson counts are Multinomial(S, p)); then K - S more draws are added, or
    S - K drawn items are removed uniformly at random, which keeps the law exact.

    Args:
        rng: the random generator.
        multiplicity: number of observed clusters of each type (non-negative integers).
        n_rounds: number of bootstrap rounds.

    Returns:
        An int64 array of shape (n_rounds, n_types) whose rows sum to K.
    """
    m = np.asarray(multiplicity, dtype=np.int64)
    total = int(m.sum())
    if m.size <= _DIRECT_MULTINOMIAL:
        return rng.multinomial(total, m / total, size=n_rounds).astype(np.int64)
    counts = rng.poisson(m.astype(float), size=(n_rounds, m.size)).astype(np.int64)
    cum_m = np.cumsum(m)
    for r in range(n_rounds):
        row = counts[r]
        gap = total - int(row.sum())
        if gap > 0:  # add draws: a uniform cluster index falls on type t with chance m_t / K
            picks = np.searchsorted(cum_m, rng.integers(0, total, gap), side="right")
            row += np.bincount(picks, minlength=m.size)
        elif gap < 0:  # drop -gap of the S drawn items, chosen uniformly without replacement
            drawn = int(row.sum())
            picks = np.searchsorted(np.cumsum(row), rng.choice(drawn, -gap, replace=False), side="right")
            row -= np.bincount(picks, minlength=m.size)
    return counts


def _round_chunks(n_boot: int, n_units: int) -> Iterator[int]:
    """Sizes of blocks of rounds such that a block of counts stays a few million cells."""
    step = max(1, _CHUNK_CELLS // max(n_units, 1))
    for start in range(0, n_boot, step):
        yield min(step, n_boot - start)


def bootstrap_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap distribution of the mean of per-cluster `values` (clusters weigh equally).

    Args:
        values: one value per cluster, shape (T,) or (T, d) for several statistics resampled with
            the same draws (paired bootstrap).
        n_boot: number of rounds.
        rng: the random generator.

    Returns:
        Array of shape (n_boot,) or (n_boot, d) of resampled means.
    """
    v = np.asarray(values, dtype=float)
    t = v.shape[0]
    # clusters with equal values are one type: 25,000 tasks of 4 samples have at most 5 pass rates
    types, multiplicity = np.unique(v, axis=0, return_counts=True)
    blocks = [resample_counts(rng, multiplicity, b) @ types / t for b in _round_chunks(n_boot, types.shape[0])]
    return np.concatenate(blocks, axis=0)


def percentile_interval(samples: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed percentile interval over the first axis of bootstrap `samples`."""
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(samples, [alpha, 1.0 - alpha], axis=0)
    return low, high


def task_mean_estimate(
    values: np.ndarray, n_samples: int, *, confidence: float, n_boot: int, rng: np.random.Generator
) -> Estimate:
    """Mean of per-task values with an interval clustered by task.

    When every task's value is 0 or 1 (one sample per task, or tasks that passed or failed every
    time) the tasks are Bernoulli trials and the Wilson score interval over tasks is used: it is
    exact-ish at small n and never degenerate at 0 % or 100 %. Otherwise it is the percentile
    bootstrap over tasks.

    Args:
        values: one value in [0, 1] per task (a pass rate, a pass@k estimate).
        n_samples: number of samples behind the values, reported as `Estimate.n`.
        confidence: confidence level.
        n_boot: bootstrap rounds.
        rng: the random generator.
    """
    v = np.asarray(values, dtype=float)
    mean = float(v.mean())
    if np.all((v == 0.0) | (v == 1.0)):
        low, high = wilson_interval(v.sum(), v.size, confidence)
        method = "wilson"
    else:
        low, high = percentile_interval(bootstrap_means(v, n_boot, rng), confidence)
        method = "bootstrap"
    return Estimate(
        value=mean,
        low=min(float(low), mean),
        high=max(float(high), mean),
        n=n_samples,
        n_tasks=int(v.size),
        confidence=confidence,
        method=method,
    )
