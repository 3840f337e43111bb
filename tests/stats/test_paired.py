import numpy as np
import pytest
from scipy.stats import binomtest

from toolgym.errors import UserError
from toolgym.stats import compare, sign_flip_p_value


def _run(rates, repeats, rng, prefix="t"):
    return [(f"{prefix}{t}", "cat" + str(t % 2), bool(x)) for t, p in enumerate(rates) for x in rng.random(repeats) < p]


def test_identical_runs_give_p_one_and_zero_difference():
    rng = np.random.default_rng(0)
    run = _run(rng.random(40), 3, rng)
    result = compare(run, run)
    assert result.overall.value == 0.0
    assert result.overall.p_value == 1.0
    assert (result.overall.low, result.overall.high) == (0.0, 0.0)
    assert result.n_shared == 40 and result.n_only_a == result.n_only_b == 0


def test_clear_difference_is_significant():
    rng = np.random.default_rng(1)
    a = _run(np.full(100, 0.3), 3, rng)
    b = _run(np.full(100, 0.8), 3, rng)
    result = compare(a, b)
    assert result.overall.p_value < 0.01
    assert result.overall.test == "sign_flip_monte_carlo"
    assert 0 < result.overall.low < result.overall.value < result.overall.high
    assert result.overall.accuracy_b - result.overall.accuracy_a == pytest.approx(result.overall.value)
    assert set(result.by_category) == {"cat0", "cat1"}


def test_single_sample_uses_exact_mcnemar():
    a = [(f"t{i}", "c", i < 10) for i in range(30)]  # A passes t0..t9
    b = [(f"t{i}", "c", 3 <= i < 20) for i in range(30)]  # B passes t3..t19
    result = compare(a, b)
    assert result.overall.test == "mcnemar_exact"
    # discordant: B-only t10..t19 (10), A-only t0..t2 (3)
    assert result.overall.p_value == pytest.approx(binomtest(10, 13, 0.5).pvalue)
    assert result.overall.value == pytest.approx((17 - 10) / 30)


def test_only_shared_tasks_are_compared():
    a = [("t1", "c", True), ("t2", "c", False), ("t3", "c", True)]
    b = [("t2", "c", True), ("t3", "c", True), ("t4", "c", False), ("t5", "c", True)]
    result = compare(a, b)
    assert (result.n_shared, result.n_only_a, result.n_only_b) == (2, 1, 2)
    assert result.overall.n_tasks == 2


def test_no_shared_task_and_category_mismatch_are_user_errors():
    with pytest.raises(UserError, match="share no task"):
        compare([("a", "c", True)], [("b", "c", True)])
    with pytest.raises(UserError, match=r"task 'a' is in category 'x' in run A but 'y' in run B"):
        compare([("a", "x", True)], [("a", "y", True)])


def test_sign_flip_exact_small_cases():
    assert sign_flip_p_value(np.array([1.0, 1.0, 1.0])) == (pytest.approx(0.25), True)
    assert sign_flip_p_value(np.array([0.5] * 5 + [0.0] * 3))[0] == pytest.approx(2 / 32)
    assert sign_flip_p_value(np.array([1.0, -1.0]))[0] == pytest.approx(1.0)
    assert sign_flip_p_value(np.zeros(4)) == (1.0, True)


def test_sign_flip_monte_carlo_matches_exact_law():
    d = np.r_[np.full(14, 0.5), np.full(6, -0.5)]  # 20 non-zero: Monte Carlo path
    p, exact = sign_flip_p_value(d, n_perm=40_000, rng=np.random.default_rng(0))
    assert not exact
    assert p == pytest.approx(binomtest(14, 20, 0.5).pvalue, abs=0.01)
