"""`toolgym runs`, `toolgym show`, `toolgym compare` and `toolgym export`: look at stored runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from ..errors import UserError
from ..models.vision_messages import split_images
from ..outputs import atomic_file, atomic_path, check_output
from ..report import comparison_table
from ..stats import Record, compare
from ..store import ResultRecord, Store, database_files
from ..types import Rollout, Verdict
from .app import app, console, db_option
from .jsonout import JSON_HELP, emit
from .plan import power_note
from .summary import print_run_summary, run_json, run_summary_json

_NUMBERS = ("k", "done", "pass %", "infra")


runs_app = typer.Typer(help="List stored runs (`toolgym runs`), or remove them (`toolgym runs rm NAME`).")
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_command(
    ctx: typer.Context,
    db: Annotated[str, db_option()] = "toolgym.db",
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List stored runs with their status, progress and accuracy."""
    if ctx.invoked_subcommand is not None:
        return
    with Store(db) as store:
        runs = store.list_runs()
    if as_json:
        emit([run_json(r) for r in runs])
        return
    table = Table(title=f"runs in {db}", title_justify="left")
    for col in ("name", "model", "suite (split)", "k", "done", "pass %", "infra", "status", "created"):
        # fold, never cut: names and specs differ at their ends ("fc-core-tiny-test" vs "...-train")
        table.add_column(col, overflow="fold", justify="right" if col in _NUMBERS else "left")
    for r in runs:
        m = r.manifest
        acc = f"{100 * r.passed / r.done:.1f}" if r.done else "-"
        suite = f"{m.suite}@{m.suite_version} ({m.split or 'all'}" + (", bfcl mode)" if m.mode == "bfcl" else ")")
        table.add_row(r.name, m.model, suite, str(m.repeats), str(r.done), acc, str(r.infra_errors),
                      r.status, r.created_at.strftime("%m-%d %H:%M"))
    console.print(table if runs else f"no runs in {db} yet; start one with `toolgym eval SUITE --model SPEC`")


@runs_app.command("rm")
def rm_command(
    names: Annotated[list[str], typer.Argument(help="Runs to remove, with their rollouts and transcripts.")],
    db: Annotated[str, db_option()] = "toolgym.db",
) -> None:
    """Remove stored runs (every name is checked before anything is removed)."""
    with Store(db) as store:
        found = [store.get_run(name) for name in names]  # an unknown name fails before any deletion
        for run in found:
            store.delete_run(run.id)
    for run in found:
        console.print(f"removed run {run.name} ({run.rollouts} rollouts) from {db}")


@app.command("show")
def show_command(
    runs: Annotated[list[str], typer.Argument(help="Run names.")],
    db: Annotated[str, db_option()] = "toolgym.db",
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Print the summary tables of stored runs."""
    if as_json:
        emit(run_summary_json(db, runs))
        return
    print_run_summary(db, runs)


@app.command("compare")
def compare_command(
    run_a: Annotated[str, typer.Argument(help="Baseline run.")],
    run_b: Annotated[str, typer.Argument(help="Run compared against the baseline.")],
    db: Annotated[str, db_option()] = "toolgym.db",
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and permutations.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Paired difference B − A on shared tasks, per category, with CI and p-value."""
    with Store(db) as store:
        a, b = store.get_run(run_a), store.get_run(run_b)
        ra = [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(a.id) if r.counted]
        rb = [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(b.id) if r.counted]
    if a.manifest.suite_version != b.manifest.suite_version and not as_json:
        console.print(f"note: the runs used different suite versions ({a.manifest.suite_version} vs "
                      f"{b.manifest.suite_version}); only task ids present in both are compared.", style="yellow")
    cmp = compare(ra, rb, seed=seed)
    if as_json:
        emit({"a": a.name, "b": b.name, "suite_versions": [a.manifest.suite_version, b.manifest.suite_version],
              "comparison": cmp})
        return
    console.print(comparison_table(cmp, a.name, b.name))
    if cmp.n_only_a or cmp.n_only_b:
        console.print(f"dropped: {cmp.n_only_a} tasks only in {a.name}, {cmp.n_only_b} only in {b.name}")
    if note := power_note(ra, rb, cmp.overall.p_value):
        console.print(note)


FORCE_HELP = "Replace --out when it exists (only once the new file is complete)."
_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


@app.command("export")
def export_command(
    run: Annotated[str, typer.Argument(help="Run name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file.")],
    format: Annotated[Literal["jsonl", "parquet"] | None, typer.Option(
        help="jsonl or parquet; default: from the --out suffix (.parquet), else jsonl.")] = None,
    db: Annotated[str, db_option()] = "toolgym.db",
    force: Annotated[bool, typer.Option(help=FORCE_HELP)] = False,
) -> None:
    """Export a run's rollouts (transcripts and verdicts) as JSON Lines or Parquet (images kept in both)."""
    out = check_output(out, force=force, reading=database_files(db))
    format = format or _FORMATS.get(out.suffix.lower(), "jsonl")
    if format == "parquet":
        try:
            import pyarrow  # noqa: F401  (checked here: the table is built in _parquet_table)
            import pyarrow.parquet as pq
        except ImportError:
            raise UserError("parquet export needs pyarrow: pip install pyarrow") from None
    with Store(db) as store:
        info = store.get_run(run)
        rows = [_export_row(info.name, r, rollout, verdict) for r, rollout, verdict in store.rollouts(info.id)]
    if format == "jsonl":
        with atomic_file(out) as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    else:
        with atomic_path(out) as tmp:
            pq.write_table(_parquet_table(rows), tmp)
    console.print(f"wrote {len(rows)} rollouts of {info.name} to {out}")


def _parquet_table(rows: list[dict[str, Any]]) -> Any:
    """The rows as an Arrow table: nested, ragged fields as JSON strings, so every row has one schema.

    A run with images gets an `images` column (each row's images, in order, as Hugging Face's `Image`
    storage: `{bytes, path}`), and its messages hold `{"type": "image"}` where each image was, as in
    TRL's vision datasets; with `datasets` installed the file records the `Image` feature, so
    `load_dataset("parquet", ...)` gives PIL images.
    """
    import pyarrow as pa

    with_images = any(isinstance(m.get("content"), list) and any(p.get("type") == "image_url" for p in m["content"])
                      for row in rows for m in row["messages"])
    for row in rows:
        if with_images:
            row["messages"], images = split_images(row["messages"])
            row["images"] = [{"bytes": b, "path": None} for b in images]
        row["messages"] = json.dumps(row["messages"])
        row["components"] = json.dumps(row["components"])
    table = pa.Table.from_pylist(rows)
    if with_images:
        try:
            from datasets import Features, Image, List
        except ImportError:
            return table
        features = Features.from_arrow_schema(table.schema)
        features["images"] = List(Image())
        table = table.cast(features.arrow_schema)
    return table


def _export_row(run: str, r: ResultRecord, rollout: Rollout, verdict: Verdict | None) -> dict[str, Any]:
    return {"run": run, "task_id": r.task_id, "category": r.category, "sample": r.sample,
            "passed": r.passed, "reward": r.reward,
            "failure": r.failure.value if r.failure else None, "explanation": r.explanation,
            "error": r.error, "latency_s": r.latency_s, "prompt_tokens": r.prompt_tokens,
            "completion_tokens": r.completion_tokens,
            "messages": [m.model_dump(mode="json", exclude_none=True) for m in rollout.messages],
            "components": verdict.components if verdict else {}}
