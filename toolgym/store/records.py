"""What the store hands back: a run with its counts, and one light record per rollout."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from ..types import FailureKind
from .manifest import RunManifest

__all__ = ["ResultRecord", "RunInfo", "RunStatus"]

RunStatus = Literal["running", "finished", "interrupted", "failed", "stale"]
"""A run's last known state: `running` while an invocation works on it, `finished` when an invocation
went through every rollout, `interrupted` on Ctrl-C, `failed` when an invocation stopped on an error
(`RunInfo.cause` says which). `stale` is never stored: it is read for a `running` run whose process
is gone (killed by SIGKILL, a crash, its machine lost): its pid is gone on this host, or its heartbeat
is older than `liveness.STALE_AFTER_S` on any host. The same command resumes it."""


class RunInfo(BaseModel):
    """A stored run, its manifest and how far it got."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    id: int
    """Database id of the run."""
    name: str
    """Unique name; the same name resumes the run."""
    manifest: RunManifest
    """The settings that define the run."""
    created_at: datetime
    """When the run was first opened (UTC)."""
    status: RunStatus
    """Last state the scheduler recorded."""
    cause: str | None = None
    """Why the run ended `failed`; None for every other status."""
    rollouts: int = 0
    """Rollout rows stored, whatever their outcome."""
    done: int = 0
    """Rollouts finished and scored (no infra error): what a resume skips."""
    passed: int = 0
    """Done rollouts whose verdict passed."""
    infra_errors: int = 0
    """Rollouts ended by an infrastructure error; retried by the next `toolgym eval`."""
    unscored: int = 0
    """Rollouts without a verdict (the verifier raised); retried by the next `toolgym eval`."""


class ResultRecord(NamedTuple):
    """One rollout's outcome without its transcript, for stats and reports.

    A NamedTuple, not a pydantic model: `Store.results` yields one per rollout, 100,000 for a large
    run, and these are several times cheaper to build and hold.
    """

    task_id: str
    category: str
    sample: int
    passed: bool | None
    """None when there is no verdict."""
    reward: float | None
    """None when there is no verdict."""
    failure: FailureKind | None
    explanation: str
    latency_s: float
    prompt_tokens: int
    completion_tokens: int
    error: str | None
    """Infrastructure or verifier error that kept the rollout from being scored."""
    model_s: float | None = None
    """Time in model calls without queueing (`Rollout.model_s`); None for rollouts stored before schema 8."""

    @property
    def counted(self) -> bool:
        """Whether this rollout counts toward accuracy: scored, and not an infrastructure error."""
        return self.passed is not None and self.error is None and self.failure != FailureKind.INFRA_ERROR
