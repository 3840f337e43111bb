"""Online Elo: the classic sequential update, for comparison and live leaderboards.

Online Elo depends on the order of the battles: the same games shuffled give different ratings,
and recent games weigh more. It is kept because people know it and because it can be updated one
game at a time; leaderboards should use `bradley_terry`, whose ratings depend only on the counts.
"""

from __future__ import annotations

from .battles import Battles

__all__ = ["online_elo"]


def online_elo(battles: Battles, *, k: float = 4.0, initial: float = 1000.0, scale: float = 400.0) -> dict[str, float]:
    """Ratings after applying the Elo update to each battle in order (their order in `battles`).

    For each game, with expected score e = 1 / (1 + 10 ** ((r_b - r_a) / scale)), A gains
    k * weight * (outcome - e) and B loses as much. Ties count as half a win.

    Args:
        battles: the games, in the order they happened.
        k: update size (Chatbot Arena used 4; chess uses 16 to 32).
        initial: rating every model starts from.
        scale: rating gap meaning 10:1 odds.

    Returns:
        Model name -> rating.
    """
    ratings = [float(initial)] * battles.n_models
    a, b = battles.a.tolist(), battles.b.tolist()
    gain = (k * battles.weight).tolist()
    outcome = battles.outcome.tolist()
    for i, j, g, y in zip(a, b, gain, outcome, strict=True):  # sequential by nature: no vectorising
        expected = 1.0 / (1.0 + 10.0 ** ((ratings[j] - ratings[i]) / scale))
        delta = g * (y - expected)
        ratings[i] += delta
        ratings[j] -= delta
    return dict(zip(battles.models, ratings, strict=True))
