"""RunConfig: everything that defines an evaluation run; CLI flags map one-to-one onto its fields."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..envs.sandbox import IsolationChoice
from ..types import SamplingConfig
from .executors.spec import check_executor
from .limits import EpisodeLimits

__all__ = ["RunConfig"]


class RunConfig(BaseModel):
    """One evaluation: which suite, which model, how to sample, where to store."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    suite: str = "fc-core"
    """Suite spec: fc-core, bfcl:DIR[:category,...], jsonl:FILE."""
    model: str = "tiny"
    """Model spec: tiny, hf:PATH, openai:NAME, replay:FILE."""
    split: Literal["train", "test", "all"] = "test"
    """Which split of the suite to evaluate."""
    repeats: int = Field(default=1, ge=1)
    """Samples per task (k for pass@k and pass^k)."""
    temperature: float = Field(default=0.0, ge=0.0)
    """Sampling temperature; 0 is greedy."""
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    """Nucleus sampling mass."""
    max_tokens: int = Field(default=256, gt=0)
    """Most tokens generated per turn."""
    seed: int = 0
    """Run seed; each sample gets a seed derived from it, the task id and the sample index."""
    concurrency: int = Field(default=8, ge=1)
    """Rollouts in flight at once (local models batch them)."""
    limit: int | None = Field(default=None, ge=1)
    """Evaluate N tasks of the split: the first of each category, in proportion to its size."""
    mode: Literal["toolgym", "bfcl"] = "toolgym"
    """Verifier mode: toolgym (BFCL with its known flaws fixed) or bfcl (BFCL v4 exactly)."""
    db: str = "toolgym.db"
    """Where runs are stored: a SQLite file path or an SQLAlchemy URL (postgresql+psycopg://...)."""
    run: str | None = None
    """Run name; the same name resumes. Default: derived from suite, model and split."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Wall-clock limit of one rollout, in seconds."""
    max_turns: int = Field(default=30, gt=0)
    """Most assistant turns in one multi-turn episode."""
    max_tool_calls: int = Field(default=60, gt=0)
    """Most tool calls in one multi-turn episode."""
    max_episode_tokens: int = Field(default=16384, gt=0)
    """Most generated tokens over one multi-turn episode."""
    max_infra_errors: float | None = Field(default=None, ge=0)
    """Stop the run once more of this invocation's rollouts end on infrastructure errors than this: a
    count (10) or, below 1, a fraction of the rollouts it plans (0.2); unset: never stop early."""
    user_model: str | None = None
    """Model spec of the simulated user for tasks with a hidden user instruction (multi-turn suites)."""
    sandbox: IsolationChoice = "auto"
    """Isolation of model-written code (code suites): auto = bwrap, else refused; podman: a container per call
    (root); namespaces, process: weak, by name."""
    executor: str = "local"
    """Where rollouts run: local (this process), ray (a Ray cluster started for the run) or ray:ADDRESS
    (ray:auto, ray:HOST:6379); the store stays with this process either way."""


    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        return check_executor(value)

    def limits(self) -> EpisodeLimits:
        """The episode limits of this run."""
        return EpisodeLimits(max_turns=self.max_turns, max_tool_calls=self.max_tool_calls,
                             max_tokens=self.max_episode_tokens, timeout_s=self.timeout_s)

    def sampling(self) -> SamplingConfig:
        """The sampling settings of this run."""
        return SamplingConfig(
            temperature=self.temperature, top_p=self.top_p, max_tokens=self.max_tokens, seed=self.seed
        )
