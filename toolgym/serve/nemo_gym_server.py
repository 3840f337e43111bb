"""A NeMo-Gym resources server around a toolgym suite, so NeMo-RL (through NeMo-Gym) trains on it.

NeMo-Gym splits a training environment into a model server, an agent server (e.g. its `simple_agent`)
and a resources server holding the tools and the verifier. The agent calls the resources server's
`/seed_session` with a dataset row, `/{tool_name}` with each tool call's JSON arguments, and `/verify`
with the row and the finished Responses-API output; a signed session cookie ties the calls of one
rollout together. `ToolgymResourcesServer` answers them from a toolgym suite:

* `/seed_session` resets the environment for the row's `task_id` (a private world per rollout);
* `/{tool_name}` runs the call on that world; a failing tool answers 400 with the text toolgym's agent
  loop would show the model (NeMo-Gym's agent passes the text on either way);
* `/verify` turns the output into a toolgym transcript and returns the suite verifier's reward, with
  `passed`, `failure`, `explanation` and the verdict's components beside it.

`nemo_gym_rows` writes a suite's split as NeMo-Gym dataset rows (`responses_create_params` with the
task's messages and tools, plus `task_id`). Any suite spec works, `remote:URL` included (the worlds then
live in `toolgym serve-env`).

nemo-gym needs Python >= 3.12 and pins `mcp<2`, `openai<=2.7.2`; it runs in its own environment with
toolgym installed without extras. This module imports only toolgym's core besides nemo-gym.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from nemo_gym.base_resources_server import (
    BaseResourcesServerConfig,
    BaseSeedSessionRequest,
    BaseSeedSessionResponse,
    BaseVerifyRequest,
    BaseVerifyResponse,
    SimpleResourcesServer,
)
from nemo_gym.server_utils import SESSION_ID_KEY
from pydantic import ConfigDict, Field, PrivateAttr
from starlette.concurrency import run_in_threadpool

from ..errors import UserError
from ..types import Message, Task, ToolCall
from .adapter_calls import call_tool, suite_tasks

__all__ = [
    "ToolgymResourcesServer",
    "ToolgymResourcesServerConfig",
    "ToolgymSeedSessionRequest",
    "ToolgymVerifyRequest",
    "ToolgymVerifyResponse",
    "nemo_gym_rows",
    "toolgym_transcript",
]


class ToolgymResourcesServerConfig(BaseResourcesServerConfig):
    """The server's settings, from NeMo-Gym's YAML config beside its host and port."""

    suite: str
    """A toolgym suite spec: `retail`, `fc-core`, `jsonl:FILE`, `remote:http://HOST:PORT`, ..."""
    mode: str = "toolgym"
    """toolgym's verifier mode for call matching (`toolgym` or `bfcl`)."""
    max_sessions: int = Field(1024, ge=1)
    """Open worlds kept at once; the least recently used is closed beyond it (a rollout never verified)."""


class ToolgymSeedSessionRequest(BaseSeedSessionRequest):
    """A dataset row: the toolgym task id, and whatever else the row carries."""

    model_config = ConfigDict(extra="allow")
    task_id: str


class ToolgymVerifyRequest(BaseVerifyRequest):
    """The row and the agent's finished output."""

    model_config = ConfigDict(extra="allow")
    task_id: str


class ToolgymVerifyResponse(BaseVerifyResponse):
    """The reward, and toolgym's verdict beside it."""

    model_config = ConfigDict(extra="allow")
    passed: bool
    failure: str | None = None
    explanation: str = ""
    components: dict[str, float] = Field(default_factory=dict)


class ToolgymResourcesServer(SimpleResourcesServer):
    """Tools and verifier of a toolgym suite behind NeMo-Gym's resources-server API."""

    config: ToolgymResourcesServerConfig
    _sessions: OrderedDict[str, Any] = PrivateAttr(default_factory=OrderedDict)

    def setup_webserver(self) -> FastAPI:
        """NeMo-Gym's routes, then one route for every tool (registered last, so it shadows none)."""
        app = super().setup_webserver()
        app.post("/{tool_name}")(self.call_tool)
        return app

    async def seed_session(self, request: Request, body: ToolgymSeedSessionRequest) -> BaseSeedSessionResponse:
        """Open the rollout's world: a fresh episode of the row's task."""
        tasks, task = self._task(body.task_id)
        episode = await run_in_threadpool(tasks.env.reset, task)
        self._remember(request.session[SESSION_ID_KEY], episode)
        return BaseSeedSessionResponse()

    async def call_tool(self, tool_name: str, request: Request) -> PlainTextResponse:
        """One tool call on the session's world: 200 with the result, 400 with the failure text."""
        episode = self._sessions.get(request.session[SESSION_ID_KEY])
        if episode is None:
            return PlainTextResponse("Error: no open toolgym episode for this session; call /seed_session first",
                                     status_code=409)
        self._sessions.move_to_end(request.session[SESSION_ID_KEY])
        try:
            arguments = await request.json()
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            return PlainTextResponse(f"Error: the arguments of {tool_name} must be a JSON object", status_code=400)
        text, failed = await run_in_threadpool(call_tool, episode, ToolCall(name=tool_name, arguments=arguments))
        return PlainTextResponse(text, status_code=400 if failed else 200)

    async def verify(self, request: Request, body: ToolgymVerifyRequest) -> ToolgymVerifyResponse:
        """Toolgym's verdict on the output; the session's world is closed (the rollout is over)."""
        tasks, task = self._task(body.task_id)
        output = [item.model_dump(mode="json") for item in body.response.output]
        transcript = toolgym_transcript(task, output, single_turn=tasks.env.single_turn)
        verdict = await run_in_threadpool(tasks.env.verify, task, transcript)
        episode = self._sessions.pop(request.session.get(SESSION_ID_KEY, ""), None)
        if episode is not None:
            await run_in_threadpool(episode.close)
        return ToolgymVerifyResponse(**body.model_dump(), reward=verdict.reward, passed=verdict.passed,
                                     failure=verdict.failure, explanation=verdict.explanation,
                                     components=verdict.components)

    def _task(self, task_id: str) -> tuple[Any, Task]:
        tasks = suite_tasks(self.config.suite, self.config.mode)
        try:
            return tasks, tasks.task(task_id)
        except UserError as e:  # a row from another suite: the caller's mistake, said as a 404
            raise HTTPException(404, str(e)) from None

    def _remember(self, session_id: str, episode: Any) -> None:
        old = self._sessions.pop(session_id, None)
        if old is not None:
            old.close()
        self._sessions[session_id] = episode
        while len(self._sessions) > self.config.max_sessions:
            self._sessions.popitem(last=False)[1].close()


def nemo_gym_rows(spec: str, split: str | None = "train", mode: str = "toolgym") -> list[dict[str, Any]]:
    """The tasks of `spec` (one split, or all for None) as NeMo-Gym dataset rows, one dict per task.

    Examples:
        >>> rows = nemo_gym_rows("fc-core", "test")
        >>> sorted(rows[0]), rows[0]["responses_create_params"]["input"][-1]["role"]
        (['responses_create_params', 'task_id'], 'user')
    """
    tasks = suite_tasks(spec, mode)
    return [{"responses_create_params": {"input": [_input_message(task, m) for m in task.messages],
                                         "tools": [{"type": "function", "name": t.name, "description": t.description,
                                                    "parameters": t.parameters, "strict": False} for t in task.tools]},
             "task_id": task.id} for task in tasks.suite.split(split)]


def _input_message(task: Task, message: Message) -> dict[str, Any]:
    if message.images:
        raise UserError(f"task {task.id!r}: image content is not converted to NeMo-Gym rows yet; "
                        "use a text-only suite")
    return {"role": message.role, "content": message.text, "type": "message"}


def toolgym_transcript(task: Task, output: list[dict[str, Any]], *, single_turn: bool = False) -> list[Message]:
    """The toolgym transcript of a Responses-API output: the task's messages, then the output's turns.

    Consecutive `message` and `function_call` items form one assistant turn, a `function_call_output`
    is a tool message; reasoning items are left out. Arguments that are not a JSON object make the turn
    a parse error, as toolgym's parsers would. Single-turn suites keep only the first assistant turn.
    """
    out: list[Message] = list(task.messages)
    turn: dict[str, Any] | None = None
    names: dict[str, str] = {}

    def flush() -> None:
        nonlocal turn
        if turn is not None:
            out.append(Message(role="assistant", content=turn["text"] or None, tool_calls=turn["calls"],
                               parse_error="; ".join(turn["errors"]) or None))
            turn = None

    for item in output:
        kind = item.get("type")
        if kind == "message" and item.get("role", "assistant") == "assistant":
            if turn is not None and turn["calls"]:
                flush()
            turn = turn or {"text": "", "calls": [], "errors": []}
            turn["text"] += "".join(part.get("text", "") for part in item.get("content") or [])
        elif kind == "function_call":
            turn = turn or {"text": "", "calls": [], "errors": []}
            names[item["call_id"]] = item["name"]
            _add_call(turn, item)
        elif kind == "function_call_output":
            flush()
            out.append(Message(role="tool", content=item.get("output", ""), tool_call_id=item["call_id"],
                               name=names.get(item["call_id"])))
    flush()
    if single_turn:
        first = next((i for i in range(len(task.messages), len(out)) if out[i].role == "assistant"), len(out))
        out = out[: first + 1]
    return out


def _add_call(turn: dict[str, Any], item: dict[str, Any]) -> None:
    try:
        arguments = json.loads(item.get("arguments") or "{}")
    except json.JSONDecodeError as e:
        turn["errors"].append(f"{item['name']}: arguments are not JSON ({e})")
        return
    if not isinstance(arguments, dict):
        turn["errors"].append(f"{item['name']}: arguments are {type(arguments).__name__}, not a JSON object")
        return
    turn["calls"].append(ToolCall(name=item["name"], arguments=arguments, id=item["call_id"]))
