"""`toolgym serve-env` and `toolgym serve-mcp`: a suite's environment as an HTTP service, its tools as an MCP server."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ..errors import UserError
from .app import app, err_console

__all__ = ["serve_env_command", "serve_mcp_command"]

SUITE_HELP = "Suite spec: a bundled name (fc-core, retail, files, code), bfcl:DIR, jsonl:FILE."
HOST_HELP = "Address to bind; beyond loopback a bearer token (TOOLGYM_ENV_TOKEN) is required."


def _missing(extra: str, package: str) -> UserError:
    return UserError(f"{package} is not installed; install it with `pip install 'toolgym[{extra}]'`")


@app.command("serve-env")
def serve_env_command(
    suite: Annotated[str, typer.Argument(help=SUITE_HELP)],
    host: Annotated[str, typer.Option(help=HOST_HELP)] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    max_episodes: Annotated[int, typer.Option(help="Open episodes at most; more are refused with 429.", min=1)]
    = 1024,
    ttl: Annotated[float, typer.Option(help="Seconds of inactivity after which an episode expires.", min=1)]
    = 600.0,
) -> None:
    """Serve a suite's environment over HTTP: tasks, reset, step, verify, reward (OpenAPI docs at /docs)."""
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        raise _missing("server", "uvicorn") from None
    from ..serve import check_exposure, create_env_app, serve_app
    from ..suites import load_suite

    token = os.environ.get("TOOLGYM_ENV_TOKEN") or None
    check_exposure(host, token)
    the_suite = load_suite(suite)
    api = create_env_app(the_suite, token=token, max_episodes=max_episodes, ttl_s=ttl)
    auth = "bearer token required" if token else "no token (loopback only)"
    err_console.print(f"serving {the_suite.name}@{the_suite.version} ({len(the_suite.tasks)} tasks, {auth}); "
                      "OpenAPI docs at /docs")
    err_console.print(f"listening on http://{host}:{port}")
    serve_app(api, host, port)


@app.command("serve-mcp")
def serve_mcp_command(
    suite: Annotated[str, typer.Argument(help="Suite spec whose tools run in toolgym (retail, files, code, ...).")],
    task: Annotated[str | None, typer.Option(help="Task whose tools and world are served (default: the first).")]
    = None,
    transport: Annotated[str, typer.Option(help="stdio (launched by an MCP client) or http (streamable HTTP at /mcp).")]
    = "stdio",
    host: Annotated[str, typer.Option(help=HOST_HELP)] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (http transport).", min=1, max=65535)] = 8001,
) -> None:
    """Serve a suite's tools as an MCP server; every MCP session gets its own fresh world."""
    try:
        import mcp  # noqa: F401
    except ImportError:
        raise _missing("mcp", "mcp") from None
    from ..serve.mcp_server import create_mcp_server, run_stdio
    from ..suites import load_suite

    if transport not in ("stdio", "http"):
        raise UserError(f"--transport {transport!r}: use stdio or http")
    token = os.environ.get("TOOLGYM_ENV_TOKEN") or None
    if transport == "http":
        from ..serve import check_exposure

        check_exposure(host, token)
    the_suite = load_suite(suite)
    server = create_mcp_server(the_suite, task)
    if transport == "stdio":
        import anyio

        anyio.run(run_stdio, server)
        return
    from ..serve.network import bearer_guard, serve_app

    err_console.print(f"serving the tools of {the_suite.name} over MCP at http://{host}:{port}/mcp")
    serve_app(bearer_guard(server.streamable_http_app(host=host), token), host, port)
