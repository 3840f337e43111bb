"""When do Bradley–Terry ratings exist? Checks on the comparison graph of a win matrix.

* Models that never met, directly or through others, cannot be put on one scale: their graph is
  *disconnected*. toolgym refuses such data with a `UserError` naming the groups (with or without a
  prior: a prior would only make up an offset between the groups). Rate each group on its own
  (`Battles` of that group) or add games between them.
* Without a prior, the maximum-likelihood ratings are finite exactly when the graph "i won or tied
  at least once against j" is *strongly* connected (Zermelo, Ford). Otherwise some group of models
  never lost to the rest, and its ratings diverge to infinity. toolgym refuses this too, naming the
  group and the fix (an L2 prior); it never reports a silently huge number.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import connected_components

from ..errors import UserError

__all__ = ["check_identifiable", "components", "is_strongly_connected"]


def components(wins: np.ndarray, models: Sequence[str]) -> list[list[str]]:
    """Groups of models connected by games (in either direction), largest first."""
    played = (wins + wins.T) > 0
    count, labels = connected_components(played, directed=False)
    groups = [[models[i] for i in np.flatnonzero(labels == g)] for g in range(count)]
    return sorted(groups, key=lambda g: (-len(g), g))


def is_strongly_connected(wins: np.ndarray) -> bool:
    """Whether every model won or tied, directly or through a chain, against every other model."""
    count, _ = connected_components(wins > 0, directed=True, connection="strong")
    return count == 1


def check_identifiable(wins: np.ndarray, models: Sequence[str], prior: float | None) -> None:
    """Raise a `UserError` when ratings are not comparable (disconnected) or diverge (no prior).

    Args:
        wins: pooled win matrix (n, n).
        models: model names, one per row.
        prior: the L2 prior strength; None or 0 means plain maximum likelihood.
    """
    groups = components(wins, models)
    if len(groups) > 1:
        listing = "; ".join(f"[{', '.join(g)}]" for g in groups)
        raise UserError(
            f"ratings: the models form {len(groups)} groups that never played each other: {listing}. "
            "Ratings of different groups are not comparable; add battles between the groups, or "
            "rate each group separately"
        )
    if prior or is_strongly_connected(wins):
        return
    top = _unbeaten_group(wins)
    others = [m for i, m in enumerate(models) if i not in set(top)]
    names = ", ".join(models[i] for i in top)
    raise UserError(
        f"ratings diverge: [{names}] never lost or tied against [{', '.join(others)}], so their "
        "maximum-likelihood ratings are infinite. Set an L2 prior (RatingConfig(prior=0.01), or "
        "larger for fewer games) for finite, shrunk ratings, or collect more battles"
    )


def _unbeaten_group(wins: np.ndarray) -> list[int]:
    """Models of a strongly connected group that no outside model ever beat or tied."""
    _, labels = connected_components(wins > 0, directed=True, connection="strong")
    outside_wins = (wins > 0) & (labels[:, None] != labels[None, :])
    beaten = np.zeros(labels.max() + 1, dtype=bool)
    beaten[labels[np.nonzero(outside_wins)[1]]] = True
    group = int(np.flatnonzero(~beaten)[0])
    return np.flatnonzero(labels == group).tolist()
