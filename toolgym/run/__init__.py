"""The run engine: agent loop, scheduler, batched writing, resumable evaluation.

`__all__` holds what users call: `evaluate`/`evaluate_async` with their `RunConfig` (or a YAML file's,
`load_config_file`), the callbacks' `Progress` and `Result`, where rollouts run (`Executor`,
`executor_for`), one episode (`run_episode`, `EpisodeLimits`) and `score_responses`. The scheduler's
jobs, the batched writer and the simulated user stay in their modules (`run.scheduler`, `run.writer`,
`run.user`), which the executors and the other layers import directly.
"""

from .config import RunConfig
from .config_file import load_config_file
from .evaluate import Progress, evaluate, evaluate_async
from .executors import Executor, executor_for
from .limits import EpisodeLimits
from .loop import run_episode
from .scheduler import Result
from .score import score_responses

__all__ = [
    "EpisodeLimits",
    "Executor",
    "Progress",
    "Result",
    "RunConfig",
    "evaluate",
    "evaluate_async",
    "executor_for",
    "load_config_file",
    "run_episode",
    "score_responses",
]
