"""The environment server: any suite's environment behind a JSON API (FastAPI), for trainers and harnesses.

Routes (all under `/v1`; the OpenAPI page is `/docs`, the schema `/openapi.json`):

| route                          | what                                                             |
| ------------------------------ | ---------------------------------------------------------------- |
| `GET /v1/suite`                | name, version, environment kind, single_turn, task count         |
| `GET /v1/tasks`                | tasks (messages, tools, expected outcome), paged, by split       |
| `POST /v1/episodes`            | reset: a new episode of a task; its id, messages and tools       |
| `POST /v1/episodes/{id}/step`  | tool calls in, tool results out, with the episode's state        |
| `DELETE /v1/episodes/{id}`     | close an episode (they also expire)                              |
| `POST /v1/verify`              | a transcript -> the verdict (reward, components, failure)        |
| `POST /v1/reward`              | stateless: completions of tasks -> rewards, many in one request  |

A tool's failure is part of the step's answer (`error`, with the text the agent loop would show the
model), never an HTTP error. Bad requests get a 4xx whose `detail` says what is wrong; an
unexpected failure gets a 500 with a one-line `detail` (the traceback stays in the server log).
When a token is set, every `/v1` route wants `Authorization: Bearer TOKEN`. A task only the agent loop
can play (tools that change between user turns, prerequisite conversations:
`Environment.needs_agent_loop`) is refused when an episode of it is opened, with the reason.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from .._version import __version__
from ..envs import Environment
from ..errors import InfraError, ToolError, UserError
from ..models import TOOL_PARSERS
from ..suites import Suite
from ..train.rewards import completion_messages
from ..types import Content, Message, Task, Tool, ToolCall, Verdict
from .episodes import EpisodeTable, TooManyEpisodes

__all__ = ["create_env_app"]

log = logging.getLogger(__name__)

Mode = Literal["toolgym", "bfcl"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class SuiteInfo(_Body):
    """What the server serves."""

    name: str
    """The suite's name as the server loaded it."""
    version: str
    """Content hash of the tasks; equal to the local suite's."""
    environment: str
    """Environment kind that runs and verifies the tasks."""
    single_turn: bool
    """True when an episode ends at the first assistant turn (function calling)."""
    tasks: int
    """Number of tasks, both splits."""
    categories: list[str]
    """Category names."""
    toolgym_version: str
    """The server's toolgym version."""


class TaskPage(_Body):
    """One page of tasks."""

    tasks: list[Task]
    """Tasks from `offset`."""
    total: int
    """Tasks in the split (all pages)."""


class ResetRequest(_Body):
    """Open an episode."""

    task_id: str
    """The task to play."""
    mode: Mode = "toolgym"
    """Verifier mode of the environment that runs the episode."""


class ResetResponse(_Body):
    """A new episode."""

    episode_id: str
    """Id for `step` and `DELETE`; random, so unguessable."""
    messages: list[Message]
    """The task's initial messages."""
    tools: list[Tool]
    """The tools the agent may call."""
    expires_in_s: float
    """Seconds of inactivity after which the episode is closed."""


class StepRequest(_Body):
    """Tool calls of one assistant turn."""

    tool_calls: list[ToolCall] = Field(min_length=1)
    """Calls to run, in order."""


class ToolResult(_Body):
    """The answer to one call."""

    tool_call_id: str | None
    """The call's id."""
    name: str
    """The tool called."""
    content: Content | None = None
    """The tool's result, when it succeeded: text, or text and image parts."""
    error: str | None = None
    """Why it failed (the model sees `Error: ` and this), when it failed."""


class StepResponse(_Body):
    """Results of the calls and where the episode stands."""

    results: list[ToolResult]
    """One per call, in order."""
    messages: list[Message]
    """The results as tool messages, ready to append to the transcript."""
    state: Any = None
    """The episode's state after the calls (stateful environments), else null."""


class VerifyRequest(_Body):
    """A finished transcript."""

    task_id: str
    """The task it attempts."""
    transcript: list[Message]
    """The whole conversation, the task's messages included."""
    mode: Mode = "toolgym"
    """Verifier mode."""


class RewardRequest(_Body):
    """Completions to score without an episode (single-turn tasks, or finished multi-turn completions)."""

    task_ids: list[str] = Field(min_length=1, max_length=10_000)
    """One task id per completion."""
    completions: list[str | list[dict[str, Any]]]
    """Text completions, or chat message lists (TRL's conversational format)."""
    parser: str = "hermes"
    """Tool-call parser for completion text."""
    mode: Mode = "toolgym"
    """Verifier mode."""


class RewardResponse(_Body):
    """Rewards in request order."""

    rewards: list[float | None]
    """The verifier's reward; null where the verifier raised (its bug, logged), never a silent 0."""


def create_env_app(
    suite: Suite,
    *,
    token: str | None = None,
    max_episodes: int = 1024,
    ttl_s: float = 600.0,
    environment: Callable[[str], Environment] | None = None,
) -> FastAPI:
    """The FastAPI app serving `suite`.

    Args:
        suite: The suite whose tasks and environment are served.
        token: Bearer token every `/v1` route requires; None serves without one (loopback only, see the CLI).
        max_episodes: Open episodes at most; more are refused with 429.
        ttl_s: Seconds of inactivity after which an episode expires.
        environment: Builds the environment for a verifier mode (default: the suite's own, `suite.env`).
    """
    tasks = {t.id: t for t in suite.tasks}
    build = environment or suite.env.with_mode
    envs: dict[str, Environment] = {}
    table = EpisodeTable(max_episodes, ttl_s)

    def env_for(mode: str) -> Environment:
        if mode not in envs:
            envs[mode] = build(mode)
        return envs[mode]

    def task_for(task_id: str) -> Task:
        found = tasks.get(task_id)
        if found is None:
            raise HTTPException(404, f"unknown task {task_id!r}; GET /v1/tasks lists the {len(tasks)} task ids")
        return found

    def authorised(request: Request) -> None:
        if token is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
            raise HTTPException(401, "missing or wrong bearer token (send Authorization: Bearer TOKEN)",
                                headers={"WWW-Authenticate": "Bearer"})

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202 (FastAPI's lifespan protocol)
        yield
        table.close_all()

    app = FastAPI(title=f"toolgym environment: {suite.name}", version=__version__, lifespan=lifespan,
                  description=__doc__)
    app.state.episodes = table
    guarded = [Depends(authorised)]

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(InfraError)
    async def infra_error(request: Request, exc: InfraError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"detail": f"internal error: {type(exc).__name__}: {exc}"[:500]}, status_code=500)

    @app.get("/v1/suite", dependencies=guarded)
    def suite_info() -> SuiteInfo:
        """What this server serves."""
        return SuiteInfo(name=suite.name, version=suite.version, environment=suite.environment,
                         single_turn=env_for("toolgym").single_turn, tasks=len(tasks),
                         categories=suite.categories(), toolgym_version=__version__)

    @app.get("/v1/tasks", dependencies=guarded)
    def list_tasks(
        split: Literal["train", "test"] | None = None,
        offset: int = Query(0, ge=0),
        limit: int = Query(500, ge=1, le=5000),
    ) -> TaskPage:
        """Tasks of one split (or all), from `offset`."""
        chosen = suite.split(split)
        return TaskPage(tasks=list(chosen[offset : offset + limit]), total=len(chosen))

    @app.post("/v1/episodes", dependencies=guarded)
    def reset(body: ResetRequest) -> ResetResponse:
        """Open an episode of a task: a private copy of its world."""
        task = task_for(body.task_id)
        env = env_for(body.mode)
        refused = env.needs_agent_loop(task)
        if refused:
            raise UserError(f"{refused}; the environment server opens one episode with one list of tools, "
                            "so run this suite with `toolgym eval` (the agent loop) instead")
        episode = env.reset(task)
        try:
            episode_id = table.open(episode, task.id)
        except TooManyEpisodes as e:
            episode.close()
            raise HTTPException(429, str(e)) from None
        return ResetResponse(episode_id=episode_id, messages=task.messages, tools=task.tools, expires_in_s=ttl_s)

    @app.post("/v1/episodes/{episode_id}/step", dependencies=guarded)
    def step(episode_id: str, body: StepRequest) -> StepResponse:
        """Run tool calls in the episode, in order; a failing call is an `error` result, not an HTTP error."""
        found = table.get(episode_id)
        if found is None:
            raise HTTPException(404, f"no open episode {episode_id!r} (closed, expired after {ttl_s:g} s idle, "
                                     "or never opened); open one with POST /v1/episodes")
        results = []
        with found.lock:
            for call in body.tool_calls:
                results.append(_run_call(found.episode, call))
            state = _json_state(found.episode)
        messages = [Message(role="tool", content=r.content if r.error is None else f"Error: {r.error}",
                            tool_call_id=r.tool_call_id, name=r.name) for r in results]
        return StepResponse(results=results, messages=messages, state=state)

    @app.delete("/v1/episodes/{episode_id}", dependencies=guarded, status_code=204)
    def close(episode_id: str) -> None:
        """Close an episode and free its state."""
        if not table.close(episode_id):
            raise HTTPException(404, f"no open episode {episode_id!r}")

    @app.post("/v1/verify", dependencies=guarded)
    def verify(body: VerifyRequest) -> Verdict:
        """The verdict on a finished transcript."""
        return env_for(body.mode).verify(task_for(body.task_id), body.transcript)

    @app.post("/v1/reward", dependencies=guarded)
    def reward(body: RewardRequest) -> RewardResponse:
        """Rewards of completions, as `EnvironmentReward` gives them to TRL (undecodable calls get 0)."""
        if len(body.completions) != len(body.task_ids):
            raise HTTPException(422, f"{len(body.task_ids)} task_ids but {len(body.completions)} completions; "
                                     "give one task id per completion")
        TOOL_PARSERS.get(body.parser)
        env = env_for(body.mode)
        chosen = [task_for(i) for i in body.task_ids]
        return RewardResponse(rewards=[_reward(env, t, c, body.parser) for t, c in zip(chosen, body.completions,
                                                                                          strict=True)])

    return app


def _run_call(episode: Any, call: ToolCall) -> ToolResult:
    """One call, its failure caught and worded as the agent loop words it (`run/loop.py`)."""
    try:
        return ToolResult(tool_call_id=call.id, name=call.name, content=episode.call(call))
    except InfraError:
        raise
    except ToolError as e:
        return ToolResult(tool_call_id=call.id, name=call.name, error=str(e))
    except Exception as e:  # a bad call or a tool bug: the model sees it, as in a local episode
        log.warning("tool %s raised %s: %s", call.name, type(e).__name__, e)
        return ToolResult(tool_call_id=call.id, name=call.name, error=f"{type(e).__name__}: {e}")


def _json_state(episode: Any) -> Any:
    state = getattr(episode, "state", None)
    return state if isinstance(state, dict | list | str | int | float | bool) else None


def _reward(env: Environment, task: Task, completion: str | list[dict[str, Any]], parser: str) -> float | None:
    answer = completion_messages(completion, parser)
    if any(m.parse_error for m in answer):
        return 0.0
    try:
        return env.verify(task, [*task.messages, *answer]).reward
    except Exception:  # a verifier bug is not the model's failure: null, logged
        log.exception("verifier failed on task %s", task.id)
        return None
