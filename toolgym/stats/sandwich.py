"""Cluster-robust (sandwich) covariance of Bradley–Terry ratings, clustered by prompt.

The model-based covariance (inverse Fisher information) assumes independent games. Games of one
prompt are not independent (the same two answers judged in both orders, repeats), so the
sandwich estimator replaces the middle of the information by the observed spread of per-prompt
scores:

    cov = A^+ M A^+,   A = sum_b v_b x_b x_b^T (+ prior),   M = K/(K-1) * sum_k s_k s_k^T,

with x_b = (e_a - e_b, z_b), v_b = w p (1 - p) and s_k = sum of w (y - p) x_b over the games of
prompt k. A^+ is taken on the centred ratings (sum zero), which is what the point estimate is.
It is cheap (one pass over the battles) and a good default when there are many prompts; the
bootstrap is the safer choice for few prompts or ratings near divergence.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.special import expit

from .battles import Battles
from .style import information, penalties

__all__ = ["cluster_robust_cov"]


def cluster_robust_cov(battles: Battles, params: np.ndarray, z: np.ndarray, prior: float = 0.0) -> np.ndarray:
    """Covariance of the fitted parameters (ratings then style coefficients), in logits squared.

    Args:
        battles: the battles the parameters were fitted on.
        params: centred logit ratings (n,) followed by style coefficients (F,).
        z: style covariates (N, F); shape (N, 0) for plain Bradley–Terry.
        prior: the L2 prior on the rating logits used in the fit.
    """
    n = battles.n_models
    a, b, w, y = battles.a, battles.b, battles.weight, battles.outcome
    p = expit(params[a] - params[b] + z @ params[n:])
    bread = information(a, b, w * p * (1.0 - p), z, n) + np.diag(penalties(n, z.shape[1], prior, w))
    bread[:n, :n] += (np.trace(bread[:n, :n]) / n + 1.0) / n  # pin the translation; the meat ignores it
    inverse = np.linalg.inv(bread)
    meat = _meat(battles, w * (y - p), z)
    return inverse @ meat @ inverse


def _meat(battles: Battles, residual: np.ndarray, z: np.ndarray) -> np.ndarray:
    """K/(K-1) times the sum over prompts of the outer products of their summed scores."""
    n = battles.n_models
    code, k = battles.cluster_codes()
    rows = np.concatenate([code, code])
    cols = np.concatenate([battles.a, battles.b])
    rating_scores = csr_matrix((np.concatenate([residual, -residual]), (rows, cols)), shape=(k, n))
    f = z.shape[1]
    style_scores = np.zeros((k, f))
    for j in range(f):
        style_scores[:, j] = np.bincount(code, residual * z[:, j], k)
    meat = np.empty((n + f, n + f))
    meat[:n, :n] = (rating_scores.T @ rating_scores).toarray()
    meat[:n, n:] = rating_scores.T @ style_scores
    meat[n:, :n] = meat[:n, n:].T
    meat[n:, n:] = style_scores.T @ style_scores
    return meat * (k / (k - 1) if k > 1 else 1.0)
