"""DPORunConfig: the settings of `toolgym train dpo` (the shared ones are in `config.py`)."""

from __future__ import annotations

from pydantic import Field

from .config import TrainConfig

__all__ = ["DPORunConfig"]


class DPORunConfig(TrainConfig):
    """Direct preference optimisation on (prompt, chosen, rejected) pairs against a frozen copy of the start model."""

    beta: float = Field(default=0.1, gt=0)
    """Strength of the pull towards the reference model: higher keeps the policy closer to it."""
