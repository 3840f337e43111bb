"""`Battles`: the columnar input of the rating functions, one row per judged game.

A battle is two answers to one prompt and an outcome: 1 when A wins, 0.5 for a tie, 0 when B wins.
Battles are kept as numpy columns (model indices, outcome, weight, cluster id, optional style
counts) rather than as objects, because a leaderboard pools up to millions of them. The `cluster`
of a battle is its prompt: every game of one prompt (both position-swapped orders, repeats) shares
a cluster and is resampled together by the bootstrap and summed together by the sandwich estimator.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import UserError

__all__ = ["Battles"]

_OUTCOMES = {"a": 1.0, "tie": 0.5, "b": 0.0}


@dataclass(frozen=True, eq=False)
class Battles:
    """Judged games between models, as numpy columns of equal length N.

    Attributes:
        models: model names; `a` and `b` index into this tuple.
        a: index of the model whose answer was shown first (int64, shape (N,)).
        b: index of the other model (int64, shape (N,)); never equal to `a`.
        outcome: 1.0 when A wins, 0.5 for a tie, 0.0 when B wins (float64, shape (N,)).
        weight: positive weight of each game (float64, shape (N,)); 1 for plain counts.
        cluster: prompt of each game as codes 0..K-1 (int64, shape (N,)); games of one prompt are
            resampled together.
        style_names: names of the style features, e.g. ("tokens", "headers", "list_items", "bold").
        style_a: raw style counts of A's answer (float64, shape (N, len(style_names))), or None.
        style_b: raw style counts of B's answer, or None.
    """

    models: tuple[str, ...]
    a: np.ndarray
    b: np.ndarray
    outcome: np.ndarray
    weight: np.ndarray
    cluster: np.ndarray
    style_names: tuple[str, ...] = ()
    style_a: np.ndarray | None = None
    style_b: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = self.a.shape[0]
        for name in ("b", "outcome", "weight", "cluster"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"Battles.{name} has shape {getattr(self, name).shape}, expected ({n},)")
        if n and (min(self.a.min(), self.b.min()) < 0 or max(self.a.max(), self.b.max()) >= len(self.models)):
            raise ValueError("Battles.a and Battles.b must index into Battles.models")
        if np.any(self.a == self.b):
            raise ValueError("a battle needs two different models (a == b found)")
        if not np.all(np.isin(self.outcome, (0.0, 0.5, 1.0))):
            raise ValueError("Battles.outcome must be 1 (A wins), 0.5 (tie) or 0 (B wins)")
        if np.any(~(self.weight > 0)):
            raise ValueError("Battles.weight must be positive")
        if n and (self.cluster.min() < 0):
            raise ValueError("Battles.cluster must hold codes 0..K-1")
        for side in (self.style_a, self.style_b):
            if side is not None and side.shape != (n, len(self.style_names)):
                raise ValueError(f"style arrays must have shape ({n}, {len(self.style_names)})")

    @classmethod
    def from_lists(
        cls,
        model_a: Sequence[str],
        model_b: Sequence[str],
        outcome: Sequence[str | float],
        *,
        cluster: Sequence[Hashable] | None = None,
        weight: Sequence[float] | None = None,
        style_a: Sequence[Mapping[str, float]] | None = None,
        style_b: Sequence[Mapping[str, float]] | None = None,
        models: Sequence[str] | None = None,
    ) -> Battles:
        """Build from Python lists, one entry per game.

        Args:
            model_a: name of the model shown first.
            model_b: name of the other model.
            outcome: "a", "b" or "tie", or 1 / 0 / 0.5.
            cluster: prompt id of each game (any hashable); None makes every game its own cluster.
            weight: weight of each game; None means 1.
            style_a: style counts of A's answer per game, e.g. `style_features(text)`; all mappings
                must have the same keys.
            style_b: the same for B's answer.
            models: model names in the order to use; defaults to the sorted names seen.

        Raises:
            UserError: lists of different lengths, an unknown outcome, a model battling itself, or an
                inconsistent style mapping; the message names the game's index.
        """
        n = len(model_a)
        for name, column in (
            ("model_b", model_b),
            ("outcome", outcome),
            ("cluster", cluster),
            ("weight", weight),
            ("style_a", style_a),
            ("style_b", style_b),
        ):
            if column is not None and len(column) != n:
                raise UserError(f"battles: {name} has {len(column)} entries but model_a has {n}; give one per game")
        names = tuple(models) if models is not None else tuple(sorted(set(model_a) | set(model_b)))
        index = {m: i for i, m in enumerate(names)}
        a = np.array([_lookup(index, m, i, "model_a") for i, m in enumerate(model_a)], dtype=np.int64)
        b = np.array([_lookup(index, m, i, "model_b") for i, m in enumerate(model_b)], dtype=np.int64)
        same = np.flatnonzero(a == b)
        if same.size:
            i = int(same[0])
            raise UserError(f"battles[{i}]: model {model_a[i]!r} battles itself; drop games of a model against itself")
        y = np.array([_outcome(o, i) for i, o in enumerate(outcome)], dtype=float)
        w = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
        bad = np.flatnonzero(~(w > 0))
        if bad.size:
            raise UserError(f"battles[{int(bad[0])}]: weight must be positive, got {w[bad[0]]!r}")
        codes = np.arange(n) if cluster is None else _codes(cluster)
        style_names, sa, sb = _style(style_a, style_b)
        return cls(names, a, b, y, w, codes.astype(np.int64), style_names, sa, sb)

    def __len__(self) -> int:
        return int(self.a.shape[0])

    @property
    def n_models(self) -> int:
        """Number of models."""
        return len(self.models)

    @property
    def n_clusters(self) -> int:
        """Number of distinct prompts (clusters) among the battles."""
        return self.cluster_codes()[1]

    def cluster_codes(self) -> tuple[np.ndarray, int]:
        """Cluster of each game renumbered 0..K-1 without gaps, and K (linear time, no sort)."""
        if len(self) == 0:
            return self.cluster.copy(), 0
        used = np.bincount(self.cluster) > 0
        renumber = np.cumsum(used) - 1
        return renumber[self.cluster], int(renumber[-1]) + 1

    def win_matrix(self, weight: np.ndarray | None = None) -> np.ndarray:
        """Pooled wins: entry (i, j) is the weighted number of games i won against j, ties half each.

        Args:
            weight: per-game weights to use instead of `self.weight` (e.g. bootstrap weights).
        """
        n = self.n_models
        w = self.weight if weight is None else weight
        cell = self.a * n + self.b
        won = np.bincount(cell, w * self.outcome, n * n).reshape(n, n)
        lost = np.bincount(cell, w * (1.0 - self.outcome), n * n).reshape(n, n)
        return won + lost.T

    def games_per_model(self) -> np.ndarray:
        """Number of games each model took part in."""
        n = self.n_models
        return np.bincount(self.a, minlength=n) + np.bincount(self.b, minlength=n)

    def index(self, model: str, field: str) -> int:
        """Index of `model`; a UserError naming `field` and listing the models otherwise."""
        try:
            return self.models.index(model)
        except ValueError:
            raise UserError(
                f"{field}: model {model!r} has no battles; known models: {', '.join(self.models)}"
            ) from None


def _lookup(index: dict[str, int], model: str, i: int, field: str) -> int:
    try:
        return index[model]
    except KeyError:
        raise UserError(f"battles[{i}].{field}: model {model!r} is not in the given models list") from None


def _outcome(value: str | float, i: int) -> float:
    if isinstance(value, str):
        if value.lower() in _OUTCOMES:
            return _OUTCOMES[value.lower()]
    elif value in (0, 0.5, 1):
        return float(value)
    raise UserError(f"battles[{i}].outcome: expected 'a', 'b' or 'tie' (or 1, 0, 0.5), got {value!r}")


def _codes(cluster: Sequence[Hashable]) -> np.ndarray:
    keys: dict[Hashable, int] = {}
    return np.fromiter((keys.setdefault(c, len(keys)) for c in cluster), dtype=np.int64, count=len(cluster))


def _style(
    style_a: Sequence[Mapping[str, float]] | None, style_b: Sequence[Mapping[str, float]] | None
) -> tuple[tuple[str, ...], np.ndarray | None, np.ndarray | None]:
    if style_a is None and style_b is None:
        return (), None, None
    if style_a is None or style_b is None:
        raise UserError("battles: give style counts for both answers (style_a and style_b) or for neither")
    if len(style_a) == 0:
        return (), np.zeros((0, 0)), np.zeros((0, 0))
    names = tuple(style_a[0])
    arrays = []
    for side, rows in (("style_a", style_a), ("style_b", style_b)):
        for i, row in enumerate(rows):
            if tuple(row) != names and set(row) != set(names):
                raise UserError(
                    f"battles[{i}].{side}: features {sorted(row)} differ from {sorted(names)}; "
                    "extract the same features for every answer"
                )
        arrays.append(np.array([[float(row[k]) for k in names] for row in rows], dtype=float).reshape(len(rows), -1))
    return names, arrays[0], arrays[1]
