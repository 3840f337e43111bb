"""MCP tools inside toolgym: real third-party MCP servers from PyPI (time, git) started by the tests."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("mcp", reason="MCP tools need the mcp package (toolgym[mcp])")
pytest.importorskip("mcp_server_time", reason="the MCP tests run the mcp-server-time package from PyPI")
pytest.importorskip("mcp_server_git", reason="the MCP tests run the mcp-server-git package from PyPI")

from tests.helpers.openai_server import calls, completion, tool_call  # noqa: E402
from toolgym.envs import MCPEnv  # noqa: E402
from toolgym.errors import InfraError, ToolError, UserError  # noqa: E402
from toolgym.models import ModelOptions  # noqa: E402
from toolgym.run import RunConfig, evaluate  # noqa: E402
from toolgym.store import Store  # noqa: E402
from toolgym.suites import Suite, load_suite  # noqa: E402
from toolgym.types import ToolCall  # noqa: E402


@pytest.fixture(scope="module")
def suite() -> Suite:
    return load_suite("mcp-tools")


def test_tools_and_schemas_come_from_the_servers(suite):
    time_task = next(t for t in suite.tasks if t.id == "time/kolkata")
    convert = next(t for t in time_task.tools if t.name == "convert_time")
    assert {"source_timezone", "time", "target_timezone"} <= set(convert.parameters["properties"])
    git_task = next(t for t in suite.tasks if t.id == "git/commit-notes")
    assert {"git_add", "git_commit", "git_log", "git_status"} <= {t.name for t in git_task.tools}
    assert time_task.metadata["mcp"]["servers"].keys() == {"time"}


def _agent(body):
    """A scripted agent: solves the time and commit tasks through the tools, answers the branch task in words."""
    messages = body["messages"]
    prompt = next(m["content"] for m in messages if m["role"] == "user")
    results = [m["content"] for m in messages if m["role"] == "tool"]
    if "Asia/Kolkata" in prompt and "14:00" in prompt:
        if not results:
            return calls(tool_call("convert_time", {"source_timezone": "UTC", "time": "14:00",
                                                    "target_timezone": "Asia/Kolkata"}, id="c1"))
        return completion(f"It is {json.loads(results[0])['target']['datetime'][11:16]} in Kolkata.")
    if "notes.txt" in prompt:
        steps = [("git_add", {"repo_path": ".", "files": ["notes.txt"]}),
                 ("git_commit", {"repo_path": ".", "message": "Add notes"}),
                 ("git_nonexistent", {})]
        if len(results) < len(steps):
            name, arguments = steps[len(results)]
            return calls(tool_call(name, arguments, id=f"g{len(results)}"))
        return completion("Committed.")
    return completion("I created the branch.")  # claims it, never does it


def test_eval_plays_mcp_tasks_and_verifies_outcomes(suite, tmp_path, openai_server):
    openai_server.responder = _agent
    chosen = [t for t in suite.tasks if t.id in ("time/kolkata", "git/commit-notes", "git/branch")]
    small = Suite(name="mcp-tools", environment="mcp", tasks=chosen)
    db = str(tmp_path / "r.db")
    run = evaluate(RunConfig(suite="mcp-tools", model="openai:m", db=db, concurrency=3),
                   options=ModelOptions(base_url=openai_server.url, api_key="x"), suite=small)
    with Store(db) as store:
        verdicts = {r.task_id: store.verdict(run.id, r.task_id) for r in store.results(run.id)}
        commit = store.rollout(run.id, "git/commit-notes")
    assert verdicts["time/kolkata"].passed and verdicts["time/kolkata"].components == {"facts": 1.0, "tools": 1.0}
    assert verdicts["git/commit-notes"].passed
    assert not verdicts["git/branch"].passed and verdicts["git/branch"].failure.value == "state_mismatch"
    assert "feature/search" in verdicts["git/branch"].explanation
    tool_messages = [m.content for m in commit.messages if m.role == "tool"]
    assert tool_messages[0] == "Files staged successfully"
    assert re.match(r"Changes committed successfully with hash [0-9a-f]{40}", tool_messages[1])
    assert tool_messages[2].startswith("Error:") and "git_nonexistent" in tool_messages[2]  # a tool message


def test_tool_errors_become_tool_errors(suite):
    task = next(t for t in suite.tasks if t.id == "time/kolkata")
    episode = MCPEnv().reset(task)
    try:
        with pytest.raises(ToolError, match="timezone"):
            episode.call(ToolCall(name="convert_time", arguments={"time": "14:00"}))
        with pytest.raises(ToolError, match="Invalid timezone|Europe/Nowhere"):
            episode.call(ToolCall(name="get_current_time", arguments={"timezone": "Europe/Nowhere"}))
        with pytest.raises(ToolError, match="unknown tool 'nope'"):
            episode.call(ToolCall(name="nope"))
        assert "Asia/Kolkata" in episode.call(ToolCall(name="get_current_time", arguments={"timezone": "Asia/Kolkata"}))
    finally:
        episode.close()


def test_start_up_failures_are_located_errors(tmp_path, suite):
    path = tmp_path / "broken.yaml"
    path.write_text("servers:\n  gone: {command: /no/such/mcp-server}\ntasks:\n  - {id: a, prompt: hi}\n")
    with pytest.raises(UserError, match=r"broken.yaml: MCP server 'gone' \(/no/such/mcp-server\) failed to start"):
        load_suite(f"mcp:{path}")
    crash = "import sys; sys.exit('boom: no config')"
    path.write_text(f'servers:\n  crash: {{command: "{{python}}", args: [-c, "{crash}"]}}\n'
                    "tasks:\n  - {id: a, prompt: hi}\n")
    with pytest.raises(UserError, match="MCP server 'crash' .* failed to start.*boom: no config"):
        load_suite(f"mcp:{path}")
    path.write_text("servers: {}\ntasks:\n  - {id: a, prompt: hi, servers: [nope]}\n")
    with pytest.raises(UserError, match=r"tasks\[0\]: unknown servers \['nope'\]"):
        load_suite(f"mcp:{path}")
    # at episode time the same failure is an infrastructure error, recorded and never a crash
    task = suite.tasks[0].model_copy(update={"metadata": {"mcp": {"servers": {"gone": {"command": "/no/such"}}}}})
    with pytest.raises(InfraError, match="MCP server 'gone'"):
        MCPEnv().reset(task)
