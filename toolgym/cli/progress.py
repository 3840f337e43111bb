"""Progress of a run in the terminal: a live bar on a terminal, plain periodic lines otherwise.

A log file or a CI job gets one line at the start, one every `PLAIN_INTERVAL_S` seconds and one at
the end, never carriage returns or escape sequences. The rate is this invocation's results over its
wall time: a local model hands back a whole batch at once, which makes rich's windowed speed
estimate swing between zero and thousands per second.
"""

from __future__ import annotations

import time
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..run import Progress as RunCounts
from .console import SafeConsole, printable

__all__ = ["PLAIN_INTERVAL_S", "RunProgress"]

PLAIN_INTERVAL_S = 10.0
"""Seconds between two progress lines when stdout is not a terminal."""


class RunProgress:
    """The `on_start` / `on_result` callbacks of `evaluate_async`, shown as a bar or as lines."""

    def __init__(self, console: SafeConsole, interval_s: float = PLAIN_INTERVAL_S) -> None:
        self.console = console
        self.interval_s = interval_s
        self.live = console.is_terminal
        self.bar = Progress(
            TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}", markup=False), TimeRemainingColumn(),
            TextColumn("{task.fields[acc]}", markup=False), console=console, transient=False,
        )
        self.run_name = self.name = ""
        self.counts: RunCounts | None = None
        self.start = time.perf_counter()
        self._last_line = 0.0
        self._task: Any = None

    def __enter__(self) -> RunProgress:
        if self.live:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self.bar.stop()
        elif self.counts is not None and exc[0] is None:
            self._line()

    def on_start(self, run: Any, counts: RunCounts) -> None:
        """The run is open: show its name, total and what earlier invocations stored."""
        self.run_name, self.name, self.counts = run.name, printable(run.name), counts
        self.start = self._last_line = time.perf_counter()
        if self.live:
            self._task = self.bar.add_task(self.name, total=counts.total, completed=counts.done_before,
                                           rate="", acc="")
        else:
            self.console.print(f"{self.name}: {counts.planned} rollouts to do, {counts.done_before} of "
                               f"{counts.total} stored before", highlight=False)

    def on_result(self, _result: Any, counts: RunCounts) -> None:
        """One more result: advance the bar, or print a line when the interval has passed."""
        now = time.perf_counter()
        if self.live:
            self.bar.update(self._task, advance=1, rate=f"{self.rate(counts, now):.1f}/s", acc=_note(counts))
        elif now - self._last_line >= self.interval_s:
            self._line(now)

    def rate(self, counts: RunCounts, now: float | None = None) -> float:
        """Results per second over this invocation's wall time."""
        elapsed = (now or time.perf_counter()) - self.start
        return counts.done / elapsed if elapsed > 0 else 0.0

    def _line(self, now: float | None = None) -> None:
        now = now or time.perf_counter()
        self._last_line = now
        c = self.counts
        assert c is not None
        rate = self.rate(c, now)
        left = c.planned - c.done
        eta = f", {left / rate:.0f} s left" if rate > 0 and left else ""
        note = _note(c)
        self.console.print(f"{self.name}: {c.done_before + c.done}/{c.total} done, {rate:.1f}/s{eta}"
                           + (f", {note}" if note else ""), highlight=False)


def _note(counts: RunCounts) -> str:
    acc = f"acc {counts.accuracy:.1%}" if counts.accuracy is not None else ""
    if counts.infra_errors:
        acc += f"{' · ' if acc else ''}infra errors {counts.infra_errors}"
    return acc
