"""Re-grading stored rollouts under the current suite version and verifier.

Tasks get fixed (a broken answer key, a wrong gold action) and verifiers improve; the transcripts a
run stored stay valid, so they can be judged again without calling the model. `rescore_run` writes
the new verdicts into a new run, leaving the old one as it was; `verdict_changes` lists the tasks
whose verdict the current suite would change.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from ..envs import Environment
from ..run.limits import label_limit
from ..store import ResultRecord, RunInfo, Store
from ..suites import Suite
from ..types import FailureKind, Rollout, Task, Verdict

__all__ = ["RescoreSummary", "VerdictChange", "regrade", "rescore_run", "verdict_changes"]

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class VerdictChange(BaseModel):
    """A rollout whose verdict differs under the current suite and verifier."""

    model_config = _FROZEN

    run: str
    """The stored run."""
    task_id: str
    """The task."""
    sample: int
    """The sample index."""
    before: bool
    """Passed as stored."""
    after: bool
    """Passed when re-graded now."""
    explanation: str
    """The new verdict's explanation."""


class RescoreSummary(BaseModel):
    """What `rescore_run` did."""

    model_config = _FROZEN

    run: RunInfo
    """The new run."""
    regraded: int
    """Rollouts judged again."""
    copied_errors: int
    """Rollouts ended by an infrastructure error, copied as they were (nothing to judge)."""
    dropped_tasks: list[str]
    """Task ids of the old run that the current suite no longer has."""
    changes: list[VerdictChange]
    """Rollouts whose pass/fail changed."""


def regrade(env: Environment, task: Task, rollout: Rollout) -> Verdict | None:
    """The current verdict of a stored rollout; None when it ended on an infrastructure error.

    A verifier that raises is not turned into a score: the exception propagates (STYLE.md, habit 5).
    """
    if rollout.end_reason == "error" or (rollout.error and not rollout.error.startswith("verifier error")):
        return None
    return label_limit(env.verify(task, rollout.messages), rollout.end_reason)


def _pairs(
    store: Store, info: RunInfo, suite: Suite
) -> Iterator[tuple[ResultRecord, Rollout, Verdict | None, Task | None]]:
    tasks = {t.id: t for t in suite.tasks}
    for record, rollout, verdict in store.rollouts(info.id):
        yield record, rollout, verdict, tasks.get(record.task_id)


def verdict_changes(store: Store, info: RunInfo, suite: Suite, env: Environment) -> list[VerdictChange]:
    """Rollouts of a stored run whose pass/fail the current suite and verifier would change."""
    out = []
    for record, rollout, old, task in _pairs(store, info, suite):
        if task is None or old is None:
            continue
        new = regrade(env, task, rollout)
        if new is not None and new.passed != old.passed:
            out.append(VerdictChange(run=info.name, task_id=record.task_id, sample=record.sample, before=old.passed,
                                     after=new.passed, explanation=new.explanation))
    return out


def rescore_run(store: Store, info: RunInfo, suite: Suite, env: Environment, mode: str, name: str) -> RescoreSummary:
    """Re-grade every rollout of `info` into the new run `name`.

    Running it again with the same name replaces that run's verdicts (writes are upserts).

    The new manifest is the old one with the current suite version, the verifier mode and toolgym's
    version, so `toolgym compare OLD NEW` shows what the re-grading changed.
    """
    from .._version import __version__

    manifest = info.manifest.model_copy(update={"suite_version": suite.version, "mode": mode,
                                                "toolgym_version": __version__})
    new = store.open_run(name, manifest)
    regraded, copied, dropped, changes = 0, 0, set(), []
    batch: list[tuple[Rollout, str, Verdict | None]] = []
    for record, rollout, old, task in _pairs(store, info, suite):
        if task is None:
            dropped.add(record.task_id)
            continue
        try:
            verdict = regrade(env, task, rollout)
        except Exception as e:  # recorded as unscored, as the run engine does: never a score of 0
            rollout.error = f"verifier error: {type(e).__name__}: {e}"
            batch.append((rollout, task.category, None))
            continue
        if verdict is None:
            copied += 1
            verdict = old or Verdict.fail(FailureKind.INFRA_ERROR, (rollout.error or "infrastructure error")[:300])
        else:
            regraded += 1
            rollout.error = None  # an old verifier error is gone once the rollout is scored
            if old is not None and old.passed != verdict.passed:
                changes.append(VerdictChange(run=info.name, task_id=record.task_id, sample=record.sample,
                                             before=old.passed, after=verdict.passed, explanation=verdict.explanation))
        batch.append((rollout, task.category, verdict))
        if len(batch) >= 500:
            store.write(new.id, batch)
            batch = []
    store.write(new.id, batch)
    store.set_status(new.id, "finished")
    return RescoreSummary(run=store.get_run(new.id), regraded=regraded, copied_errors=copied,
                          dropped_tasks=sorted(dropped), changes=changes)


