import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import accuracy, wilson_interval


def _records(rates_by_task, repeats, rng, category="c"):
    out = []
    for t, p in enumerate(rates_by_task):
        out += [(f"{category}-{t}", category, bool(x)) for x in rng.random(repeats) < p]
    return out


def test_single_sample_uses_wilson():
    recs = [(f"t{i}", "simple", i < 7) for i in range(10)]
    report = accuracy(recs)
    low, high = wilson_interval(7, 10)
    assert report.overall.method == "wilson"
    assert report.overall.value == pytest.approx(0.7)
    assert (report.overall.low, report.overall.high) == pytest.approx((float(low), float(high)))
    assert report.overall.n == 10 and report.overall.n_tasks == 10


def test_accuracy_is_mean_of_task_rates():
    # task a: 1/1, task b: 0/3 -> 0.5 (each task weighs the same), not 1/4
    recs = [("a", "x", True), ("b", "x", False), ("b", "x", False), ("b", "x", False)]
    assert accuracy(recs).overall.value == pytest.approx(0.5)


def test_per_category_and_empty_categories():
    recs = [("a1", "alpha", True), ("a2", "alpha", False), ("b1", "beta", True)]
    report = accuracy(recs, categories=["alpha", "beta", "gamma"])
    assert sorted(report.by_category) == ["alpha", "beta"]
    assert report.by_category["alpha"].value == pytest.approx(0.5)
    assert report.empty_categories == ["gamma"]


def test_all_pass_with_repeats_is_not_degenerate():
    recs = [(f"t{i}", "c", True) for i in range(8) for _ in range(4)]
    est = accuracy(recs).overall
    assert est.value == 1.0 and est.high == 1.0
    assert est.low < 0.8  # Wilson over 8 tasks, not over 32 samples
    assert est.method == "wilson"


def test_no_samples_is_a_user_error():
    with pytest.raises(UserError, match="no scored samples"):
        accuracy([])


def test_bootstrap_is_seeded():
    rng = np.random.default_rng(0)
    recs = _records(rng.random(30), 5, rng)
    a, b = accuracy(recs, seed=3), accuracy(recs, seed=3)
    assert a == b and a.overall.method == "bootstrap"
    assert a.overall.low < a.overall.value < a.overall.high


def test_clustering_widens_intervals_for_correlated_repeats():
    rng = np.random.default_rng(1)
    rates = rng.choice([0.05, 0.95], size=40)  # repeats of a task almost always agree
    clustered = _records(rates, 10, rng)
    independent = [(f"{t}#{i}", c, p) for i, (t, c, p) in enumerate(clustered)]  # each sample its own task
    wide = accuracy(clustered, by_category=False).overall
    narrow = accuracy(independent, by_category=False).overall
    assert wide.value == pytest.approx(narrow.value)
    assert (wide.high - wide.low) > 2.0 * (narrow.high - narrow.low)


def test_bootstrap_coverage_is_near_nominal():
    rng = np.random.default_rng(2)
    covered, sims = 0, 150
    for s in range(sims):
        rates = rng.beta(2, 2, size=40)  # population mean 0.5
        est = accuracy(_records(rates, 4, rng), by_category=False, n_boot=400, seed=s).overall
        covered += est.low <= 0.5 <= est.high
    assert 0.88 <= covered / sims <= 0.99
