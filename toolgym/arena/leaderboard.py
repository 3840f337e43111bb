"""Leaderboards: stored battles -> `stats.Battles` -> ratings, with the benchmark's own quality.

The default method is Bradley–Terry (`stats.bradley_terry`): ratings fitted on all battles at once,
so they do not depend on the order of the battles, with intervals clustered by prompt (both
position-swapped games of a prompt, and every pair on it, are resampled together). Strong verdicts
(`A>>B`) count `strong_weight` times. Online Elo (`method="elo"`) is offered for comparison: it replays
the battles in the order they were stored, so the same battles in another order give other ratings,
and it has no intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import UserError
from ..stats import (
    DEFAULT_STYLE_FEATURES,
    STYLE_FEATURES,
    Agreement,
    Battles,
    Estimate,
    ModelRating,
    RatingConfig,
    Ratings,
    agreement,
    bradley_terry,
    online_elo,
    separability,
)
from .battles import BattleRecord
from .store import BattleStore

__all__ = ["Leaderboard", "LeaderboardConfig", "battles_from_records", "build_leaderboard", "pick_source"]


class LeaderboardConfig(BaseModel):
    """How to rate one source of battles; CLI flags map one-to-one onto these fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    source: str | None = None
    """Battles to rate: judge:SPEC or votes:FILE; default: the only source in the store."""
    category: str | None = None
    """Rate only the battles of this prompt category."""
    method: Literal["bt", "elo"] = "bt"
    """bt: Bradley–Terry, order-free, with intervals; elo: online Elo, which depends on the order of the
    battles (the stored order) and has no intervals."""
    ci: Literal["bootstrap", "sandwich", "none"] = "bootstrap"
    """Intervals of the Bradley–Terry ratings: bootstrap over prompts, sandwich (cluster-robust), none."""
    n_boot: int = Field(default=1000, ge=10)
    """Bootstrap rounds."""
    confidence: float = Field(default=0.95, gt=0.0, lt=1.0)
    """Confidence level of the intervals."""
    seed: int = Field(default=0, ge=0)
    """Seed of the bootstrap."""
    style_control: bool = False
    """Rate jointly with the answers' style (length, headers, lists, bold), so style does not buy rating."""
    style_features: tuple[str, ...] = DEFAULT_STYLE_FEATURES
    """Style features style control uses (comma-separated): tokens, chars, headers, list_items, bold."""
    baseline: str | None = None
    """Model to report every model's win rate against."""
    strong_weight: float = Field(default=3.0, gt=0.0)
    """Weight of a strong verdict (A>>B) relative to a plain win."""
    prior: float | None = Field(default=None, gt=0.0)
    """L2 prior on the logit ratings; lets a model that never lost get a finite rating."""
    anchor: str | None = None
    """Pin one model's rating, as MODEL=RATING (gpt-4o=1000); default: the ratings' mean is 1000."""
    elo_k: float = Field(default=4.0, gt=0.0)
    """Update size of online Elo."""
    db: str = "toolgym.db"
    """Where the battles are stored: a SQLite file path or an SQLAlchemy URL."""

    @field_validator("anchor")
    @classmethod
    def _model_equals_rating(cls, value: str | None) -> str | None:
        if value is not None:
            model, sep, rating = value.rpartition("=")
            try:
                float(rating)
            except ValueError:
                sep = ""
            if not sep or not model:
                raise ValueError(f"expected MODEL=RATING, e.g. {value.split('=')[0] or 'gpt-4o'}=1000")
        return value

    def anchor_model(self) -> tuple[str, float] | None:
        """(model, rating) of `anchor`, None without one."""
        if self.anchor is None:
            return None
        model, _, rating = self.anchor.rpartition("=")
        return model, float(rating)

    @field_validator("style_features")
    @classmethod
    def _known_features(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in value if f not in STYLE_FEATURES]
        if unknown or not value:
            raise ValueError(f"unknown style features {unknown}; choose among {', '.join(STYLE_FEATURES)}")
        return value


class Leaderboard(BaseModel):
    """Ratings of one source of battles, with the counts they rest on and the benchmark's quality."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    source: str
    """The battles rated."""
    category: str | None = None
    """The category rated; None for all."""
    method: Literal["bt", "elo"]
    """Bradley–Terry or online Elo."""
    ratings: Ratings
    """The ratings, best first (Elo ratings have no intervals: method none)."""
    strong_weight: float
    """Weight given to strong verdicts."""
    strong: int = 0
    """Counted games won by a strong verdict (A>>B); the strong weight applies to these alone."""
    games: int
    """Games stored for this source (and category)."""
    unparseable: int
    """Judgments without a readable verdict, left out of the ratings."""
    errors: int
    """Games the judge failed to answer, left out (the next judge command retries them)."""
    separability: float | None = None
    """Share of model pairs whose intervals do not overlap; None without intervals."""
    agreement: Agreement | None = None
    """Agreement with the reference ranking, when one was given."""
    reference: str | None = None
    """Name of the reference ranking."""

    @property
    def counted(self) -> int:
        """Games that enter the ratings."""
        return self.games - self.unparseable - self.errors


def pick_source(battles: BattleStore, source: str | None) -> str:
    """The source to rate: `source` if stored, else the only one; a UserError listing them otherwise."""
    known = [s.source for s in battles.sources()]
    if not known:
        raise UserError(f"no battles in {battles.url} yet; run `toolgym arena judge` or `toolgym arena "
                        "import-votes` first")
    if source is None:
        if len(known) > 1:
            raise UserError(f"{battles.url} holds battles from {len(known)} sources ({', '.join(known)}); "
                            "choose one with --source")
        return known[0]
    if source not in known:
        raise UserError(f"no battles from source {source!r} in {battles.url}; sources: {', '.join(known)}")
    return source


def battles_from_records(records: Sequence[BattleRecord], strong_weight: float, style: bool) -> Battles:
    """The counted games as `stats.Battles`, clustered by prompt, strong wins weighted.

    Raises:
        UserError: no counted games, or style asked for while some games lack the answers' style.
    """
    counted = [r for r in records if r.counted]
    if not counted:
        raise UserError("no counted battles to rate (every stored game is unparseable or failed)")
    if style:
        bare = sum(r.style_a is None or r.style_b is None for r in counted)
        if bare:
            raise UserError(f"style control needs both answers of every battle; {bare} of {len(counted)} "
                            "battles lack them (votes imported without answer_a/answer_b); turn style control off")
    return Battles.from_lists(
        [r.model_a for r in counted],
        [r.model_b for r in counted],
        [r.outcome for r in counted],  # type: ignore[misc]
        cluster=[(r.prompt_set, r.prompt_id) for r in counted],
        weight=[strong_weight if r.strong else 1.0 for r in counted],
        style_a=[r.style_a for r in counted] if style else None,  # type: ignore[misc]
        style_b=[r.style_b for r in counted] if style else None,  # type: ignore[misc]
    )


def build_leaderboard(
    config: LeaderboardConfig,
    reference: Mapping[str, float] | Sequence[str] | None = None,
    reference_name: str | None = None,
) -> Leaderboard:
    """Rate the battles `config` selects; with a reference ranking, also measure agreement with it."""
    with BattleStore(config.db) as store:
        source = pick_source(store, config.source)
        records = list(store.records(source, config.category))
    if not records:
        raise UserError(f"source {source!r} has no battles in category {config.category!r}")
    battles = battles_from_records(records, config.strong_weight, config.style_control)
    anchor = config.anchor_model()
    if anchor is not None and anchor[0] not in battles.models:
        raise UserError(f"--anchor {config.anchor}: model {anchor[0]!r} has no battles in {source}; models: "
                        f"{', '.join(battles.models)}")
    if config.baseline is not None and config.baseline not in battles.models:
        raise UserError(f"baseline {config.baseline!r} has no battles in {source}; models: "
                        f"{', '.join(battles.models)}")
    if config.method == "elo":
        ratings = _elo_ratings(battles, config, anchor)
        quality = None
    else:
        ratings = bradley_terry(battles, RatingConfig(
            ci=config.ci, n_boot=config.n_boot, confidence=config.confidence, seed=config.seed,
            prior=config.prior, baseline=config.baseline, style_control=config.style_control,
            style_features=config.style_features,
            anchor=anchor[0] if anchor else None, anchor_rating=anchor[1] if anchor else 1000.0,
        ))
        quality = separability(ratings) if ratings.method != "none" and len(ratings.models) > 1 else None
    return Leaderboard(
        source=source,
        category=config.category,
        method=config.method,
        ratings=ratings,
        strong_weight=config.strong_weight,
        strong=sum(r.counted and r.strong for r in records),
        games=len(records),
        unparseable=sum(r.unparseable for r in records),
        errors=sum(r.error is not None for r in records),
        separability=quality,
        agreement=agreement(ratings, reference) if reference is not None else None,
        reference=reference_name if reference is not None else None,
    )


def _elo_ratings(battles: Battles, config: LeaderboardConfig, anchor: tuple[str, float] | None) -> Ratings:
    """Online Elo as `Ratings` without intervals; win rates against the baseline from the Elo gap."""
    elo = online_elo(battles, k=config.elo_k)
    if anchor is not None:  # a shift: gaps, and so win rates, stay as they are
        shift = anchor[1] - elo[anchor[0]]
        elo = {m: r + shift for m, r in elo.items()}
    games = battles.games_per_model()
    base = elo.get(config.baseline) if config.baseline is not None else None
    order = sorted(elo, key=lambda m: (-elo[m], m))
    entries = []
    for model in order:
        win = None
        if base is not None and model != config.baseline:
            p = 1.0 / (1.0 + 10.0 ** ((base - elo[model]) / 400.0))
            win = Estimate(value=p, low=p, high=p, n=int(games[battles.models.index(model)]),
                           n_tasks=battles.n_clusters, confidence=config.confidence, method="none")
        rank = 1 + sum(elo[other] > elo[model] for other in elo)
        entries.append(ModelRating(model=model, rating=elo[model], low=elo[model], high=elo[model], rank=rank,
                                   n_battles=int(games[battles.models.index(model)]), win_rate=win))
    return Ratings(models=entries, method="none", confidence=config.confidence, baseline=config.baseline,
                   n_battles=len(battles), n_clusters=battles.n_clusters,
                   # Elo is zero-sum: the mean stays 1000 unless a model is pinned
                   anchor=anchor[0] if anchor else None, anchor_rating=anchor[1] if anchor else 1000.0)
