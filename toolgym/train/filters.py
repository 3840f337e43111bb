"""Which scored rollouts and rows become training data: by category, by failure kind, best of n, balanced.

Rejection sampling keeps what passed, and on a suite like fc-core most of what passes is the easy
part (refusals, single calls): the data then teaches what the model already does. These filters
choose the material instead:

* `categories`: only tasks of these categories.
* `failures`: only tasks where some rollout failed with one of these kinds (`wrong_value`...): the
  passed answers of tasks the model also gets wrong that way. In DPO pairs the rejected answer is one
  of those failures.
* `skip_solved`: leave out tasks every sampled answer of which passed: the model already solves
  them, so their answers teach it little (on fc-core most of them are refusals).
* `best_of`: only each task's first n samples of each run count, as if the run had sampled n (a
  run of k = 16 then gives the data of k = 4 without sampling again).
* `per_category` / `balanced`: at most N rows per category, or as many per category as the category
  with the fewest rows has; rows are kept in task order, so each category keeps its first tasks.

`filter_rollouts` applies the first three to a `RolloutSource` (what it drops is counted in
`skipped`); `balance_rows` caps the rows the data builders made.

Examples:
    >>> RowFilter(categories=("simple",), best_of=4).settings()
    {'categories': ['simple'], 'best_of': 4}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from ..errors import UserError
from ..types import FailureKind
from .dataset_files import DataRecord
from .sources import RolloutSource

__all__ = ["RowFilter", "balance_rows", "filter_rollouts", "filtered_rows"]

_KINDS = {k.value for k in FailureKind}


class RowFilter(BaseModel):
    """Selection of training material; the defaults keep everything.

    The fields are also the filter flags of `toolgym data sft|dpo` (`--category`, `--failure`,
    `--best-of`...): each docstring is its flag's help.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    categories: tuple[str, ...] = ()
    """Only tasks of this category (repeat for several)."""
    failures: tuple[str, ...] = ()
    """Only tasks with a rollout that failed this way (wrong_value, should_abstain...; repeatable)."""
    best_of: int | None = None
    """Count only each task's first N samples of each run (best of N)."""
    skip_solved: bool = False
    """Leave out tasks whose every sampled answer passed (the model already solves them)."""
    per_category: int | None = None
    """At most N rows per category (each category's first tasks)."""
    balanced: bool = False
    """As many rows per category as the category with the fewest rows has."""

    @model_validator(mode="after")
    def _check(self) -> RowFilter:
        # UserError, not ValueError: it reaches Python callers and the CLI as it is, word for word
        unknown = sorted(set(self.failures) - _KINDS)
        if unknown:
            raise UserError(f"unknown failure kind {', '.join(unknown)}; use one of: {', '.join(sorted(_KINDS))}")
        for name in ("best_of", "per_category"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise UserError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
        return self

    def settings(self) -> dict[str, Any]:
        """The filters that are set, for the dataset's record."""
        out: dict[str, Any] = {}
        if self.categories:
            out["categories"] = list(self.categories)
        if self.failures:
            out["failures"] = list(self.failures)
        for name in ("best_of", "per_category"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        for name in ("skip_solved", "balanced"):
            if getattr(self, name):
                out[name] = True
        return out


def filter_rollouts(source: RolloutSource, keep: RowFilter) -> RolloutSource:
    """The rollouts of `source` that `keep` selects (categories, best of n, failure kinds, unsolved)."""
    categories = set(keep.categories)
    if categories:
        present = {s.task.category for s in source.rollouts} | {t.category for t in source.suite.split("train")}
        missing = sorted(categories - present)
        if missing:
            raise UserError(f"no category {', '.join(missing)} in suite {source.suite.name}; its categories: "
                            f"{', '.join(sorted(present))}")
    skipped: Counter[str] = Counter(source.skipped)
    kept = []
    for scored in source.rollouts:
        if categories and scored.task.category not in categories:
            skipped["other_category"] += 1
        elif keep.best_of is not None and scored.rollout.sample >= keep.best_of:
            skipped["beyond_best_of"] += 1
        else:
            kept.append(scored)
    if keep.failures:
        wanted = set(keep.failures)
        tasks = {s.task.id for s in kept if not s.verdict.passed and _kind(s.verdict.failure) in wanted}
        skipped["other_failure"] += sum(1 for s in kept if s.task.id not in tasks)
        kept = [s for s in kept if s.task.id in tasks and (s.verdict.passed or _kind(s.verdict.failure) in wanted)]
    if keep.skip_solved:
        unsolved = {s.task.id for s in kept if not s.verdict.passed}
        skipped["solved"] += sum(1 for s in kept if s.task.id not in unsolved)
        kept = [s for s in kept if s.task.id in unsolved]
    return replace(source, rollouts=kept, skipped=+skipped)


def balance_rows(rows: Sequence[dict[str, Any]], keep: RowFilter) -> tuple[list[dict[str, Any]], int]:
    """Rows capped per category (`per_category`, `balanced`), in their order; returns (rows, rows dropped)."""
    if keep.per_category is None and not keep.balanced:
        return list(rows), 0
    counts = Counter(r["category"] for r in rows)
    caps = [keep.per_category] if keep.per_category is not None else []
    if keep.balanced and counts:
        caps.append(min(counts.values()))
    cap = min(caps, default=len(rows))
    taken: defaultdict[str, int] = defaultdict(int)
    out = []
    for row in rows:
        if taken[row["category"]] < cap:
            taken[row["category"]] += 1
            out.append(row)
    return out, len(rows) - len(out)


def filtered_rows(
    source: RolloutSource, keep: RowFilter, build: Callable[..., tuple[list[dict[str, Any]], DataRecord]], *args: Any
) -> tuple[list[dict[str, Any]], DataRecord]:
    """`build(source, *args)` (`sft_rows`, `dpo_rows`) on the filtered rollouts, its rows capped per category."""
    rows, record = build(filter_rollouts(source, keep), *args)
    rows, dropped = balance_rows(rows, keep)
    skipped = dict(record.skipped)
    if dropped:
        skipped["category_cap"] = dropped
    record = record.model_copy(update={
        "rows": len(rows), "tasks_with_rows": len({r["task_id"] for r in rows}), "skipped": skipped,
        "settings": {**record.settings, **keep.settings()}})
    return rows, record


def _kind(failure: Any) -> str | None:
    return getattr(failure, "value", failure)
