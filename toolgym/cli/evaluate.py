"""`toolgym eval` and `toolgym score`: run a model on a suite, or re-score recorded outputs."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..errors import RunFailed, UserError
from ..models import write_replay
from ..models.bfcl_results import read_bfcl_results
from ..run import RunConfig, evaluate_async, load_config_file
from ..store import Store
from .app import Interrupted, app, console, model_opt, model_options, opt, resolve_config
from .progress import RunProgress
from .summary import print_run_summary, print_scores, scores_json

__all__ = ["eval_command", "run_eval", "score_command", "score_responses"]

BASE_URL_HELP = "OpenAI-compatible server URL (else OPENAI_BASE_URL)."
TOOL_MODE_HELP = "native (the API's tools field) or prompt (tools in the system prompt, calls parsed from text)."
PARSER_HELP = "Tool-call parser for raw text: hermes, llama3, pythonic, mistral."
RESPONSES_HELP = "Recorded outputs (JSONL: task id -> raw text or OpenAI-style tool_calls)."
BFCL_RESULTS_HELP = "A folder of BFCL's own result files (BFCL_v4_<category>_result.json), instead of --responses."


class EvalFile(RunConfig):
    """What an `eval --config` YAML file may set: the run's fields and how to reach the model."""

    base_url: str | None = None
    """OpenAI-compatible server URL of the model (`--base-url`)."""
    api_key: str | None = None
    """API key of the model's server (`--api-key`)."""
    tool_mode: str | None = None
    """native or prompt (`--tool-mode`)."""
    parser: str | None = None
    """Tool-call parser for raw text (`--parser`)."""
    request_timeout: float | None = None
    """Per-request timeout in seconds (`--request-timeout`)."""
    extra_body: dict | None = None
    """Extra request fields, a mapping (`--extra-body`)."""
    user_base_url: str | None = None
    """The simulated user's server URL (`--user-base-url`)."""
    user_api_key: str | None = None
    """The simulated user's API key (`--user-api-key`)."""


_MODEL_KEYS = tuple(k for k in EvalFile.model_fields if k not in RunConfig.model_fields)


def run_eval(config: RunConfig, options=None, user_options=None) -> str:
    """Evaluate with live progress; returns the run name.

    Ctrl-C stops the run, keeps every finished result and raises `Interrupted` saying how many are
    stored; a run that ended `failed` (every rollout an infrastructure error, or `--max-infra-errors`)
    raises `RunFailed` with its cause after its summary is printed.
    """
    shown = RunProgress(console)

    def on_start(run, progress) -> None:
        if run.manifest.sandbox:  # the choice is printed, and recorded in the manifest
            weak = "" if run.manifest.sandbox == "bwrap" else " (weak isolation, chosen by name)"
            console.print(f"model-written code runs in the {run.manifest.sandbox} sandbox{weak}")
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


def _interrupted(config: RunConfig, shown: RunProgress) -> str:
    if shown.counts is None:
        return "stopped by Ctrl-C before the run started; nothing was stored"
    with Store(config.db) as store:
        run = store.get_run(shown.run_name)
    return f"{run.done} of {shown.counts.total} stored; run the same command to resume"


@app.command("eval")
def eval_command(
    suite: Annotated[str, typer.Argument(help=RunConfig.model_fields["suite"].description)],
    model: Annotated[str | None, opt("model", "--model", "-m")] = None,
    split: Annotated[str | None, opt("split", "--split")] = None,
    repeats: Annotated[int | None, opt("repeats", "--repeats", "-k")] = None,
    temperature: Annotated[float | None, opt("temperature", "--temperature")] = None,
    top_p: Annotated[float | None, opt("top_p", "--top-p")] = None,
    max_tokens: Annotated[int | None, opt("max_tokens", "--max-tokens")] = None,
    seed: Annotated[int | None, opt("seed", "--seed")] = None,
    concurrency: Annotated[int | None, opt("concurrency", "--concurrency", "-c")] = None,
    limit: Annotated[int | None, opt("limit", "--limit")] = None,
    mode: Annotated[str | None, opt("mode", "--mode")] = None,
    db: Annotated[str | None, opt("db", "--db")] = None,
    run: Annotated[str | None, opt("run", "--run")] = None,
    timeout_s: Annotated[float | None, opt("timeout_s", "--timeout")] = None,
    max_turns: Annotated[int | None, opt("max_turns", "--max-turns")] = None,
    max_tool_calls: Annotated[int | None, opt("max_tool_calls", "--max-tool-calls")] = None,
    user_model: Annotated[str | None, opt("user_model", "--user-model")] = None,
    sandbox: Annotated[str | None, opt("sandbox", "--sandbox")] = None,
    max_infra_errors: Annotated[float | None, opt("max_infra_errors", "--max-infra-errors")] = None,
    executor: Annotated[str | None, opt("executor", "--executor")] = None,
    base_url: Annotated[str | None, typer.Option(help=BASE_URL_HELP)] = None,
    tool_mode: Annotated[str | None, typer.Option(help=TOOL_MODE_HELP)] = None,
    parser: Annotated[str | None, typer.Option(help=PARSER_HELP)] = None,
    api_key: Annotated[str | None, model_opt("api_key", "--api-key")] = None,
    request_timeout: Annotated[float | None, model_opt("timeout_s", "--request-timeout")] = None,
    extra_body: Annotated[str | None, model_opt("extra_body", "--extra-body")] = None,
    user_base_url: Annotated[str | None, typer.Option(help="Simulated user's server URL (else --base-url).")] = None,
    user_api_key: Annotated[str | None, typer.Option(help="Simulated user's API key (else --api-key).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML file of options; flags override it.")] = None,
) -> None:
    """Evaluate a model on a suite; running the same command again resumes the run."""
    flags = dict(suite=suite, model=model, split=split, repeats=repeats, temperature=temperature, top_p=top_p,
                 max_tokens=max_tokens, seed=seed, concurrency=concurrency, limit=limit, mode=mode, db=db,
                 run=run, timeout_s=timeout_s, max_turns=max_turns, max_tool_calls=max_tool_calls,
                 user_model=user_model, sandbox=sandbox, max_infra_errors=max_infra_errors, executor=executor)
    model_flags = dict(base_url=base_url, api_key=api_key, tool_mode=tool_mode, parser=parser,
                       request_timeout=request_timeout, extra_body=extra_body, user_base_url=user_base_url,
                       user_api_key=user_api_key)
    if config:  # one file for both: the run's fields, and the model keys, each below its flag
        from_file = load_config_file(config, EvalFile)
        model_flags = {k: v if v is not None else from_file.get(k) for k, v in model_flags.items()}
        flags = {k: v for k, v in from_file.items() if k not in _MODEL_KEYS} | {
            k: v for k, v in flags.items() if v is not None}
    m = model_flags
    cfg = resolve_config(None, flags)
    options = model_options(m["base_url"], m["tool_mode"], m["parser"], api_key=m["api_key"],
                            request_timeout=m["request_timeout"], extra_body=m["extra_body"])
    user_options = None
    if m["user_base_url"] or m["user_api_key"]:  # the simulated user may live on another server
        user_options = model_options(m["user_base_url"] or m["base_url"], None, None,
                                     api_key=m["user_api_key"] or m["api_key"], request_timeout=m["request_timeout"],
                                     flag_prefix="--user-")
    name = run_eval(cfg, options, user_options)
    print_run_summary(cfg.db, [name])


@app.command("score")
def score_command(
    suite: Annotated[str, typer.Option("--suite", "-s", help=RunConfig.model_fields["suite"].description)],
    responses: Annotated[Path | None, typer.Option("--responses", "-r", help=RESPONSES_HELP)] = None,
    mode: Annotated[str, typer.Option(help=RunConfig.model_fields["mode"].description)] = "toolgym",
    split: Annotated[str, typer.Option(help=RunConfig.model_fields["split"].description)] = "all",
    parser: Annotated[str | None, typer.Option(help="Parser for raw-text responses (default hermes).")] = None,
    bfcl_results: Annotated[Path | None, typer.Option("--bfcl-results", help=BFCL_RESULTS_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
) -> None:
    """Re-score recorded model outputs against a suite (nothing is stored)."""
    if (responses is None) == (bfcl_results is None):
        raise UserError("score needs --responses FILE (a replay file) or --bfcl-results DIR (BFCL's results)")
    with tempfile.TemporaryDirectory() as tmp:
        categories = None
        if bfcl_results is not None:
            records, categories = read_bfcl_results(bfcl_results)
            responses = Path(tmp) / "bfcl_results.jsonl"
            write_replay(responses, records.values())
        rows = asyncio.run(score_responses(suite, responses, mode, split, parser, categories))
    source = bfcl_results if bfcl_results is not None else responses
    if as_json:
        print(json.dumps(scores_json(rows, mode), indent=2))
    else:
        print_scores(f"{source.name} on {suite} ({mode} mode)", rows, 1, mode)


async def score_responses(
    suite_spec: str,
    responses: Path,
    mode: str,
    split: str,
    parser: str | None,
    bfcl_categories: list[str] | None = None,
):
    """Score a replay file; returns one ResultRecord per task of the split.

    With `bfcl_categories`, only the tasks of those BFCL categories are scored (the ones a BFCL
    result folder answers).
    """
    from ..envs import ENVIRONMENTS
    from ..models import ModelOptions, load_model
    from ..run import EpisodeLimits, plan_jobs, run_jobs
    from ..store import ResultRecord
    from ..suites import load_suite
    from ..types import SamplingConfig

    cfg = resolve_config(None, {"suite": suite_spec, "mode": mode, "split": split})
    the_suite = load_suite(cfg.suite)
    tasks = the_suite.split(None if cfg.split == "all" else cfg.split)
    if bfcl_categories is not None:
        tasks = [t for t in tasks if t.metadata.get("bfcl_category") in bfcl_categories]
        if not tasks:
            raise UserError(
                f"the BFCL results answer the categories {bfcl_categories}, and suite {suite_spec!r} has "
                "none of them; use --suite bfcl"
            )
    env = ENVIRONMENTS.get(the_suite.environment)(mode=cfg.mode)
    model = load_model(f"replay:{responses}", ModelOptions(parser=parser))
    rows: list[ResultRecord] = []

    async def collect(result) -> None:
        r, v = result.rollout, result.verdict
        rows.append(ResultRecord(r.task_id, result.category, r.sample, v.passed if v else None,
                                 v.reward if v else None, v.failure if v else None, v.explanation if v else "",
                                 r.latency_s, r.usage.prompt_tokens, r.usage.completion_tokens, r.error))

    await run_jobs(model, env, plan_jobs(tasks, 1, set()), SamplingConfig(), EpisodeLimits(),
                   concurrency=16, on_result=collect)
    return rows
