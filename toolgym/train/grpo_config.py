"""GRPORunConfig: the settings of `toolgym train grpo` (the shared ones are in `config.py`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..envs.sandbox import IsolationChoice
from ..models import ModelOptions
from .config import TrainConfig

__all__ = ["GRPORunConfig"]


class GRPORunConfig(TrainConfig):
    """Group-relative policy optimisation on a suite's train prompts, rewarded by its verifier."""

    num_generations: int = Field(default=4, ge=2)
    """Completions sampled per prompt; rewards are compared within each group."""
    max_completion_length: int = Field(default=256, ge=1)
    """Most tokens generated per completion."""
    temperature: float = Field(default=1.0, gt=0)
    """Sampling temperature of the completions."""
    beta: float = Field(default=0.0, ge=0)
    """KL penalty towards the start model; 0 needs no reference model."""
    # the model options every command that takes a model has: the same flags, help and config keys as eval's
    parser: str | None = Field(default=None, description=ModelOptions.model_fields["parser"].description)
    tool_mode: Literal["native", "prompt"] = Field(
        default="native", description=ModelOptions.model_fields["tool_mode"].description)
    mode: Literal["toolgym", "bfcl"] = "toolgym"
    """Verifier mode of the reward."""
    max_tool_calls: int = Field(default=8, ge=1)
    """Multi-turn (stateful) suites: most rounds of tool calls in one rollout."""
    sandbox: IsolationChoice = "auto"
    """Isolation of model-written code (code suites), as for eval: auto = bwrap, else refused; podman; weak by name."""

    @model_validator(mode="after")
    def _groups_fit_batches(self) -> GRPORunConfig:
        if (self.batch_size * self.grad_accum) % self.num_generations:
            raise ValueError(
                f"batch_size x grad_accum ({self.batch_size} x {self.grad_accum}) must be a multiple of "
                f"num_generations ({self.num_generations}): each step scores whole groups"
            )
        return self
