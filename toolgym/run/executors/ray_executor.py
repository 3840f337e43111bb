"""RayExecutor: rollouts, tool calls and verification on a Ray cluster; the driver keeps the store.

What runs where:

* the driver (the `toolgym` process) plans the jobs lazily, hands them out in chunks, and writes
  each result to the store as it comes back: the only writer, so resume, manifests and statistics
  are those of a local run;
* rollout workers (`RolloutWorker` actors, one CPU each, spread over the nodes) play the episodes:
  model calls, tool calls in the environment, and the verifier (a code suite's sandboxed tests);
* a local model (`tiny`, `hf:PATH`) loads once in model-server actors (`ray_models`); an HTTP model
  is called by each worker directly (with several base URLs, balanced over the replicas).

Faults: when a worker's process or node dies, the chunk it held comes back to the hand-out and
another worker runs it. Nothing of it was written (results are written only when they reach the
driver), so no rollout is lost or written twice. When the driver itself dies, the workers die
with it (they are its actors) and running the same command again resumes from the store.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterable

import ray
from ray.exceptions import ActorUnavailableError, RayActorError, WorkerCrashedError

from ...envs import Environment
from ...errors import InfraError, UserError
from ...models import Model, ModelOptions
from ...types import SamplingConfig
from ..limits import EpisodeLimits
from ..scheduler import Job
from ..user import SimulatedUser
from .base import Executor, OnResult
from .handout import HandOut
from .portable import PortableModel
from .ray_models import start_model_servers
from .ray_workers import RolloutWorker

__all__ = ["RayExecutor"]

log = logging.getLogger(__name__)

#: model kinds whose weights load in model-server actors rather than in every worker
SERVED_KINDS = frozenset({"tiny", "hf"})
#: how long the first worker may take to start before the run gives up
START_TIMEOUT_S = 120.0
_WORKER_GONE = (RayActorError, ActorUnavailableError, WorkerCrashedError)


class RayExecutor(Executor):
    """Runs rollouts on a Ray cluster: `address` None starts one on this machine for the run.

    `workers` is the number of rollout workers; default one per CPU of the cluster (less the CPUs
    the model servers hold).
    """

    def __init__(self, address: str | None = None, *, workers: int | None = None) -> None:
        self.address = address
        self.spec = f"ray:{address}" if address else "ray"
        self.workers = workers
        self._started_ray = False
        self._actors: list = []
        self._server_cpus = 0
        self.lost_workers = 0
        """Workers that died during the run (their chunks were run by others)."""

    def _connect(self) -> None:
        if ray.is_initialized():  # a caller's (or a test's) cluster: used, and left running
            return
        try:
            # `ray` alone starts a cluster of its own ("local"), even where `ray start` runs one already
            ray.init(address=self.address or "local", include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING)
        except (ConnectionError, ValueError, RuntimeError) as e:
            where = f"at {self.address!r}" if self.address else "on this machine"
            raise UserError(f"cannot start or reach a Ray cluster {where} ({e}); start one with "
                            "`ray start --head` and pass --executor ray:auto (or ray:HOST:6379)") from None
        self._started_ray = True

    def load_model(self, spec: str, options: ModelOptions | None = None) -> Model:
        """A local model as model-server actors; any other as a `PortableModel` each worker loads."""
        options = options or ModelOptions()
        if spec.partition(":")[0] in SERVED_KINDS:
            self._connect()
            model = start_model_servers(spec, options)
            self._actors += model.servers
            if not ray.cluster_resources().get("GPU"):
                self._server_cpus += len(model.servers)
            return model
        return PortableModel(spec, options)

    async def run_jobs(
        self,
        model: Model,
        env: Environment,
        jobs: Iterable[Job],
        sampling: SamplingConfig,
        limits: EpisodeLimits,
        *,
        concurrency: int,
        on_result: OnResult,
        user: SimulatedUser | None = None,
    ) -> None:
        """Run the jobs on the cluster, at most `concurrency` at once; `on_result` runs here, in the driver."""
        self._connect()
        count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)) - self._server_cpus)
        per_worker = math.ceil(concurrency / count)
        lanes = min(2, per_worker)  # two chunks per worker: one runs while the other's results travel
        workers = self._start_workers(count, lanes, (model, env, sampling, limits, user))
        hand = HandOut(jobs, math.ceil(per_worker / lanes))
        await self._wait_started(workers)
        tasks = [asyncio.ensure_future(self._lane(w, hand, on_result)) for w in workers for _ in range(lanes)]
        finished = asyncio.ensure_future(hand.finished())
        try:
            await self._until_finished(tasks, finished, hand)
        finally:
            for t in [*tasks, finished]:
                t.cancel()
            await asyncio.gather(*tasks, finished, return_exceptions=True)

    def _start_workers(self, count: int, lanes: int, parts: tuple) -> list:
        try:
            shared = [ray.put(x) for x in parts]  # sent once, not once per worker
        except Exception as e:  # cloudpickle's errors have no common base
            raise UserError(f"cannot send the model or environment to Ray workers ({type(e).__name__}: {e}); "
                            "name the model by spec (evaluate(config) without model=...)") from None
        worker_class = ray.remote(num_cpus=1, max_restarts=0, scheduling_strategy="SPREAD")(RolloutWorker)
        workers = [worker_class.options(max_concurrency=lanes).remote(*shared) for _ in range(count)]
        self._actors += workers
        return workers

    async def _wait_started(self, workers: list) -> None:
        """Wait for one worker to be up; the others join as they start (an autoscaler may add nodes)."""
        pending = [w.ready.remote() for w in workers]
        ready, _ = await asyncio.to_thread(ray.wait, pending, num_returns=1, timeout=START_TIMEOUT_S)
        if not ready:
            raise InfraError(f"no Ray rollout worker started within {START_TIMEOUT_S:g} s; the cluster has "
                             f"{ray.cluster_resources()} (each worker needs 1 CPU)")

    async def _lane(self, worker, hand: HandOut, on_result: OnResult) -> None:
        """Send chunks to one worker until the work runs out; if the worker dies, give its chunk back."""
        try:
            await worker.ready.remote()
        except _WORKER_GONE:
            return
        while (chunk := await hand.take()) is not None:
            try:
                results = await worker.run.remote(chunk)
            except _WORKER_GONE as e:
                log.warning("a Ray rollout worker died (%s); its %d rollouts go to the others",
                            type(e).__name__, len(chunk))
                self.lost_workers += 1
                await hand.finish(chunk, failed=True)
                return
            except BaseException:
                await hand.finish(chunk)
                raise
            for result in results:
                await on_result(result)
            await hand.finish(chunk)

    @staticmethod
    async def _until_finished(tasks: list[asyncio.Future], finished: asyncio.Future, hand: HandOut) -> None:
        pending = {*tasks, finished}
        while not finished.done():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                if t is not finished and t.exception() is not None:
                    raise t.exception()  # on_result stopped the run, or a worker raised a bug
            if pending == {finished}:
                raise InfraError("every Ray rollout worker died before the run was done; what finished is "
                                 "stored: run the same command again to resume")

    async def aclose(self) -> None:
        """Stop this run's actors, and Ray itself when this executor started it."""
        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False
