"""Simulated arenas with known true ratings, shared by the rating tests."""

from __future__ import annotations

import numpy as np

from toolgym.stats import ELO_PER_LOGIT, Battles


def arena(
    theta: np.ndarray,
    n_prompts: int,
    seed: int,
    *,
    repeats: int = 1,
    prompt_sd: float = 0.0,
    tie_rate: float = 0.0,
    swap: bool = True,
) -> Battles:
    """Each prompt pits a random pair; games: both orders (swap) times `repeats`.

    A prompt effect (sd `prompt_sd` logits) shared by all games of a prompt makes them correlated.
    """
    rng = np.random.default_rng(seed)
    n = theta.size
    i = rng.integers(0, n, n_prompts)
    j = (i + rng.integers(1, n, n_prompts)) % n
    effect = rng.normal(0.0, prompt_sd, n_prompts) if prompt_sd else np.zeros(n_prompts)
    a, b, e, cluster = [i], [j], [effect], [np.arange(n_prompts)]
    if swap:
        a, b, e, cluster = a + [j], b + [i], e + [-effect], cluster + [np.arange(n_prompts)]
    a, b, e, cluster = (np.tile(np.concatenate(x), repeats) for x in (a, b, e, cluster))
    p = 1.0 / (1.0 + np.exp(-(theta[a] - theta[b] + e)))
    y = (rng.random(a.size) < p).astype(float)
    y[rng.random(a.size) < tie_rate] = 0.5
    models = tuple(f"m{k}" for k in range(n))
    return Battles(models, a, b, y, np.ones(a.size), cluster)


def true_ratings(theta: np.ndarray) -> np.ndarray:
    """Centred Elo ratings with mean 1000."""
    return 1000.0 + ELO_PER_LOGIT * (theta - theta.mean())
