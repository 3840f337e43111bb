"""RayExecutor: rollouts, tool calls and verification on a Ray cluster; the driver keeps the store.

What runs where:

* the driver (the `toolgym` process) plans the jobs lazily, hands them out in chunks, and writes
  each result to the store as it comes back: the only writer, so resume, manifests and statistics
  are those of a local run;
* rollout workers (`RolloutWorker` actors, one CPU each, spread over the nodes) play the episodes:
  model calls, tool calls in the environment, and the verifier (a code suite's sandboxed tests);
* a local model (`tiny`, `hf:PATH`) loads once in model-server actors (`ray_models`); an HTTP model
  is called by each worker directly (with several base URLs, balanced over the replicas).

Faults: when a worker's process or node dies, the chunks it held come back to the hand-out and
other workers run them. Nothing of them was written (results are written only when they reach the
driver), so no rollout is lost or written twice. Ray restarts the dead worker (on another node if
its node went away, up to `WORKER_RESTARTS` times), and it takes chunks again once it is up, so the
run gets its capacity back. A node that joins mid-run gets workers of its own (when the worker
count is automatic); they share the run's concurrency with the others. When the driver itself
dies, the workers die with it (they are its actors) and running the same command again resumes
from the store.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
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
#: how long the first worker (or a restarted one) may take to start before the run (or its lanes) gives up
START_TIMEOUT_S = 120.0
#: how many times Ray restarts one rollout worker whose process or node died
WORKER_RESTARTS = 3
#: how often the driver looks for CPUs that joined the cluster
GROW_EVERY_S = 2.0
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
        self.started_workers = 0
        """Rollout workers this executor started (more than the first count when nodes joined)."""

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
        """A local model as model-server actors; any other as a `PortableModel` each worker loads.

        `options.gpus_per_model` applies to the servers of a local model; an HTTP or replay model has none.
        """
        options = options or ModelOptions()
        if spec.partition(":")[0] in SERVED_KINDS:
            self._connect()
            model = start_model_servers(spec, options)
            self._actors += model.servers
            self._server_cpus += len(model.servers)  # each server holds a CPU (and its GPU share)
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
        count = self._wanted() if self.workers is None else self.workers
        per_worker = math.ceil(concurrency / count)
        lanes = min(2, per_worker)  # two chunks per worker: one runs while the other's results travel
        shared = self._share((model, env, sampling, limits, user))
        workers = self._start_workers(count, lanes, shared)
        # at most `count x lanes` chunks out at once: workers that join later share them, not add to them
        hand = HandOut(jobs, math.ceil(per_worker / lanes), most_out=count * lanes)
        await self._wait_started(workers)
        tasks = {asyncio.ensure_future(self._lane(w, hand, on_result)) for w in workers for _ in range(lanes)}
        finished = asyncio.ensure_future(hand.finished())
        try:
            while not hand.done:
                done, _ = await asyncio.wait({*tasks, finished}, timeout=GROW_EVERY_S,
                                             return_when=asyncio.FIRST_COMPLETED)
                for t in done - {finished}:
                    tasks.discard(t)
                    if t.exception() is not None:
                        raise t.exception()  # on_result stopped the run, a worker raised a bug, or the model is gone
                if not tasks and not hand.done:
                    raise InfraError("every Ray rollout worker died (and Ray's restarts of them are spent) before "
                                     "the run was done; what finished is stored: run the same command again to resume")
                if self.workers is None and (extra := self._wanted() - len(workers)) > 0:
                    log.info("%d CPU(s) joined the Ray cluster: starting %d more rollout workers", extra, extra)
                    joined = self._start_workers(extra, lanes, shared)
                    workers += joined
                    tasks |= {asyncio.ensure_future(self._lane(w, hand, on_result))
                              for w in joined for _ in range(lanes)}
        finally:
            for t in [*tasks, finished]:
                t.cancel()
            await asyncio.gather(*tasks, finished, return_exceptions=True)

    def _wanted(self) -> int:
        """Rollout workers for the cluster as it is now: one per CPU, less those the model servers hold."""
        return max(1, int(ray.cluster_resources().get("CPU", 1)) - self._server_cpus)

    @staticmethod
    def _share(parts: tuple) -> list:
        try:
            return [ray.put(x) for x in parts]  # sent once, not once per worker
        except Exception as e:  # cloudpickle's errors have no common base
            raise UserError(f"cannot send the model or environment to Ray workers ({type(e).__name__}: {e}); "
                            "name the model by spec (evaluate(config) without model=...)") from None

    def _start_workers(self, count: int, lanes: int, shared: list) -> list:
        # Ray restarts a worker whose process or node died; the chunks it held are not re-sent by Ray
        # (max_task_retries=0) but handed out again by the driver, to whichever worker is free first
        worker_class = ray.remote(num_cpus=1, max_restarts=WORKER_RESTARTS, max_task_retries=0,
                                  scheduling_strategy="SPREAD")(RolloutWorker)
        workers = [worker_class.options(max_concurrency=lanes).remote(*shared) for _ in range(count)]
        self._actors += workers
        self.started_workers += count
        return workers

    async def _wait_started(self, workers: list) -> None:
        """Wait for one worker to be up; the others join as they start (an autoscaler may add nodes)."""
        pending = [w.ready.remote() for w in workers]
        ready, _ = await asyncio.to_thread(ray.wait, pending, num_returns=1, timeout=START_TIMEOUT_S)
        if not ready:
            raise InfraError(f"no Ray rollout worker started within {START_TIMEOUT_S:g} s; the cluster has "
                             f"{ray.cluster_resources()} (each worker needs 1 CPU)")

    @staticmethod
    async def _up(worker, within_s: float | None = START_TIMEOUT_S) -> bool:
        """Wait until `worker` is up (placed, constructed; restarted after a death): False if it never will be.

        `within_s` None waits as long as it takes (a first start: an autoscaler may still be adding its node).
        """
        deadline = time.monotonic() + (within_s if within_s is not None else math.inf)
        while True:
            try:
                left = deadline - time.monotonic()
                await asyncio.wait_for(worker.ready.remote(), None if math.isinf(left) else max(0.0, left))
                return True
            except ActorUnavailableError:  # being restarted: a call now fails at once, so ask again
                if time.monotonic() > deadline:
                    return False
                await asyncio.sleep(0.2)
            except (*_WORKER_GONE, TimeoutError):  # its restarts are spent, or no node has a CPU for it
                return False

    async def _lane(self, worker, hand: HandOut, on_result: OnResult) -> None:
        """Send chunks to one worker until the work runs out.

        If the worker dies, its chunk goes back to the hand-out, and the lane goes on once Ray has
        restarted the worker (it ends if Ray cannot).
        """
        if not await self._up(worker, within_s=None):
            return
        while (chunk := await hand.take()) is not None:
            try:
                results, error = await worker.run.remote(chunk)
            except _WORKER_GONE as e:
                log.warning("a Ray rollout worker died (%s); its %d rollouts go to the others while Ray restarts it",
                            type(e).__name__, len(chunk))
                await hand.finish(chunk, failed=True)
                if not await self._up(worker):
                    log.warning("a dead Ray rollout worker did not come back (restarts spent, or no free CPU "
                                "within %g s); the run goes on with the others", START_TIMEOUT_S)
                    return
                continue
            except BaseException:
                await hand.finish(chunk)
                raise
            for result in results:
                await on_result(result)
            await hand.finish(chunk)
            if error is not None:  # stored what the chunk finished; the rest is retried on resume
                raise error

    async def aclose(self) -> None:
        """Stop this run's actors, and Ray itself when this executor started it."""
        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False
