"""Runs: the table of runs with live progress, one run's numbers, its transcripts page by page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..store import RolloutFilter, RunInfo, categories, rollout_page, rollouts_by_key
from ..store.browse import run_without_counts
from ..types import FailureKind
from .render import page
from .state import state

__all__ = ["router"]

router = APIRouter()

OUTCOMES = [kind.value for kind in FailureKind] + ["unscored"]
"""The values the failure filter accepts."""


def _progress(run: RunInfo) -> dict[str, object]:
    return {
        "id": run.id, "name": run.name, "status": run.status, "rollouts": run.rollouts, "done": run.done,
        "passed": run.passed, "infra_errors": run.infra_errors, "unscored": run.unscored,
        "pass_rate": run.passed / run.done if run.done else None,
    }


@router.get("/", response_class=HTMLResponse)
def runs_page(request: Request, status: str = "", suite: str = "", model: str = "", q: str = "") -> HTMLResponse:
    """Every run, newest first, with status, suite, model and accuracy with its interval."""
    view = state(request)
    every = list(reversed(view.store.list_runs()))
    shown = [
        r for r in every
        if (not status or r.status == status) and (not suite or r.manifest.suite == suite)
        and (not model or r.manifest.model == model) and (q.lower() in r.name.lower())
    ]
    accuracy = {r.id: view.summaries.section(r).accuracy for r in shown if r.done and r.manifest.mode != "arena"}
    return page(
        "runs.html", runs=shown, total=len(every), accuracy=accuracy,
        filters={"status": status, "suite": suite, "model": model, "q": q},
        statuses=sorted({r.status for r in every}), suites=sorted({r.manifest.suite for r in every}),
        models=sorted({r.manifest.model for r in every}),
    )


@router.get("/api/runs")
def runs_progress(request: Request) -> list[dict[str, object]]:
    """Counts and status of every run, polled by the runs page while a run is running."""
    return [_progress(r) for r in state(request).store.list_runs()]


@router.get("/api/runs/{run_id}")
def run_progress(request: Request, run_id: int) -> dict[str, object]:
    """Counts and status of one run, polled by its page while it runs."""
    return _progress(state(request).store.get_run(run_id))


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: int) -> HTMLResponse:
    """One run: accuracy per category with intervals, failure kinds, pass^k, latency and tokens, manifest."""
    view = state(request)
    run = view.store.get_run(run_id)
    section = view.summaries.section(run)
    manifest = run.manifest.model_dump(mode="json")
    return page("run.html", run=run, section=section, manifest=manifest)


@router.get("/runs/{run_id}/transcripts", response_class=HTMLResponse)
def transcripts_page(
    request: Request,
    run_id: int,
    category: str = "",
    failure: str = "",
    passed: str = "",
    q: str = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Every rollout of a run, filtered and searched, one page at a time, transcripts rendered."""
    view = state(request)
    run = run_without_counts(view.store, run_id)
    if failure and failure not in OUTCOMES:
        raise HTTPException(400, f"unknown failure kind {failure!r}; choose one of {', '.join(OUTCOMES)}")
    if passed not in ("", "yes", "no"):
        raise HTTPException(400, f"passed must be yes or no, got {passed!r}")
    where = RolloutFilter(category=category or None, failure=failure or None,
                          passed={"yes": True, "no": False}.get(passed), text=q.strip() or None)
    size = view.config.page_size
    found = rollout_page(view.store, run.id, where, (page_number - 1) * size, size)
    details = rollouts_by_key(view.store, run.id, [(r.task_id, r.sample) for r in found.records])
    return page(
        "transcripts.html", run=run, page=found, number=page_number, size=size, details=details,
        categories=categories(view.store, run.id), outcomes=OUTCOMES,
        filters={"category": category, "failure": failure, "passed": passed, "q": q},
    )


@router.get("/runs/{run_id}/rollout", response_class=HTMLResponse)
def rollout_page_one(request: Request, run_id: int, task: str, sample: int = 0) -> HTMLResponse:
    """One rollout: its transcript, verdict, timings and tokens."""
    view = state(request)
    run = run_without_counts(view.store, run_id)
    found = rollouts_by_key(view.store, run.id, [(task, sample)])
    if (task, sample) not in found:
        raise HTTPException(404, f"run {run.name!r} has no rollout of task {task!r} sample {sample}")
    rollout, verdict = found[(task, sample)]
    return page("rollout.html", run=run, rollout=rollout, verdict=verdict)
