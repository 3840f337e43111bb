"""`toolgym view`: the web app over the store (runs, transcripts, compare, arena, blind voting)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from ..errors import UserError, invalid_input
from ..view import ViewConfig, is_loopback
from .app import app, console

__all__ = ["view_command"]


def _opt(name: str, *flags: str) -> Any:
    """An option whose help is the ViewConfig field's docstring (written once)."""
    field = ViewConfig.model_fields[name]
    return typer.Option(*flags, help=field.description, show_default=field.default is not None)


@app.command("view")
def view_command(
    db: Annotated[str, _opt("db")] = "toolgym.db",
    host: Annotated[str, _opt("host")] = "127.0.0.1",
    port: Annotated[int, _opt("port")] = 7575,
    token: Annotated[str | None, _opt("token")] = None,
    admin_token: Annotated[str | None, _opt("admin_token")] = None,
    votes_per_minute: Annotated[int, _opt("votes_per_minute")] = 30,
) -> None:
    """Serve the web view of the runs and battles in --db (read-only except voting).

    TOOLGYM_VIEW_TOKEN and TOOLGYM_VIEW_ADMIN_TOKEN give the tokens without putting them on the command line.
    """
    try:
        from ..view import serve
    except ImportError as e:
        raise UserError(f"toolgym view needs {e.name}: pip install 'toolgym[view]'") from None
    token = token or os.environ.get("TOOLGYM_VIEW_TOKEN")
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    try:
        config = ViewConfig(db=db, host=host, port=port, token=token,
                            admin_token=admin_token or os.environ.get("TOOLGYM_VIEW_ADMIN_TOKEN"),
                            votes_per_minute=votes_per_minute)
    except ValidationError as e:
        raise invalid_input(e, model=ViewConfig, flag=True) from None
    shown = "localhost" if is_loopback(host) else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"toolgym view of {db} on {url} (Ctrl-C stops it)")
    serve(config)
