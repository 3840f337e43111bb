"""`toolgym run` (the main job of `make run`) and `toolgym suite ...` helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..outputs import check_output
from ..run import RunConfig
from ..suites import load_suite, split_bfcl_spec, write_reference_answers
from .app import app, console, db_option, model_options
from .evaluate import run_eval
from .jsonout import JSON_HELP, emit
from .summary import print_run_summary

suite_app = typer.Typer(help="Inspect suites and write their reference answers.", no_args_is_help=True)
app.add_typer(suite_app, name="suite")


def _write_reference(suite_spec: str, out: Path, split: str = "all", *, force: bool = False) -> int:
    """Write a suite's reference answers as a replay file (the path checked before the suite loads).

    A `bfcl` spec of several kinds (`bfcl` itself: single-turn, multi-turn and memory) writes them all
    into one file, the replay `toolgym eval` of the same spec reads.
    """
    check_output(out, force=force)
    parts = split_bfcl_spec(suite_spec)
    tasks = [t for spec in (parts.values() if parts else [suite_spec])
             for t in load_suite(spec).split(None if split == "all" else split)]
    return write_reference_answers(tasks, out, force=force)


@suite_app.command("reference")
def reference_command(
    suite: Annotated[str, typer.Argument(help=RunConfig.model_fields["suite"].description)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Replay JSONL file to write.")],
    split: Annotated[str, typer.Option(help=RunConfig.model_fields["split"].description)] = "all",
    force: Annotated[bool, typer.Option(help="Replace --out when it exists.")] = False,
) -> None:
    """Write a suite's reference answers as a replay file (for `toolgym score` or `--model replay:FILE`)."""
    n = _write_reference(suite, out, split, force=force)
    console.print(f"wrote {n} reference answers to {out}")


@suite_app.command("list")
def list_command() -> None:
    """Bundled suites and the spec forms for imported ones."""
    from ..suites import SUITES

    for name in sorted(SUITES.names()):
        console.print(f"{name:10s} bundled")
    console.print("bfcl[:category,...]      BFCL v4 from the installed bfcl-eval package (eval bfcl: every kind run)")
    console.print("bfcl:DIR[:category,...]  BFCL v3/v4 question + possible_answer files")
    console.print("jsonl:FILE               one Task object per line")


@suite_app.command("info")
def info_command(
    suite: Annotated[str, typer.Argument(help=RunConfig.model_fields["suite"].description)],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Tasks per split and category, the tools by name, and the version of a suite."""
    from collections import Counter

    from rich.table import Table

    s = load_suite(suite)
    counts = Counter((t.split, t.category) for t in s.tasks)
    tools = sorted({tool.name for t in s.tasks for tool in t.tools})
    if as_json:
        emit({"name": s.name, "version": s.version, "tasks": len(s.tasks), "environment": s.environment,
              "categories": {cat: {sp: counts[(sp, cat)] for sp in ("train", "test")} for cat in s.categories()},
              "tools": tools})
        return
    table = Table(title=f"{s.name}@{s.version}: {len(s.tasks)} tasks, {len(tools)} tools", title_justify="left")
    table.add_column("category", overflow="fold")
    for sp in ("train", "test"):
        table.add_column(sp, justify="right")
    for cat in s.categories():
        table.add_row(cat, str(counts[("train", cat)]), str(counts[("test", cat)]))
    console.print(table)
    console.print(f"tools: {', '.join(tools)}" if tools else "tools: none", soft_wrap=False)


def tiny_available() -> bool:
    """Whether the bundled tiny model's weights are installed (they ship inside the package)."""
    from ..models.tiny import TINY_MODEL_DIR

    return (TINY_MODEL_DIR / "model.safetensors").is_file()


@app.command("run")
def main_job(
    db: Annotated[str, db_option(RunConfig.model_fields["db"].description)] = "toolgym.db",
    out: Annotated[Path, typer.Option(help="HTML report to write.")] = Path("report.html"),
    limit: Annotated[int | None, typer.Option(help=RunConfig.model_fields["limit"].description)] = None,
) -> None:
    """The main job: evaluate the bundled tiny model on fc-core test, print the table, write the report."""
    if tiny_available():
        config = RunConfig(suite="fc-core", model="tiny", split="test", concurrency=32, db=db, limit=limit)
    else:
        replay = Path(db).with_suffix(".reference.jsonl") if "://" not in db else Path("reference.jsonl")
        _write_reference("fc-core", replay, "test", force=True)  # the job's own file
        console.print(f"the tiny model is not installed; scoring fc-core's reference answers ({replay}) "
                      "through the replay backend instead", style="yellow")
        config = RunConfig(suite="fc-core", model=f"replay:{replay}", split="test", db=db, limit=limit,
                           run="fc-core-reference-test")
    name = run_eval(config, model_options(None, None, None))
    print_run_summary(config.db, [name])
    from .report import write_report

    write_report(config.db, [name], out, force=True)  # the main job rewrites its own report
    console.print(f"report: {out.resolve()} (open it in a browser; it works offline)", soft_wrap=True)
