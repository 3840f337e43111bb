"""The task-health audit of a suite: gold replay, and what stored runs of several models reveal.

* gold replay (`gold.py`): tasks whose own answer fails their verifier;
* unsolved tasks: no model in the given runs passed them, with an exact upper bound on their pass
  rate (few attempts leave a high bound: "unsolved" is then weak evidence);
* probable label errors: most models, each by its most frequent answer, agree on the same answer,
  and the verifier rejects it (runs on another suite version are judged again under this one);
* verdict changes: runs made on another suite version, re-graded under this one (`rescore.py`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..envs import Environment
from ..stats import pass_rate_upper_bound
from ..store import RunInfo, Store
from ..suites import Suite
from .answers import answer_of
from .gold import GoldFailure, replay_gold
from .rescore import VerdictChange, regrade, verdict_changes

__all__ = ["AuditReport", "LabelSuspect", "UnsolvedTask", "audit_suite"]

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class UnsolvedTask(BaseModel):
    """A task that no attempt in the given runs passed."""

    model_config = _FROZEN

    task_id: str
    """The task."""
    category: str
    """Its category."""
    attempts: int = Field(ge=1)
    """Scored attempts over all runs."""
    models: int = Field(ge=1)
    """Distinct models that attempted it."""
    upper_bound: float
    """One-sided exact upper confidence bound on the pooled pass rate."""


class LabelSuspect(BaseModel):
    """A task where most models agree on one answer that the verifier rejects: a probable label error."""

    model_config = _FROZEN

    task_id: str
    """The task."""
    category: str
    """Its category."""
    answer: str
    """The answer the models agree on."""
    agreeing: list[str]
    """Models whose most frequent answer it is."""
    n_models: int = Field(ge=1)
    """Models that answered the task."""
    explanation: str
    """Why the verifier rejects it."""


class AuditReport(BaseModel):
    """Everything `toolgym audit` found (see `audit_suite`)."""

    model_config = _FROZEN

    suite: str
    """Suite spec."""
    suite_version: str
    """Its content hash."""
    mode: str
    """Verifier mode used."""
    n_tasks: int
    """Tasks audited."""
    gold_checked: int
    """Tasks whose gold answer was replayed."""
    gold_skipped: list[str]
    """Why some tasks could not be replayed (one reason per kind)."""
    gold_failures: list[GoldFailure]
    """Tasks whose gold answer fails."""
    runs: list[str]
    """Stored runs looked at."""
    unsolved: list[UnsolvedTask]
    """Tasks no model passed in those runs."""
    label_suspects: list[LabelSuspect]
    """Probable label errors."""
    verdict_changes: list[VerdictChange]
    """Rollouts of runs on another suite version whose verdict this version changes."""
    confidence: float
    """Confidence of the upper bounds."""


def audit_suite(
    suite: Suite,
    env: Environment,
    mode: str,
    *,
    store: Store | None = None,
    runs: Sequence[RunInfo] = (),
    confidence: float = 0.95,
) -> AuditReport:
    """Audit `suite`: replay gold answers, then look across `runs` (read from `store`)."""
    tasks = list(suite.tasks)
    failures, checked, skipped = replay_gold(env, tasks)
    unsolved: list[UnsolvedTask] = []
    suspects: list[LabelSuspect] = []
    changes: list[VerdictChange] = []
    if store is not None and runs:
        unsolved, suspects = _across_runs(store, runs, suite, env, confidence)
        for info in runs:
            if info.manifest.suite_version != suite.version:
                changes += verdict_changes(store, info, suite, env)
    return AuditReport(
        suite=suite.name, suite_version=suite.version, mode=mode, n_tasks=len(tasks), gold_checked=checked,
        gold_skipped=skipped, gold_failures=failures, runs=[r.name for r in runs], unsolved=unsolved,
        label_suspects=suspects, verdict_changes=changes, confidence=confidence,
    )


def _across_runs(
    store: Store, runs: Sequence[RunInfo], suite: Suite, env: Environment, confidence: float
) -> tuple[list[UnsolvedTask], list[LabelSuspect]]:
    tasks = {t.id: t for t in suite.tasks}
    attempts: Counter[str] = Counter()
    passes: Counter[str] = Counter()
    models_of: defaultdict[str, set[str]] = defaultdict(set)
    category: dict[str, str] = {}
    # per task and model: how often each answer was given, whether it passed, and why not
    answers: defaultdict[str, defaultdict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    seen: dict[tuple[str, str], tuple[str, bool, str]] = {}
    for info in runs:
        model = info.manifest.model
        stale = info.manifest.suite_version != suite.version  # judge those rollouts as this version would
        for record, rollout, verdict in store.rollouts(info.id):
            if not record.counted or verdict is None or record.task_id not in tasks:
                continue
            if stale:
                verdict = regrade(env, tasks[record.task_id], rollout)
                if verdict is None:
                    continue
            task_id = record.task_id
            attempts[task_id] += 1
            passes[task_id] += verdict.passed
            models_of[task_id].add(model)
            category[task_id] = record.category
            key, shown = answer_of(rollout, len(tasks[task_id].messages), env.single_turn)
            answers[task_id][model][key] += 1
            seen.setdefault((task_id, key), (shown, verdict.passed, verdict.explanation))
    unsolved = [
        UnsolvedTask(task_id=t, category=category[t], attempts=n, models=len(models_of[t]),
                     upper_bound=pass_rate_upper_bound(0, n, confidence))
        for t, n in sorted(attempts.items()) if passes[t] == 0
    ]
    suspects = []
    for task_id, by_model in sorted(answers.items()):
        modal = {m: c.most_common(1)[0][0] for m, c in by_model.items()}
        top, n_top = Counter(modal.values()).most_common(1)[0]
        shown, passed, why = seen[(task_id, top)]
        if n_top >= 2 and 2 * n_top > len(modal) and not passed and top != "parse_error":
            suspects.append(LabelSuspect(task_id=task_id, category=category[task_id], answer=shown,
                                         agreeing=sorted(m for m, k in modal.items() if k == top),
                                         n_models=len(modal), explanation=why))
    return unsolved, suspects
