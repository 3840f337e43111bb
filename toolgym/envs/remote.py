"""RemoteEnvironment: an environment served over HTTP by `toolgym serve-env`, used like a local one.

The server holds the tasks, the tool implementations and the verifier; this client speaks its JSON
API (`/v1/...`, see `toolgym/serve/env_app.py`) with httpx. `toolgym eval`, `data` and `train grpo`
reach it through the suite spec `remote:URL`, which lists the server's tasks and registers this
client as the suite's environment kind, so nothing downstream knows the environment is remote.

An episode opens on the server at its first tool call (single-turn tasks never open one) and is
closed when the agent loop ends it; the server also expires forgotten ones. A tool's failure comes
back as a `ToolError` with the text the local environment would have shown the model, so local and
remote transcripts are identical. Transport failures and 5xx answers are `InfraError`s (retried,
then recorded as infra errors); a 4xx answer is the caller's mistake and a `UserError` quoting the
server's message.

Examples:
    >>> env = RemoteEnvironment("http://127.0.0.1:8000", info={"single_turn": False, "environment": "stateful"})
    >>> env.single_turn, env.blocking
    (False, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from ..check import Mode
from ..errors import InfraError, ToolError, UserError
from ..types import Content, Message, Split, Task, ToolCall, Verdict
from .environment import Environment, Episode, ModeMixin, check_mode

__all__ = ["RemoteEnvironment", "RemoteEpisode"]

_PAGE = 500


class RemoteEnvironment(ModeMixin, Environment):
    """A client of `toolgym serve-env URL`.

    Args:
        url: The server's base URL (`http://127.0.0.1:8000`).
        mode: Verifier mode the server applies (`toolgym` or `bfcl`), as for a local environment.
        token: Bearer token, when the server requires one.
        info: The server's `/v1/suite` answer, when already fetched (saves a request).
        timeout_s: Per-request timeout in seconds.
    """

    blocking = True  # every call is a network round trip: the engine runs them in worker threads

    def __init__(
        self,
        url: str,
        mode: Mode = "toolgym",
        *,
        token: str | None = None,
        info: dict[str, Any] | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise UserError(f"remote environment URL {url!r} must start with http:// or https://")
        self.url = url.rstrip("/")
        self.mode: Mode = check_mode(mode, "remote environment")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout_s)
        self._info = info

    @property
    def info(self) -> dict[str, Any]:
        """The server's description of its suite: name, version, environment kind, single_turn, task count."""
        if self._info is None:
            self._info = self.request("GET", "/v1/suite")
        return self._info

    @property
    def single_turn(self) -> bool:  # type: ignore[override]
        """As the served environment: single-turn suites end at the first assistant turn."""
        return bool(self.info["single_turn"])

    def tasks(self, split: Split | None = None) -> list[Task]:
        """The served tasks (of one split, or all), fetched in pages."""
        out: list[Task] = []
        while True:
            params: dict[str, Any] = {"offset": len(out), "limit": _PAGE} | ({"split": split} if split else {})
            page = self.request("GET", "/v1/tasks", params=params)
            out.extend(Task.model_validate(t) for t in page["tasks"])
            if len(out) >= page["total"] or not page["tasks"]:
                return out

    def reset(self, task: Task) -> RemoteEpisode:
        """An episode of `task`; it opens on the server at its first tool call."""
        return RemoteEpisode(self, task.id)

    def verify(self, task: Task, transcript: list[Message]) -> Verdict:
        """The server's verdict on `transcript`."""
        body = {"task_id": task.id, "mode": self.mode,
                "transcript": [m.model_dump(mode="json", exclude_defaults=True) for m in transcript]}
        return Verdict.model_validate(self.request("POST", "/v1/verify", json=body))

    def rewards(
        self, task_ids: Sequence[str], completions: Sequence[Any], parser: str = "hermes"
    ) -> list[float | None]:
        """Rewards of single-turn completions (text, or chat message lists), scored on the server in one request."""
        body = {"task_ids": list(task_ids), "completions": list(completions), "parser": parser, "mode": self.mode}
        return self.request("POST", "/v1/reward", json=body)["rewards"]

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API request; its JSON answer, or the error the failure calls for."""
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as e:
            raise InfraError(f"remote environment {self.url}: {type(e).__name__}: {e}") from e
        if response.status_code < 400:
            return response.json() if response.content else None
        detail = _detail(response)
        where = f"remote environment {self.url}{path}"
        if response.status_code == 401:
            raise UserError(f"{where}: {detail}; set TOOLGYM_ENV_TOKEN to the server's token")
        if response.status_code in (404, 410) and "/episodes/" in path:
            raise InfraError(f"{where}: {detail}")  # the server expired or lost the episode
        if response.status_code == 429 or response.status_code >= 500:
            raise InfraError(f"{where}: HTTP {response.status_code}: {detail}")
        raise UserError(f"{where}: {detail}")


class RemoteEpisode(Episode):
    """One rollout's episode on the server."""

    def __init__(self, env: RemoteEnvironment, task_id: str) -> None:
        self.env = env
        self.task_id = task_id
        self.id: str | None = None
        self.state: Any = None
        """The episode's state as the server last reported it (stateful environments), else None."""

    def call(self, call: ToolCall) -> Content:
        """Run one call on the server; its failure raises `ToolError` with the text the model should see."""
        if self.id is None:
            opened = self.env.request("POST", "/v1/episodes", json={"task_id": self.task_id, "mode": self.env.mode})
            self.id = opened["episode_id"]
        body = {"tool_calls": [call.model_dump(mode="json", exclude_defaults=True)]}
        answer = self.env.request("POST", f"/v1/episodes/{self.id}/step", json=body)
        self.state = answer.get("state")
        result = answer["results"][0]
        if result.get("error") is not None:
            raise ToolError(result["error"])
        return Message(role="tool", content=result["content"]).content  # text, or parts (an image)

    def close(self) -> None:
        """Close the server's episode (if one was opened); a failure here loses nothing, the server expires it."""
        if self.id is None:
            return
        try:
            self.env.request("DELETE", f"/v1/episodes/{self.id}")
        except (InfraError, UserError):
            pass
        self.id = None


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, list):  # FastAPI's validation errors
        detail = "; ".join(f"{'.'.join(map(str, d.get('loc', [])))}: {d.get('msg')}" for d in detail)
    return str(detail or response.text[:300] or response.reason_phrase)
