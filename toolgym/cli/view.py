"""`toolgym view`: the web app over the store (runs, transcripts, compare, arena, blind voting)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
from pydantic import ValidationError

from ..errors import UserError
from .app import app, console

__all__ = ["view_command"]


@app.command("view")
def view_command(
    db: Annotated[str, typer.Option(help="Where runs are stored: a SQLite file path or an SQLAlchemy URL.")]
    = "toolgym.db",
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs a token.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7575,
    token: Annotated[str | None, typer.Option(
        help="Access token every request must carry (default off loopback: a random one, printed); "
             "also TOOLGYM_VIEW_TOKEN.")] = None,
    admin_token: Annotated[str | None, typer.Option(
        help="Token that lists and deletes votes (header X-Admin-Token); also TOOLGYM_VIEW_ADMIN_TOKEN.")] = None,
    votes_per_minute: Annotated[int, typer.Option(help="Votes one voter session may cast per minute.")] = 30,
) -> None:
    """Serve the web view of the runs and battles in --db (read-only except voting)."""
    try:
        from ..view import ViewConfig, is_loopback, serve
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
        err = e.errors()[0]
        raise UserError(f"--{str(err['loc'][0]).replace('_', '-')}: {err['msg']}") from None
    shown = "localhost" if is_loopback(host) else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    console.print(f"toolgym view of {db} on [bold]{url}[/bold] (Ctrl-C stops it)")
    serve(config)
