"""Compare two runs on the same suite: the paired test, the tasks that flipped first, side by side."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..store import rollouts_by_key
from ..store.browse import run_without_counts
from .render import page
from .state import state

__all__ = ["router"]

router = APIRouter()

FLIPS_PER_PAGE = 100


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    a: int | None = None,
    b: int | None = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Pick two runs; with both picked, B against A: paired difference per category, flipped tasks."""
    view = state(request)
    runs = list(reversed(view.store.list_runs()))
    if a is None or b is None:
        return page("compare.html", runs=runs, a=None, b=None, result=None)
    run_a, run_b = view.store.get_run(a), view.store.get_run(b)
    result = view.summaries.comparison(run_a, run_b)
    start = (page_number - 1) * FLIPS_PER_PAGE
    return page(
        "compare.html", runs=runs, a=run_a, b=run_b, result=result, number=page_number,
        flips=result.flips[start:start + FLIPS_PER_PAGE], start=start, per_page=FLIPS_PER_PAGE,
    )


@router.get("/compare/task", response_class=HTMLResponse)
def compare_task(request: Request, a: int, b: int, task: str) -> HTMLResponse:
    """One task's rollouts in both runs, side by side, sample by sample."""
    view = state(request)
    run_a, run_b = run_without_counts(view.store, a), run_without_counts(view.store, b)
    repeats = max(run_a.manifest.repeats, run_b.manifest.repeats)
    keys = [(task, s) for s in range(repeats)]
    found_a, found_b = rollouts_by_key(view.store, run_a.id, keys), rollouts_by_key(view.store, run_b.id, keys)
    pairs = [(s, found_a.get((task, s)), found_b.get((task, s))) for s in range(repeats)]
    return page("compare_task.html", a=run_a, b=run_b, task=task,
                pairs=[p for p in pairs if p[1] is not None or p[2] is not None])
