"""Whose fault a failure was: the agent's, the simulated user's, or the infrastructure's.

In multi-turn suites a rollout can fail because the simulated user broke down (an empty reply, a
tool call: `end_reason` `user_error`, or a judge of the user's turns found it off-script) or because
the serving stack did (`infra_error`), not only because the agent erred. `outcome_breakdown` counts
each kind with a task-clustered interval on its share of rollouts, and reports accuracy both as
usual (user faults count as failures, infrastructure errors are left out) and excluding user faults.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import UserError
from .bootstrap import task_mean_estimate
from .estimates import Estimate

__all__ = ["Outcome", "OutcomeRecord", "OutcomeReport", "classify_outcome", "outcome_breakdown"]

Outcome = Literal["passed", "agent_failure", "user_failure", "infra_error", "unscored"]
"""What became of one rollout."""

_KINDS: tuple[Outcome, ...] = ("passed", "agent_failure", "user_failure", "infra_error", "unscored")
_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class OutcomeRecord(NamedTuple):
    """One rollout's outcome, with its task (the unit intervals resample)."""

    task_id: str
    outcome: Outcome


def classify_outcome(
    passed: bool | None, failure: str | None, end_reason: str, error: str | None, *, user_faulted: bool = False
) -> Outcome:
    """The outcome of a stored rollout.

    Args:
        passed: the verdict's `passed`; None when the rollout was not scored.
        failure: the verdict's failure kind (`infra_error` for infrastructure failures).
        end_reason: why the episode ended (`user_error` when the simulated user broke down).
        error: the stored error, if any.
        user_faulted: a judge of the user's turns found the simulated user at fault.
    """
    if failure == "infra_error" or (error and passed is None and not error.startswith("verifier error")):
        return "infra_error"
    if passed is None:
        return "unscored"
    if passed:
        return "passed"
    if end_reason == "user_error" or user_faulted:
        return "user_failure"
    return "agent_failure"


class OutcomeReport(BaseModel):
    """Counts and shares of each outcome, and accuracy with and without user faults."""

    model_config = _FROZEN

    counts: dict[str, int]
    """Rollouts per outcome (passed, agent_failure, user_failure, infra_error, unscored)."""
    shares: dict[str, Estimate]
    """Share of all rollouts per outcome, with a task-clustered interval."""
    accuracy: Estimate | None
    """Passed over passed + agent + user failures (infrastructure errors left out); None if none."""
    accuracy_excluding_user_faults: Estimate | None
    """Passed over passed + agent failures: what the agent would score with a flawless user."""
    n_rollouts: int = Field(ge=0)
    """Rollouts counted."""


def outcome_breakdown(
    records: Iterable[OutcomeRecord | tuple[str, str]], *, confidence: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> OutcomeReport:
    """Count outcomes and estimate their shares and the two accuracies, clustered by task.

    Raises:
        UserError: no records, or an unknown outcome.
    """
    rows = [OutcomeRecord(*r) for r in records]
    if not rows:
        raise UserError("outcomes: the run has no rollouts yet; run `toolgym eval` first")
    bad = next((r for r in rows if r.outcome not in _KINDS), None)
    if bad:
        raise UserError(f"outcomes: task {bad.task_id!r} has outcome {bad.outcome!r}; known: {', '.join(_KINDS)}")
    task_ids, inverse = np.unique([r.task_id for r in rows], return_inverse=True)
    kinds = np.array([_KINDS.index(r.outcome) for r in rows])
    table = np.zeros((task_ids.size, len(_KINDS)), dtype=np.int64)  # rollouts per task and outcome
    np.add.at(table, (inverse, kinds), 1)
    rng = np.random.default_rng(seed)

    def share(num: np.ndarray, den: np.ndarray) -> Estimate | None:
        keep = den > 0
        if not keep.any():
            return None
        return task_mean_estimate(num[keep] / den[keep], int(den[keep].sum()), confidence=confidence,
                                  n_boot=n_boot, rng=rng)

    total = table.sum(axis=1)
    col = {k: table[:, i] for i, k in enumerate(_KINDS)}
    shares = {k: share(col[k], total) for k in _KINDS}
    scored = col["passed"] + col["agent_failure"] + col["user_failure"]
    return OutcomeReport(
        counts={k: int(col[k].sum()) for k in _KINDS},
        shares={k: v for k, v in shares.items() if v is not None},
        accuracy=share(col["passed"], scored),
        accuracy_excluding_user_faults=share(col["passed"], col["passed"] + col["agent_failure"]),
        n_rollouts=len(rows),
    )
