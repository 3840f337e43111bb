"""The run engine: agent loop, scheduler, batched writing, resumable evaluation."""

from .config import RunConfig
from .config_file import load_config_file
from .evaluate import Progress, evaluate, evaluate_async
from .executors import Executor, LocalExecutor, executor_for
from .limits import Budget, EpisodeLimits, label_limit
from .loop import run_episode
from .scheduler import Job, Result, plan_jobs, run_job, run_jobs, sample_seed
from .score import score_responses
from .user import STOP_MARKER, USER_NAME, ScriptedUser, SimulatedUser, User, user_for
from .writer import BatchWriter

__all__ = [
    "STOP_MARKER",
    "USER_NAME",
    "BatchWriter",
    "Budget",
    "EpisodeLimits",
    "Executor",
    "LocalExecutor",
    "ScriptedUser",
    "SimulatedUser",
    "User",
    "label_limit",
    "user_for",
    "Job",
    "Progress",
    "Result",
    "RunConfig",
    "evaluate",
    "evaluate_async",
    "executor_for",
    "load_config_file",
    "plan_jobs",
    "run_episode",
    "run_job",
    "run_jobs",
    "sample_seed",
    "score_responses",
]
