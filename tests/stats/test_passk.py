import itertools
import math

import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import pass_at_k, pass_at_k_per_task, pass_hat_k, pass_hat_k_per_task


def test_closed_forms_against_binomials():
    for n in range(1, 12):
        for c in range(n + 1):
            for k in range(1, n + 1):
                at = pass_at_k_per_task(np.array([n]), np.array([c]), k)[0]
                hat = pass_hat_k_per_task(np.array([n]), np.array([c]), k)[0]
                assert at == pytest.approx(1 - math.comb(n - c, k) / math.comb(n, k), abs=1e-12)
                assert hat == pytest.approx(math.comb(c, k) / math.comb(n, k), abs=1e-12)


def test_estimators_equal_the_average_over_all_k_subsets():
    outcomes = [True, False, True, True, False, False, True]
    for k in (1, 2, 3, 5):
        subsets = list(itertools.combinations(outcomes, k))
        recs = [("t", "c", o) for o in outcomes]
        assert pass_at_k(recs, k).overall.value == pytest.approx(np.mean([any(s) for s in subsets]))
        assert pass_hat_k(recs, k).overall.value == pytest.approx(np.mean([all(s) for s in subsets]))


def test_k1_is_accuracy_and_ordering():
    rng = np.random.default_rng(0)
    recs = [(f"t{t}", "c", bool(x)) for t in range(20) for x in rng.random(6) < rng.random()]
    at1 = pass_at_k(recs, 1).overall.value
    assert pass_hat_k(recs, 1).overall.value == pytest.approx(at1)
    assert pass_at_k(recs, 3).overall.value >= at1 >= pass_hat_k(recs, 3).overall.value


def test_tasks_with_too_few_samples_are_excluded_and_listed():
    recs = [("a", "c", True), ("a", "c", False), ("b", "c", True)]
    report = pass_at_k(recs, 2)
    assert report.excluded_tasks == ["b"]
    assert report.overall.n_tasks == 1
    assert report.metric == "pass@k" and report.k == 2


def test_no_task_with_k_samples_is_a_user_error():
    with pytest.raises(UserError, match=r"no task has 4 scored samples.*repeats >= 4"):
        pass_hat_k([("a", "c", True)], 4)
    with pytest.raises(UserError, match="positive integer"):
        pass_at_k([("a", "c", True)], 0)
