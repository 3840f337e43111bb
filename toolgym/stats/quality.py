"""How good is a benchmark at ranking models? Separability and agreement with a reference.

* Separability: the share of model pairs whose rating intervals do not overlap, i.e. that the
  benchmark tells apart with confidence (Arena-Hard's "separability with confidence").
* Agreement with a reference ranking (human preference leaderboard, another benchmark): Spearman
  and Kendall rank correlations (scipy), and the pair-rank Brier score, which also rewards being
  confident only where the reference agrees: for every model pair, the rating gap gives a
  probability that one is above the other, scored against the reference order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.special import expit
from scipy.stats import kendalltau, spearmanr

from ..errors import UserError
from .bradley_terry import ELO_PER_LOGIT
from .estimates import Agreement, Ratings

__all__ = ["agreement", "separability"]


def separability(ratings: Ratings) -> float:
    """Share of model pairs whose confidence intervals do not overlap (0 to 1).

    Raises:
        UserError: the ratings have no intervals, or fewer than two models.
    """
    if ratings.method == "none":
        raise UserError("separability needs rating intervals; rate with RatingConfig(ci='bootstrap' or 'sandwich')")
    if len(ratings.models) < 2:
        raise UserError("separability needs at least two rated models")
    low = np.array([m.low for m in ratings.models])
    high = np.array([m.high for m in ratings.models])
    apart = (low[:, None] > high[None, :]) | (low[None, :] > high[:, None])
    upper = np.triu_indices(low.size, k=1)
    return float(apart[upper].mean())


def agreement(ratings: Ratings, reference: Mapping[str, float] | Sequence[str]) -> Agreement:
    """Agreement of `ratings` with a reference ranking, on the models both contain.

    Args:
        ratings: the benchmark's ratings.
        reference: a score per model (higher is better), or model names ordered best first.

    Raises:
        UserError: fewer than two models in common.
    """
    scores = _scores(reference)
    rated = {m.model: m.rating for m in ratings.models}
    common = sorted(set(rated) & set(scores))
    if len(common) < 2:
        raise UserError(
            f"agreement: only {len(common)} model(s) are both rated and in the reference "
            f"(rated: {sorted(rated)}; reference: {sorted(scores)}); the names must match"
        )
    r = np.array([rated[m] for m in common])
    ref = np.array([scores[m] for m in common])
    i, j = np.triu_indices(len(common), k=1)
    ordered = ref[i] != ref[j]
    i, j = i[ordered], j[ordered]
    p = expit((r[i] - r[j]) / ELO_PER_LOGIT)
    brier = float(np.mean((p - (ref[i] > ref[j])) ** 2)) if i.size else 0.0
    return Agreement(
        spearman=float(spearmanr(r, ref).statistic),
        kendall=float(kendalltau(r, ref).statistic),
        brier=brier,
        n_models=len(common),
        n_pairs=int(i.size),
    )


def _scores(reference: Mapping[str, float] | Sequence[str]) -> dict[str, float]:
    if isinstance(reference, Mapping):
        return {str(k): float(v) for k, v in reference.items()}
    if isinstance(reference, str):
        raise UserError("agreement: reference must be a list of model names or a name -> score mapping, got a string")
    names = list(reference)
    return {name: float(len(names) - rank) for rank, name in enumerate(names)}
