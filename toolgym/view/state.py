"""What every route reads: the view's config, store, caches and voter sessions, kept on the app."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request

from ..arena import BattleStore
from ..store import Store
from .ballots import AnswerPool
from .config import ViewConfig
from .sessions import Sessions
from .summaries import Summaries

__all__ = ["ViewState", "state"]


@dataclass
class ViewState:
    """What every route reads: the config, the store, the battles, caches and voter sessions."""

    config: ViewConfig
    store: Store
    opened_battles: BattleStore | str
    """The arena table, or why it cannot be opened (a read-only database that has none yet)."""
    summaries: Summaries
    pool: AnswerPool
    sessions: Sessions

    @property
    def battles(self) -> BattleStore:
        """The arena table; an HTTP 503 saying why when it cannot be opened."""
        if isinstance(self.opened_battles, str):
            raise HTTPException(503, f"the arena table cannot be used: {self.opened_battles}")
        return self.opened_battles


def state(request: Request) -> ViewState:
    """The app's state, for a route."""
    return request.app.state.view
