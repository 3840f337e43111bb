"""`toolgym serve-mcp`: a suite's tools as an MCP server, so agents in other harnesses can act in toolgym's worlds.

The tools of one task (`--task`, default the suite's first task) are listed with their JSON
schemas; each MCP session gets its own episode of that task, so a stateful world (a retail
database, a file tree) is private to the session and starts fresh for the next one. A tool's
failure is an MCP tool error (`isError`, the message the model would see in toolgym), never a
protocol error. Suites whose tools have no implementation (function calling: the call is the
answer) cannot be served.

Transports: stdio (what MCP clients launch) and streamable HTTP (`/mcp`; one world per MCP session
id, at most `max_worlds`, least recently used closed first).
Built on the official SDK's low-level `Server` (mcp >= 2), because the tools are schemas
known at run time, not Python functions.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from ..envs import Environment, Episode
from ..errors import ToolError, UserError
from ..suites import Suite
from ..types import Task, ToolCall

__all__ = ["create_mcp_server", "served_task"]

log = logging.getLogger(__name__)


def served_task(suite: Suite, task_id: str | None) -> Task:
    """The task whose tools and world are served; a UserError naming the suite otherwise."""
    if task_id is None:
        if not suite.tasks:
            raise UserError(f"suite {suite.name!r} has no tasks to serve")
        return suite.tasks[0]
    found = next((t for t in suite.tasks if t.id == task_id), None)
    if found is None:
        some = ", ".join(t.id for t in list(suite.tasks)[:5])
        raise UserError(f"--task {task_id!r} is not in suite {suite.name!r}; its tasks include: {some}, ...")
    return found


def create_mcp_server(
    suite: Suite, task_id: str | None = None, env: Environment | None = None, max_worlds: int = 1024
) -> Any:
    """An `mcp.server.lowlevel.Server` offering the served task's tools, one episode per MCP session.

    At most `max_worlds` sessions keep a world; beyond that the least recently used one is closed.
    """
    import anyio
    import mcp_types as types
    from mcp.server.lowlevel import Server

    task = served_task(suite, task_id)
    env = env or suite.env
    if env.single_turn:
        raise UserError(f"suite {suite.name!r} ({suite.environment}) has no tool implementations: its calls are "
                        "answers, not actions; serve a stateful suite (retail, files) or code")
    refused = env.needs_agent_loop(task)
    if refused:
        raise UserError(f"{refused}; an MCP server lists one set of tools for one episode, so run this suite "
                        "with `toolgym eval` (the agent loop) instead")
    episodes: OrderedDict[Any, Episode] = OrderedDict()
    listed = [types.Tool(name=t.name, description=t.description, input_schema=t.parameters) for t in task.tools]

    def episode_for(key: Any) -> Episode:
        found = episodes.get(key)
        if found is None:
            found = episodes[key] = env.reset(task)
            while len(episodes) > max_worlds:  # the least recently used world goes first
                episodes.popitem(last=False)[1].close()
        episodes.move_to_end(key)
        return found

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=listed)

    async def call_tool(ctx: Any, params: Any) -> Any:
        episode = episode_for(_session_key(ctx))
        call = ToolCall(name=params.name, arguments=dict(params.arguments or {}))
        try:
            text = await anyio.to_thread.run_sync(episode.call, call)
            error = False
        except ToolError as e:
            text, error = str(e), True
        except Exception as e:  # a bad call or a tool bug: an MCP tool error, worded as toolgym shows it
            log.warning("tool %s raised %s: %s", call.name, type(e).__name__, e)
            text, error = f"{type(e).__name__}: {e}", True
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=error)

    return Server(f"toolgym-{suite.name}", on_list_tools=list_tools, on_call_tool=call_tool)


def _session_key(ctx: Any) -> Any:
    """The MCP session a request belongs to: its `mcp-session-id` over HTTP, the session object on stdio.

    Over streamable HTTP each request gets a new ServerSession object, so only the header is stable.
    """
    request = getattr(ctx, "request", None)
    session_id = request.headers.get("mcp-session-id") if request is not None else None
    return session_id or ctx.session


async def run_stdio(server: Any) -> None:
    """Serve one client over stdin/stdout until it disconnects."""
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
