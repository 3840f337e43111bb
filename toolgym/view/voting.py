"""Blind human voting: one prompt, two answers in random positions, names shown only after the vote.

A vote needs the session cookie and the session's CSRF token, and is refused past the session's
votes per minute. It is stored in the arena table as a game of `ViewConfig.vote_source` with the
prompt set and id (the intervals' cluster) and a hash of the voter session, so `toolgym arena
leaderboard --source votes:web` rates it. An admin token (header `X-Admin-Token`) lists and deletes votes.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..arena import BattleRecord, Outcome
from ..errors import UserError
from ..stats import style_features
from .render import page
from .sessions import VoterSession
from .state import ViewState, state

__all__ = ["CHOICES", "SESSION_COOKIE", "router"]

router = APIRouter()

SESSION_COOKIE = "toolgym_voter"

CHOICES: dict[str, tuple[str, Outcome]] = {
    "a": ("model_a", "a"), "b": ("model_b", "b"), "tie": ("tie", "tie"), "bothbad": ("tie (bothbad)", "tie"),
}
"""A button's value -> the vote's label (as in vote files) and its outcome; both ties count as a tie."""


def _session(request: Request) -> tuple[VoterSession, bool]:
    """The request's voter session, or a new one (True when new: its cookie must be set)."""
    sessions = state(request).sessions
    found = sessions.get(request.cookies.get(SESSION_COOKIE))
    return (found, False) if found is not None else (sessions.create(), True)


def _with_cookie(response: Response, session: VoterSession, new: bool) -> Response:
    if new:
        response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="strict", max_age=86_400)
    return response


@router.get("/vote", response_class=HTMLResponse)
def vote_page(request: Request) -> Response:
    """A fresh blind ballot: the models behind A and B stay on the server."""
    view = state(request)
    session, new = _session(request)
    ballot = view.pool.draw()
    if ballot is None:
        return _with_cookie(page("vote.html", ballot=None, csrf=session.csrf), session, new)
    view.sessions.add_ballot(session, ballot)
    return _with_cookie(page("vote.html", ballot=ballot, csrf=session.csrf), session, new)


@router.post("/vote")
def cast_vote(
    request: Request,
    ballot: Annotated[str, Form(max_length=64)],
    choice: Annotated[str, Form(max_length=16)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    """Store one vote, then show who was who."""
    view = state(request)
    session = view.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None or not session.csrf_ok(csrf):
        raise HTTPException(403, "this vote did not come from a page of this session; reload /vote and vote again")
    if choice not in CHOICES:
        raise HTTPException(400, f"unknown choice {choice!r}; vote a, b, tie or bothbad")
    if not view.sessions.take_vote_slot(session):
        raise HTTPException(429, f"at most {view.config.votes_per_minute} votes a minute per session; "
                                 "wait a little and vote again")
    drawn = view.sessions.claim(session, ballot, choice)  # atomic: two posts of one ballot make one vote
    if drawn is None:
        raise HTTPException(409, "this ballot is not open (already voted, or too old); take a new one at /vote")
    label, outcome = CHOICES[choice]
    record = BattleRecord(
        view.config.vote_source, drawn.prompt_set, drawn.prompt_id, drawn.left, drawn.right, 0, drawn.category,
        verdict=label, outcome=outcome, style_a=style_features(drawn.answer_left),
        style_b=style_features(drawn.answer_right), voter=session.voter,
    )
    try:
        view.battles.add_vote(record)
    except (UserError, HTTPException) as e:  # a read-only database: the vote cannot be kept, say why
        view.sessions.release(session, drawn)
        if isinstance(e, HTTPException):
            raise
        raise HTTPException(503, f"the vote could not be stored: {e}") from None
    return RedirectResponse(f"/vote/{drawn.id}", status_code=303)


@router.get("/vote/{ballot_id}", response_class=HTMLResponse)
def revealed(request: Request, ballot_id: str) -> HTMLResponse:
    """The models behind a ballot, to the session that voted on it, and only after its vote."""
    session = state(request).sessions.get(request.cookies.get(SESSION_COOKIE))
    drawn = session.ballots.get(ballot_id) if session is not None else None
    if drawn is None or drawn.choice is None:
        raise HTTPException(404, "no vote of this session on that ballot; vote first at /vote")
    return page("voted.html", ballot=drawn, label=CHOICES[drawn.choice][0])


def _admin(view: ViewState, token: str | None) -> None:
    expected = view.config.admin_token
    if expected is None:
        raise HTTPException(404, "admin routes are off; start toolgym view with --admin-token")
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(403, "wrong or missing X-Admin-Token header")


@router.get("/admin/votes")
def list_votes(request: Request, x_admin_token: Annotated[str | None, Header()] = None) -> list[dict[str, object]]:
    """Every vote cast in the view, oldest first, with its number, prompt, models, label and voter hash."""
    view = state(request)
    _admin(view, x_admin_token)
    return [
        {"seq": r.seq, "prompt_set": r.prompt_set, "prompt_id": r.prompt_id, "model_a": r.model_a,
         "model_b": r.model_b, "winner": r.verdict, "voter": r.voter}
        for r in view.battles.records(view.config.vote_source)
    ]


@router.delete("/admin/votes/{seq}")
def delete_vote(request: Request, seq: int, x_admin_token: Annotated[str | None, Header()] = None) -> dict[str, int]:
    """Delete one vote by its number."""
    view = state(request)
    _admin(view, x_admin_token)
    deleted = view.battles.delete_games(view.config.vote_source, [seq])
    if not deleted:
        raise HTTPException(404, f"no vote number {seq}")
    return {"deleted": deleted}
