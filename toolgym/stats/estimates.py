"""The typed results of the statistics layer: estimates with their intervals, never tables.

Every number a report shows comes with how it was computed (`method`), how many units it rests on
(`n`, `n_tasks`) and its confidence level, so `report/` can render it without re-deriving anything.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UserError

__all__ = [
    "AccuracyReport",
    "Agreement",
    "Comparison",
    "Difference",
    "Estimate",
    "IntervalMethod",
    "ModelRating",
    "PassKReport",
    "Ratings",
    "StyleCoefficient",
]

IntervalMethod = Literal["bootstrap", "wilson", "sandwich", "none"]
"""How an interval was computed: task/prompt-clustered percentile bootstrap, Wilson score interval,
cluster-robust (sandwich) normal interval, or no interval (low == high == value)."""

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Estimate(BaseModel):
    """A point estimate with its confidence interval."""

    model_config = _FROZEN

    value: float
    """The point estimate."""
    low: float
    """Lower end of the confidence interval."""
    high: float
    """Upper end of the confidence interval."""
    n: int = Field(ge=0)
    """Number of samples (rollouts, battles) the estimate rests on."""
    n_tasks: int = Field(ge=0)
    """Number of independent units resampled together (tasks, prompts)."""
    confidence: float = Field(gt=0.0, lt=1.0)
    """Confidence level of the interval, e.g. 0.95."""
    method: IntervalMethod
    """How the interval was computed."""


class AccuracyReport(BaseModel):
    """Accuracy overall and per category (see `toolgym.stats.accuracy`)."""

    model_config = _FROZEN

    overall: Estimate
    """Mean over tasks of each task's pass rate, with its interval."""
    by_category: dict[str, Estimate] = Field(default_factory=dict)
    """The same per category, keyed by category name (sorted)."""
    empty_categories: list[str] = Field(default_factory=list)
    """Categories that were asked for but have no scored sample; they have no estimate."""


class PassKReport(BaseModel):
    """pass@k or pass^k overall and per category (see `toolgym.stats.pass_at_k`)."""

    model_config = _FROZEN

    metric: Literal["pass@k", "pass^k"]
    """pass@k: chance that at least one of k samples passes; pass^k: chance that all k pass."""
    k: int = Field(ge=1)
    """Number of samples the metric speaks of."""
    overall: Estimate
    """Mean over tasks of the per-task unbiased estimate, with its interval."""
    by_category: dict[str, Estimate] = Field(default_factory=dict)
    """The same per category."""
    excluded_tasks: list[str] = Field(default_factory=list)
    """Tasks left out because they have fewer than k samples (no unbiased estimate exists)."""


class Difference(BaseModel):
    """A paired difference of accuracy between two runs on the same tasks (B minus A)."""

    model_config = _FROZEN

    value: float
    """Accuracy of B minus accuracy of A, both as means of per-task pass rates on the shared tasks."""
    low: float
    """Lower end of the paired-bootstrap confidence interval."""
    high: float
    """Upper end of the paired-bootstrap confidence interval."""
    accuracy_a: float
    """Accuracy of A on the shared tasks."""
    accuracy_b: float
    """Accuracy of B on the shared tasks."""
    p_value: float = Field(ge=0.0, le=1.0)
    """Two-sided p-value of "no difference"; not corrected for testing several categories."""
    test: Literal["mcnemar_exact", "sign_flip_exact", "sign_flip_monte_carlo"]
    """The test behind `p_value`: exact McNemar when both runs have one sample per task, else a
    sign-flip permutation test on per-task differences (exact when at most 16 differ)."""
    n_tasks: int = Field(ge=0)
    """Number of shared tasks compared."""
    confidence: float = Field(gt=0.0, lt=1.0)
    """Confidence level of the interval."""


class Comparison(BaseModel):
    """Run B against run A on their shared tasks (see `toolgym.stats.compare`)."""

    model_config = _FROZEN

    overall: Difference
    """The difference over all shared tasks."""
    by_category: dict[str, Difference] = Field(default_factory=dict)
    """The difference per category of the shared tasks."""
    n_shared: int = Field(ge=0)
    """Tasks scored in both runs; only these are compared."""
    n_only_a: int = Field(ge=0)
    """Tasks scored only in A, dropped from the comparison."""
    n_only_b: int = Field(ge=0)
    """Tasks scored only in B, dropped from the comparison."""


class ModelRating(BaseModel):
    """One model's rating on the Elo scale, with its interval and rank."""

    model_config = _FROZEN

    model: str
    """Model name as given in the battles."""
    rating: float
    """Bradley–Terry rating on the Elo scale (400 / ln 10 points per logit)."""
    low: float
    """Lower end of the rating's confidence interval (equal to `rating` when no interval was asked)."""
    high: float
    """Upper end of the rating's confidence interval."""
    rank: int = Field(ge=1)
    """1 + number of models whose lower bound exceeds this model's upper bound."""
    n_battles: int = Field(ge=0)
    """Battles this model took part in."""
    win_rate: Estimate | None = None
    """Model-implied chance of beating the baseline, sigmoid of the rating gap; None for the baseline
    itself or when no baseline was named."""


class StyleCoefficient(BaseModel):
    """How much a style feature sways the judge, fitted jointly with the ratings."""

    model_config = _FROZEN

    feature: str
    """Style feature name, e.g. tokens, headers, list_items, bold."""
    coefficient: float
    """Elo points gained per standard deviation of the normalised difference (a - b) / (a + b)."""
    low: float
    """Lower end of the coefficient's confidence interval."""
    high: float
    """Upper end of the coefficient's confidence interval."""


class Ratings(BaseModel):
    """A Bradley–Terry leaderboard (see `toolgym.stats.bradley_terry`)."""

    model_config = _FROZEN

    models: list[ModelRating]
    """One entry per model, best rating first."""
    method: IntervalMethod
    """How the intervals were computed."""
    confidence: float = Field(gt=0.0, lt=1.0)
    """Confidence level of the intervals."""
    anchor: str | None = None
    """Model pinned at `anchor_rating`; None means ratings are centred so their mean is `anchor_rating`."""
    anchor_rating: float = 1000.0
    """Rating of the anchor model, or the mean rating when there is no anchor."""
    baseline: str | None = None
    """Model that `win_rate` is measured against."""
    prior: float | None = None
    """Strength of the L2 prior on logit ratings (penalty prior * sum(theta**2) / 2); None for plain MLE."""
    style: list[StyleCoefficient] = Field(default_factory=list)
    """Style coefficients when the ratings are style-controlled; empty otherwise."""
    n_battles: int = Field(ge=0)
    """Battles the ratings rest on."""
    n_clusters: int = Field(ge=0)
    """Prompts (clusters) the battles come from; bootstrap and sandwich resample these."""
    n_boot: int = Field(default=0, ge=0)
    """Bootstrap rounds, when `method` is bootstrap."""
    degenerate_rounds: int = Field(default=0, ge=0)
    """Bootstrap rounds whose resampled battles could not rank every model (a model unbeaten, unplayed
    or cut off); they were fitted with a tiny prior, so a large count means unreliable intervals."""

    def get(self, model: str) -> ModelRating:
        """The entry of `model`; a UserError listing the rated models otherwise."""
        for entry in self.models:
            if entry.model == model:
                return entry
        names = ", ".join(sorted(m.model for m in self.models))
        raise UserError(f"model {model!r} is not among the rated models: {names}")


class Agreement(BaseModel):
    """How well a ranking agrees with a reference ranking (see `toolgym.stats.agreement`)."""

    model_config = _FROZEN

    spearman: float
    """Spearman rank correlation between ratings and reference scores."""
    kendall: float
    """Kendall's tau-b between ratings and reference scores."""
    brier: float = Field(ge=0.0, le=1.0)
    """Mean over model pairs of (P(i above j) - [i above j in the reference])^2, with P from the
    rating gap; 0 is perfect, 0.25 is a coin flip. Pairs tied in the reference are skipped."""
    n_models: int = Field(ge=0)
    """Models present in both rankings."""
    n_pairs: int = Field(ge=0)
    """Model pairs scored by the Brier score."""
