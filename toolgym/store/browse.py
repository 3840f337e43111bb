"""Browsing a run one page at a time: filtered, searched, paged rollouts and their transcripts.

For the web view (`toolgym view`), which must stay fast on a 100,000-rollout run: every query is
bounded by a page (LIMIT/OFFSET in (task, sample) order, the order of the run's unique index), and
the transcripts of a page are fetched in one query by key. Only the page's rows leave the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, or_, select, tuple_

from ..types import FailureKind, Rollout, Verdict
from . import rows
from .images import fetch_images, put_images, referenced
from .records import ResultRecord, RunInfo
from .schema import rollouts, runs, transcripts
from .store import Store

__all__ = ["RolloutFilter", "RolloutPage", "categories", "rollout_page", "rollouts_by_key", "run_without_counts"]

_r, _t = rollouts.c, transcripts.c

UNSCORED = "unscored"
"""`RolloutFilter.failure` value selecting rollouts without a verdict."""


@dataclass(frozen=True)
class RolloutFilter:
    """Which rollouts of a run to list; None (or empty) means any."""

    category: str | None = None
    """Only this category."""
    failure: str | None = None
    """Only this failure kind (a `FailureKind` value), or `unscored` for rollouts without a verdict."""
    passed: bool | None = None
    """Only passing (True) or not passing (False) rollouts."""
    text: str | None = None
    """Case-insensitive text to find in the task id, the explanation, the error or the transcript."""

    def conditions(self, run_id: int) -> list[Any]:
        """The WHERE clauses of this filter on the `rollouts` table."""
        where: list[Any] = [_r.run_id == run_id]
        if self.category:
            where.append(_r.category == self.category)
        if self.failure == UNSCORED:
            where.append(_r.passed.is_(None))
        elif self.failure:
            where.append(_r.failure == FailureKind(self.failure).value)
        if self.passed is True:
            where.append(_r.passed.is_(True))
        elif self.passed is False:
            where.append(or_(_r.passed.is_(False), _r.passed.is_(None)))
        if self.text:
            where.append(_text_match(run_id, self.text))
        return where


def _text_match(run_id: int, text: str) -> Any:
    needle = text.lower()

    def has(column: Any) -> Any:
        return func.lower(column).contains(needle, autoescape=True)

    in_transcript = select(_t.task_id, _t.sample).where(_t.run_id == run_id, has(cast(_t.messages, Text)))
    return or_(has(_r.task_id), has(_r.explanation), has(_r.error),
               tuple_(_r.task_id, _r.sample).in_(in_transcript))


@dataclass(frozen=True)
class RolloutPage:
    """One page of a run's rollouts."""

    records: list[ResultRecord]
    """The page's rollouts in (task id, sample) order, without transcripts."""
    offset: int
    """Rollouts before this page."""
    more: bool
    """Whether rollouts follow this page."""
    total: int | None
    """Rollouts matching the filter; None for a text search (counting it would read every transcript)."""


def rollout_page(store: Store, run_id: int, where: RolloutFilter, offset: int = 0, limit: int = 50) -> RolloutPage:
    """The rollouts of `run_id` that `where` selects, `limit` of them after the first `offset`."""
    conditions = where.conditions(run_id)
    columns = [_r[c] for c in rows.RECORD_COLUMNS]
    query = select(*columns).where(*conditions).order_by(_r.task_id, _r.sample).offset(offset).limit(limit + 1)
    with store._engine.connect() as conn:  # the store package's own engine
        found = [rows.record(row) for row in conn.execute(query)]
        total = None
        if not where.text:
            total = int(conn.execute(select(func.count()).select_from(rollouts).where(*conditions)).scalar_one())
    return RolloutPage(records=found[:limit], offset=offset, more=len(found) > limit, total=total)


def rollouts_by_key(
    store: Store, run_id: int, keys: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], tuple[Rollout, Verdict | None]]:
    """The rollouts (with transcripts) and verdicts of the given (task id, sample) keys.

    One indexed point lookup per key on one connection: a page's keys are sparse once filtered, and
    SQLite does not use the index for a row-value IN list (100 ms for 50 keys, against 5 ms this way).
    """
    row_query = select(rollouts).where(_r.run_id == run_id, _r.task_id == bindparam("t"), _r.sample == bindparam("s"))
    transcript_query = select(_t.messages).where(
        _t.run_id == run_id, _t.task_id == bindparam("t"), _t.sample == bindparam("s")
    )
    out = {}
    with store._engine.connect() as conn:  # the store package's own engine
        for task_id, sample in keys:
            row = conn.execute(row_query, {"t": task_id, "s": sample}).mappings().first()
            if row is None:
                continue
            messages = conn.execute(transcript_query, {"t": task_id, "s": sample}).scalar() or []
            messages = put_images(messages, fetch_images(conn, referenced([messages])),
                                  f"stored rollout of task {task_id!r} sample {sample}")
            out[(task_id, sample)] = (rows.rollout(row, messages), rows.verdict(row))
    return out


def run_without_counts(store: Store, run_id: int) -> RunInfo:
    """The run `run_id` with its manifest and status but without its counts (left at 0), in one indexed lookup.

    For pages that show one run's rollouts: counting a run reads all of its rows (40 ms for 100,000),
    which `Store.get_run` does and a transcript page does not need.
    """
    with store._engine.connect() as conn:  # the store package's own engine
        row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
    if row is None:
        store.get_run(run_id)  # raises the UserError that names the runs there
    zero = {"rollouts": 0, "done": 0, "passed": 0, "infra_errors": 0, "unscored": 0}
    return rows.run_info({**row, **zero}, store.url)


def categories(store: Store, run_id: int) -> list[str]:
    """The categories of a run's rollouts, sorted (a walk of the category index)."""
    query = select(_r.category).where(_r.run_id == run_id).distinct().order_by(_r.category)
    with store._engine.connect() as conn:  # the store package's own engine
        return list(conn.execute(query).scalars())
