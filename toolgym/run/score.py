"""Re-score recorded model outputs against a suite: the replay backend through the same agent loop and verifier."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ..errors import UserError, invalid_input
from ..models import ModelOptions, load_model
from ..store import ResultRecord
from ..suites import load_suite
from ..types import SamplingConfig
from .config import RunConfig
from .evaluate import environment_for
from .limits import EpisodeLimits
from .scheduler import Result, plan_jobs, run_jobs

__all__ = ["score_responses"]


async def score_responses(
    suite_spec: str,
    responses: Path,
    mode: str,
    split: str,
    parser: str | None,
    bfcl_categories: list[str] | None = None,
    *,
    sandbox: str = "auto",
    on_sandbox: Callable[[str], None] | None = None,
) -> list[ResultRecord]:
    """Score a replay file; returns one ResultRecord per task of the split (nothing is stored).

    With `bfcl_categories`, only the tasks of those BFCL categories are scored (the ones a BFCL
    result folder answers). A suite that runs model-written code runs it under `sandbox`
    (`--sandbox`); `on_sandbox` hears the level it got before anything runs.
    """
    try:
        cfg = RunConfig(suite=suite_spec, mode=mode, split=split, sandbox=sandbox)
    except ValidationError as e:
        raise invalid_input(e, model=RunConfig, flag=True) from None
    the_suite = load_suite(cfg.suite)
    tasks = the_suite.split(None if cfg.split == "all" else cfg.split)
    if bfcl_categories is not None:
        tasks = [t for t in tasks if t.metadata.get("bfcl_category") in bfcl_categories]
        if not tasks:
            raise UserError(
                f"the BFCL results answer the categories {bfcl_categories}, and suite {suite_spec!r} has "
                "none of them; use --suite bfcl"
            )
    env, level = environment_for(cfg, the_suite)
    if level is not None and on_sandbox is not None:
        on_sandbox(level)
    model = load_model(f"replay:{responses}", ModelOptions(parser=parser))
    rows: list[ResultRecord] = []

    async def collect(result: Result) -> None:
        r, v = result.rollout, result.verdict
        rows.append(ResultRecord(r.task_id, result.category, r.sample, v.passed if v else None,
                                 v.reward if v else None, v.failure if v else None, v.explanation if v else "",
                                 r.latency_s, r.usage.prompt_tokens, r.usage.completion_tokens, r.error))

    await run_jobs(model, env, plan_jobs(tasks, 1, set()), SamplingConfig(), EpisodeLimits(),
                   concurrency=16, on_result=collect)
    return rows
