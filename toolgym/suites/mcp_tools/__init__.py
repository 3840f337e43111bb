"""`mcp-tools`: a small suite over two third-party MCP servers from PyPI, `mcp-server-time` and `mcp-server-git`.

Time tasks use zones without daylight saving time, so their answers do not depend on the date.
Git tasks work on a fresh repository per session (one committed `README.md`, an untracked
`notes.txt`); their verifier replays the agent's calls on a fresh repository and checks the result
with the server's own tools (`git_log`, `git_branch`, `git_status`). Needs `pip install
'toolgym[mcp]' mcp-server-time mcp-server-git`.
"""

from __future__ import annotations

from pathlib import Path

from ..mcp_file import load_mcp_suite
from ..suite import Suite

__all__ = ["mcp_tools"]


def mcp_tools() -> Suite:
    """The bundled suite (its tools listed from the servers, which start for a moment)."""
    return load_mcp_suite(Path(__file__).with_name("tasks.json"), name="mcp-tools")
