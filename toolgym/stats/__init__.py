"""Statistics of evaluations and arenas: typed estimates with honest intervals.

Evaluation: `accuracy` (task-clustered intervals), `pass_at_k` / `pass_hat_k`, `compare` (paired
difference of two runs with a p-value), `plan_power` / `minimum_detectable_difference` (power of a
paired comparison), `outcome_breakdown` (agent, simulated-user and infrastructure failures),
`pass_rate_upper_bound` (exact bound for tasks never passed). Arena: `Battles` (the input),
`bradley_terry` (ratings with prompt-clustered bootstrap or sandwich intervals, anchor, prior,
style control), `online_elo`,
`separability` and `agreement` (benchmark quality), `style_features` (style counts of an answer).

Everything takes plain inputs (records, numpy columns) and returns pydantic models; turning them
into tables is `report`'s job. Every random step takes a seed.
"""

from .accuracy import accuracy
from .battles import Battles
from .bootstrap import bootstrap_means, percentile_interval, resample_counts
from .bradley_terry import ELO_PER_LOGIT, RatingConfig, bradley_terry
from .elo import online_elo
from .estimates import (
    AccuracyReport,
    Agreement,
    Comparison,
    Difference,
    Estimate,
    IntervalMethod,
    ModelRating,
    PassKReport,
    Ratings,
    StyleCoefficient,
)
from .exact import pass_rate_upper_bound
from .graph import components
from .newton import fit_pooled
from .outcomes import Outcome, OutcomeRecord, OutcomeReport, classify_outcome, outcome_breakdown
from .paired import compare, sign_flip_p_value
from .passk import pass_at_k, pass_at_k_per_task, pass_hat_k, pass_hat_k_per_task
from .power import (
    Detectable,
    PlanRow,
    PowerPlan,
    VarianceComponents,
    assumed_variance,
    minimum_detectable_difference,
    plan_power,
    power_of,
    variance_from_runs,
)
from .quality import agreement, separability
from .records import Record, TaskCounts
from .style import DEFAULT_STYLE_FEATURES, STYLE_FEATURES, style_covariates, style_features
from .wilson import wilson_interval

__all__ = [
    "DEFAULT_STYLE_FEATURES",
    "ELO_PER_LOGIT",
    "STYLE_FEATURES",
    "AccuracyReport",
    "Agreement",
    "Battles",
    "Comparison",
    "Detectable",
    "Difference",
    "Estimate",
    "IntervalMethod",
    "ModelRating",
    "Outcome",
    "OutcomeRecord",
    "OutcomeReport",
    "PassKReport",
    "PlanRow",
    "PowerPlan",
    "RatingConfig",
    "Ratings",
    "Record",
    "StyleCoefficient",
    "TaskCounts",
    "VarianceComponents",
    "accuracy",
    "agreement",
    "assumed_variance",
    "bootstrap_means",
    "bradley_terry",
    "classify_outcome",
    "compare",
    "components",
    "fit_pooled",
    "minimum_detectable_difference",
    "online_elo",
    "outcome_breakdown",
    "pass_at_k",
    "pass_at_k_per_task",
    "pass_hat_k",
    "pass_hat_k_per_task",
    "pass_rate_upper_bound",
    "percentile_interval",
    "plan_power",
    "power_of",
    "resample_counts",
    "separability",
    "sign_flip_p_value",
    "style_covariates",
    "style_features",
    "variance_from_runs",
    "wilson_interval",
]
