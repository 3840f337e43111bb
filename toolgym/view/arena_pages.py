"""Arena: leaderboards with intervals (and style control) per battle source, and the battles themselves."""

from __future__ import annotations

from contextlib import closing
from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..arena import LeaderboardConfig
from ..errors import UserError
from .render import page
from .state import state

__all__ = ["router"]

router = APIRouter()

BATTLES_PER_PAGE = 25


@router.get("/arena", response_class=HTMLResponse)
def arena_page(
    request: Request, source: str = "", style: str = "", baseline: str = "",
    prior: Annotated[float | None, Query(gt=0)] = None,
) -> HTMLResponse:
    """The leaderboard of one battle source (the first one by default), Bradley–Terry with prompt-clustered CIs."""
    view = state(request)
    sources = view.battles.sources()
    if not sources:
        return page("arena.html", sources=[], source=None, board=None, problem=None, style=False, baseline="",
                    prior=None)
    chosen = source or sources[0].source
    board, problem = None, None
    counts = next((s for s in sources if s.source == chosen), None)
    config = LeaderboardConfig(source=chosen, db=view.config.db, style_control=bool(style),
                               baseline=baseline or None, prior=prior, n_boot=200)
    try:
        board = view.summaries.leaderboard(config, counts)
    except UserError as e:
        problem = str(e)
    return page("arena.html", sources=sources, source=chosen, board=board, problem=problem, style=bool(style),
                baseline=baseline, prior=prior)


@router.get("/arena/battles", response_class=HTMLResponse)
def battles_page(
    request: Request, source: str,
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """The games of one source, newest first, with both answers (when stored as answer runs) and the judgment."""
    view = state(request)
    total = next((s.games for s in view.battles.sources() if s.source == source), 0)
    start = (page_number - 1) * BATTLES_PER_PAGE
    # newest first: this page is a slice of the stored order counted from its end; stream up to it only
    stop = max(total - start, 0)
    with closing(view.battles.records(source)) as stream:
        shown = list(islice(stream, max(stop - BATTLES_PER_PAGE, 0), stop))
    shown.reverse()
    answers = {(p.prompt_set, p.prompt_id): p for p in view.pool.prompts()}
    return page("battles.html", source=source, battles=shown, total=total, start=start,
                number=page_number, per_page=BATTLES_PER_PAGE, answers=answers)
