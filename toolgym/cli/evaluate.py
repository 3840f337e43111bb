"""`toolgym eval` and `toolgym score`: run a model on a suite, or re-score recorded outputs."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..envs.sandbox import STRONG
from ..errors import RunFailed, UserError
from ..models.bfcl_results import read_bfcl_results
from ..models.replay import write_replay
from ..run import RunConfig, evaluate_async, score_responses
from ..store import Store
from ..suites import split_bfcl_spec
from .app import Interrupted, app, console
from .flags import ModelFlags, UserFlags, config_command
from .progress import RunProgress
from .summary import print_run_summary, print_scores, scores_json

__all__ = ["eval_command", "run_eval", "sandbox_line", "score_command"]

RESPONSES_HELP = "Recorded outputs (JSONL: task id -> raw text or OpenAI-style tool_calls)."
BFCL_RESULTS_HELP = "A folder of BFCL's own result files (BFCL_v4_<category>_result.json), instead of --responses."

EVAL_FLAGS = {"model": ("--model", "-m"), "repeats": ("--repeats", "-k"), "concurrency": ("--concurrency", "-c"),
              "timeout_s": ("--timeout",)}
"""Flags of `eval` named otherwise than their RunConfig field (short forms; `--timeout` is the rollout's)."""


def run_eval(config: RunConfig, options=None, user_options=None) -> str:
    """Evaluate with live progress; returns the run name.

    Ctrl-C stops the run, keeps every finished result and raises `Interrupted` saying how many are
    stored; a run that ended `failed` (every rollout an infrastructure error, or `--max-infra-errors`)
    raises `RunFailed` with its cause after its summary is printed.
    """
    shown = RunProgress(console)

    def on_start(run, progress) -> None:
        if run.manifest.sandbox:  # the choice is printed, and recorded in the manifest
            console.print(sandbox_line(run.manifest.sandbox))
        shown.on_start(run, progress)

    try:
        with shown:
            run = asyncio.run(evaluate_async(config, options=options, user_options=user_options,
                                             on_start=on_start, on_result=shown.on_result))
    except KeyboardInterrupt:
        raise Interrupted(_interrupted(config, shown)) from None
    if run.status == "failed":
        print_run_summary(config.db, [run.name])
        raise RunFailed(f"{run.name}: {run.cause}")
    return run.name


def sandbox_line(level: str) -> str:
    """What eval, score, train grpo and loop print about the sandbox model-written code runs in."""
    weak = "" if level in STRONG else " (weak isolation, chosen by name)"
    return f"model-written code runs in the {level} sandbox{weak}"


def _interrupted(config: RunConfig, shown: RunProgress) -> str:
    if shown.counts is None:
        return "stopped by Ctrl-C before the run started; nothing was stored"
    with Store(config.db) as store:
        run = store.get_run(shown.run_name)
    return f"{run.done} of {shown.counts.total} stored; run the same command to resume"


def _eval(config: RunConfig, model: ModelFlags, user: UserFlags) -> None:
    parts = split_bfcl_spec(config.suite)
    if parts is None:
        name = run_eval(config, model.options(), user.options(model))
        print_run_summary(config.db, [name])
        return
    # BFCL's single-turn, multi-turn and memory categories are separate suites: one run each, then BFCL's
    # overall of them all
    names = []
    for part, spec in parts.items():
        part_config = config.model_copy(update={"suite": spec, "run": f"{config.run}-{part}" if config.run else None})
        names.append(run_eval(part_config, model.options(), user.options(model)))
    print_run_summary(config.db, names)


eval_command = app.command("eval")(config_command(
    RunConfig, _eval, "Evaluate a model on a suite; running the same command again resumes the run.",
    extra=(ModelFlags, UserFlags), flags=EVAL_FLAGS, arguments=("suite",)))


@app.command("score")
def score_command(
    suite: Annotated[str, typer.Option("--suite", "-s", help=RunConfig.model_fields["suite"].description)],
    responses: Annotated[Path | None, typer.Option("--responses", "-r", help=RESPONSES_HELP)] = None,
    mode: Annotated[str, typer.Option(help=RunConfig.model_fields["mode"].description)] = "toolgym",
    split: Annotated[str, typer.Option(help=RunConfig.model_fields["split"].description)] = "all",
    parser: Annotated[str | None, typer.Option(help="Parser for raw-text responses (default hermes).")] = None,
    bfcl_results: Annotated[Path | None, typer.Option("--bfcl-results", help=BFCL_RESULTS_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    sandbox: Annotated[str, typer.Option(help=RunConfig.model_fields["sandbox"].description)] = "auto",
) -> None:
    """Re-score recorded model outputs against a suite (nothing is stored)."""
    levels: list[str] = []  # the sandbox of a code suite: printed, and in --json
    if (responses is None) == (bfcl_results is None):
        raise UserError("score needs --responses FILE (a replay file) or --bfcl-results DIR (BFCL's results)")
    with tempfile.TemporaryDirectory() as tmp:
        parts: list[tuple[str, list[str] | None]] = [(suite, None)]
        if bfcl_results is not None:
            records, categories = read_bfcl_results(bfcl_results)
            responses = Path(tmp) / "bfcl_results.jsonl"
            write_replay(responses, records.values())
            parts = _bfcl_result_suites(suite, categories)
        rows = []
        for spec, categories in parts:  # BFCL's single- and multi-turn results: two suites, one table
            rows += asyncio.run(score_responses(spec, responses, mode, split, parser, categories,
                                                sandbox=sandbox, on_sandbox=levels.append))
    source = bfcl_results if bfcl_results is not None else responses
    if as_json:
        print(json.dumps(scores_json(rows, mode) | ({"sandbox": levels[0]} if levels else {}), indent=2))
    else:
        if levels:
            console.print(sandbox_line(levels[0]))
        print_scores(f"{source.name} on {suite} ({mode} mode)", rows, 1, mode)


def _bfcl_result_suites(suite: str, categories: list[str]) -> list[tuple[str, list[str] | None]]:
    """The suites that score a BFCL result folder, each with the categories it scores.

    `--suite bfcl` scores the single-turn categories with `bfcl` and the multi-turn ones with
    `bfcl:multi_turn` (two environments); another suite scores them all.
    """
    multi = [c for c in categories if c.startswith("multi_turn")]
    single = [c for c in categories if c not in multi]
    if suite != "bfcl" or not multi:
        return [(suite, categories)]
    return ([("bfcl", single)] if single else []) + [("bfcl:multi_turn", multi)]
