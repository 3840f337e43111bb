"""Local models (`tiny`, `hf:PATH`) on a Ray cluster: the weights live in model-server actors.

A transformers model is too big to load in every rollout worker, so it loads once per server actor
(one per GPU of the cluster, each with `num_gpus=1`; one CPU actor where the cluster has no GPU).
Rollout workers reach it through `ActorModel`, which travels as actor handles. The server batches
concurrent requests exactly as `LocalModel` does in one process (an async actor's calls share one
event loop), so answers do not depend on the executor.
"""

from __future__ import annotations

import zlib
from typing import Any

import ray
from ray.exceptions import ActorDiedError, RayActorError, RayTaskError

from ...errors import InfraError, RunFailed, UserError
from ...models import Model, ModelOptions, load_model
from ...types import Completion, Message, SamplingConfig, Tool

__all__ = ["ActorModel", "ModelServer", "start_model_servers"]

#: how many times Ray restarts a model server whose process or node died (its unanswered calls are re-sent)
SERVER_RESTARTS = 3


class ModelServer:
    """A Ray actor holding one loaded backend; `generate` calls share its batching event loop."""

    def __init__(self, spec: str, options: ModelOptions) -> None:
        self.error: UserError | None = None
        try:
            self.model = load_model(spec, options)
        except UserError as e:  # kept for `describe`: a failed constructor would only say the actor died
            self.error = e

    async def describe(self) -> dict:
        """The backend's manifest entry; raises the `UserError` that stopped the model from loading."""
        if self.error is not None:
            raise self.error
        return self.model.describe()

    async def generate(
        self, messages: list[Message], tools: list[Tool], sampling: SamplingConfig, task_id: str | None, sample: int
    ) -> Completion:
        """One assistant turn."""
        return await self.model.generate(messages, tools, sampling, task_id=task_id, sample=sample)


class ActorModel(Model):
    """The `Model` rollout workers use for a model served by `ModelServer` actors."""

    def __init__(self, spec: str, servers: list[Any], described: dict) -> None:
        self.spec = spec
        self.servers = servers
        self._described = described

    async def generate(
        self,
        messages: list[Message],
        tools: list[Tool],
        sampling: SamplingConfig,
        *,
        task_id: str | None = None,
        sample: int = 0,
    ) -> Completion:
        """One turn on a server chosen by the request, so the turns of one rollout stay on one server."""
        server = self.servers[zlib.crc32(f"{task_id}:{sample}".encode()) % len(self.servers)]
        try:
            return await server.generate.remote(messages, tools, sampling, task_id, sample)
        except ActorDiedError:  # died once more than Ray restarts it: no later call can succeed
            raise RunFailed(f"the Ray model server of {self.spec} died and Ray's restarts of it "
                            f"({SERVER_RESTARTS}) are spent; what finished is stored: run the same command "
                            "again to resume") from None
        except RayActorError as e:  # unreachable for now (restarting, a network fault): this rollout retries on resume
            raise InfraError(f"the Ray model server of {self.spec} is unreachable: {type(e).__name__}") from None

    def describe(self) -> dict:
        """The backend's own manifest entry, as a local run records it."""
        return dict(self._described)


def start_model_servers(spec: str, options: ModelOptions) -> ActorModel:
    """Start the model's server actors (one per cluster GPU, else one on a CPU) and wait until they loaded."""
    gpus = int(ray.cluster_resources().get("GPU", 0))
    resources = {"num_gpus": 1} if gpus else {"num_cpus": 1}
    # Ray restarts a server whose process or node died and re-sends the calls it had not answered
    server_class = ray.remote(max_restarts=SERVER_RESTARTS, max_task_retries=SERVER_RESTARTS, **resources)(ModelServer)
    servers = [server_class.remote(spec, options) for _ in range(max(1, gpus))]
    try:
        described = ray.get(servers[0].describe.remote())  # waits for the weights: a load error surfaces here
    except RayTaskError as e:
        for server in servers:
            ray.kill(server)
        if isinstance(e.cause, UserError):  # a bad spec or directory: the same one line as a local run
            raise UserError(str(e.cause)) from None
        raise
    return ActorModel(spec, servers, described)
