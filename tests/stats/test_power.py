"""Power planning: the planned number of tasks reaches the planned power when `compare` really runs.

Simulated suites draw each task's true pass rates for A and B (B better by `delta` on average, by
a task-dependent amount), sample `repeats` outcomes per task and model, and run the real `compare`.
"""

from __future__ import annotations

import numpy as np
import pytest

from toolgym.errors import UserError
from toolgym.stats import (
    VarianceComponents,
    assumed_variance,
    compare,
    minimum_detectable_difference,
    plan_power,
    power_of,
    variance_from_runs,
)

DELTA, TASK_SD = 0.1, 0.15


def population(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """True per-task pass rates of A and B (B better by DELTA on average)."""
    rng = np.random.default_rng(seed)
    pa = rng.beta(3.0, 2.0, n)
    pb = np.clip(pa + rng.normal(DELTA, TASK_SD, n), 0.0, 1.0)
    return pa, pb


def true_components(pa: np.ndarray, pb: np.ndarray) -> VarianceComponents:
    return VarianceComponents(
        source="assumed", accuracy_a=float(pa.mean()), accuracy_b=float(pb.mean()),
        between=float(np.var(pb - pa)), within=float(np.mean(pa * (1 - pa) + pb * (1 - pb))),
        within_identified=True, n_tasks=0, repeats_a=1, repeats_b=1,
    )


def runs(pa: np.ndarray, pb: np.ndarray, repeats: int, rng: np.random.Generator):
    def one(p):
        hits = rng.random((p.size, repeats)) < p[:, None]
        return [(f"t{i}", "c", bool(x)) for i in range(p.size) for x in hits[i]]

    return one(pa), one(pb)


def simulated_power(pa, pb, n_tasks: int, repeats: int, n_sims: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for s in range(n_sims):
        pick = rng.choice(pa.size, n_tasks, replace=False)
        a, b = runs(pa[pick], pb[pick], repeats, rng)
        hits += compare(a, b, n_boot=10, n_perm=1000, seed=s).overall.p_value < 0.05
    return hits / n_sims


@pytest.mark.parametrize("repeats", [1, 3])
def test_planned_tasks_reach_the_planned_power(repeats: int) -> None:
    pa, pb = population(20_000, seed=1)
    components = true_components(pa, pb)
    delta = float(pb.mean() - pa.mean())
    row = plan_power(components, delta, repeats=[repeats]).rows[0]
    assert row.n_tasks is not None and row.power >= 0.8
    achieved = simulated_power(pa, pb, row.n_tasks, repeats, n_sims=400, seed=repeats)
    assert abs(achieved - 0.8) <= 0.05, (row, achieved)


def test_components_estimated_from_a_pilot_pair_plan_as_well_as_the_truth() -> None:
    pa, pb = population(20_000, seed=2)
    rng = np.random.default_rng(3)
    pick = rng.choice(pa.size, 3000, replace=False)
    a, b = runs(pa[pick], pb[pick], 4, rng)
    est = variance_from_runs(a, b)
    truth = true_components(pa, pb)
    assert est.source == "two_runs" and est.within_identified and est.repeats_a == est.repeats_b == 4
    assert est.between == pytest.approx(truth.between, abs=0.01)
    assert est.within == pytest.approx(truth.within, rel=0.05)
    delta = float(pb.mean() - pa.mean())
    planned = plan_power(est, delta, repeats=[2]).rows[0].n_tasks
    assert planned == pytest.approx(plan_power(truth, delta, repeats=[2]).rows[0].n_tasks, rel=0.1)
    assert abs(simulated_power(pa, pb, planned, 2, n_sims=300, seed=4) - 0.8) <= 0.05


def test_more_repeats_need_fewer_tasks_but_not_below_the_between_task_floor() -> None:
    plan = plan_power(assumed_variance(0.6, 0.1, task_sd=0.15), 0.1)
    tasks = [r.n_tasks for r in plan.rows]
    assert [r.repeats for r in plan.rows] == [1, 2, 3, 5, 10]
    assert tasks == sorted(tasks, reverse=True) and tasks[0] > tasks[-1]
    floor = (1.96 + 0.8416) ** 2 * 0.15**2 / 0.1**2  # infinite repeats: only the between-task variance is left
    assert tasks[-1] > floor
    assert all(r.rollouts == 2 * r.n_tasks * r.repeats for r in plan.rows)


def test_single_sample_runs_cannot_tell_noise_from_task_differences() -> None:
    rng = np.random.default_rng(5)
    pa, pb = population(500, seed=6)
    a, b = runs(pa, pb, 1, rng)
    est = variance_from_runs(a, b)
    assert not est.within_identified and est.within == 0.0  # all counted as between: repeats won't help
    rows = plan_power(est, 0.1, repeats=[1, 5]).rows
    assert rows[1].n_tasks >= rows[0].n_tasks * 0.8


def test_one_run_plans_b_as_a_copy_of_a() -> None:
    rng = np.random.default_rng(7)
    pa, _ = population(400, seed=8)
    a, _ = runs(pa, pa, 3, rng)
    est = variance_from_runs(a)
    assert est.source == "one_run" and est.between == 0.0 and est.within_identified
    assert est.within == pytest.approx(2 * np.mean(pa * (1 - pa)), rel=0.1)


def test_plan_reports_rows_out_of_reach_of_the_suite() -> None:
    plan = plan_power(assumed_variance(0.5, 0.02), 0.02, max_tasks=200)
    assert plan.rows[0].n_tasks is None and plan.rows[0].power_at_max < 0.8


def test_mcnemar_power_matches_the_normal_approximation_at_large_n() -> None:
    comp = assumed_variance(0.5, 0.05)
    z = (0.05 * np.sqrt(3000) / np.sqrt(comp.variance(1))) - 1.96
    from scipy.stats import norm

    assert power_of(comp, 0.05, 3000, 1) == pytest.approx(norm.cdf(z), abs=0.02)


def test_minimum_detectable_difference_flags_an_underpowered_comparison() -> None:
    rng = np.random.default_rng(9)
    pa, pb = population(1000, seed=10)
    a, b = runs(pa[:30], pb[:30], 1, rng)
    small = minimum_detectable_difference(a, b)
    assert small.n_tasks == 30 and small.repeats_a == small.repeats_b == 1 and small.difference > 0.3
    a, b = runs(pa, pb, 2, rng)
    large = minimum_detectable_difference(a, b)
    assert large.difference < 0.1 and not large.underpowered
    # the mdd is where the power of the runs' own design is 80%: (z_.975 + z_.8) sd(d) / sqrt(n), about
    d = np.array([np.mean([x for t, _, x in b if t == f"t{i}"]) - np.mean([x for t, _, x in a if t == f"t{i}"])
                  for i in range(1000)])
    assert large.difference == pytest.approx(2.8 * d.std(ddof=1) / np.sqrt(1000), rel=0.02)


def test_bad_plan_inputs_name_the_option() -> None:
    with pytest.raises(UserError, match="--delta"):
        plan_power(assumed_variance(0.5, 0.1), 0.0)
    with pytest.raises(UserError, match="--accuracy"):
        assumed_variance(0.95, 0.1)
    with pytest.raises(UserError, match="share 0 task"):
        variance_from_runs([("a", "c", True), ("b", "c", False)], [("x", "c", True), ("y", "c", True)])
