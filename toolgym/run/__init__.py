"""The run engine: agent loop, scheduler, batched writing, resumable evaluation."""

from .config import RunConfig, load_config_file
from .evaluate import Progress, evaluate, evaluate_async
from .limits import EpisodeLimits
from .loop import run_episode
from .scheduler import Job, Result, plan_jobs, run_jobs, sample_seed

__all__ = [
    "EpisodeLimits",
    "Job",
    "Progress",
    "Result",
    "RunConfig",
    "evaluate",
    "evaluate_async",
    "load_config_file",
    "plan_jobs",
    "run_episode",
    "run_jobs",
    "sample_seed",
]
