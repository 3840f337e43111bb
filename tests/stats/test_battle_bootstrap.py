import numpy as np
import pytest

from toolgym.stats import Battles, RatingConfig, bradley_terry, fit_pooled
from toolgym.stats.battle_bootstrap import bootstrap_pooled

from .simulated import arena

THETA = np.array([0.5, 0.2, 0.0, -0.1, -0.6])


def test_matches_a_naive_prompt_bootstrap():
    battles = arena(THETA, 300, seed=0, prompt_sd=0.5, tie_rate=0.1)
    theta, _ = fit_pooled(battles.win_matrix())
    ours, degenerate = bootstrap_pooled(battles, theta, 0.0, 600, seed=1)
    assert degenerate == 0
    rng = np.random.default_rng(2)
    k = battles.n_clusters
    naive = []
    for _ in range(600):  # resample prompts, rebuild the win matrix from the games, refit from scratch
        counts = np.bincount(rng.integers(0, k, k), minlength=k)
        naive.append(fit_pooled(battles.win_matrix(battles.weight * counts[battles.cluster]))[0])
    naive = np.array(naive)
    assert np.allclose(ours.mean(axis=0), naive.mean(axis=0), atol=0.03)
    assert np.allclose(ours.std(axis=0), naive.std(axis=0), rtol=0.15)


def test_results_do_not_depend_on_worker_threads():
    battles = arena(THETA, 200, seed=3)
    one = bradley_terry(battles, RatingConfig(n_boot=120, workers=1))
    two = bradley_terry(battles, RatingConfig(n_boot=120, workers=2))
    for x, y in zip(one.models, two.models, strict=True):
        assert (x.model, x.rank) == (y.model, y.rank)
        assert (x.rating, x.low, x.high) == pytest.approx((y.rating, y.low, y.high), abs=1e-9)


def test_degenerate_rounds_are_counted_and_ratings_stay_finite():
    # m4 plays 5 games and loses only one: many rounds drop that loss
    battles = arena(THETA[:4], 200, seed=4)
    extra = 5
    a = np.r_[battles.a, np.full(extra, 4)]
    b = np.r_[battles.b, np.arange(extra) % 4]
    y = np.r_[battles.outcome, [1, 1, 1, 1, 0]]
    cluster = np.r_[battles.cluster, 1000 + np.arange(extra)]
    models = (*battles.models, "m4")
    lopsided = Battles(models, a, b, y, np.ones(a.size), cluster)
    r = bradley_terry(lopsided, RatingConfig(n_boot=200))
    assert r.degenerate_rounds > 0
    assert all(np.isfinite([m.low, m.high]).all() for m in r.models)
    assert r.get("m4").high - r.get("m4").rating > 200  # the interval says: could be much higher


def test_bootstrap_is_seeded():
    battles = arena(THETA, 150, seed=5)
    assert bradley_terry(battles, RatingConfig(n_boot=50, seed=7)) == bradley_terry(
        battles, RatingConfig(n_boot=50, seed=7)
    )
    assert bradley_terry(battles, RatingConfig(n_boot=50, seed=7)) != bradley_terry(
        battles, RatingConfig(n_boot=50, seed=8)
    )


@pytest.mark.parametrize("weight", [1.0, 2.5])
def test_weights_scale_like_counts(weight):
    battles = arena(THETA, 200, seed=6)
    weighted = Battles(
        battles.models, battles.a, battles.b, battles.outcome, np.full(len(battles), weight), battles.cluster
    )
    plain = bradley_terry(battles, RatingConfig(ci="none"))
    assert [m.rating for m in bradley_terry(weighted, RatingConfig(ci="none")).models] == pytest.approx(
        [m.rating for m in plain.models]
    )
