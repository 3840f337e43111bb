"""`toolgym audit` and `toolgym rescore`: find broken tasks, and re-grade stored runs under the current suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import UserError
from .app import app, console

__all__ = ["audit_command", "rescore_command"]

DB_HELP = "SQLite file path or SQLAlchemy URL of the store."
MODE_HELP = "Verifier mode: toolgym or bfcl."
RUNS_HELP = "Stored runs of several models (repeat the option, or A,B)."


def _env(suite, mode: str):
    from ..envs import ENVIRONMENTS

    if mode not in ("toolgym", "bfcl"):
        raise UserError(f"--mode: expected toolgym or bfcl, got {mode!r}")
    return ENVIRONMENTS.get(suite.environment)(mode=mode)


def _run_names(values: list[str] | None) -> list[str]:
    return [name.strip() for v in values or [] for name in v.split(",") if name.strip()]


@app.command("audit")
def audit_command(
    suite: Annotated[str, typer.Argument(help="Suite spec: fc-core, bfcl:DIR[:categories], jsonl:FILE.")],
    runs: Annotated[list[str] | None, typer.Option("--runs", help=RUNS_HELP)] = None,
    mode: Annotated[str, typer.Option(help=MODE_HELP)] = "toolgym",
    db: Annotated[str, typer.Option(help=DB_HELP)] = "toolgym.db",
    show: Annotated[int, typer.Option(help="Rows shown per table (all go to --json).")] = 20,
    out: Annotated[Path | None, typer.Option("--json", help="Write the whole report as JSON here.")] = None,
) -> None:
    """Broken gold answers, tasks no model passes, probable label errors, verdicts a suite version changed."""
    from ..audit import audit_suite
    from ..store import Store
    from ..suites import load_suite

    the_suite = load_suite(suite)
    env = _env(the_suite, mode)
    names = _run_names(runs)
    if names:
        with Store(db) as store:
            infos = [store.get_run(n) for n in names]
            report = audit_suite(the_suite, env, mode, store=store, runs=infos)
    else:
        report = audit_suite(the_suite, env, mode)
    _print_report(report, show)
    if out is not None:
        out.write_text(json.dumps(report.model_dump(mode="json"), indent=1) + "\n", encoding="utf-8")
        console.print(f"wrote the report to {out}")


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


def _print_report(report, show: int) -> None:
    r = report
    console.print(f"[bold]{r.suite}@{r.suite_version}[/] ({r.mode} mode): {r.n_tasks} tasks, gold answers replayed "
                  f"for {r.gold_checked}, {len(r.gold_failures)} fail")
    for reason in r.gold_skipped:
        console.print(f"[yellow]not replayed: {reason}[/]")
    if r.gold_failures:
        table = _table("gold answers that fail their own verifier", ("task", "category", "replayed", "failure", "why"))
        for g in r.gold_failures[:show]:
            table.add_row(g.task_id, g.category, g.replayed, g.failure, g.explanation)
        console.print(table)
    if not r.runs:
        console.print("give --runs RUN,RUN to also find unsolved tasks and probable label errors")
        return
    console.print(f"runs: {', '.join(r.runs)}")
    table = _table(f"{len(r.unsolved)} tasks no model passed ({r.confidence:.0%} upper bound on the pass rate)",
                   ("task", "category", "attempts", "models", "upper bound %"))
    for u in r.unsolved[:show]:
        table.add_row(u.task_id, u.category, str(u.attempts), str(u.models), f"{100 * u.upper_bound:.1f}")
    console.print(table)
    table = _table(f"{len(r.label_suspects)} probable label errors (most models agree on an answer the key rejects)",
                   ("task", "category", "answer", "models", "why rejected"))
    for s in r.label_suspects[:show]:
        table.add_row(s.task_id, s.category, s.answer, f"{len(s.agreeing)}/{s.n_models}", s.explanation)
    console.print(table)
    if r.verdict_changes:
        table = _table(f"{len(r.verdict_changes)} verdicts this suite version changes",
                       ("run", "task", "sample", "before", "after", "now"))
        for c in r.verdict_changes[:show]:
            table.add_row(c.run, c.task_id, str(c.sample), _pf(c.before), _pf(c.after), c.explanation)
        console.print(table)


def _pf(passed: bool) -> str:
    return "pass" if passed else "fail"


@app.command("rescore")
def rescore_command(
    run: Annotated[str, typer.Argument(help="Stored run to re-grade.")],
    new: Annotated[str | None, typer.Option("--run", help="Name of the new run (default: RUN-rescored).")] = None,
    suite: Annotated[str | None, typer.Option(help="Suite spec (default: the run's).")] = None,
    mode: Annotated[str | None, typer.Option(help=MODE_HELP + " (default: the run's).")] = None,
    db: Annotated[str, typer.Option(help=DB_HELP)] = "toolgym.db",
) -> None:
    """Re-grade a stored run's rollouts under the current suite version and verifier, into a new run."""
    from ..audit import rescore_run
    from ..store import Store
    from ..suites import load_suite

    with Store(db) as store:
        info = store.get_run(run)
        the_suite = load_suite(suite or info.manifest.suite)
        mode = mode or info.manifest.mode
        summary = rescore_run(store, info, the_suite, _env(the_suite, mode), mode, new or f"{info.name}-rescored")
    out = summary.run
    console.print(f"re-graded {summary.regraded} rollouts of {info.name} (suite {info.manifest.suite_version} -> "
                  f"{the_suite.version}, {mode} mode) into run {out.name}: {out.passed}/{out.done} pass "
                  f"({summary.copied_errors} infrastructure errors copied)")
    if summary.dropped_tasks:
        console.print(f"[yellow]{len(summary.dropped_tasks)} tasks are no longer in the suite and were left out: "
                      f"{', '.join(summary.dropped_tasks[:10])}[/]")
    gained = sum(c.after for c in summary.changes)
    console.print(f"{len(summary.changes)} verdicts changed ({gained} now pass, {len(summary.changes) - gained} now "
                  f"fail); `toolgym compare {info.name} {out.name}` shows them by category")
