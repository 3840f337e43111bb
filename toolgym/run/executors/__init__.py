"""Executors: where rollouts run. `local` (this process, asyncio) or `ray[:ADDRESS]` (a Ray cluster).

Ray is an optional extra: `executor_for("ray")` imports it and fails with the install line when it
is missing; `import toolgym.run` never imports Ray.
"""

from __future__ import annotations

from ...errors import UserError
from .base import Executor, LocalExecutor, OnResult
from .spec import EXECUTOR_HELP, check_executor, parse_executor

__all__ = ["EXECUTOR_HELP", "Executor", "LocalExecutor", "OnResult", "check_executor", "executor_for",
           "parse_executor", "ray_missing"]

RAY_INSTALL = "pip install 'toolgym[ray]'"


def ray_missing() -> UserError | None:
    """The error `--executor ray` gives when Ray is not installed; None when it is."""
    try:
        import ray  # noqa: F401 (only asking whether it is there)
    except ImportError:
        return UserError(f"--executor ray needs Ray, which is not installed: {RAY_INSTALL}")
    return None


def executor_for(spec: str, *, workers: int | None = None) -> Executor:
    """The executor a spec names; `workers` (Ray only) overrides one rollout worker per cluster CPU.

    Raises:
        UserError: an unknown spec, or `ray` without Ray installed (the message has the install line).
    """
    kind, address = parse_executor(spec)
    if kind == "local":
        return LocalExecutor()
    if (missing := ray_missing()) is not None:
        raise missing
    from .ray_executor import RayExecutor  # imports ray

    return RayExecutor(address, workers=workers)
