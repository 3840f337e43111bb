"""`toolgym audit` and `toolgym rescore`: find broken tasks, and re-grade stored runs under the current suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import UserError
from .app import app, console, db_option

__all__ = ["audit_command", "rescore_command"]

MODE_HELP = "Verifier mode: toolgym or bfcl."
RUNS_HELP = "Stored runs of several models (repeat the option, or A,B)."


def _env(suite, mode: str):
    if mode not in ("toolgym", "bfcl"):
        raise UserError(f"--mode: expected toolgym or bfcl, got {mode!r}")
    return suite.env.with_mode(mode)


def _doc(field: str) -> str | None:
    """A model option's help: its `ModelOptions` docstring, as on every command that takes a model."""
    from ..models import ModelOptions

    return ModelOptions.model_fields[field].description


def _run_names(values: list[str] | None) -> list[str]:
    return [name.strip() for v in values or [] for name in v.split(",") if name.strip()]


@app.command("audit")
def audit_command(
    suite: Annotated[str, typer.Argument(help="Suite spec: fc-core, bfcl:DIR[:categories], jsonl:FILE.")],
    runs: Annotated[list[str] | None, typer.Option("--runs", help=RUNS_HELP)] = None,
    mode: Annotated[str, typer.Option(help=MODE_HELP)] = "toolgym",
    db: Annotated[str, db_option()] = "toolgym.db",
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
    console.print(f"{r.suite}@{r.suite_version} ({r.mode} mode): {r.n_tasks} tasks, gold answers replayed "
                  f"for {r.gold_checked}, {len(r.gold_failures)} fail")
    for reason in r.gold_skipped:
        console.print(f"not replayed: {reason}", style="yellow")
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
    db: Annotated[str, db_option()] = "toolgym.db",
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
        console.print(f"{len(summary.dropped_tasks)} tasks are no longer in the suite and were left out: "
                      f"{', '.join(summary.dropped_tasks[:10])}", style="yellow")
    gained = sum(c.after for c in summary.changes)
    console.print(f"{len(summary.changes)} verdicts changed ({gained} now pass, {len(summary.changes) - gained} now "
                  f"fail); `toolgym compare {info.name} {out.name}` shows them by category")


@app.command("conformance")
def conformance_command(
    model: Annotated[str, typer.Option("--model", "-m", help="Model spec: tiny, hf:PATH, openai:NAME.")],
    suite: Annotated[str, typer.Option(help="Suite spec to evaluate every configuration on.")] = "fc-core",
    limit: Annotated[int | None, typer.Option(help="Evaluate N tasks of the split (first of each category).")] = None,
    split: Annotated[str, typer.Option(help="Split of the suite.")] = "test",
    parsers: Annotated[str | None, typer.Option(help="Parsers to try, comma-separated (default: all).")] = None,
    tool_modes: Annotated[str, typer.Option(help="Tool modes to try: native, prompt.")] = "native,prompt",
    template_var: Annotated[list[str] | None, typer.Option(help=TEMPLATE_HELP)] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server URL (else OPENAI_BASE_URL).")] = None,
    api_key: Annotated[str | None, typer.Option(help=_doc("api_key"))] = None,
    request_timeout: Annotated[float | None, typer.Option(help=_doc("timeout_s"), min=0.001)] = None,
    extra_body: Annotated[str | None, typer.Option(help=_doc("extra_body"), metavar="JSON")] = None,
    prefix: Annotated[str | None, typer.Option(help="Run names start with this (default: conformance-MODEL).")] = None,
    concurrency: Annotated[int, typer.Option(help="Rollouts in flight at once.")] = 8,
    timeout: Annotated[float, typer.Option(help="Wall-clock limit of one rollout, in seconds.")] = 300.0,
    db: Annotated[str, db_option()] = "toolgym.db",
) -> None:
    """One checkpoint under every tool-call parser x tool mode x chat-template option: which serving setup to use."""
    import asyncio
    import re

    from ..audit import configurations, conformance_report, run_conformance
    from ..store import Store
    from .app import model_options, resolve_config

    base = resolve_config(None, {"suite": suite, "model": model, "limit": limit, "split": split, "db": db,
                                 "concurrency": concurrency, "timeout_s": timeout})
    options = model_options(base_url, None, None, api_key=api_key, request_timeout=request_timeout,
                            extra_body=extra_body)
    names = [p.strip() for p in parsers.split(",") if p.strip()] if parsers else None
    variables = sorted(set(template_var or []) | set(_template_variables(model, options)))
    configs = configurations(names, [m.strip() for m in tool_modes.split(",") if m.strip()], variables)
    prefix = prefix or "conformance-" + re.sub(r"[^a-z0-9.]+", "-", model.lower()).strip("-")
    console.print(f"{len(configs)} configurations of {model} on {suite}"
                  + (f" (template options: {', '.join(variables)})" if variables else " (the chat template has no "
                     "options beyond the standard variables)"))

    def started(config, i: int) -> None:
        console.print(f"{i + 1}/{len(configs)} {config.label()}", style="bold")

    runs = asyncio.run(run_conformance(base, configs, options, prefix=prefix, on_config=started))
    with Store(db) as store:
        report = conformance_report(store, runs)
    table = _table(f"{report.model} on {report.suite}: accuracy by serving configuration (paired against the best)",
                   ("configuration", "accuracy %", "95% CI", "vs best (pp)", "95% CI", "p", "parse errors %"))
    for r in report.results:
        d, a = r.versus_best, r.accuracy
        if a is None:
            table.add_row(r.configuration.label(), "-", f"{r.errors} errors: {r.error}", "", "", "", "")
            continue
        table.add_row(r.configuration.label(), f"{100 * a.value:.1f}", f"[{100 * a.low:.1f}, {100 * a.high:.1f}]",
                      f"{100 * d.value:+.1f}" if d else "best",
                      f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]" if d else "",
                      f"{d.p_value:.3g}" if d else "", f"{100 * r.parse_error_share:.1f}")
    console.print(table)
    same = f"; not significantly worse: {', '.join(report.equivalent)}" if report.equivalent else ""
    console.print(f"use: {report.recommended.label()}{same}")


TEMPLATE_HELP = "A chat-template variable to try on and off (repeat); local templates are read for them."


def _template_variables(spec: str, options) -> list[str]:
    """The options a local model's chat template reads; remote servers' templates cannot be read."""
    if spec.partition(":")[0] not in ("tiny", "hf"):
        return []
    import asyncio

    from ..audit import chat_template_variables
    from ..models import load_model

    model = load_model(spec, options)
    try:
        template = getattr(getattr(model, "tokenizer", None), "chat_template", None)
        return chat_template_variables(template) if isinstance(template, str) else []
    finally:
        asyncio.run(model.aclose())
