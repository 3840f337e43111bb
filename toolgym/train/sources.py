"""Scored rollouts read back from stored runs, joined with the tasks they attempted: the raw material of training data.

Only train-split tasks come out: a task of the test split is never trained on, whatever run holds
it. Rollouts without a verdict, ended by an infrastructure error, or whose answer could not be
decoded (the raw text is not stored, so what a template would render is not what the model wrote)
are counted and left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import UserError
from ..store import RunInfo, Store
from ..suites import Suite, load_suite
from ..types import FailureKind, Message, Rollout, Task, Verdict
from .chat import answer_messages

__all__ = ["RolloutSource", "ScoredRollout", "read_rollouts"]


@dataclass(frozen=True, slots=True)
class ScoredRollout:
    """One scored attempt of a train task: the task, what the model wrote, and the verdict."""

    task: Task
    answer: list[Message]
    """The messages the model (and tools) added after the task's own messages."""
    rollout: Rollout
    verdict: Verdict
    run: str
    """Name of the run it comes from."""


@dataclass
class RolloutSource:
    """What `read_rollouts` found: the usable rollouts, their suite, and what was left out and why."""

    rollouts: list[ScoredRollout]
    suite: Suite
    runs: list[str]
    skipped: Counter[str] = field(default_factory=Counter)
    """Reason -> rollouts left out (`test_split`, `unscored`, `infra_error`, `undecodable`)."""


def read_rollouts(db: str, runs: Sequence[str]) -> RolloutSource:
    """Every usable scored rollout of the named runs, with its task.

    Args:
        db: The store (SQLite path or SQLAlchemy URL).
        runs: Run names (or ids); all must be runs of the same suite version.

    Raises:
        UserError: no run named, an unknown run, runs of different suites, an arena run, or a suite
            whose tasks changed since the run (its content hash differs).
    """
    if not runs:
        raise UserError("no run given; name one or more runs of `toolgym eval` (toolgym runs lists them)")
    with Store(db) as store:
        infos = [store.get_run(name) for name in runs]
        suite = _suite_of(infos)
        tasks = {t.id: t for t in suite.tasks}
        source = RolloutSource(rollouts=[], suite=suite, runs=[i.name for i in infos])
        for info in infos:
            for record, rollout, verdict in store.rollouts(info.id):
                reason = _skip_reason(record.counted, verdict, rollout)
                task = tasks.get(rollout.task_id)
                if task is None:
                    raise UserError(
                        f"run {info.name!r}: task {rollout.task_id!r} is not in suite {suite.name!r}; "
                        "the suite changed since the run, evaluate again"
                    )
                if reason is None and task.split != "train":
                    reason = "test_split"
                if reason is not None:
                    source.skipped[reason] += 1
                    continue
                assert verdict is not None
                answer = answer_messages(task, rollout.messages)
                if any(m.parse_error for m in answer):
                    source.skipped["undecodable"] += 1
                    continue
                source.rollouts.append(ScoredRollout(task, answer, rollout, verdict, info.name))
    return source


def _skip_reason(counted: bool, verdict: Verdict | None, rollout: Rollout) -> str | None:
    if verdict is not None and verdict.failure == FailureKind.INFRA_ERROR:
        return "infra_error"
    if not counted or verdict is None or rollout.error:
        return "unscored"
    return None


def _suite_of(infos: list[RunInfo]) -> Suite:
    arena = [i.name for i in infos if i.manifest.mode == "arena"]
    if arena:
        raise UserError(
            f"run {arena[0]!r} is an arena answer run, which has no verifier verdicts; turn its judged "
            "battles into pairs with toolgym.train.battle_pairs instead"
        )
    specs = {(i.manifest.suite, i.manifest.suite_version) for i in infos}
    if len(specs) > 1:
        shown = ", ".join(f"{i.name} ({i.manifest.suite}@{i.manifest.suite_version})" for i in infos)
        raise UserError(f"the runs are of different suites: {shown}; build data from runs of one suite version")
    (spec, version), = specs
    suite = load_suite(spec)
    if suite.version != version:
        raise UserError(
            f"run {infos[0].name!r} was made on {spec}@{version} but {spec} is now @{suite.version}: its tasks "
            "changed, so verdicts and tasks no longer match; evaluate the current suite again"
        )
    return suite
