"""`mcp:FILE` suites: tasks whose tools come from MCP servers, written as one YAML (or JSON) file.

```yaml
name: my-mcp-suite
servers:                       # name -> stdio command (`{python}` is this interpreter) or {url: ...}
  time: {command: "{python}", args: [-m, mcp_server_time, --local-timezone, UTC]}
workdir: {files: {a.txt: "hi"}, git: true}   # optional: a fresh directory per session
tasks:
  - id: tokyo
    prompt: "It is 14:00 UTC. What time is it in Asia/Tokyo?"
    servers: [time]            # default: every server
    facts: ["23:00"]           # must appear in the agent's answer
    required_tools: [convert_time]
    checks: [{name: git_log, arguments: {repo_path: "."}, contains: "Add notes"}]
```

The tools each task offers are listed from its servers when the suite loads (their schemas, as
the servers give them); a server that does not start is a UserError naming the file and the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..envs import MCPEnv, list_server_tools
from ..envs.mcp import MCPStartError
from ..errors import UserError
from ..types import Expected, Message, Task
from .suite import Suite

__all__ = ["load_mcp_suite"]

_TASK_KEYS = {"id", "prompt", "system", "servers", "facts", "required_tools", "checks", "workdir", "category", "split"}


def load_mcp_suite(path: Path, name: str | None = None) -> Suite:
    """The suite in `path`; UserErrors name the file, the task and the field."""
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as e:
        raise UserError(f"{path}: cannot read the MCP suite file: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise UserError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("servers"), dict) or not isinstance(
            data.get("tasks"), list):
        raise UserError(f"{path}: an MCP suite is a mapping with `servers` (name -> command or url) and `tasks`")
    servers: dict[str, dict[str, Any]] = data["servers"]
    tools_by_servers: dict[tuple[str, ...], list[Any]] = {}
    tasks = []
    for i, entry in enumerate(data["tasks"]):
        where = f"{path}: tasks[{i}]"
        if not isinstance(entry, dict) or "id" not in entry or "prompt" not in entry:
            raise UserError(f"{where}: a task needs an `id` and a `prompt`")
        unknown = set(entry) - _TASK_KEYS
        if unknown:
            raise UserError(f"{where}: unknown keys {sorted(unknown)}; known: {sorted(_TASK_KEYS)}")
        names = tuple(entry.get("servers") or servers)
        missing = [n for n in names if n not in servers]
        if missing:
            raise UserError(f"{where}: unknown servers {missing}; the file defines {sorted(servers)}")
        workdir = entry.get("workdir", data.get("workdir"))
        chosen = {n: servers[n] for n in names}
        if names not in tools_by_servers:
            try:
                tools_by_servers[names] = list_server_tools(chosen, workdir)
            except MCPStartError as e:
                raise UserError(f"{path}: {e}") from None
        spec: dict[str, Any] = {"servers": chosen}
        for key in ("workdir", "checks", "required_tools"):
            value = workdir if key == "workdir" else entry.get(key)
            if value:
                spec[key] = value
        messages = ([Message(role="system", content=entry["system"])] if entry.get("system") else []) + [
            Message(role="user", content=entry["prompt"])]
        tasks.append(Task(id=str(entry["id"]), messages=messages, tools=tools_by_servers[names],
                          category=entry.get("category", names[0]), split=entry.get("split", "test"),
                          expected=Expected(facts=entry.get("facts", [])), metadata={"mcp": spec}))
    return Suite(name=name or data.get("name") or f"mcp:{path}", env=MCPEnv(), tasks=tasks)
