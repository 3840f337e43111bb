"""SFTRunConfig: the settings of `toolgym train sft` (the shared ones are in `config.py`)."""

from __future__ import annotations

from .config import TrainConfig

__all__ = ["SFTRunConfig"]


class SFTRunConfig(TrainConfig):
    """Supervised fine-tuning on conversations: rejection-sampled rollouts or a suite's reference answers."""

    assistant_only_loss: bool | None = None
    """Loss on assistant tokens only; default: on when the chat template marks them ({% generation %})."""
