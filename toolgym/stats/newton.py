"""Bradley–Terry maximum likelihood on pooled win matrices, by batched damped Newton.

The likelihood of BT depends on the battles only through the pooled win matrix W (W[i, j] = games i
won against j, ties counting half to each side), so a fit costs O(n_models^2) per iteration
whatever the number of battles, and many matrices (bootstrap rounds) are fitted at once as a batch:

    loglik(theta) = sum_ij W[i, j] * log sigmoid(theta_i - theta_j) - prior / 2 * |theta|^2

Ratings are logits here, centred to mean 0 (the likelihood only sees differences). Each Newton step
solves a system with the negative Hessian (a weighted graph Laplacian plus `prior`) to which the
rank-one term c * 1 1^T / n is added: it fixes the free translation without changing the step in
any other direction, so iterates stay centred. Steps longer than one logit are backtracked on the
log-likelihood, which makes the method safe from a cold start; near the optimum it converges
quadratically.

Bootstrap rounds are all close to the full-data fit, so `Chord` first runs chord iterations:
Newton steps with the full data's Hessian, inverted once. Each costs one gradient (no batched
factorisation), and they converge linearly at a rate set by how much a round's counts differ from
the full data's; rounds that do not settle quickly go on with full Newton.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import expit

__all__ = ["Chord", "fit_pooled", "pooled_loglik"]

_MAX_FREE_STEP = 1.0  # logits; longer steps are checked against the log-likelihood


def pooled_loglik(wins: np.ndarray, theta: np.ndarray, prior: float | np.ndarray = 0.0) -> np.ndarray:
    """Penalised BT log-likelihood of logit ratings `theta` (B, n) given win matrices `wins` (B, n, n).

    `prior` is a scalar or one value per batch entry.
    """
    diff = theta[:, :, None] - theta[:, None, :]
    penalty = 0.5 * np.asarray(prior) * np.einsum("bi,bi->b", theta, theta)
    return -np.einsum("bij,bij->b", wins, np.logaddexp(0.0, -diff)) - penalty


def fit_pooled(
    wins: np.ndarray,
    prior: float | np.ndarray = 0.0,
    theta0: np.ndarray | None = None,
    *,
    tol: float = 1e-9,
    max_iter: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit BT logit ratings to one win matrix (n, n) or a batch of them (B, n, n).

    The caller checks identifiability first (see `graph.check_identifiable`): without a prior, a
    model that never lost has no finite maximum, and the iterations would only crawl outwards.

    Args:
        wins: pooled win matrices; the diagonal is ignored.
        prior: L2 penalty on the logits (0 for plain maximum likelihood); a scalar or one value
            per matrix of the batch.
        theta0: starting logits, (n,) or (B, n); zeros by default.
        tol: stop when no logit moves by more than this.
        max_iter: iteration cap.

    Returns:
        `(theta, converged)`: centred logits of shape (n,) or (B, n), and whether each fit converged.
    """
    single = wins.ndim == 2
    w = np.array(wins[None] if single else wins, dtype=float)
    batch, n, _ = w.shape
    w[:, np.arange(n), np.arange(n)] = 0.0
    games = w + w.transpose(0, 2, 1)
    won = w.sum(axis=2)
    theta = np.zeros((batch, n)) if theta0 is None else np.array(np.broadcast_to(theta0, (batch, n)), float)
    theta -= theta.mean(axis=1, keepdims=True)
    penalty = np.broadcast_to(np.asarray(prior, dtype=float), (batch,))
    converged = np.zeros(batch, dtype=bool)
    active = np.arange(batch)
    for _ in range(max_iter):
        step = _newton_step(w[active], games[active], won[active], theta[active], penalty[active])
        moved = np.abs(step).max(axis=1)
        theta[active] += step
        done = moved < tol
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break
    return (theta[0], converged[0]) if single else (theta, converged)


class Chord:
    """Chord iterations for win matrices close to a reference fit (bootstrap rounds).

    Holds the reference's inverse Hessian and its list of model pairs that played, so a round's
    gradient costs one sigmoid per playing pair and two sparse products.
    """

    def __init__(self, reference: np.ndarray, theta: np.ndarray, prior: float) -> None:
        n = theta.size
        games = reference + reference.T
        self.first, self.second = np.nonzero(np.triu(games, k=1))
        self.theta, self.n = theta, n
        p = expit(theta[:, None] - theta[None, :])
        info = games * p * (1.0 - p)
        hess = np.diag(info.sum(axis=1) + prior) - info
        hess += (np.trace(hess) / n + 1.0) / n  # pin the translation
        self.inverse = np.linalg.inv(hess)
        pairs = self.first.size
        rows = np.concatenate([np.arange(pairs), np.arange(pairs)])
        signs = np.concatenate([np.ones(pairs), -np.ones(pairs)])
        cols = np.concatenate([self.first, self.second])
        self.incidence = csr_matrix((signs, (rows, cols)), shape=(pairs, n)).T.tocsr()

    def fit(self, wins: np.ndarray, prior: np.ndarray, *, tol: float = 1e-7, max_iter: int = 25) -> np.ndarray:
        """Centred logits (B, n) of a batch of win matrices (B, n, n) with priors (B,).

        Entries still moving after `max_iter` chord steps are finished by full Newton.
        """
        i, j = self.first, self.second
        won = wins[:, i, j]
        games = won + wins[:, j, i]
        out = np.repeat(self.theta[None], wins.shape[0], axis=0)
        active = np.arange(wins.shape[0])
        for _ in range(max_iter):
            current = out[active]
            excess = won[active] - games[active] * expit(current[:, i] - current[:, j])
            grad = (self.incidence @ excess.T).T - prior[active, None] * current
            step = grad @ self.inverse
            out[active] = current + step
            active = active[np.abs(step).max(axis=1) >= tol]
            if active.size == 0:
                return out
        out[active] = fit_pooled(wins[active], prior[active], self.theta, tol=tol)[0]
        return out


def _newton_step(
    wins: np.ndarray, games: np.ndarray, won: np.ndarray, theta: np.ndarray, prior: np.ndarray
) -> np.ndarray:
    n = theta.shape[1]
    p = expit(theta[:, :, None] - theta[:, None, :])
    grad = won - np.einsum("bij,bij->bi", games, p) - prior[:, None] * theta
    info = games * p * (1.0 - p)
    hess = -info
    diag = info.sum(axis=2) + prior[:, None]
    hess[:, np.arange(n), np.arange(n)] += diag
    hess += (diag.mean(axis=1) + 1.0)[:, None, None] / n  # pins the translation; see module docstring
    step = np.linalg.solve(hess, grad[..., None])[..., 0]
    far = np.flatnonzero(np.abs(step).max(axis=1) > _MAX_FREE_STEP)
    if far.size:
        step[far] *= _backtrack(wins[far], theta[far], step[far], prior[far])[:, None]
    return step


def _backtrack(wins: np.ndarray, theta: np.ndarray, step: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Largest t in 1, 1/2, 1/4, ... with loglik(theta + t * step) >= loglik(theta), per batch entry."""
    base = pooled_loglik(wins, theta, prior)
    t = np.ones(theta.shape[0])
    pending = np.arange(theta.shape[0])
    for _ in range(30):
        trial = pooled_loglik(wins[pending], theta[pending] + t[pending, None] * step[pending], prior[pending])
        pending = pending[trial < base[pending]]
        if pending.size == 0:
            break
        t[pending] *= 0.5
    return t
