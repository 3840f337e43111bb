"""Services: a suite's environment over HTTP (`serve-env`), its tools over MCP (`serve-mcp`), trainer adapters.

FastAPI, uvicorn and the MCP SDK are optional extras (`toolgym[server]`, `toolgym[mcp]`); importing
this package needs FastAPI.
"""

from .env_app import create_env_app
from .episodes import EpisodeTable, TooManyEpisodes
from .network import check_exposure, is_loopback, listening_socket, serve_app

__all__ = [
    "EpisodeTable",
    "TooManyEpisodes",
    "check_exposure",
    "create_env_app",
    "is_loopback",
    "listening_socket",
    "serve_app",
]
