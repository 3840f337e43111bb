"""evaluate(): suite + model + config -> a stored, resumable run. The verbs the CLI and users call."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from .._version import __version__
from ..envs import CodeEnv, Environment, isolation_level
from ..envs.sandbox import IsolationChoice
from ..errors import RunFailed, ToolgymError
from ..models import Model, ModelOptions
from ..store import RunInfo, RunManifest, RunStatus
from ..suites import Suite, head_by_category, load_suite
from .config import RunConfig
from .executors import Executor
from .opened import opened
from .scheduler import Result, plan_jobs
from .user import SimulatedUser
from .writer import BatchWriter

__all__ = ["InfraStop", "Progress", "evaluate", "evaluate_async"]


@dataclass
class Progress:
    """Counts of a run in progress, updated as each result arrives (for progress bars)."""

    total: int
    done_before: int
    done: int = 0
    passed: int = 0
    scored: int = 0
    infra_errors: int = 0
    first_error: str | None = None
    """Message of this invocation's first infrastructure error."""
    failures: dict[str, int] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        """Count one finished result."""
        self.done += 1
        v = result.verdict
        if result.infra_error:
            self.infra_errors += 1
            if self.first_error is None:
                self.first_error = result.rollout.error or (v.explanation if v else "")
        elif v is not None:
            self.scored += 1
            self.passed += v.passed
            if v.failure:
                self.failures[v.failure.value] = self.failures.get(v.failure.value, 0) + 1

    @property
    def accuracy(self) -> float | None:
        """Accuracy of this session's scored results (infra errors excluded)."""
        return self.passed / self.scored if self.scored else None

    @property
    def planned(self) -> int:
        """Rollouts this invocation set out to do (the rest were stored by earlier ones)."""
        return max(0, self.total - self.done_before)

    def infra_summary(self) -> str:
        """`N infrastructure errors; the first: MESSAGE` (for the run's cause and the terminal)."""
        return f"{self.infra_errors} infrastructure errors; the first: {self.first_error}"


_TRANSPORT_KEYS = frozenset({"url", "base_url", "spec"})


def manifest_for(config: RunConfig, suite: Suite, model: Model, sandbox: str | None = None) -> RunManifest:
    """The identity of a run: what must match for a second invocation to resume it."""
    return RunManifest(
        suite=suite.name,
        suite_version=suite.version,
        model=config.model,
        # where a model is served (URL, port) does not change what it answers: not part of the identity
        model_options={k: v for k, v in model.describe().items() if k not in _TRANSPORT_KEYS}
        | ({"user_model": config.user_model} if config.user_model else {}),
        sampling=config.sampling().model_dump(),
        repeats=config.repeats,
        mode=config.mode,
        split=config.split,
        limit=config.limit,
        toolgym_version=__version__,
        sandbox=sandbox,
    )


def sandbox_level(suite: Suite, sandbox: IsolationChoice) -> str | None:
    """The isolation `suite`'s model-written code gets under `sandbox` (`--sandbox`); None: it runs no code.

    Raises:
        UserError: the suite runs code and `sandbox` does not work here (under `auto`: no bubblewrap).
    """
    if not isinstance(suite.env, CodeEnv):
        return None
    return isolation_level(suite.env.with_sandbox(sandbox).sandbox)


def environment_for(config: RunConfig, suite: Suite) -> tuple[Environment, str | None]:
    """The suite's environment, and the isolation its model-written code gets (None: it runs none).

    Raises:
        UserError: the suite runs code and `config.sandbox` does not work here (under `auto`: no
            bubblewrap); raised before any model call, so nothing is lost.
    """
    env = suite.env.with_mode(config.mode)
    if not isinstance(env, CodeEnv):
        return env, None
    env = env.with_sandbox(config.sandbox)
    return env, isolation_level(env.sandbox)


async def evaluate_async(
    config: RunConfig,
    *,
    options: ModelOptions | None = None,
    suite: Suite | None = None,
    model: Model | None = None,
    on_start: Callable[[RunInfo, Progress], None] | None = None,
    on_result: Callable[[Result, Progress], None] | None = None,
    user_options: ModelOptions | None = None,
    executor: Executor | None = None,
) -> RunInfo:
    """Run (or resume) an evaluation and store every result as it finishes.

    `executor` runs the rollouts (default: the one `config.executor` names); this process stays the
    only writer of the store, so where they ran changes nothing stored. Its workers stop at the end.

    `user_options` reach the simulated user's model (`config.user_model`) when it is served
    elsewhere than the model under test; else it gets `options`.

    The returned run's `status` says how this invocation ended: `finished`, or `failed` with its
    `cause` when every rollout ended on an infrastructure error or `max_infra_errors` stopped it.
    Other errors propagate (the run is marked `failed` with the error), and so does a cancellation
    (Ctrl-C; the run is marked `interrupted`); what finished before is stored in every case.
    """
    suite = suite or load_suite(config.suite)
    tasks = suite.split(None if config.split == "all" else config.split)
    tasks = head_by_category(tasks, config.limit)
    env, sandbox = environment_for(config, suite)
    # the rollouts run on the executor; this process alone writes the store
    async with opened(executor or config.executor, model or config.model, options, config.db) as parts:
        executor, model, store = parts.executor, parts.model, parts.store
        run = store.open_run(config.run, manifest_for(config, suite, model, sandbox))
        done = store.done_keys(run.id)
        progress = Progress(total=len(tasks) * config.repeats, done_before=len(done))
        if on_start:
            on_start(run, progress)
        writer = BatchWriter(store, run.id)
        stop = InfraStop(config.max_infra_errors, progress.planned)

        async def record(result: Result) -> None:
            progress.add(result)
            await writer.put(result)
            if on_result:
                on_result(result, progress)
            if result.infra_error and stop.reached(progress.infra_errors):
                raise RunFailed(f"stopped early: {progress.infra_summary()} "
                                f"(--max-infra-errors {config.max_infra_errors:g})")

        user_model = executor.load_model(config.user_model, user_options or options) if config.user_model else None
        user = SimulatedUser(user_model) if user_model else None
        status: RunStatus = "interrupted"  # Ctrl-C (CancelledError, KeyboardInterrupt) leaves it so
        cause: str | None = None
        try:
            await executor.run_jobs(model, env, plan_jobs(tasks, config.repeats, done), config.sampling(),
                                    config.limits(), concurrency=config.concurrency, on_result=record, user=user)
            status, cause = ending(progress)
        except RunFailed as e:  # the infra-error limit: what was done is stored, the caller reads the status
            status, cause = "failed", str(e)
        except Exception as e:
            status, cause = "failed", str(e) if isinstance(e, ToolgymError) else f"{type(e).__name__}: {e}"
            raise
        finally:
            await writer.flush()  # on Ctrl-C too: what finished is kept
            await asyncio.to_thread(store.set_status, run.id, status, cause)
            if user_model:
                await user_model.aclose()
        return store.get_run(run.name)


class InfraStop:
    """`--max-infra-errors`: a count, or below 1 a fraction of the rollouts an invocation plans."""

    def __init__(self, limit: float | None, planned: int) -> None:
        if limit is None:
            self.most: float = float("inf")
        else:
            self.most = limit * planned if 0 < limit < 1 else limit

    def reached(self, infra_errors: int) -> bool:
        """True once there are more infrastructure errors than the limit allows."""
        return infra_errors > self.most


def ending(progress: Progress) -> tuple[RunStatus, str | None]:
    """How an invocation that went through all its jobs ends: `failed` when none got past the infrastructure."""
    if progress.done and progress.infra_errors == progress.done:
        return "failed", f"every rollout of this invocation failed: {progress.infra_summary()}"
    return "finished", None


def evaluate(config: RunConfig, **kwargs) -> RunInfo:
    """Synchronous wrapper of `evaluate_async` for scripts and notebooks."""
    return asyncio.run(evaluate_async(config, **kwargs))
