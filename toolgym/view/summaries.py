"""The numbers behind the run and compare pages, computed once per state of a run.

A run's summary (accuracy with intervals, pass^k, failure kinds, latency and tokens) reads every
record of the run, about 0.7 s for 100,000 rollouts; it is kept until the run's counts or status
change, so a finished run is summarised once and a running one at most once per change. The view
summarises the newest runs in a background thread when it starts, ahead of their first view.
Comparisons and leaderboards are kept the same way, until a run's or a battle source's counts change.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from ..arena import Leaderboard, LeaderboardConfig, build_leaderboard
from ..errors import UserError
from ..report import RunSection, run_section
from ..stats import Comparison, Record, compare
from ..store import ResultRecord, RunInfo, Store

__all__ = ["Flip", "RunComparison", "Summaries", "fingerprint"]

T = TypeVar("T")
logger = logging.getLogger(__name__)


def fingerprint(run: RunInfo) -> tuple[Hashable, ...]:
    """What changes whenever a run's results change."""
    return (run.id, run.status, run.rollouts, run.done, run.passed, run.infra_errors, run.unscored)


@dataclass(frozen=True)
class Flip:
    """A task whose pass rate differs between two runs."""

    task_id: str
    category: str
    rate_a: float
    rate_b: float


@dataclass(frozen=True)
class RunComparison:
    """Run B against run A: the paired test (or why there is none) and the tasks that flipped."""

    comparison: Comparison | None
    problem: str | None
    """Why there is no comparison (no shared task, ...), as the UserError said it."""
    flips: list[Flip]
    """Tasks whose pass rate changed, the largest changes first."""


class Summaries:
    """Cached summaries of the runs of one store, safe to use from several threads."""

    def __init__(self, store: Store, size: int = 64) -> None:
        self._store = store
        self._size = size
        self._cache: dict[Hashable, object] = {}
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = defaultdict(threading.Lock)

    def warm(self, most: int = 16) -> None:
        """Summarise the newest runs ahead of their first view (run in a background thread at start)."""
        for run in list(reversed(self._store.list_runs()))[:most]:
            if run.done:
                try:
                    self.section(run)
                except UserError as e:  # shown when the page is opened; nothing to do ahead of it
                    logger.info("not summarising run %s ahead: %s", run.name, e)

    def section(self, run: RunInfo) -> RunSection:
        """The report's numbers for `run` (no transcripts)."""
        return self._cached(("section", fingerprint(run)), lambda: run_section(run, self._records(run), []))

    def comparison(self, a: RunInfo, b: RunInfo) -> RunComparison:
        """Run B against run A on their shared tasks."""
        return self._cached(("compare", fingerprint(a), fingerprint(b)), lambda: self._compare(a, b))

    def leaderboard(self, config: LeaderboardConfig, counts: Hashable) -> Leaderboard:
        """The leaderboard `config` asks for, kept while the source's counts (`SourceInfo`) stay the same."""
        return self._cached(("board", config.model_dump_json(), counts), lambda: build_leaderboard(config))

    def _records(self, run: RunInfo) -> list[ResultRecord]:
        return list(self._store.results(run.id))

    def _compare(self, a: RunInfo, b: RunInfo) -> RunComparison:
        rec_a = [Record(r.task_id, r.category, bool(r.passed)) for r in self._records(a) if r.counted]
        rec_b = [Record(r.task_id, r.category, bool(r.passed)) for r in self._records(b) if r.counted]
        try:
            comparison, problem = compare(rec_a, rec_b), None
        except UserError as e:
            comparison, problem = None, str(e)
        rates_a, rates_b = _rates(rec_a), _rates(rec_b)
        flips = [
            Flip(task, category, rate, rates_b[task][1])
            for task, (category, rate) in rates_a.items()
            if task in rates_b and rates_b[task][1] != rate
        ]
        flips.sort(key=lambda f: (-abs(f.rate_b - f.rate_a), f.task_id))
        return RunComparison(comparison, problem, flips)

    def _cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[return-value]
            gate = self._computing[key]
        with gate:  # one thread computes, the others wait for its result
            with self._lock:
                if key in self._cache:
                    return self._cache[key]  # type: ignore[return-value]
            value = compute()
            with self._lock:
                while len(self._cache) >= self._size:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = value
                self._computing.pop(key, None)
        return value


def _rates(records: list[Record]) -> dict[str, tuple[str, float]]:
    counts: dict[str, list[int]] = {}
    category: dict[str, str] = {}
    for r in records:
        n_c = counts.setdefault(r.task_id, [0, 0])
        n_c[0] += 1
        n_c[1] += r.passed
        category[r.task_id] = r.category
    return {task: (category[task], c / n) for task, (n, c) in counts.items()}
