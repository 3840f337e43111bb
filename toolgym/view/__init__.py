"""The web view: runs, transcripts, comparisons, leaderboards, live progress and blind human voting.

`toolgym view` serves it (FastAPI + Jinja2, a little JavaScript, no external resources). It is
read-only except voting, binds loopback unless told otherwise (and then requires an access token),
and escapes everything a model wrote. Layout: `app.py` the application, `config.py` its settings,
`run_pages.py`, `compare_pages.py`, `arena_pages.py` and `voting.py` the routes, `state.py` what
they read, `summaries.py` the cached numbers, `ballots.py` the answers voted on, `sessions.py`
voter sessions, `security.py` headers and the access token, `render.py` the templates.
"""

from __future__ import annotations

from typing import Any

from .config import ViewConfig, is_loopback

__all__ = ["ViewConfig", "create_app", "is_loopback", "serve"]


def __getattr__(name: str) -> Any:
    # the app pulls in FastAPI: imported on first use, so the CLI reads ViewConfig (its help) cheaply
    if name in ("create_app", "serve"):
        from . import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
