"""The scheduler: many episodes at once with bounded concurrency, each result handed on as it finishes.

Workers pull jobs from one shared iterator, so a 100,000-task run never materialises its job list or
its results: memory is bounded by the concurrency, not by the run size.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..envs import Environment
from ..errors import InfraError, RequestRejected
from ..models import Model
from ..suites import CompactTasks
from ..types import FailureKind, Rollout, SamplingConfig, Task, Verdict
from .limits import EpisodeLimits, label_limit
from .loop import run_episode
from .prelude import Preludes, prepared
from .user import SimulatedUser

__all__ = ["Job", "Result", "plan_jobs", "run_job", "run_jobs", "sample_seed"]

log = logging.getLogger(__name__)

_GRACE_S = 30.0


@dataclass(frozen=True, slots=True)
class Job:
    """One rollout to do: a task and its sample index."""

    task: Task
    sample: int


@dataclass(slots=True)
class Result:
    """A finished rollout and its verdict (None when an infrastructure or verifier error prevented scoring)."""

    rollout: Rollout
    category: str
    verdict: Verdict | None

    @property
    def infra_error(self) -> bool:
        """True when the rollout ended on an infrastructure error (kept out of accuracy, retried on resume)."""
        return self.verdict is not None and self.verdict.failure == FailureKind.INFRA_ERROR


def sample_seed(base_seed: int | None, task_id: str, sample: int) -> int | None:
    """A per-sample seed derived from the run seed, stable across processes (unlike `hash()`)."""
    if base_seed is None:
        return None
    return zlib.crc32(f"{base_seed}:{task_id}:{sample}".encode()) & 0x7FFFFFFF


def plan_jobs(tasks: Sequence[Task], repeats: int, done: set[tuple[str, int]]) -> Iterator[Job]:
    """Jobs still to do, lazily: every (task, sample) pair not in `done`.

    Finished tasks are skipped by id, so a file-backed suite (`CompactTasks`) parses only the tasks
    that still have work: planning the resume of a 100,000-rollout run stays well under a second.
    """
    ids = tasks.ids() if isinstance(tasks, CompactTasks) else None
    for i in range(len(tasks)):
        task_id = ids[i] if ids is not None else tasks[i].id
        todo = [s for s in range(repeats) if (task_id, s) not in done]
        if todo:
            task = tasks[i]
            for sample in todo:
                yield Job(task, sample)


async def run_jobs(
    model: Model,
    env: Environment,
    jobs: Iterable[Job],
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    *,
    concurrency: int,
    on_result: Callable[[Result], Awaitable[None]],
    user: SimulatedUser | None = None,
) -> None:
    """Run every job with at most `concurrency` in flight, awaiting `on_result` for each as it finishes.

    `user` plays the user in tasks that have a hidden user instruction (multi-turn suites).
    """
    it = iter(jobs)
    preludes = Preludes()  # prerequisite conversations, played once for the run's tasks that share them

    async def worker() -> None:
        for job in it:  # the iterator is shared: each job is taken by exactly one worker
            await on_result(await run_job(model, env, job, sampling, limits, user, preludes))

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, concurrency))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        # one worker failed (on_result raised: a stop rule) or we were cancelled (Ctrl-C): stop the
        # others now, not when their jobs run out, and wait for them so nothing runs after we return
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise


async def run_job(
    model: Model,
    env: Environment,
    job: Job,
    sampling: SamplingConfig,
    limits: EpisodeLimits,
    user: SimulatedUser | None = None,
    preludes: Preludes | None = None,
) -> Result:
    """One job start to end: its episode and its verdict; infrastructure and verifier errors are recorded.

    The unit every executor runs, in this process (`run_jobs`) or on a Ray worker. A task with
    prerequisite conversations starts after them (`prelude.py`), shared through `preludes`.
    """
    task = job.task
    seeded = sampling.model_copy(update={"seed": sample_seed(sampling.seed, task.id, job.sample)})
    try:
        task = await prepared(model, env, task, sampling, limits, job.sample,
                              lambda task_id: sample_seed(sampling.seed, task_id, job.sample),
                              preludes=preludes, user=user)
        # the loop enforces timeout_s between turns (end reason `timeout`); this outer bound only
        # catches a request that hangs past it, with a grace margin so the loop's own check wins
        rollout = await asyncio.wait_for(
            run_episode(model, env, task, seeded, limits, sample=job.sample, user=user),
            timeout=limits.timeout_s + _GRACE_S,
        )
    except RequestRejected as e:  # the model's conversation was refused: its failure, scored, not retried
        rollout = Rollout(task_id=task.id, sample=job.sample, seed=seeded.seed, messages=list(task.messages),
                          end_reason="error")
        return Result(rollout, task.category, Verdict.fail(FailureKind.REQUEST_REJECTED, str(e)[:300]))
    except (InfraError, TimeoutError) as e:
        msg = str(e) or f"rollout timed out after {limits.timeout_s:g} s"
        rollout = Rollout(task_id=task.id, sample=job.sample, seed=seeded.seed, messages=list(task.messages),
                          error=msg, end_reason="error")
        return Result(rollout, task.category, Verdict.fail(FailureKind.INFRA_ERROR, msg[:300]))
    try:
        if env.blocking:
            verdict = await asyncio.to_thread(env.verify, task, rollout.messages)
        else:
            verdict = env.verify(task, rollout.messages)
        verdict = label_limit(verdict, rollout.end_reason)
    except Exception as e:  # a verifier that raises has a bug: store the error, never score it as 0
        log.exception("verifier failed on task %s", task.id)
        rollout.error = f"verifier error: {type(e).__name__}: {e}"
        return Result(rollout, task.category, None)
    return Result(rollout, task.category, verdict)
