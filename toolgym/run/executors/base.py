"""Executor: where a run's rollouts run. The driver plans the jobs and writes every result either way.

An executor takes the lazily planned jobs and hands each finished `Result` to `on_result`, which the
caller (`evaluate_async`, `answer_async`) uses to count it and write it to the store. Because that
one callback, in the driver process, is the only writer, resume, manifests and statistics do not
depend on where the rollouts ran.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable

from ...envs import Environment
from ...errors import UserError
from ...models import Model, ModelOptions, load_model
from ...types import SamplingConfig
from ..limits import EpisodeLimits
from ..scheduler import Job, Result, run_jobs
from ..user import SimulatedUser

__all__ = ["Executor", "LocalExecutor", "OnResult"]

OnResult = Callable[[Result], Awaitable[None]]


class Executor(ABC):
    """Runs jobs somewhere and reports each result, in the driver, as it finishes."""

    spec: str = "local"

    def load_model(self, spec: str, options: ModelOptions | None = None) -> Model:
        """The model the executor's workers will use, as the driver sees it (for the manifest).

        Raises:
            UserError: `gpus_per_model` is set; it places model servers on a Ray cluster, and there is none here.
        """
        if options is not None and options.gpus_per_model is not None:
            raise UserError(f"--gpus-per-model {options.gpus_per_model:g} places a local model's servers on a Ray "
                            "cluster; add --executor ray (or ray:ADDRESS), or leave it out")
        return load_model(spec, options)

    @abstractmethod
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
        """Run every job with at most `concurrency` rollouts in flight, awaiting `on_result` for each."""

    async def aclose(self) -> None:  # noqa: B027 (optional hook: the local executor holds nothing)
        """Release what the executor started (a Ray cluster it started itself)."""


class LocalExecutor(Executor):
    """Rollouts in this process, on its asyncio loop (`run_jobs`): the default."""

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
        """`run_jobs` in this process."""
        await run_jobs(model, env, jobs, sampling, limits, concurrency=concurrency, on_result=on_result, user=user)
