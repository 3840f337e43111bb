"""Bootstrap of Bradley–Terry ratings, clustered by prompt.

A round draws the K prompts with replacement (all games of a prompt move together: both
position-swapped orders and repeats) and refits the ratings. For plain BT the data are first
pooled once into one sparse row of win counts per prompt, identical rows are merged into types
(`bootstrap.merge_identical_rows`), and a round is then a multinomial count vector over types, a
sparse product giving the round's pooled win matrix, and a warm-started Newton fit on that
n_models x n_models matrix. Rounds are fitted in batches. Its cost grows with the number of
distinct prompt contents and of models, not with the number of battles.

A round may leave a model unbeaten, unplayed or cut off (rare with many prompts, common with
few). Its maximum-likelihood ratings would be infinite, so such a round is fitted with a tiny prior
(`DEGENERATE_PRIOR`, unless a larger prior was asked for) and counted; the count is reported with
the ratings. Each block of rounds draws from its own stream `[seed, block]`, so results do not
depend on the number of worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.sparse import csr_matrix

from .battles import Battles
from .bootstrap import merge_identical_rows, resample_counts
from .graph import is_strongly_connected
from .newton import Chord, fit_pooled
from .style import fit_joint

__all__ = ["DEGENERATE_PRIOR", "bootstrap_joint", "bootstrap_pooled"]

DEGENERATE_PRIOR = 1e-6
"""L2 prior (logit scale) used for bootstrap rounds whose ratings would otherwise diverge."""
_BLOCK = 50  # rounds per batch: (50, n, n) arrays stay a few MB at n = 100


def bootstrap_pooled(
    battles: Battles, theta: np.ndarray, prior: float, n_boot: int, seed: int, workers: int = 1
) -> tuple[np.ndarray, int]:
    """Bootstrap draws of the plain BT logit ratings.

    Args:
        battles: the battles.
        theta: the full-data fit, used as the warm start.
        prior: L2 prior of the fit (0 for none).
        n_boot: number of rounds.
        seed: seed of the resampling.
        workers: threads fitting blocks of rounds in parallel (numpy releases the GIL).

    Returns:
        `(draws, degenerate)`: centred logits (n_boot, n) and the number of degenerate rounds.
    """
    n = battles.n_models
    types, multiplicity, cells = _prompt_types(battles)
    full_support = np.asarray(types.T @ multiplicity) > 0
    by_cell = types.T.tocsr()
    chord = Chord(battles.win_matrix(), theta, prior)

    def block(index: int, size: int) -> tuple[np.ndarray, int]:
        counts = resample_counts(np.random.default_rng([seed, index]), multiplicity, size)
        flat = np.asarray(by_cell @ counts.T).T
        wins = np.zeros((size, n * n))
        wins[:, cells] = flat
        wins = wins.reshape(size, n, n)
        degenerate = _degenerate(wins, flat, full_support)
        priors = np.full(size, float(prior))
        draws = np.empty((size, n))
        ok = ~degenerate
        draws[ok] = chord.fit(wins[ok], priors[ok])
        if degenerate.any():
            priors[degenerate] = max(prior, DEGENERATE_PRIOR)
            draws[degenerate] = fit_pooled(wins[degenerate], priors[degenerate], theta, tol=1e-8)[0]
        return draws, int(degenerate.sum())

    results = _run_blocks(block, n_boot, workers)
    return np.concatenate([r[0] for r in results]), sum(r[1] for r in results)


def bootstrap_joint(
    battles: Battles,
    z: np.ndarray,
    params: np.ndarray,
    prior: float,
    n_boot: int,
    seed: int,
    workers: int = 1,
) -> tuple[np.ndarray, int]:
    """Bootstrap draws of the style-controlled fit (ratings and style coefficients, in logits).

    Each round refits on the individual battles with prompt-resampled weights: O(N) per Newton
    iteration, much slower than `bootstrap_pooled` on large data. Arguments as there, plus the
    style covariates `z` (N, F); returns draws of shape (n_boot, n + F).
    """
    n = battles.n_models
    code, k = battles.cluster_codes()
    ones = np.ones(k, dtype=np.int64)

    def block(index: int, size: int) -> tuple[np.ndarray, int]:
        counts = resample_counts(np.random.default_rng([seed, index]), ones, size)
        draws, degenerate = np.empty((size, params.size)), 0
        for r in range(size):
            weight = battles.weight * counts[r][code]
            wins = battles.win_matrix(weight)
            bad = (wins + wins.T).sum(axis=1).min() == 0 or not is_strongly_connected(wins)
            degenerate += bad
            round_prior = max(prior, DEGENERATE_PRIOR) if bad else prior
            a, b, y = battles.a, battles.b, battles.outcome
            draws[r] = fit_joint(a, b, y, weight, z, n, round_prior, params)[0]
        return draws, degenerate

    results = _run_blocks(block, n_boot, workers)
    return np.concatenate([r[0] for r in results]), sum(r[1] for r in results)


def _prompt_types(battles: Battles) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Distinct per-prompt win-count rows over the used cells (i * n + j), with multiplicities."""
    n = battles.n_models
    code, k = battles.cluster_codes()
    cell = np.concatenate([battles.a * n + battles.b, battles.b * n + battles.a])
    value = np.concatenate([battles.weight * battles.outcome, battles.weight * (1.0 - battles.outcome)])
    keep = value > 0
    used = np.bincount(cell[keep], minlength=n * n) > 0
    cells = np.flatnonzero(used)
    column = (np.cumsum(used) - 1)[cell[keep]]
    rows = csr_matrix((value[keep], (np.concatenate([code, code])[keep], column)), shape=(k, cells.size))
    types, multiplicity = merge_identical_rows(rows)
    return types, multiplicity, cells


def _degenerate(wins: np.ndarray, flat: np.ndarray, full_support: np.ndarray) -> np.ndarray:
    """Rounds whose win graph is not strongly connected (the full data's graph is)."""
    # a round with the full data's support has its graph, so only the others need a real check
    suspect = np.flatnonzero(np.any((flat > 0) != full_support, axis=1))
    out = np.zeros(wins.shape[0], dtype=bool)
    for r in suspect:
        out[r] = not is_strongly_connected(wins[r])
    return out


def _run_blocks(
    block: Callable[[int, int], tuple[np.ndarray, int]], n_boot: int, workers: int
) -> list[tuple[np.ndarray, int]]:
    sizes = [(i, min(_BLOCK, n_boot - start)) for i, start in enumerate(range(0, n_boot, _BLOCK))]
    if workers <= 1:
        return [block(i, size) for i, size in sizes]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda args: block(*args), sizes))
