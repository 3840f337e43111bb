"""`toolgym plan` and `toolgym outcomes`: how many tasks x repeats a comparison needs, and whose fault failures were.

`power_note` is the line `toolgym compare` prints under its table: the minimum detectable difference
of the comparison it just ran, and whether it was underpowered.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from ..errors import UserError
from ..models import ModelOptions
from ..stats import (
    OutcomeRecord,
    Record,
    assumed_variance,
    classify_outcome,
    minimum_detectable_difference,
    outcome_breakdown,
    plan_power,
    variance_from_runs,
)
from ..store import Store
from .app import app, console, db_option

__all__ = ["outcomes_command", "plan_command", "power_note"]

JUDGE_HELP = "Model spec of a judge of the simulated user's turns: failures it blames on the user move there."
SUITE_HELP = "Suite the comparison will run on (its size caps the tasks)."
RUN_HELP = "Stored pilot run(s): A, or A and B (repeat the option)."


def scored_records(store: Store, run_id: int) -> list[Record]:
    """`(task_id, category, passed)` of a stored run's counted rollouts (infra errors left out)."""
    return [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(run_id) if r.counted]


def _repeats(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise UserError(f"--repeats: expected numbers separated by commas such as 1,2,3,5; got {text!r}") from None
    if not values or min(values) < 1:
        raise UserError(f"--repeats: expected positive numbers such as 1,2,3,5; got {text!r}")
    return values


def _suite_size(spec: str, split: str) -> int:
    from ..suites import load_suite

    if split not in ("train", "test", "all"):
        raise UserError(f"--split: expected train, test or all, got {split!r}")
    return len(load_suite(spec).split(None if split == "all" else split))  # type: ignore[arg-type]


@app.command("plan")
def plan_command(
    suite: Annotated[str | None, typer.Argument(help=SUITE_HELP)] = None,
    delta: Annotated[float, typer.Option(help="Difference of accuracy to detect, e.g. 0.05 for 5 points.")] = 0.05,
    run: Annotated[list[str] | None, typer.Option("--run", help=RUN_HELP)] = None,
    accuracy: Annotated[float | None, typer.Option(help="Assumed accuracy of A when no run is given.")] = None,
    task_sd: Annotated[float, typer.Option(help="Assumed SD across tasks of the true difference (no runs).")] = 0.0,
    repeats: Annotated[str, typer.Option(help="Numbers of samples per task to plan for.")] = "1,2,3,5,10",
    power: Annotated[float, typer.Option(help="Target power.")] = 0.8,
    alpha: Annotated[float, typer.Option(help="Two-sided significance level.")] = 0.05,
    split: Annotated[str, typer.Option(help="Split of SUITE that will be evaluated.")] = "test",
    db: Annotated[str, db_option()] = "toolgym.db",
) -> None:
    """Tasks x repeats a paired comparison needs to detect a difference, from pilot runs or an assumed accuracy."""
    runs = run or []
    if len(runs) > 2:
        raise UserError(f"--run: give one pilot run (A) or two (A and B), got {len(runs)}: {', '.join(runs)}")
    if not runs and accuracy is None:
        raise UserError("plan: give pilot runs (--run A [--run B]) or an assumed accuracy (--accuracy 0.6)")
    if runs:
        with Store(db) as store:
            infos = [store.get_run(r) for r in runs]
            records = [scored_records(store, i.id) for i in infos]
        components = variance_from_runs(records[0], records[1] if len(records) == 2 else None)
        if suite is None:  # the pilot's own suite and split
            suite, split = infos[0].manifest.suite, infos[0].manifest.split or "all"
    else:
        components = assumed_variance(accuracy, delta, task_sd=task_sd)  # type: ignore[arg-type]
    max_tasks = _suite_size(suite, split) if suite else 100_000
    plan = plan_power(components, delta, power=power, alpha=alpha, repeats=_repeats(repeats), max_tasks=max_tasks)
    c = components
    if c.source == "assumed":
        source = f"assumed accuracy {c.accuracy_a:.1%}, task SD {task_sd:g}"
    elif c.source == "one_run":
        source = f"run {runs[0]} ({c.n_tasks} tasks x {c.repeats_a}); B assumed to behave like A"
    else:
        source = f"runs {runs[0]} and {runs[1]} ({c.n_tasks} shared tasks x {c.repeats_a} and {c.repeats_b})"
    where = f"{suite} ({max_tasks} tasks)" if suite else "any suite"
    table = Table(title=f"detect {delta:+.1%} with {power:.0%} power (α = {alpha:g}) on {where}",
                  title_justify="left")
    for col in ("repeats", "tasks", "rollouts (A+B)", "power", f"power with {max_tasks} tasks"):
        table.add_column(col, justify="right")
    for r in plan.rows:
        table.add_row(str(r.repeats), str(r.n_tasks) if r.n_tasks else f"> {max_tasks}",
                      str(r.rollouts) if r.rollouts else "-", f"{r.power:.1%}" if r.power else "-",
                      f"{r.power_at_max:.1%}")
    console.print(table)
    console.print(f"from {source}: per-task variance {c.between:.4f} between tasks + {c.within:.4f} / repeats")
    if not c.within_identified:
        console.print("note: a run had one sample per task, so its sampling noise cannot be told apart from "
                      "differences between tasks; it is counted as such, and repeats do not reduce it "
                      "(conservative).", style="yellow")


def power_note(a_records: list[Record], b_records: list[Record], p_value: float) -> str | None:
    """The minimum detectable difference of a comparison, and a warning when it was underpowered."""
    try:
        d = minimum_detectable_difference(a_records, b_records)
    except UserError:
        return None  # fewer than two shared tasks: compare itself already said what is wrong
    reps = str(d.repeats_a) if d.repeats_a == d.repeats_b else f"{d.repeats_a} and {d.repeats_b}"
    line = (f"minimum detectable difference ({d.power:.0%} power, α = {d.alpha:g}, {d.n_tasks} tasks x "
            f"{reps}): ±{100 * d.difference:.1f} points")
    if d.underpowered and p_value >= d.alpha:
        line += (f"\nunderpowered: the observed {100 * d.observed:+.1f} points is below it, so this "
                 "result cannot tell the runs apart; `toolgym plan --run A --run B --delta D` says how many "
                 "tasks x repeats would.")
    return line


@app.command("outcomes")
def outcomes_command(
    run: Annotated[str, typer.Argument(help="Run name.")],
    judge: Annotated[str | None, typer.Option(help=JUDGE_HELP)] = None,
    db: Annotated[str, db_option()] = "toolgym.db",
) -> None:
    """Agent failures, simulated-user failures and infrastructure errors of a run, with CIs."""
    with Store(db) as store:
        info = store.get_run(run)
        stored = [(rec, rollout) for rec, rollout, _ in store.rollouts(info.id)]
    outcomes = [classify_outcome(rec.passed, rec.failure.value if rec.failure else None, rollout.end_reason,
                                 rec.error) for rec, rollout in stored]
    if judge:
        blamed = asyncio.run(_judge_failures(judge, info.manifest.suite, stored, outcomes))
        outcomes = ["user_failure" if i in blamed else o for i, o in enumerate(outcomes)]
        console.print(f"judge {judge}: {len(blamed)} agent failures were the simulated user's fault")
    rows = [OutcomeRecord(rec.task_id, o) for (rec, _), o in zip(stored, outcomes, strict=True)]
    report = outcome_breakdown(rows)
    table = Table(title=f"{info.name}: outcomes of {report.n_rollouts} rollouts", title_justify="left")
    for col in ("outcome", "rollouts", "share %", "95% CI"):
        table.add_column(col, justify="left" if col == "outcome" else "right")
    for kind, count in report.counts.items():
        s = report.shares.get(kind)
        table.add_row(kind.replace("_", " "), str(count), f"{100 * s.value:.1f}" if s else "-",
                      f"[{100 * s.low:.1f}, {100 * s.high:.1f}]" if s else "-")
    for label, est in (("accuracy", report.accuracy),
                       ("accuracy excluding user faults", report.accuracy_excluding_user_faults)):
        if est is not None:
            if label == "accuracy":
                table.add_section()
            table.add_row(label, str(est.n), f"{100 * est.value:.1f}", f"[{100 * est.low:.1f}, {100 * est.high:.1f}]",
                          style="bold")
    console.print(table)


async def _judge_failures(spec: str, suite_spec: str, stored: list, outcomes: list[str]) -> set[int]:
    """Indices of agent failures that the judge blames on the simulated user."""
    from ..audit import judge_user_turns
    from ..models import load_model
    from ..suites import load_suite

    tasks = {t.id: t for t in load_suite(suite_spec).tasks}
    judge = load_model(spec, ModelOptions())
    try:
        blamed = set()
        for i, ((rec, rollout), outcome) in enumerate(zip(stored, outcomes, strict=True)):
            if outcome == "agent_failure" and rec.task_id in tasks:
                if await judge_user_turns(judge, tasks[rec.task_id], rollout):
                    blamed.add(i)
        return blamed
    finally:
        await judge.aclose()
