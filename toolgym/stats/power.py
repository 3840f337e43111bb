"""Power of a paired comparison: how many tasks x repeats detect a difference, and what a run can detect.

`compare` tests per-task differences d_i = rate_B,i - rate_A,i. With k samples per task and model,

    Var(d_i) = between + within / k

where `between` is the variance across tasks of the true per-task difference (two models that differ
on different tasks), and `within` the Bernoulli variance of one sample, p(1 - p), averaged over tasks
and summed over both models (sampling noise, which repeats average away). Both come from stored runs
(`variance_from_runs`) or from an assumed accuracy (`assumed_variance`); `plan_power` then finds the
smallest number of tasks per number of repeats that reaches the target power, and
`minimum_detectable_difference` the smallest difference a finished comparison could have detected.

Power is computed for the test `compare` runs: with one sample per task, the exact McNemar test
(exact power: the discordant count is binomial, the better-B count among them binomial again); with
repeats, the sign-flip test, approximated by the two-sided one-sample t-test (noncentral t). The
simulation tests check both against the real `compare` within 5 points.

Estimating `within` needs repeats: a task's unbiased Bernoulli variance is p^(1 - p^) k / (k - 1).
From runs with one sample per task it cannot be told apart from `between`, and it is counted as
`between` (conservative: repeats are then assumed not to help), with `within_identified` False.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.stats import binom, nct, norm
from scipy.stats import t as student_t

from ..errors import UserError
from .records import Record, TaskCounts

__all__ = [
    "Detectable",
    "PlanRow",
    "PowerPlan",
    "VarianceComponents",
    "assumed_variance",
    "minimum_detectable_difference",
    "plan_power",
    "power_of",
    "variance_from_runs",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)
DEFAULT_REPEATS = (1, 2, 3, 5, 10)


class VarianceComponents(BaseModel):
    """What the power of a paired comparison rests on (see the module docstring)."""

    model_config = _FROZEN

    source: Literal["assumed", "one_run", "two_runs"]
    """Where the numbers come from: an assumed accuracy, one stored run (B assumed like A), or a pilot pair."""
    accuracy_a: float = Field(ge=0.0, le=1.0)
    """Accuracy of A (assumed, or measured)."""
    accuracy_b: float = Field(ge=0.0, le=1.0)
    """Accuracy of B (A plus the planned difference, or measured)."""
    between: float = Field(ge=0.0)
    """Variance across tasks of the true per-task difference of pass rates."""
    within: float = Field(ge=0.0)
    """Bernoulli variance of one sample averaged over tasks, summed over both models."""
    within_identified: bool
    """False when some run had one sample per task: its sampling noise is counted in `between`."""
    n_tasks: int = Field(ge=0)
    """Tasks the estimate rests on (0 when assumed)."""
    repeats_a: int = Field(ge=1)
    """Samples per task of run A (median; 1 when assumed)."""
    repeats_b: int = Field(ge=1)
    """Samples per task of run B (median; as A's when B is assumed like A)."""

    def variance(self, repeats: int) -> float:
        """Variance of one task's difference d_i with `repeats` samples per task and model."""
        return self.between + self.within / repeats


class PlanRow(BaseModel):
    """Tasks needed with a given number of repeats."""

    model_config = _FROZEN

    repeats: int = Field(ge=1)
    """Samples per task and model."""
    n_tasks: int | None
    """Fewest tasks that reach the target power; None when more than `max_tasks` would be needed."""
    rollouts: int | None
    """Rollouts of both models together: 2 x tasks x repeats."""
    power: float | None
    """Power reached with `n_tasks` tasks (at least the target)."""
    power_at_max: float
    """Power with all `max_tasks` tasks (e.g. the whole suite)."""


class PowerPlan(BaseModel):
    """How many tasks x repeats detect `delta` with the target power (see `plan_power`)."""

    model_config = _FROZEN

    delta: float
    """The difference of accuracy to detect (B minus A)."""
    alpha: float = Field(gt=0.0, lt=1.0)
    """Two-sided significance level."""
    target_power: float = Field(gt=0.0, lt=1.0)
    """Chance of a significant result when the true difference is `delta`."""
    max_tasks: int = Field(ge=1)
    """Most tasks available (the suite's size) or searched."""
    components: VarianceComponents
    """The variances the plan rests on."""
    rows: list[PlanRow]
    """One row per number of repeats."""


class Detectable(BaseModel):
    """The smallest difference a finished paired comparison could detect (see `minimum_detectable_difference`)."""

    model_config = _FROZEN

    difference: float = Field(ge=0.0)
    """Minimum detectable difference (absolute, in accuracy units) at `power` and `alpha`."""
    observed: float
    """The observed difference B minus A."""
    n_tasks: int = Field(ge=0)
    """Shared tasks compared."""
    repeats_a: int = Field(ge=1)
    """Samples per task of run A (median)."""
    repeats_b: int = Field(ge=1)
    """Samples per task of run B (median)."""
    power: float = Field(gt=0.0, lt=1.0)
    """Power the difference is detectable with."""
    alpha: float = Field(gt=0.0, lt=1.0)
    """Two-sided significance level."""
    underpowered: bool
    """True when the observed difference is smaller than the detectable one: a non-significant result
    then says little about whether the models differ."""
    components: VarianceComponents
    """The variances measured from the two runs."""


def power_of(components: VarianceComponents, delta: float, n_tasks: int, repeats: int, alpha: float = 0.05) -> float:
    """Chance that `compare` finds p < alpha on `n_tasks` tasks x `repeats` when the true difference is `delta`."""
    if n_tasks < 2:
        return 0.0
    if repeats == 1:
        return _mcnemar_power(components.variance(1), abs(delta), n_tasks, alpha)
    sd = float(np.sqrt(components.variance(repeats)))
    if sd == 0.0:
        return 1.0 if delta else alpha
    df = n_tasks - 1
    crit = student_t.ppf(1 - alpha / 2, df)
    ncp = abs(delta) * np.sqrt(n_tasks) / sd
    exact = float(nct.sf(crit, df, ncp) + nct.cdf(-crit, df, ncp))
    if np.isnan(exact):  # scipy's noncentral t fails far in the tail, where the normal law is as good
        return float(norm.sf(crit - ncp) + norm.cdf(-crit - ncp))
    return exact


def _mcnemar_power(var1: float, delta: float, n_tasks: int, alpha: float) -> float:
    """Exact power of the two-sided exact McNemar test on `n_tasks` single-sample pairs."""
    # d_i in {-1, 0, 1}: P(d != 0) = E[d^2] = Var + delta^2, split so that E[d] = delta
    discordant = min(1.0, var1 + delta**2)
    if discordant <= 0.0:
        return 0.0
    better = min(1.0, (discordant + delta) / 2 / discordant)
    # only discordant counts with non-negligible probability matter
    spread = 12 * np.sqrt(n_tasks * discordant * (1 - discordant)) + 12
    centre = n_tasks * discordant
    m = np.arange(max(0, int(centre - spread)), min(n_tasks, int(centre + spread)) + 1)
    # reject when min(x, m - x) <= c, c the largest count with 2 P(X <= c) <= alpha for X ~ Bin(m, 1/2)
    c = binom.ppf(alpha / 2, m, 0.5)
    c = np.where(binom.cdf(c, m, 0.5) > alpha / 2, c - 1, c)
    reject = np.where(c >= 0, binom.cdf(c, m, better) + binom.sf(m - c - 1, m, better), 0.0)
    return float(np.sum(binom.pmf(m, n_tasks, discordant) * reject))


def plan_power(
    components: VarianceComponents,
    delta: float,
    *,
    power: float = 0.8,
    alpha: float = 0.05,
    repeats: Sequence[int] = DEFAULT_REPEATS,
    max_tasks: int = 100_000,
) -> PowerPlan:
    """Fewest tasks reaching `power` for each number of repeats.

    Args:
        components: the variances (`variance_from_runs` or `assumed_variance`).
        delta: the difference of accuracy to detect, e.g. 0.05 for 5 points.
        power: target power.
        alpha: two-sided significance level of the test.
        repeats: numbers of samples per task to plan for.
        max_tasks: most tasks available (the suite's size); rows needing more have `n_tasks` None.

    Raises:
        UserError: delta is zero, or power, alpha or repeats are out of range.
    """
    if delta == 0 or abs(delta) >= 1:
        raise UserError(f"plan: --delta must be a difference of accuracy in (0, 1), e.g. 0.05; got {delta!r}")
    if not 0 < power < 1 or not 0 < alpha < 1:
        raise UserError(f"plan: --power and --alpha must be in (0, 1); got power {power!r}, alpha {alpha!r}")
    if any(k < 1 for k in repeats):
        raise UserError(f"plan: --repeats must be positive integers; got {list(repeats)}")
    rows = []
    for k in sorted(set(repeats)):
        n = _fewest_tasks(components, delta, k, power, alpha, max_tasks)
        rows.append(PlanRow(
            repeats=k, n_tasks=n, rollouts=None if n is None else 2 * n * k,
            power=None if n is None else power_of(components, delta, n, k, alpha),
            power_at_max=power_of(components, delta, max_tasks, k, alpha),
        ))
    return PowerPlan(delta=delta, alpha=alpha, target_power=power, max_tasks=max_tasks, components=components,
                     rows=rows)


def _fewest_tasks(
    components: VarianceComponents, delta: float, repeats: int, power: float, alpha: float, max_tasks: int
) -> int | None:
    """Smallest n with power >= target; exact-test power saw-tooths, so the search ends with a scan."""
    z = _z(1 - alpha / 2) + _z(power)
    guess = int(np.ceil((z / abs(delta)) ** 2 * components.variance(repeats)))
    lo = max(2, min(max_tasks, int(guess * 0.6)))
    if power_of(components, delta, max_tasks, repeats, alpha) < power:
        return None
    while lo > 2 and power_of(components, delta, lo, repeats, alpha) >= power:
        lo = max(2, lo // 2)
    hi = max(lo, min(max_tasks, guess))
    while power_of(components, delta, hi, repeats, alpha) < power:
        lo, hi = hi, min(max_tasks, hi * 2)
    while hi - lo > 8:  # bisect to a window, then scan it: the first n that reaches the target
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if power_of(components, delta, mid, repeats, alpha) >= power else (mid, hi)
    return next(n for n in range(lo, hi + 1) if power_of(components, delta, n, repeats, alpha) >= power)


def _z(q: float) -> float:
    return float(norm.ppf(q))


def assumed_variance(accuracy: float, delta: float, *, task_sd: float = 0.0) -> VarianceComponents:
    """Variances for A at `accuracy` and B at `accuracy + delta`, with no stored run.

    Every task is assumed to pass with the model's accuracy, so `within` is p(1 - p) summed over both
    models, and the true per-task difference varies across tasks with standard deviation `task_sd`
    (0: B is better by `delta` on every task). With one sample per task this is the independent
    binomial model, the worst case for paired runs whose outcomes are positively correlated.

    Raises:
        UserError: an accuracy outside [0, 1].
    """
    b = accuracy + delta
    if not 0 <= accuracy <= 1 or not 0 <= b <= 1:
        raise UserError(
            f"plan: --accuracy {accuracy!r} with --delta {delta!r} puts an accuracy outside [0, 1]; "
            "give an accuracy between 0 and 1 that leaves room for the difference"
        )
    if task_sd < 0:
        raise UserError(f"plan: --task-sd must be >= 0, got {task_sd!r}")
    return VarianceComponents(
        source="assumed", accuracy_a=accuracy, accuracy_b=b, between=task_sd**2,
        within=accuracy * (1 - accuracy) + b * (1 - b), within_identified=True, n_tasks=0, repeats_a=1, repeats_b=1,
    )


def variance_from_runs(
    a_records: Iterable[Record | Sequence[object]],
    b_records: Iterable[Record | Sequence[object]] | None = None,
) -> VarianceComponents:
    """Estimate the variances from stored runs: a pilot pair A and B, or A alone (B assumed like A).

    Args:
        a_records: `(task_id, category, passed)` per scored sample of run A.
        b_records: the same for run B; None to plan from A alone.

    Raises:
        UserError: no scored sample, or A and B share no task.
    """
    a = TaskCounts.from_records(a_records, source="run A")
    if len(a) < 2:
        raise UserError(f"plan: run A has {len(a)} scored task(s); power needs a run of at least 2 tasks")
    if b_records is None:
        w_a, ok = _within(a)
        return VarianceComponents(
            source="one_run", accuracy_a=float(a.rates.mean()), accuracy_b=float(a.rates.mean()),
            between=0.0, within=2 * w_a, within_identified=ok, n_tasks=len(a), repeats_a=int(np.median(a.n)),
            repeats_b=int(np.median(a.n)),
        )
    b = TaskCounts.from_records(b_records, source="run B")
    shared = np.intersect1d(a.task_ids, b.task_ids)
    if shared.size < 2:
        raise UserError(f"plan: runs A and B share {shared.size} task(s); give two runs of the same suite")
    a, b = a.select(np.isin(a.task_ids, shared)), b.select(np.isin(b.task_ids, shared))
    d = b.rates - a.rates
    total = float(np.var(d, ddof=1))
    noise, identified = 0.0, True
    within = 0.0
    for counts in (a, b):
        w, ok = _within(counts)
        if ok:  # the part of var(d) that is this run's sampling noise at its own number of repeats
            noise += float(np.mean(_task_within(counts) / counts.n))
            within += w
        identified &= ok
    return VarianceComponents(
        source="two_runs", accuracy_a=float(a.rates.mean()), accuracy_b=float(b.rates.mean()),
        between=max(0.0, total - noise), within=within, within_identified=identified, n_tasks=int(shared.size),
        repeats_a=int(np.median(a.n)), repeats_b=int(np.median(b.n)),
    )


def _task_within(counts: TaskCounts) -> np.ndarray:
    """Unbiased per-task Bernoulli variance p(1 - p), from tasks with at least two samples."""
    p = counts.rates
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts.n > 1, p * (1 - p) * counts.n / np.maximum(counts.n - 1, 1), 0.0)


def _within(counts: TaskCounts) -> tuple[float, bool]:
    """Mean per-task Bernoulli variance, and whether it was measured (every task has repeats).

    Without repeats it is bounded by p(1 - p) of the accuracy, returned with False.
    """
    if np.all(counts.n > 1):
        return float(_task_within(counts).mean()), True
    p = float(counts.rates.mean())
    return p * (1 - p), False


def minimum_detectable_difference(
    a_records: Iterable[Record | Sequence[object]],
    b_records: Iterable[Record | Sequence[object]],
    *,
    power: float = 0.8,
    alpha: float = 0.05,
) -> Detectable:
    """The smallest difference the comparison of A and B could detect with `power` (on their shared tasks).

    The variance is the one measured from the two runs (`variance_from_runs`), the number of tasks
    and repeats theirs. `underpowered` is True when the observed difference is below it.
    """
    a, b = list(a_records), list(b_records)
    components = variance_from_runs(a, b)
    ca, cb = TaskCounts.from_records(a), TaskCounts.from_records(b)
    shared = np.intersect1d(ca.task_ids, cb.task_ids)
    ca, cb = ca.select(np.isin(ca.task_ids, shared)), cb.select(np.isin(cb.task_ids, shared))
    n = int(shared.size)
    # the design the runs had: the measured variance of d_i at their own repeats, and compare's own test
    single = bool(np.all(ca.n == 1) and np.all(cb.n == 1))
    design = components.model_copy(update={"between": float(np.var(cb.rates - ca.rates, ddof=1)), "within": 0.0})
    k = 1 if single else 2  # with within = 0 any k > 1 gives the same variance; k picks the test
    observed = components.accuracy_b - components.accuracy_a
    lo, hi = 0.0, 1.0
    if power_of(design, hi, n, k, alpha) < power:
        mdd = 1.0
    else:
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if power_of(design, mid, n, k, alpha) >= power else (mid, hi)
        mdd = hi
    return Detectable(difference=mdd, observed=observed, n_tasks=n, repeats_a=components.repeats_a,
                      repeats_b=components.repeats_b, power=power, alpha=alpha, underpowered=abs(observed) < mdd,
                      components=components)
