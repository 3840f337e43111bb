"""Failure attribution: agent, simulated user, infrastructure; accuracy with and without user faults."""

from __future__ import annotations

import pytest

from toolgym.errors import UserError
from toolgym.stats import classify_outcome, outcome_breakdown


def test_classify_by_verdict_end_reason_and_error() -> None:
    assert classify_outcome(True, None, "user_stop", None) == "passed"
    assert classify_outcome(False, "state_mismatch", "user_stop", None) == "agent_failure"
    assert classify_outcome(False, "state_mismatch", "user_error", None) == "user_failure"
    assert classify_outcome(False, "missing_fact", "user_stop", None, user_faulted=True) == "user_failure"
    assert classify_outcome(False, "infra_error", "error", "HTTP 503") == "infra_error"
    assert classify_outcome(None, None, "answered", "verifier error: KeyError: 'x'") == "unscored"
    # a user breakdown on a rollout the agent still passed is not a failure
    assert classify_outcome(True, None, "user_error", None) == "passed"


def test_breakdown_counts_shares_and_accuracy_without_user_faults() -> None:
    rows = (
        [(f"t{i}", "passed") for i in range(6)]
        + [(f"t{i}", "agent_failure") for i in range(6, 8)]
        + [(f"t{i}", "user_failure") for i in range(8, 10)]
        + [("t10", "infra_error")]
    )
    report = outcome_breakdown(rows)
    assert report.counts == {"passed": 6, "agent_failure": 2, "user_failure": 2, "infra_error": 1, "unscored": 0}
    assert report.n_rollouts == 11
    assert report.shares["user_failure"].value == pytest.approx(2 / 11)
    assert report.shares["user_failure"].low < 2 / 11 < report.shares["user_failure"].high
    assert report.accuracy.value == pytest.approx(6 / 10)  # infra errors left out, user faults count
    assert report.accuracy_excluding_user_faults.value == pytest.approx(6 / 8)
    assert report.accuracy_excluding_user_faults.n == 8


def test_shares_are_clustered_by_task() -> None:
    # one task with 10 rollouts all user failures, 9 tasks with 10 passes each: 10 clusters, not 100 rollouts
    rows = [("bad", "user_failure")] * 10 + [(f"t{i}", "passed") for i in range(9) for _ in range(10)]
    share = outcome_breakdown(rows).shares["user_failure"]
    assert share.n_tasks == 10 and share.n == 100
    assert share.high > 0.3  # Wilson over 10 tasks with 1 bad, far wider than over 100 rollouts


def test_empty_or_unknown_outcomes_are_user_errors() -> None:
    with pytest.raises(UserError, match="no rollouts"):
        outcome_breakdown([])
    with pytest.raises(UserError, match="'oops'.*known"):
        outcome_breakdown([("t", "oops")])
