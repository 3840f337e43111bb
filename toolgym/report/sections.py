"""The HTML report's typed input: one `RunSection` per run, built from the store's records.

The CLI reads a run from the store (its `RunInfo`, every `ResultRecord`, and the transcripts of the
rollouts `transcripts_to_show` picks) and `run_section` turns them into the numbers the page shows.
Only counted rollouts (`ResultRecord.counted`: scored, no infrastructure error) enter accuracy and
pass^k, as in the terminal summary; infrastructure errors and unscored rollouts are counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..stats import AccuracyReport, PassKReport, Record, accuracy, pass_hat_k
from ..store import ResultRecord, RunInfo, RunManifest, RunStatus
from ..types import FailureKind, Message, Rollout
from .bfcl_summary import bfcl_summary

__all__ = ["Figures", "RunSection", "Transcript", "run_section", "transcripts_to_show"]

_CONFIG = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

UNSCORED = "unscored"
"""Outcome of a rollout without a verdict (the verifier raised, or it was never scored)."""


class Figures(BaseModel):
    """Latency and token figures over a run's counted rollouts."""

    model_config = _CONFIG

    rollouts: int
    """Rollouts the figures rest on."""
    latency_median_s: float
    """Median wall time of a rollout, in seconds."""
    latency_p90_s: float
    """90th percentile of the wall time of a rollout, in seconds."""
    latency_mean_s: float
    """Mean wall time of a rollout, in seconds."""
    model_median_s: float | None = None
    """Median time of a rollout in model calls, without queueing (None: stored before it was recorded)."""
    model_p90_s: float | None = None
    """90th percentile of the time in model calls, without queueing."""
    model_mean_s: float | None = None
    """Mean time of a rollout in model calls, without queueing."""
    prompt_tokens_mean: float
    """Mean prompt tokens per rollout, summed over its turns."""
    completion_tokens_mean: float
    """Mean completion tokens per rollout, summed over its turns."""
    prompt_tokens_total: int
    """Prompt tokens over all these rollouts."""
    completion_tokens_total: int
    """Completion tokens over all these rollouts."""


class Transcript(BaseModel):
    """One rollout that did not pass, with its transcript, as the report lists it."""

    model_config = _CONFIG

    task_id: str
    """The task attempted."""
    category: str
    """The task's category."""
    sample: int
    """Index among the repeats of the task."""
    outcome: str
    """The failure kind (`wrong_value`, `infra_error`, ...), `unscored` when there is no verdict, or
    `failed` for a failing verdict without a kind."""
    explanation: str
    """The verifier's one-line explanation (empty when unscored)."""
    error: str | None
    """Infrastructure or verifier error of the rollout, if any."""
    end_reason: str
    """Why the episode ended (answered, max_turns, ...)."""
    latency_s: float
    """Wall time of the rollout, in seconds."""
    messages: list[Message]
    """The full transcript, task messages included."""


class RunSection(BaseModel):
    """Everything the report shows about one run."""

    model_config = _CONFIG

    name: str
    """The run's name."""
    manifest: RunManifest
    """The settings that define the run."""
    created_at: datetime
    """When the run was first opened (UTC)."""
    status: RunStatus
    """Last state the scheduler recorded."""
    cause: str | None = None
    """Why the run ended `failed`; None otherwise."""
    accuracy: AccuracyReport | None
    """Accuracy overall and per category; None when no rollout is counted yet."""
    pass_hat_k: list[PassKReport]
    """pass^k for k = 2 and k = repeats, when the run has repeats."""
    bfcl: dict[str, float]
    """BFCL's headline numbers (label -> fraction) for runs in bfcl mode; empty otherwise."""
    failures: dict[str, int]
    """Failure kind -> count among counted rollouts, most common first."""
    counted: int
    """Rollouts that count toward accuracy."""
    infra_errors: int
    """Rollouts ended by an infrastructure error: kept out of accuracy."""
    unscored: int
    """Rollouts without a verdict: kept out of accuracy."""
    figures: Figures | None
    """Latency and tokens over the counted rollouts; None when there are none."""
    not_passed: int
    """Rollouts that failed or were not counted; `transcripts` holds the first of them."""
    transcripts: list[Transcript]
    """Transcripts of the first rollouts that did not pass (failures first, then the uncounted)."""


def transcripts_to_show(results: Sequence[ResultRecord], cap: int) -> list[ResultRecord]:
    """The rollouts whose transcripts the report lists: counted failures first, then the uncounted.

    At most `cap` of them, in store order (task id, sample), so a large run's page stays small.
    """
    failed = [r for r in results if r.counted and not r.passed]
    uncounted = [r for r in results if not r.counted]
    return (failed + uncounted)[: max(cap, 0)]


def run_section(
    run: RunInfo, results: Sequence[ResultRecord], shown: Sequence[tuple[ResultRecord, Rollout]]
) -> RunSection:
    """The report's numbers for one run.

    Args:
        run: the stored run.
        results: every rollout record of the run (`Store.results`).
        shown: the records `transcripts_to_show` picked, each with its rollout (`Store.rollout`).
    """
    counted = [r for r in results if r.counted]
    records = [Record(r.task_id, r.category, bool(r.passed)) for r in counted]
    report = accuracy(records) if records else None
    repeats = run.manifest.repeats
    most = max(Counter(r.task_id for r in records).values(), default=0)
    passk = [pass_hat_k(records, k) for k in sorted({2, repeats}) if 1 < k <= min(repeats, most)]
    failures = Counter(r.failure.value for r in counted if r.failure is not None)
    return RunSection(
        name=run.name,
        manifest=run.manifest,
        created_at=run.created_at,
        status=run.status,
        cause=run.cause,
        accuracy=report,
        pass_hat_k=passk,
        bfcl=bfcl_summary(report) if report is not None and run.manifest.mode == "bfcl" else {},
        failures=dict(failures.most_common()),
        counted=len(counted),
        infra_errors=sum(1 for r in results if r.failure == FailureKind.INFRA_ERROR),
        unscored=sum(1 for r in results if r.passed is None),
        figures=_figures(counted),
        not_passed=sum(1 for r in results if not (r.counted and r.passed)),
        transcripts=[_transcript(r, rollout) for r, rollout in shown],
    )


def _figures(rows: Sequence[ResultRecord]) -> Figures | None:
    if not rows:
        return None
    latency = np.array([r.latency_s for r in rows], dtype=float)
    timed = np.array([r.model_s for r in rows if r.model_s is not None], dtype=float)
    prompt = np.array([r.prompt_tokens for r in rows], dtype=np.int64)
    completion = np.array([r.completion_tokens for r in rows], dtype=np.int64)
    return Figures(
        rollouts=len(rows),
        latency_median_s=float(np.median(latency)),
        latency_p90_s=float(np.percentile(latency, 90)),
        latency_mean_s=float(latency.mean()),
        model_median_s=float(np.median(timed)) if len(timed) else None,
        model_p90_s=float(np.percentile(timed, 90)) if len(timed) else None,
        model_mean_s=float(timed.mean()) if len(timed) else None,
        prompt_tokens_mean=float(prompt.mean()),
        completion_tokens_mean=float(completion.mean()),
        prompt_tokens_total=int(prompt.sum()),
        completion_tokens_total=int(completion.sum()),
    )


def _transcript(r: ResultRecord, rollout: Rollout) -> Transcript:
    return Transcript(
        task_id=r.task_id,
        category=r.category,
        sample=r.sample,
        outcome=r.failure.value if r.failure is not None else UNSCORED if r.passed is None else "failed",
        explanation=r.explanation,
        error=r.error,
        end_reason=rollout.end_reason,
        latency_s=r.latency_s,
        messages=rollout.messages,
    )
