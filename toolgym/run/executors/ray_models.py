"""Local models (`tiny`, `hf:PATH`) on a Ray cluster: the weights live in model-server actors.

A transformers model is too big to load in every rollout worker, so it loads once per server actor:
one per GPU of the cluster, each with `num_gpus=1` (`ModelOptions.gpus_per_model` changes the share:
0.5 puts two servers on each GPU), and one CPU actor where the cluster has no GPU or the share is 0.
Every server also holds one CPU. Rollout workers reach the servers through `ActorModel`, which travels
as actor handles; an arena judge in the driver calls them the same way. The server batches
concurrent requests exactly as `LocalModel` does in one process (an async actor's calls share one
event loop), so answers do not depend on the executor.
"""

from __future__ import annotations

import logging
import math
import os
import zlib
from typing import Any

import ray
from ray.exceptions import ActorDiedError, RayActorError, RayTaskError

from ...errors import InfraError, RunFailed, UserError
from ...models import Model, ModelOptions, load_model
from ...types import Completion, Message, SamplingConfig, Tool

__all__ = ["ActorModel", "ModelServer", "server_gpus", "start_model_servers"]

log = logging.getLogger(__name__)

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

    async def placement(self) -> dict:
        """Where this server runs: the GPU ids Ray gave it, CUDA_VISIBLE_DEVICES, and the device torch uses."""
        return {"gpus": [str(g) for g in ray.get_gpu_ids()], "cuda_visible_devices":
                os.environ.get("CUDA_VISIBLE_DEVICES"), "device": str(getattr(self.model, "device", "cpu"))}

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


def server_gpus(wanted: float | None) -> tuple[float, int]:
    """The GPUs each model server holds and how many servers the cluster (as it is now) fits.

    `wanted` None means 1 where a node has a whole GPU, else 0 (one server on a CPU).

    Raises:
        UserError: no node has `wanted` GPUs; Ray would otherwise wait forever for a place to start it.
    """
    per_node = [node["Resources"].get("GPU", 0.0) for node in ray.nodes() if node["Alive"]]
    most = max(per_node, default=0.0)
    share = (1.0 if most >= 1 else 0.0) if wanted is None else wanted
    if share == 0:
        return 0.0, 1
    if share > most:
        has = f"the most on one node is {most:g}" if most else "it has none"
        raise UserError(f"--gpus-per-model {share:g}: no node of the Ray cluster has {share:g} GPU for a model "
                        f"server ({has}); use --gpus-per-model 0 to serve the model on a CPU, or add GPU nodes")
    return share, sum(math.floor(gpus / share + 1e-9) for gpus in per_node)


def start_model_servers(spec: str, options: ModelOptions) -> ActorModel:
    """Start the model's server actors (`server_gpus`) and wait until the first has loaded the weights."""
    wanted = 0.0 if options.gpus_per_model is None and options.device == "cpu" else options.gpus_per_model
    share, count = server_gpus(wanted)
    if not share and options.device is None:
        options = options.model_copy(update={"device": "cpu"})  # holds no GPU, so uses none it might see
    resources: dict[str, float] = {"num_cpus": 1, **({"num_gpus": share} if share else {})}
    # Ray restarts a server whose process or node died and re-sends the calls it had not answered
    server_class = ray.remote(max_restarts=SERVER_RESTARTS, max_task_retries=SERVER_RESTARTS, **resources)(ModelServer)
    servers = [server_class.remote(spec, options) for _ in range(count)]
    try:
        described = ray.get(servers[0].describe.remote())  # waits for the weights: a load error surfaces here
    except RayTaskError as e:
        for server in servers:
            ray.kill(server)
        if isinstance(e.cause, UserError):  # a bad spec or directory: the same one line as a local run
            raise UserError(str(e.cause)) from None
        raise
    if share and options.device is None:
        where = ray.get(servers[0].placement.remote())
        if where["device"] == "cpu":
            log.warning("the Ray model server of %s holds GPU %s but torch there sees no CUDA, so it runs on the "
                        "CPU; install a CUDA build of torch on the GPU nodes", spec, ",".join(where["gpus"]))
    return ActorModel(spec, servers, described)
