import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from toolgym.errors import UserError
from toolgym.stats import ELO_PER_LOGIT, Battles, RatingConfig, bradley_terry

from .simulated import arena, true_ratings

THETA = np.array([0.8, 0.3, 0.0, -0.2, -0.9])


def _two_models(wins: int, losses: int, ties: int = 0) -> Battles:
    outcome = ["a"] * wins + ["b"] * losses + ["tie"] * ties
    return Battles.from_lists(["x"] * len(outcome), ["y"] * len(outcome), outcome)


@pytest.mark.parametrize(("wins", "losses", "ties"), [(30, 10, 0), (7, 2, 0), (5, 5, 4), (3, 1, 2)])
def test_two_models_known_counts(wins, losses, ties):
    r = bradley_terry(_two_models(wins, losses, ties), RatingConfig(ci="none"))
    expected = 400 * math.log10((wins + ties / 2) / (losses + ties / 2))
    assert r.get("x").rating - r.get("y").rating == pytest.approx(expected, abs=1e-6)
    assert (r.get("x").rating + r.get("y").rating) / 2 == pytest.approx(1000.0)


def test_matches_scikit_learn_per_row_fit():
    battles = arena(THETA, 400, seed=0, tie_rate=0.1)
    n, rows = battles.n_models, len(battles)
    x = np.zeros((rows, n))
    x[np.arange(rows), battles.a], x[np.arange(rows), battles.b] = 1.0, -1.0
    tie = battles.outcome == 0.5
    lr = LogisticRegression(fit_intercept=False, C=1e9, tol=1e-12, max_iter=10_000)
    lr.fit(
        np.concatenate([x, x[tie]]),
        np.concatenate([battles.outcome >= 0.5, np.zeros(tie.sum(), bool)]),
        sample_weight=np.concatenate([np.where(tie, 0.5, 1.0), np.full(tie.sum(), 0.5)]),
    )
    reference = 1000.0 + ELO_PER_LOGIT * (lr.coef_[0] - lr.coef_[0].mean())
    ours = bradley_terry(battles, RatingConfig(ci="none"))
    assert np.abs(np.array([ours.get(m).rating for m in battles.models]) - reference).max() < 0.01


def test_anchor_pins_one_model_and_keeps_gaps():
    battles = arena(THETA, 300, seed=1)
    centred = bradley_terry(battles, RatingConfig(n_boot=200))
    anchored = bradley_terry(battles, RatingConfig(n_boot=200, anchor="m2", anchor_rating=1200.0))
    assert anchored.get("m2").rating == pytest.approx(1200.0)
    assert (anchored.get("m2").low, anchored.get("m2").high) == pytest.approx((1200.0, 1200.0))
    gap = centred.get("m0").rating - centred.get("m4").rating
    assert anchored.get("m0").rating - anchored.get("m4").rating == pytest.approx(gap)
    assert anchored.anchor == "m2"


def test_all_wins_without_prior_is_refused_and_with_prior_finite():
    battles = Battles.from_lists(["x", "x", "y", "z"], ["y", "z", "z", "y"], ["a", "a", "a", "a"])
    with pytest.raises(UserError, match=r"ratings diverge: \[x\] never lost.*RatingConfig\(prior="):
        bradley_terry(battles, RatingConfig(ci="none"))
    r = bradley_terry(battles, RatingConfig(ci="none", prior=0.1))
    assert r.models[0].model == "x" and r.models[0].rating < 2000


def test_disconnected_graph_is_refused():
    battles = Battles.from_lists(["x", "y", "u", "v"], ["y", "x", "v", "u"], ["a", "b", "a", "b"])
    with pytest.raises(UserError, match=r"2 groups that never played each other: \[u, v\]; \[x, y\]"):
        bradley_terry(battles, RatingConfig(prior=1.0))


def test_unknown_anchor_and_empty_battles():
    battles = _two_models(3, 2)
    with pytest.raises(UserError, match=r"RatingConfig.anchor: model 'w' has no battles; known models: x, y"):
        bradley_terry(battles, RatingConfig(anchor="w"))
    empty = Battles.from_lists([], [], [])
    with pytest.raises(UserError, match="no battles"):
        bradley_terry(empty)


def test_intervals_ranks_and_win_rates():
    battles = arena(THETA, 1500, seed=2, tie_rate=0.1)
    r = bradley_terry(battles, RatingConfig(n_boot=300, baseline="m2"))
    assert [m.model for m in r.models] == ["m0", "m1", "m2", "m3", "m4"]
    for m in r.models:
        assert m.low < m.rating < m.high or m.model == "m2" and m.low <= m.rating <= m.high
        assert m.rank == 1 + sum(o.low > m.high for o in r.models)
    assert r.models[0].rank == 1
    assert r.get("m2").win_rate is None
    win = r.get("m0").win_rate
    expected = 1 / (1 + 10 ** (-(r.get("m0").rating - r.get("m2").rating) / 400))
    assert win.value == pytest.approx(expected)
    assert win.low < win.value < win.high and win.method == "bootstrap"
    assert r.n_battles == len(battles) and r.n_clusters == 1500 and r.n_boot == 300


def test_sandwich_and_bootstrap_agree():
    battles = arena(THETA, 2000, seed=3, prompt_sd=0.8)
    boot = bradley_terry(battles, RatingConfig(n_boot=400))
    sand = bradley_terry(battles, RatingConfig(ci="sandwich"))
    for m in battles.models:
        wb = boot.get(m).high - boot.get(m).low
        ws = sand.get(m).high - sand.get(m).low
        assert ws == pytest.approx(wb, rel=0.2)


@pytest.mark.parametrize("ci", ["bootstrap", "sandwich"])
def test_clustering_widens_intervals_for_repeated_prompts(ci):
    # each prompt judged 4 times with strongly shared outcomes: 4x the games, not 4x the information
    battles = arena(THETA, 600, seed=4, repeats=4, prompt_sd=3.0)
    unclustered = Battles(
        battles.models, battles.a, battles.b, battles.outcome, battles.weight, np.arange(len(battles))
    )
    cfg = RatingConfig(ci=ci, n_boot=300)
    wide = bradley_terry(battles, cfg)
    narrow = bradley_terry(unclustered, cfg)
    ratio = np.median(
        [(wide.get(m).high - wide.get(m).low) / (narrow.get(m).high - narrow.get(m).low) for m in battles.models]
    )
    assert ratio > 1.5


def test_sandwich_coverage_is_near_nominal():
    truth = true_ratings(THETA)
    hits, total = 0, 0
    for seed in range(120):
        r = bradley_terry(arena(THETA, 400, seed=100 + seed, prompt_sd=0.5), RatingConfig(ci="sandwich"))
        for k in range(THETA.size):
            entry = r.get(f"m{k}")
            hits += entry.low <= truth[k] <= entry.high
            total += 1
    assert 0.90 <= hits / total <= 0.985


def test_bootstrap_coverage_is_near_nominal():
    truth = true_ratings(THETA)
    hits, total = 0, 0
    for seed in range(40):
        r = bradley_terry(arena(THETA, 300, seed=500 + seed), RatingConfig(n_boot=200, seed=seed))
        for k in range(THETA.size):
            entry = r.get(f"m{k}")
            hits += entry.low <= truth[k] <= entry.high
            total += 1
    assert 0.88 <= hits / total <= 0.99


def test_get_unknown_model_lists_the_rated_ones():
    r = bradley_terry(_two_models(3, 2), RatingConfig(ci="none"))
    with pytest.raises(UserError, match=r"model 'w' is not among the rated models: x, y"):
        r.get("w")
