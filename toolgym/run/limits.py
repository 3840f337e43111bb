"""Limits on one episode of the agent loop; each one, when hit, is recorded as the episode's end reason."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EpisodeLimits"]


class EpisodeLimits(BaseModel):
    """Bounds that end an episode even when the model keeps calling tools."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    max_turns: int = Field(default=10, gt=0)
    """Most assistant turns."""
    max_tool_calls: int = Field(default=30, gt=0)
    """Most tool calls over the whole episode."""
    max_tokens: int = Field(default=8192, gt=0)
    """Most generated tokens over the whole episode."""
    timeout_s: float = Field(default=300.0, gt=0)
    """Wall-clock limit of one rollout, in seconds."""
