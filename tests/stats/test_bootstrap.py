import numpy as np
from scipy.sparse import csr_matrix

from toolgym.stats import bootstrap_means, resample_counts
from toolgym.stats.bootstrap import merge_identical_rows


def test_resample_counts_are_multinomial():
    rng = np.random.default_rng(0)
    m = np.array([1, 2, 7, 0, 30])
    counts = resample_counts(rng, m, 20_000)
    assert counts.shape == (20_000, 5)
    assert np.all(counts.sum(axis=1) == m.sum())
    assert np.all(counts[:, 3] == 0)
    p = m / m.sum()
    assert np.allclose(counts.mean(axis=0), m, atol=0.1)
    # multinomial variance K p (1 - p), not Poisson's K p
    assert np.allclose(counts.var(axis=0), m.sum() * p * (1 - p), rtol=0.05)
    cov = np.cov(counts[:, 2], counts[:, 4])[0, 1]
    assert abs(cov - (-m.sum() * p[2] * p[4])) < 0.3


def test_resample_counts_reproducible():
    a = resample_counts(np.random.default_rng(5), np.ones(10, dtype=int), 3)
    b = resample_counts(np.random.default_rng(5), np.ones(10, dtype=int), 3)
    assert np.array_equal(a, b)


def test_bootstrap_means_paired_columns_share_draws():
    values = np.stack([np.arange(50.0), np.arange(50.0)], axis=1)
    draws = bootstrap_means(values, 200, np.random.default_rng(0))
    assert draws.shape == (200, 2)
    assert np.allclose(draws[:, 0], draws[:, 1])
    assert abs(draws[:, 0].mean() - 24.5) < 0.5


def test_merge_identical_rows_keeps_the_totals():
    dense = np.array([[1, 0, 2], [1, 0, 2], [0, 0.5, 0], [1, 0, 2], [0, 0.5, 0], [3, 0, 0]])
    types, mult = merge_identical_rows(csr_matrix(dense))
    assert types.shape == (3, 3)
    assert sorted(mult.tolist()) == [1, 2, 3]
    assert np.allclose(types.T @ mult, dense.sum(axis=0))


def test_merge_keeps_long_rows_separate():
    dense = np.ones((2, 12))  # more than 8 non-zeros: not merged, still correct
    types, mult = merge_identical_rows(csr_matrix(dense))
    assert np.allclose(types.T @ mult, dense.sum(axis=0))


def test_resample_counts_many_types_path_is_multinomial():
    rng = np.random.default_rng(1)
    m = np.r_[np.ones(2500, dtype=int), 500]  # beyond the direct path: Poisson + exact correction
    counts = resample_counts(rng, m, 2000)
    assert np.all(counts.sum(axis=1) == m.sum())
    p = 500 / m.sum()
    assert abs(counts[:, -1].var() - m.sum() * p * (1 - p)) / (m.sum() * p * (1 - p)) < 0.1
    assert abs(counts[:, :-1].mean() - 1.0) < 0.01
