import numpy as np

from toolgym.stats import fit_pooled
from toolgym.stats.sandwich import cluster_robust_cov

from .simulated import arena


def test_matches_a_dense_per_battle_computation():
    battles = arena(np.array([0.4, 0.0, -0.3, 0.1]), 60, seed=0, repeats=2, tie_rate=0.2, prompt_sd=1.0)
    theta, _ = fit_pooled(battles.win_matrix())
    cov = cluster_robust_cov(battles, theta, np.zeros((len(battles), 0)))
    x = np.zeros((len(battles), battles.n_models))
    x[np.arange(len(battles)), battles.a] = 1.0
    x[np.arange(len(battles)), battles.b] = -1.0
    p = 1 / (1 + np.exp(-x @ theta))
    bread = x.T @ ((p * (1 - p))[:, None] * x)
    scores = np.zeros((battles.n_clusters, battles.n_models))
    np.add.at(scores, battles.cluster, (battles.outcome - p)[:, None] * x)
    k = battles.n_clusters
    meat = k / (k - 1) * scores.T @ scores
    expected = np.linalg.pinv(bread) @ meat @ np.linalg.pinv(bread)
    assert np.allclose(cov, expected, atol=1e-10)
    assert np.allclose(cov.sum(axis=0), 0.0, atol=1e-10)  # centred ratings: rows sum to zero
