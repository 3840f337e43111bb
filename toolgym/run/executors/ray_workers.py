"""The rollout worker: a Ray actor that plays episodes and verifies them, and returns the results.

Each worker holds its own copy of the environment and of the model's client (a `PortableModel`
loads its backend in the worker; an `ActorModel` calls the model servers), and runs the chunks the
driver sends it with `run_job`, the same unit the in-process scheduler runs. It never writes to the
store: results go back to the driver, the only writer.
"""

from __future__ import annotations

import asyncio

from ...envs import Environment
from ...models import Model
from ...types import SamplingConfig
from ..limits import EpisodeLimits
from ..scheduler import Job, Result, run_job
from ..user import SimulatedUser

__all__ = ["RolloutWorker"]


class RolloutWorker:
    """Plays the jobs it is sent, all of a chunk at once on its event loop."""

    def __init__(
        self, model: Model, env: Environment, sampling: SamplingConfig, limits: EpisodeLimits,
        user: SimulatedUser | None,
    ) -> None:
        self.model = model
        self.env = env
        self.sampling = sampling
        self.limits = limits
        self.user = user

    async def ready(self) -> bool:
        """Answers once the worker is placed and constructed."""
        return True

    async def run(self, jobs: list[Job]) -> tuple[list[Result], Exception | None]:
        """The results of the jobs that finished, in order, and the first error that stopped one, if any.

        `run_job` records infrastructure and verifier errors on the rollout; what still escapes it
        stops the run (a model server gone for good, a bug), and the driver stores the chunk's
        finished results before it raises that error.
        """
        outcomes = await asyncio.gather(
            *(run_job(self.model, self.env, job, self.sampling, self.limits, self.user) for job in jobs),
            return_exceptions=True)
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        return [o for o in outcomes if isinstance(o, Result)], errors[0] if errors else None
