import numpy as np
import pytest

from toolgym.stats import wilson_interval


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.27753),  # classic table values (z = 1.959964)
        (10, 10, 0.72247, 1.0),
        (5, 10, 0.23659, 0.76341),
        (81, 263, 0.25529, 0.36621),  # (k + z²/2 ± z sqrt(k(n-k)/n + z²/4)) / (n + z²)
    ],
)
def test_known_values(k, n, low, high):
    lo, hi = wilson_interval(k, n, 0.95)
    assert float(lo) == pytest.approx(low, abs=1e-5)
    assert float(hi) == pytest.approx(high, abs=1e-5)


def test_all_pass_is_not_degenerate_and_vectorised():
    lo, hi = wilson_interval(np.array([20, 0]), np.array([20, 20]))
    assert lo[0] < 1.0 and hi[0] == 1.0
    assert lo[1] == 0.0 and hi[1] > 0.0


def test_coverage_is_near_nominal():
    rng = np.random.default_rng(0)
    p, n = 0.3, 40
    k = rng.binomial(n, p, 20_000)
    lo, hi = wilson_interval(k, n)
    assert 0.93 < np.mean((lo <= p) & (p <= hi)) < 0.975
