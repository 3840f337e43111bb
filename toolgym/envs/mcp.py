"""MCP-backed tools: a task's tools come from MCP servers (stdio commands or streamable-HTTP URLs).

A task names its servers in `metadata["mcp"]` (typed by `envs.task_metadata.MCPMetadata`), all plain
JSON so the task travels (JSONL, a remote environment, a TRL row):

| key in `metadata["mcp"]` | what                                                                         |
| ------------------------ | ---------------------------------------------------------------------------- |
| `servers`                | name -> `{"command", "args", "env", "cwd"}` (stdio) or `{"url", "headers"}`  |
|                          | (streamable HTTP; `${VAR}` in a header value reads the environment variable) |
| `workdir`                | optional `{"files": {path: text}, "git": true}`: a fresh directory per       |
|                          | session, written (and committed) before the servers start; `{workdir}` in a  |
|                          | server's args, env or cwd is replaced by its path                            |
| `checks`                 | outcome checks: `{"name", "arguments", "contains"` or `"absent"}`, calls     |
|                          | run after replaying the agent's calls on a fresh session                     |
| `required_tools`         | tool names the agent must have called successfully                           |

`{python}` in a command is this interpreter, so servers installed in toolgym's environment run
without being on PATH. Each episode gets its own session to every server (its own processes and
workdir), opened at reset and closed when the episode ends. A tool's error (`isError`, bad
arguments) is a `ToolError`, shown to the model as the tool message. A server that does not start
is an `InfraError` naming the server, its command and the end of its stderr (`UserError` when
loading a suite, where the fix is the suite's).

Verification, like the stateful environment's, is by outcome: facts in the agent's messages
(`expected.facts`), required tools, and checks on the world after the agent's answered calls are
replayed on a fresh session.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from ..errors import InfraError, ToolError, UserError
from ..types import FailureKind, Message, Task, Tool, ToolCall, Verdict
from .environment import Environment, Episode
from .stateful import executed_calls
from .task_metadata import MCPMetadata, MCPSpec

__all__ = ["MCPEnv", "MCPEpisode", "MCPSession", "list_server_tools"]

_START_TIMEOUT_S = 60.0
_CALL_TIMEOUT_S = 60.0


def _need_mcp() -> Any:
    try:
        import mcp
    except ImportError:
        raise UserError("MCP tools need the `mcp` package; install it with `pip install 'toolgym[mcp]'`") from None
    return mcp


class MCPStartError(Exception):
    """A server did not start or did not complete the MCP handshake."""


class MCPSession:
    """Open MCP client sessions to some servers, run on a private event-loop thread so callers stay synchronous.

    The SDK is asyncio-based and its transports must be entered and left in one task: one owner task
    holds them open until `close()`, and calls run as further tasks on the same loop.
    """

    def __init__(self, servers: dict[str, dict[str, Any]], workdir: dict[str, Any] | None = None) -> None:
        _need_mcp()
        self.servers = servers
        self.workdir_spec = workdir
        self.workdir: Path | None = None
        self.tools: list[Tool] = []
        self._owner: dict[str, Any] = {}  # tool name -> (server name, session)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="toolgym-mcp")
        self._stop: asyncio.Event | None = None
        self._main: concurrent.futures.Future[None] | None = None
        self._logs: dict[str, Path] = {}
        self._closed = False
        self._problem: str | None = None

    def open(self) -> MCPSession:
        """Start every server and list its tools; MCPStartError names the server that failed."""
        if self.workdir_spec is not None:
            self.workdir = _make_workdir(self.workdir_spec)
        self._thread.start()
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._main = asyncio.run_coroutine_threadsafe(self._hold(ready), self._loop)
        try:
            ready.result()
        except BaseException:
            self.close()
            raise
        return self

    def call(self, name: str, arguments: dict[str, Any]) -> str:
        """Call a tool; its text result, or ToolError with the server's error text."""
        found = self._owner.get(name)
        if found is None:
            known = ", ".join(t.name for t in self.tools)
            raise ToolError(f"unknown tool {name!r}; the tools are: {known}")
        server, session = found
        future = asyncio.run_coroutine_threadsafe(session.call_tool(name, arguments), self._loop)
        try:
            result = future.result(timeout=_CALL_TIMEOUT_S)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise InfraError(f"MCP server {server!r}: tool {name} did not answer in {_CALL_TIMEOUT_S:g} s") from None
        except Exception as e:  # the protocol's error for a bad call (unknown tool, invalid params)
            raise ToolError(f"{type(e).__name__}: {e}") from None
        text = _result_text(result)
        if getattr(result, "is_error", False) or getattr(result, "isError", False):
            raise ToolError(text)
        return text

    def close(self) -> None:
        """Stop the servers (their processes end) and remove the workdir; a second close does nothing."""
        if self._closed:
            return
        self._closed = True
        if self._main is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            try:
                self._main.result(timeout=20)
            except BaseException:  # noqa: BLE001 (a server that dies while closing changes nothing)
                pass
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        if not self._loop.is_running():
            self._loop.close()
        for log in self._logs.values():
            log.unlink(missing_ok=True)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    async def _hold(self, ready: concurrent.futures.Future[None]) -> None:
        from mcp import ClientSession

        self._stop = asyncio.Event()
        try:
            async with AsyncExitStack() as stack:
                for name, spec in self.servers.items():
                    try:
                        streams = await stack.enter_async_context(self._transport(name, spec))
                        session = await stack.enter_async_context(ClientSession(streams[0], streams[1]))
                        await asyncio.wait_for(session.initialize(), _START_TIMEOUT_S)
                        listed = await asyncio.wait_for(session.list_tools(), _START_TIMEOUT_S)
                    except Exception as e:
                        self._problem = self._start_problem(name, spec, e)
                        raise MCPStartError(self._problem) from None
                    for tool in listed.tools:
                        if tool.name in self._owner:
                            self._problem = (f"MCP servers {self._owner[tool.name][0]!r} and {name!r} both offer "
                                             f"a tool named {tool.name!r}; use one of them per task")
                            raise MCPStartError(self._problem)
                        self._owner[tool.name] = (name, session)
                        schema = getattr(tool, "input_schema", None) or getattr(tool, "inputSchema", None) or {}
                        self.tools.append(Tool(name=tool.name, description=tool.description or "",
                                               parameters=dict(schema)))
                ready.set_result(None)
                await self._stop.wait()
        except BaseException as e:  # the SDK's task groups wrap our error in an ExceptionGroup: unwrap it
            if not ready.done():
                ready.set_exception(MCPStartError(self._problem) if self._problem else e)
            else:
                raise

    def _transport(self, name: str, spec: dict[str, Any]) -> Any:
        if "url" in spec:
            return self._http_transport(spec)
        if "command" not in spec:
            raise MCPStartError(f"MCP server {name!r}: give a `command` (stdio) or a `url` (streamable HTTP)")
        from mcp import StdioServerParameters, stdio_client

        log = Path(tempfile.mkstemp(prefix=f"toolgym-mcp-{name}-", suffix=".log")[1])
        self._logs[name] = log
        params = StdioServerParameters(
            command=self._fill(str(spec["command"])), args=[self._fill(str(a)) for a in spec.get("args", [])],
            env={k: self._fill(str(v)) for k, v in spec.get("env", {}).items()} or None,
            cwd=self._fill(str(spec["cwd"])) if spec.get("cwd") else None,
        )
        return stdio_client(params, errlog=log.open("w"))

    @asynccontextmanager
    async def _http_transport(self, spec: dict[str, Any]) -> AsyncIterator[Any]:
        import httpx2  # the MCP SDK's HTTP client
        from mcp.client.streamable_http import streamable_http_client

        # header values may name environment variables (`Bearer ${MY_TOKEN}`), so suite files hold no secrets
        headers = {str(k): os.path.expandvars(str(v)) for k, v in (spec.get("headers") or {}).items()}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=300.0)) as client:
            async with streamable_http_client(str(spec["url"]), http_client=client) as streams:
                yield streams

    def _fill(self, text: str) -> str:
        text = text.replace("{python}", sys.executable)
        if "{workdir}" in text:
            if self.workdir is None:
                raise MCPStartError(f"{text!r} uses {{workdir}} but the task gives no `workdir`")
            text = text.replace("{workdir}", str(self.workdir))
        return text

    def _start_problem(self, name: str, spec: dict[str, Any], error: Exception) -> str:
        where = spec.get("url") or " ".join([str(spec.get("command", "")), *map(str, spec.get("args", []))])
        reason = "did not answer the MCP handshake in time" if isinstance(error, TimeoutError) else (
            f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
        log = self._logs.get(name)
        tail = log.read_text(errors="replace").strip()[-400:] if log and log.exists() else ""
        return f"MCP server {name!r} ({where}) failed to start: {reason}" + (f"; its stderr: {tail}" if tail else "")


def list_server_tools(servers: dict[str, dict[str, Any]], workdir: dict[str, Any] | None = None) -> list[Tool]:
    """The tools the servers offer (their schemas), from one short session."""
    session = MCPSession(servers, workdir)
    try:
        session.open()
        return list(session.tools)
    finally:
        session.close()


class MCPEpisode(Episode):
    """One rollout's sessions to the task's servers."""

    def __init__(self, session: MCPSession) -> None:
        self.session = session

    def call(self, call: ToolCall) -> str:
        """Run one call on its server; the server's error text is a ToolError."""
        if call.positional:
            raise ToolError(f"{call.name}: pass arguments by name")
        return self.session.call(call.name, call.arguments)

    def close(self) -> None:
        """End the sessions (the server processes exit)."""
        self.session.close()


class MCPEnv(Environment):
    """Multi-turn tasks whose tools live on MCP servers, verified by facts, required tools and outcome checks."""

    kind = "mcp"
    single_turn = False
    blocking = True  # starting servers and calling them blocks: the engine uses worker threads

    def reset(self, task: Task) -> MCPEpisode:
        """Fresh sessions (and a fresh workdir) for one rollout; InfraError when a server does not start."""
        spec = mcp_spec(task)
        try:
            return MCPEpisode(MCPSession(spec.servers, spec.workdir).open())
        except MCPStartError as e:
            raise InfraError(f"task {task.id!r}: {e}") from None

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """Judge the transcript by its outcome: facts stated, required tools used, checks on the replayed world."""
        spec = mcp_spec(task)
        agent = transcript[len(task.messages):] if transcript[: len(task.messages)] == task.messages else transcript
        results: list[tuple[str, float, FailureKind, str | None]] = []
        if task.expected.facts:
            said = " ".join(" ".join(m.text.casefold().split()) for m in agent if m.role == "assistant")
            missing = [f for f in task.expected.facts if " ".join(f.casefold().split()) not in said]
            results.append(("facts", 1 - len(missing) / len(task.expected.facts), FailureKind.MISSING_FACT,
                            f"not stated: {', '.join(map(repr, missing))}" if missing else None))
        if spec.required_tools:
            used = _successful_calls(agent)
            missing = [n for n in spec.required_tools if n not in used]
            results.append(("tools", 1 - len(missing) / len(spec.required_tools), FailureKind.MISSING_ACTION,
                            f"tools not used successfully: {', '.join(missing)}" if missing else None))
        if spec.checks:
            failed = self._run_checks(task, spec, executed_calls(agent))
            results.append(("outcome", 1 - len(failed) / len(spec.checks), FailureKind.STATE_MISMATCH,
                            "; ".join(failed) or None))
        components = {name: value for name, value, _, _ in results}
        problems = [(kind, text) for _, _, kind, text in results if text]
        if not problems:
            return Verdict.ok("outcome reached", components=components)
        return Verdict.fail(problems[0][0], "; ".join(t for _, t in problems)[:500], components=components)

    def _run_checks(self, task: Task, spec: MCPSpec, calls: list[ToolCall]) -> list[str]:
        try:
            session = MCPSession(spec.servers, spec.workdir).open()
        except MCPStartError as e:
            raise InfraError(f"task {task.id!r}: verifying: {e}") from None
        try:
            for call in calls:
                try:
                    session.call(call.name, call.arguments)
                except ToolError:  # the agent saw this failure; it changed nothing it can be judged on
                    continue
            failed = []
            for i, check in enumerate(spec.checks):
                try:
                    text = session.call(check.name, check.arguments)
                except ToolError as e:
                    raise UserError(f"task {task.id!r}: metadata.mcp.checks[{i}] ({check.name}) fails: {e}; "
                                    "fix the check") from None
                if check.contains is not None and check.contains not in text:
                    failed.append(f"{check.name} does not show {check.contains!r}")
                if check.absent is not None and check.absent in text:
                    failed.append(f"{check.name} still shows {check.absent!r}")
            return failed
        finally:
            session.close()


def mcp_spec(task: Task) -> MCPSpec:
    """The task's `metadata["mcp"]`, typed (`MCPMetadata`); a UserError naming the task and the field otherwise."""
    return MCPMetadata.of(task).mcp


def _successful_calls(agent: list[Message]) -> set[str]:
    by_id = {c.id: c.name for m in agent if m.role == "assistant" for c in m.tool_calls}
    return {by_id.get(m.tool_call_id, m.name or "") for m in agent
            if m.role == "tool" and not m.text.startswith("Error:")}


def _result_text(result: Any) -> str:
    parts = []
    for item in getattr(result, "content", []) or []:
        text = getattr(item, "text", None)
        parts.append(text if isinstance(text, str) else json.dumps(item.model_dump(mode="json")))
    return "\n".join(parts)


def _make_workdir(spec: dict[str, Any]) -> Path:
    """A fresh directory with the spec's files (and a git repository with one commit, when `git` is set)."""
    root = Path(tempfile.mkdtemp(prefix="toolgym-mcp-work-"))
    for rel, text in (spec.get("files") or {}).items():
        path = (root / rel).resolve()
        if not path.is_relative_to(root.resolve()):
            raise UserError(f"workdir file {rel!r} is outside the workdir; give a relative path")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if spec.get("git"):
        env = {**os.environ, "GIT_AUTHOR_NAME": "toolgym", "GIT_AUTHOR_EMAIL": "toolgym@example.org",
               "GIT_COMMITTER_NAME": "toolgym", "GIT_COMMITTER_EMAIL": "toolgym@example.org",
               "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
        committed = spec.get("commit") or list(spec.get("files") or {})
        for argv in (["init", "-q", "-b", "main"], ["config", "user.name", "toolgym"],
                     ["config", "user.email", "toolgym@example.org"], ["add", "--", *committed],
                     ["commit", "-q", "-m", spec.get("message", "Initial commit")]):
            subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)
    return root
