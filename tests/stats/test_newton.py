import math

import numpy as np
import pytest

from toolgym.stats import ELO_PER_LOGIT, fit_pooled
from toolgym.stats.newton import Chord, pooled_loglik


def test_two_models_closed_form():
    wins = np.array([[0.0, 30.0], [10.0, 0.0]])
    theta, ok = fit_pooled(wins)
    assert ok
    assert ELO_PER_LOGIT * (theta[0] - theta[1]) == pytest.approx(400 * math.log10(3.0), abs=1e-9)
    assert theta.sum() == pytest.approx(0.0, abs=1e-12)


def test_batch_equals_single_fits_and_is_the_maximum():
    rng = np.random.default_rng(0)
    batch = rng.integers(1, 20, size=(5, 6, 6)).astype(float)
    thetas, ok = fit_pooled(batch)
    assert ok.all()
    for w, t in zip(batch, thetas, strict=True):
        assert np.allclose(fit_pooled(w)[0], t, atol=1e-10)
        for direction in np.eye(6)[:3]:  # moving off the optimum lowers the likelihood
            assert pooled_loglik(w[None], (t + 1e-3 * direction)[None])[0] < pooled_loglik(w[None], t[None])[0]


def test_prior_shrinks_towards_zero():
    wins = np.array([[0.0, 9.0, 9.0], [1.0, 0.0, 5.0], [1.0, 5.0, 0.0]])
    plain, _ = fit_pooled(wins)
    shrunk, _ = fit_pooled(wins, prior=5.0)
    assert np.abs(shrunk).max() < np.abs(plain).max()


def test_cold_start_far_from_optimum_converges():
    wins = np.array([[0.0, 999.0], [1.0, 0.0]])  # 6.9 logits apart: needs the damped steps
    theta, ok = fit_pooled(wins)
    assert ok and theta[0] - theta[1] == pytest.approx(math.log(999.0), abs=1e-8)


def test_chord_matches_newton_on_perturbed_matrices():
    rng = np.random.default_rng(1)
    reference = rng.integers(20, 60, size=(5, 5)).astype(float)
    theta, _ = fit_pooled(reference)
    batch = reference[None] * rng.uniform(0.8, 1.2, size=(4, 5, 5))
    chord = Chord(reference, theta, 0.0)
    assert np.allclose(chord.fit(batch, np.zeros(4)), fit_pooled(batch)[0], atol=1e-7)
