"""The FastAPI application of `toolgym view`: its state, middleware, error pages and routers.

Read-only except voting: every route is a GET, except casting a vote (POST, session cookie and
CSRF token) and deleting votes (DELETE, admin token). `create_app` builds it for a config;
`serve` runs it with uvicorn.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..arena import BattleStore
from ..errors import UserError
from ..store import Store
from . import arena_pages, compare_pages, run_pages, voting
from .ballots import AnswerPool
from .config import ViewConfig, is_loopback
from .render import page
from .security import LOOPBACK_HOSTS, SecurityHeaders, TokenGate
from .sessions import Sessions
from .state import ViewState
from .summaries import Summaries

__all__ = ["create_app", "serve"]


def create_app(config: ViewConfig) -> FastAPI:
    """The web app over the runs and battles of `config.db`.

    Raises:
        UserError: the database cannot be opened, or a non-loopback host without an access token.
    """
    if not is_loopback(config.host) and not config.token:
        raise UserError(f"--host {config.host} serves other machines: give an access token (--token, at least "
                        "16 characters) or bind 127.0.0.1")
    store = Store(config.db)
    summaries = Summaries(store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=summaries.warm, name="toolgym-view-warm", daemon=True).start()
        yield
        store.close()

    app = FastAPI(title="toolgym view", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.view = ViewState(config, store, _open_battles(config.db), summaries, AnswerPool(store),
                               Sessions(config.votes_per_minute))
    for module in (run_pages, compare_pages, arena_pages, voting):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(resources.files(__package__).joinpath("static"))), name="static")
    app.add_exception_handler(UserError, _user_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    if config.token:
        app.add_middleware(TokenGate, token=config.token)
    if is_loopback(config.host):
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_HOSTS)
    app.add_middleware(SecurityHeaders)
    return app


def _open_battles(db: str) -> BattleStore | str:
    try:
        return BattleStore(db)
    except UserError as e:  # runs can still be browsed: only the arena pages and voting say why not
        return str(e)


async def _user_error(request: Request, exc: UserError) -> HTMLResponse:
    return page("error.html", 404, title="Not found", message=str(exc))


async def _http_error(request: Request, exc: HTTPException) -> HTMLResponse:
    return page("error.html", exc.status_code, title=f"Error {exc.status_code}", message=str(exc.detail))


def serve(config: ViewConfig) -> None:
    """Serve the view until interrupted."""
    import uvicorn

    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning")
