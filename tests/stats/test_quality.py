import pytest

from toolgym.errors import UserError
from toolgym.stats import ModelRating, Ratings, agreement, separability


def _ratings(rows, method="bootstrap"):
    return Ratings(
        models=[ModelRating(model=m, rating=r, low=lo, high=hi, rank=1, n_battles=10) for m, r, lo, hi in rows],
        method=method,
        confidence=0.95,
        n_battles=30,
        n_clusters=30,
    )


RATINGS = _ratings([("a", 1100, 1080, 1120), ("b", 1050, 1030, 1070), ("c", 1040, 1020, 1060), ("d", 900, 880, 920)])


def test_separability_counts_non_overlapping_pairs():
    # pairs: ab apart, ac apart, ad apart, bc overlap, bd apart, cd apart -> 5 / 6
    assert separability(RATINGS) == pytest.approx(5 / 6)


def test_separability_needs_intervals():
    with pytest.raises(UserError, match="needs rating intervals"):
        separability(_ratings([("a", 1, 1, 1), ("b", 0, 0, 0)], method="none"))


def test_agreement_with_reference():
    same = agreement(RATINGS, ["a", "b", "c", "d"])
    assert same.spearman == pytest.approx(1.0) and same.kendall == pytest.approx(1.0)
    assert same.n_models == 4 and same.n_pairs == 6
    reversed_ = agreement(RATINGS, {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0})
    assert reversed_.spearman == pytest.approx(-1.0)
    assert reversed_.brier > 0.25 > same.brier
    # brier by hand for the pair b (1050) above c (1040): p = 1 / (1 + 10 ** (-10 / 400))
    two = agreement(_ratings([("b", 1050, 0, 0), ("c", 1040, 0, 0)]), ["b", "c"])
    assert two.brier == pytest.approx((1 / (1 + 10 ** (-10 / 400)) - 1) ** 2)


def test_agreement_needs_common_models():
    with pytest.raises(UserError, match=r"only 1 model\(s\) are both rated and in the reference"):
        agreement(RATINGS, ["a", "zz"])
