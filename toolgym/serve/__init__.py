"""Services: a suite's environment over HTTP (`serve-env`), its tools over MCP (`serve-mcp`), trainer adapters.

FastAPI, uvicorn and the MCP SDK are optional extras (`toolgym[server]`, `toolgym[mcp]`). The names
below are imported on first use, so the trainer adapters (`verifiers_env`, `nemo_gym_server`) load in
those frameworks' own environments, which need not have FastAPI or the MCP version toolgym uses.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EpisodeTable",
    "TooManyEpisodes",
    "check_exposure",
    "create_env_app",
    "is_loopback",
    "listening_socket",
    "serve_app",
]

_HOMES = {
    "create_env_app": "env_app",
    "EpisodeTable": "episodes",
    "TooManyEpisodes": "episodes",
    "check_exposure": "network",
    "is_loopback": "network",
    "listening_socket": "network",
    "serve_app": "network",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
