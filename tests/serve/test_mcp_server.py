"""`toolgym serve-mcp`: a suite's tools over MCP, driven by the official `mcp` client over stdio and streamable HTTP."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytest.importorskip("mcp", reason="serve-mcp needs the mcp package (toolgym[mcp])")
pytest.importorskip("uvicorn", reason="serve-mcp's HTTP transport needs uvicorn (toolgym[server])")

from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from toolgym.envs import MCPEnv, StatefulEnv  # noqa: E402
from toolgym.errors import ToolError  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.types import Task, ToolCall  # noqa: E402

ENV = {**{k: v for k, v in os.environ.items() if k != "TOOLGYM_ENV_TOKEN"}, "PYTHONPATH": os.getcwd()}
TOKEN = "mcp-test-token-0123456789abcdef"


def _text(result) -> str:
    return "\n".join(c.text for c in result.content)


def test_stdio_serves_a_stateful_task_as_a_local_episode_would():
    task = load_suite("retail").split("test")[0]
    local = StatefulEnv().reset(task)

    async def drive() -> list:
        params = StdioServerParameters(command=sys.executable, args=["-m", "toolgym", "serve-mcp", "retail",
                                                                      "--task", task.id], env=ENV)
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools
            results = [await session.call_tool(a.name, a.arguments) for a in task.expected.gold_actions]
            bad = await session.call_tool("get_order", {"order_id": 12})
            return [tools, results, bad]

    tools, results, bad = asyncio.run(drive())
    assert [t.name for t in tools] == [t.name for t in task.tools]
    assert tools[0].input_schema == task.tools[0].parameters
    assert [_text(r) for r in results] == [local.call(a) for a in task.expected.gold_actions]
    assert not any(r.is_error for r in results)
    assert bad.is_error and "must be a string" in _text(bad)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_server():
    """`toolgym serve-mcp files --transport http` in a subprocess, behind a bearer token."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "toolgym", "serve-mcp", "files", "--transport", "http",
                             "--port", str(port)], env=ENV | {"TOOLGYM_ENV_TOKEN": TOKEN},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url)
            break
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "serve-mcp did not start"
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_http_sessions_get_their_own_worlds(http_server):
    note = ToolCall(name="write_file", arguments={"path": "/home/user/new.txt", "content": "mine"})
    read = {"path": "/home/user/new.txt"}

    async def drive() -> tuple[str, str, str]:
        import httpx2

        client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})
        async with streamable_http_client(http_server, http_client=client) as a, \
                ClientSession(a[0], a[1]) as first, \
                streamable_http_client(http_server, http_client=client) as b, \
                ClientSession(b[0], b[1]) as second:
            await first.initialize()
            await second.initialize()
            await first.call_tool(note.name, note.arguments)
            return (_text(await first.call_tool("cat", read)), _text(await second.call_tool("cat", read)),
                    str((await second.call_tool("cat", read)).is_error))

    mine, theirs, error = asyncio.run(drive())
    assert mine == "mine"
    assert error == "True" and "new.txt" in theirs  # the other session's world has no such file


def test_http_transport_wants_the_token(http_server):
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = httpx.post(http_server, json=body, headers=headers)
        assert r.status_code == 401 and "bearer token" in r.json()["detail"]


def test_an_mcp_suite_reaches_a_streamable_http_server(http_server, tmp_path, monkeypatch):
    """MCP-backed tasks over a URL: toolgym as the client of (another) toolgym's MCP server."""
    import yaml

    path = tmp_path / "suite.yaml"
    monkeypatch.setenv("SERVE_MCP_TEST_TOKEN", TOKEN)
    server = {"url": http_server, "headers": {"Authorization": "Bearer ${SERVE_MCP_TEST_TOKEN}"}}
    path.write_text(yaml.safe_dump({"servers": {"files": server},
                                    "tasks": [{"id": "a", "prompt": "read todo", "facts": ["x"]}]}))
    assert TOKEN not in path.read_text()
    suite = load_suite(f"mcp:{path}")
    task: Task = suite.tasks[0]
    assert {"cat", "write_file", "ls"} <= {t.name for t in task.tools}
    episode = MCPEnv().reset(task)
    try:
        assert "todo.txt" in episode.call(ToolCall(name="ls", arguments={"path": "/home/user"}))
        with pytest.raises(ToolError, match="nope"):
            episode.call(ToolCall(name="cat", arguments={"path": "/home/user/nope"}))
    finally:
        episode.close()


def test_suites_without_tool_implementations_are_refused():
    from toolgym.errors import UserError
    from toolgym.serve.mcp_server import create_mcp_server

    with pytest.raises(UserError, match="no tool implementations"):
        create_mcp_server(load_suite("fc-core"))
    with pytest.raises(UserError, match="--task 'nope' is not in suite 'retail'"):
        create_mcp_server(load_suite("retail"), "nope")
