"""`toolgym arena ...`: answer prompts, judge answers pairwise, import human votes, print leaderboards."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..arena import (
    AnswerConfig,
    JudgeConfig,
    LeaderboardConfig,
    answer_async,
    build_leaderboard,
    import_votes,
    judge_async,
)
from ..arena.reference import read_reference
from ..errors import RunFailed
from ..outputs import atomic_file, check_output
from ..report import ELO_NOTE, leaderboard_html, leaderboard_table, quality_table, style_table
from ..store import database_files
from . import evaluate  # noqa: F401  (registered first: eval and score lead `toolgym`'s command list)
from .app import app, console, db_option, resolve_config
from .flags import ModelFlags, config_command
from .jsonout import JSON_HELP, emit

__all__ = ["arena_app"]

arena_app = typer.Typer(no_args_is_help=True, help=(
    "Arena: models answer open prompts, a judge (or people) compares answers pairwise, ratings follow. "
    "Tour: `arena answer` each model, `arena judge`, then `arena leaderboard`."))
app.add_typer(arena_app, name="arena")

C = TypeVar("C", bound=BaseModel)
CONFIG_HELP = "YAML file of options; flags override it."


def _opt(config: type[BaseModel], name: str, *flags: str) -> Any:
    """A Typer option whose help is the config field's docstring, so help text is written once."""
    field = config.model_fields[name]
    default = field.default
    shown = ",".join(default) if isinstance(default, tuple) else str(default)
    return typer.Option(*flags, help=field.description,
                        show_default=shown if default not in (None, PydanticUndefined) else False)


def _names(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated flag value as a tuple of names (None when the flag is absent)."""
    return tuple(n.strip() for n in value.split(",") if n.strip()) if value else None


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}", style="bold", markup=False), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[note]}"), TimeRemainingColumn(), console=console)


def _answer(cfg: AnswerConfig, model: ModelFlags) -> None:
    """Store one model's answers to a prompt set; running it again answers only what is missing."""
    bar, state = _bar(), {}

    def on_start(info, progress) -> None:
        state["id"] = bar.add_task(info.name, total=progress.total, completed=progress.done_before, note="")

    def on_result(result, progress) -> None:
        bar.update(state["id"], advance=1, note=f"infra errors {progress.infra_errors}" if progress.infra_errors
                   else "")

    with bar:
        info = asyncio.run(answer_async(cfg, options=model.options(), on_start=on_start, on_result=on_result))
    console.print(f"{info.name}: {info.done} prompts answered by {cfg.model} "
                  f"({info.manifest.suite}@{info.manifest.suite_version}) in {cfg.db}")
    if info.infra_errors:
        console.print(f"{info.infra_errors} answers failed on infrastructure errors; run the same "
                      "command again to retry them.", style="yellow")
    if info.status == "failed":
        raise RunFailed(f"{info.name}: {info.cause}")


arena_app.command("answer")(config_command(
    AnswerConfig, _answer, _answer.__doc__, extra=(ModelFlags,), flags={
        "prompts": ("--prompts", "-p"), "model": ("--model", "-m"), "concurrency": ("--concurrency", "-c"),
        "timeout_s": ("--timeout",)}))


def _judge(cfg: JudgeConfig, model: ModelFlags) -> None:
    """Judge stored answers pairwise (two games per pair, positions swapped); resumable."""
    names = [n for entry in cfg.models or [] for n in _names(entry) or ()] or None
    cfg = cfg.model_copy(update={"models": names})
    bar, state = _bar(), {}

    def on_start(summary) -> None:
        state["id"] = bar.add_task(f"judging with {cfg.judge}", total=summary.planned,
                                   completed=summary.done_before, note="")

    def on_game(record, summary) -> None:
        bar.update(state["id"], advance=1, note=f"unparseable {summary.unparseable} · failed {summary.errors}")

    with bar:
        summary = asyncio.run(judge_async(cfg, options=model.options(), on_start=on_start, on_game=on_game))
    console.print(
        f"{summary.source} on {summary.prompt_set}: {len(summary.models)} models, {summary.pairing} pairing, "
        f"{summary.planned} games planned, {summary.done_before} judged before; this time {summary.judged} "
        f"judged, {summary.unparseable} unparseable (stored, excluded from ratings), {summary.errors} failed")
    if summary.missing_pairs:
        console.print(f"{summary.missing_pairs} pairs were skipped: one of the two models has no "
                      "answer to the prompt (answer it with `toolgym arena answer`).", style="yellow")
    if summary.all_failed:  # as `eval`: a call the infrastructure stopped does not exit 0
        raise RunFailed(f"judging with {cfg.judge}: every game of this call failed: {summary.errors} "
                        f"infrastructure errors; the first: {summary.first_error}. Failed games are retried "
                        "when the same command runs again")
    if summary.errors:
        console.print("failed games are retried when the same command runs again.", style="yellow")
    console.print(f"next: toolgym arena leaderboard --source '{summary.source}'"
                  + (f" --baseline '{summary.baseline}'" if summary.baseline else ""))


arena_app.command("judge")(config_command(
    JudgeConfig, _judge, _judge.__doc__, extra=(ModelFlags,), flags={
        "judge": ("--judge", "-j"), "baseline": ("--baseline", "-b"), "models": ("--models", "-m"),
        "prompts": ("--prompts", "-p"), "concurrency": ("--concurrency", "-c"), "timeout_s": ("--timeout",)}))


@arena_app.command("import-votes")
def import_votes_command(
    votes: Annotated[Path, typer.Argument(help="JSONL of votes: model_a, model_b, winner (model_a, model_b, "
                                               "tie, tie (bothbad)), optional prompt_id, answer_a, answer_b.")],
    source: Annotated[str | None, typer.Option(help="Name of these battles (default votes:FILE_NAME); "
                                                    "importing the same source again replaces it.")] = None,
    db: Annotated[str, db_option(LeaderboardConfig.model_fields["db"].description)] = "toolgym.db",
) -> None:
    """Import human votes as battles."""
    done = import_votes(votes, db, source)
    console.print(f"imported {done.votes} votes ({done.ties} ties) between {len(done.models)} models as "
                  f"source {done.source!r}; {done.with_answers} carry both answers (style control)")


@arena_app.command("leaderboard")
def leaderboard_command(
    source: Annotated[str | None, _opt(LeaderboardConfig, "source", "--source", "-s")] = None,
    category: Annotated[str | None, _opt(LeaderboardConfig, "category", "--category")] = None,
    method: Annotated[str | None, _opt(LeaderboardConfig, "method", "--method")] = None,
    ci: Annotated[str | None, _opt(LeaderboardConfig, "ci", "--ci")] = None,
    n_boot: Annotated[int | None, _opt(LeaderboardConfig, "n_boot", "--n-boot")] = None,
    confidence: Annotated[float | None, _opt(LeaderboardConfig, "confidence", "--confidence")] = None,
    seed: Annotated[int | None, _opt(LeaderboardConfig, "seed", "--seed")] = None,
    style_control: Annotated[bool | None, _opt(LeaderboardConfig, "style_control",
                                               "--style-control/--no-style-control")] = None,
    style_features: Annotated[str | None, _opt(LeaderboardConfig, "style_features", "--style-features")] = None,
    baseline: Annotated[str | None, _opt(LeaderboardConfig, "baseline", "--baseline", "-b")] = None,
    strong_weight: Annotated[float | None, _opt(LeaderboardConfig, "strong_weight", "--strong-weight")] = None,
    prior: Annotated[float | None, _opt(LeaderboardConfig, "prior", "--prior")] = None,
    elo_k: Annotated[float | None, _opt(LeaderboardConfig, "elo_k", "--elo-k")] = None,
    anchor: Annotated[str | None, _opt(LeaderboardConfig, "anchor", "--anchor")] = None,
    db: Annotated[str | None, _opt(LeaderboardConfig, "db", "--db")] = None,
    reference: Annotated[Path | None, typer.Option(help="Reference ranking to measure agreement with: one model "
                                                        "per line best first, or JSON list / {model: score}.")] = None,
    html: Annotated[Path | None, typer.Option(help="Also write the leaderboard as a self-contained HTML page.")] = None,
    force: Annotated[bool, typer.Option(help="Replace the --html file when it exists.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Ratings with confidence intervals, win rates and the benchmark's separability and agreement."""
    cfg = resolve_config(config, dict(
        source=source, category=category, method=method, ci=ci, n_boot=n_boot, confidence=confidence, seed=seed,
        style_control=style_control, style_features=_names(style_features), baseline=baseline,
        strong_weight=strong_weight, prior=prior, elo_k=elo_k, anchor=anchor, db=db), LeaderboardConfig)
    if html is not None:
        html = check_output(html, force=force, flag="--html", reading=database_files(cfg.db))
    ranking = read_reference(reference) if reference is not None else None
    board = build_leaderboard(cfg, ranking, reference.name if reference is not None else None)
    if html is not None:
        with atomic_file(html) as f:
            f.write(leaderboard_html(board))
    if as_json:  # the exact ratings, unrounded, with the counts they rest on
        emit(board)
        return
    console.print(leaderboard_table(board))
    styles = style_table(board.ratings)
    if styles is not None:
        console.print(styles)
    console.print(quality_table(board))
    if board.method == "elo":
        console.print(ELO_NOTE, style="yellow")
    if html is not None:
        console.print(f"wrote the leaderboard to {html}")
