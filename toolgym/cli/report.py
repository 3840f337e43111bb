"""`toolgym report`: one self-contained HTML page for one or more stored runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserError
from ..outputs import atomic_file, check_output
from ..report import RunSection, render_html, run_section, transcripts_to_show
from ..store import Store, database_files
from .app import app, console, db_option

__all__ = ["write_report"]

MAX_TRANSCRIPTS = 500
"""Failed transcripts rendered per run by default; the page says when it shows fewer than all."""


def write_report(
    db: str, run_names: list[str], out: Path, max_transcripts: int = MAX_TRANSCRIPTS, *, force: bool = False
) -> None:
    """Write the HTML report of the runs `run_names` stored in `db` to `out`.

    Args:
        db: SQLite file path or SQLAlchemy URL of the store.
        run_names: runs to report, in the order the page lists them.
        out: HTML file to write (its folder must exist).
        max_transcripts: failed transcripts rendered per run, at most.
        force: replace `out` when it exists (never when it is the database).
    """
    if not run_names:
        raise UserError("toolgym report: name at least one run (toolgym runs lists them)")
    check_output(out, force=force, reading=database_files(db))
    with Store(db) as store:
        sections = [_section(store, name, max_transcripts) for name in run_names]
    with atomic_file(out) as f:
        f.write(render_html(sections))


def _section(store: Store, name: str, max_transcripts: int) -> RunSection:
    run = store.get_run(name)
    results = list(store.results(run.id))
    picked = transcripts_to_show(results, max_transcripts)
    shown = [(r, store.rollout(run.id, r.task_id, r.sample)) for r in picked]
    return run_section(run, results, shown)


@app.command("report")
def report_command(
    runs: Annotated[list[str], typer.Argument(help="Run names (toolgym runs lists them).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
    db: Annotated[str, db_option()] = "toolgym.db",
    max_transcripts: Annotated[
        int, typer.Option(min=0, help="Failed transcripts rendered per run, at most.")
    ] = MAX_TRANSCRIPTS,
    force: Annotated[bool, typer.Option(help="Replace --out when it exists.")] = False,
) -> None:
    """Write a self-contained HTML report (works offline) of one or more stored runs."""
    write_report(db, runs, out, max_transcripts, force=force)
    size = out.stat().st_size
    console.print(f"wrote the report of {', '.join(runs)} to {out} ({size / 1024:,.0f} KiB)")
