"""The summary printed after `toolgym eval` and by `toolgym show`: accuracy with CIs, failures, errors."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from ..report import (
    BfclScores,
    accuracy_table,
    bfcl_not_run,
    bfcl_over_runs,
    bfcl_runs_combined,
    bfcl_scores,
    bfcl_summary,
    bfcl_table,
    combined_bfcl_scores,
    failure_table,
)
from ..stats import AccuracyReport, Record, accuracy, pass_hat_k
from ..store import ResultRecord, RunInfo, RunManifest, Store
from .app import console

__all__ = ["print_run_summary", "print_scores", "run_json", "run_summary_json", "scores_json"]


def print_scores(title: str, rows: Sequence[ResultRecord], repeats: int, mode: str, *, not_run: bool = True) -> None:
    """Tables for one set of results (from the store or from an unstored scoring).

    In bfcl mode, `not_run` adds the BFCL categories its overall counts as 0, with why they were not run.
    """
    counted = [r for r in rows if r.counted]
    infra = sum(1 for r in rows if r.failure is not None and r.failure.value == "infra_error")
    unscored = sum(1 for r in rows if r.passed is None)
    if not counted:
        console.print(f"{title}: no scored rollouts yet ({infra} infrastructure errors, {unscored} unscored)")
        return
    records = [Record(r.task_id, r.category, bool(r.passed)) for r in counted]
    report = accuracy(records)
    passk = [pass_hat_k(records, k) for k in sorted({2, repeats}) if 1 < k <= repeats]
    console.print(accuracy_table(report, title, passk, bfcl_summary(report) if mode == "bfcl" else None))
    if mode == "bfcl" and not_run:
        _print_not_run(bfcl_scores({c: e.value for c, e in report.by_category.items()},
                                   {c: e.n_tasks for c, e in report.by_category.items()}))
    failures = Counter(r.failure.value for r in counted if r.failure is not None)
    if failures:
        console.print(failure_table(failures, len(counted)))
    if infra or unscored:
        console.print(f"{infra} rollouts ended on infrastructure errors and {unscored} could not be "
                      "scored; they are kept out of accuracy and retried when the same command runs again.",
                      style="yellow")


def scores_json(rows: Sequence[ResultRecord], mode: str) -> dict:
    """The scores of `print_scores` as plain data: accuracy per category, errors, and BFCL's scores."""
    counted = [r for r in rows if r.counted]
    out: dict = {
        "tasks": len(rows),
        "scored": len(counted),
        "errors": sum(1 for r in rows if not r.counted),
        "mode": mode,
    }
    if counted:
        report = accuracy([Record(r.task_id, r.category, bool(r.passed)) for r in counted])
        out["overall"] = report.overall.value
        out["categories"] = {c: {"accuracy": e.value, "tasks": e.n_tasks, "ci": [e.low, e.high]}
                             for c, e in report.by_category.items()}
        if mode == "bfcl":
            cats = report.by_category
            scores = bfcl_scores({c: e.value for c, e in cats.items()}, {c: e.n_tasks for c, e in cats.items()})
            out["bfcl"] = scores.model_dump()
    return out


def run_json(run: RunInfo) -> dict:
    """A stored run as plain data: name, status and cause, counts, accuracy so far and the manifest."""
    data = run.model_dump(mode="json")
    data["accuracy"] = run.passed / run.done if run.done else None
    return data


def run_summary_json(db: str, names: Sequence[str]) -> list[dict]:
    """`toolgym show --json`: each run with its scores (accuracy per category with CIs, pass^k, failures).

    When bfcl-mode BFCL runs of one model complete each other (single-turn, multi-turn, memory), each
    of them also holds `bfcl_combined`: BFCL's overall and groups over all of them, with their names,
    as `show` prints it and `score --json` gives it (`bfcl`).
    """
    out = []
    reports: list[tuple[RunManifest, AccuracyReport | None]] = []
    with Store(db) as store:
        for name in names:
            run = store.get_run(name)
            rows = list(store.results(run.id))
            counted = [r for r in rows if r.counted]
            scores: dict = {"run": run_json(run), **scores_json(rows, run.manifest.mode)}
            report = None
            if counted:
                records = [Record(r.task_id, r.category, bool(r.passed)) for r in counted]
                report = accuracy(records)
                scores["accuracy"] = report.model_dump(mode="json")
                ks = [k for k in sorted({2, run.manifest.repeats}) if 1 < k <= run.manifest.repeats]
                scores["pass_hat_k"] = [pass_hat_k(records, k).model_dump(mode="json") for k in ks]
            scores["failures"] = dict(Counter(r.failure.value for r in counted if r.failure is not None).most_common())
            scores["infra_errors"] = sum(1 for r in rows if r.failure is not None and r.failure.value == "infra_error")
            scores["unscored"] = sum(1 for r in rows if r.passed is None)
            out.append(scores)
            reports.append((run.manifest, report))
    picked = bfcl_runs_combined(reports)
    if picked:
        combined = {"runs": [names[i] for i in picked],
                    **combined_bfcl_scores([reports[i][1] for i in picked]).model_dump()}  # type: ignore[misc]
        for i in picked:
            out[i]["bfcl_combined"] = combined
    return out


def print_run_summary(db: str, names: Sequence[str]) -> None:
    """Print the summary of each stored run, then BFCL's overall over its runs when they complete each other."""
    bfcl_runs: list[tuple[RunInfo, AccuracyReport | None]] = []
    with Store(db) as store:
        for name in names:
            run = store.get_run(name)
            m = run.manifest
            status = run.status + (f": {run.cause}" if run.cause else "")
            if run.status == "stale":
                status += " (its process is gone; run the same command to resume)"
            title = f"{run.name} · {m.model} on {m.suite}@{m.suite_version} ({m.split}, {m.mode} mode) · {status}"
            rows = list(store.results(run.id))
            print_scores(title, rows, m.repeats, m.mode, not_run=len(names) == 1)
            latency = latency_line(rows)
            if latency:
                console.print(latency, soft_wrap=True)
            counted = [Record(r.task_id, r.category, bool(r.passed)) for r in rows if r.counted]
            bfcl_runs.append((run, accuracy(counted) if counted else None))
    picked = bfcl_runs_combined([(run.manifest, report) for run, report in bfcl_runs])
    if picked:
        runs = " + ".join(bfcl_runs[i][0].name for i in picked)
        lines = bfcl_over_runs([(run.manifest, report) for run, report in bfcl_runs])
        console.print(bfcl_table(lines, f"BFCL v4 over {runs} ({bfcl_runs[0][0].manifest.model})"))
        _print_not_run(combined_bfcl_scores([bfcl_runs[i][1] for i in picked]))  # type: ignore[misc]


def _print_not_run(scores: BfclScores) -> None:
    line = bfcl_not_run(scores)
    if line:
        console.print(line, style="yellow")


def latency_line(rows: Sequence[ResultRecord]) -> str | None:
    """Median latency per counted rollout, and its time in model calls without queueing (when recorded)."""
    counted = [r for r in rows if r.counted]
    if not counted:
        return None
    line = f"latency per rollout: median {statistics.median(r.latency_s for r in counted):.2f} s"
    timed = [r.model_s for r in counted if r.model_s is not None]
    if timed:
        line += f"; in model calls, without queueing: median {statistics.median(timed):.2f} s"
    return line
