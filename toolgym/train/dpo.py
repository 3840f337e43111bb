"""`toolgym train dpo`: TRL's DPOTrainer on preference pairs, saved as a model directory `hf:OUT` loads.

The reference model is a frozen copy of the start model (with --lora, the start model itself with
the adapters switched off, which saves the copy).
"""

from __future__ import annotations

from typing import Any

from ..suites import Suite
from .config import TrainResult
from .data_dpo import dpo_rows_from_suite
from .dataset_files import DataRecord
from .dpo_config import DPORunConfig
from .runner import RowsMethod, run_method
from .runtime import LogFn

__all__ = ["DPOMethod", "train_dpo"]


class DPOMethod(RowsMethod[DPORunConfig], name="dpo", config=DPORunConfig, trl=("DPOConfig", "DPOTrainer")):
    """Preference optimisation (TRL DPOTrainer) on --data DIR pairs or a --suite's reference-vs-perturbed answers; saves a model directory hf:OUT loads."""  # noqa: E501

    def suite_rows(self, suite: Suite) -> tuple[list[dict[str, Any]], DataRecord]:
        """Reference against perturbed answers of the suite's train split, perturbed with --seed."""
        return dpo_rows_from_suite(suite, seed=self.config.seed)

    def arguments(self, tokenizer: Any) -> dict[str, Any]:
        """Length and beta."""
        return {"max_length": self.config.max_length, "beta": self.config.beta}


def train_dpo(config: DPORunConfig, *, on_log: LogFn | None = None) -> TrainResult:
    """Optimise `config.model` on preference pairs and save it into `config.out`.

    Args:
        config: What to train, on what, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
    """
    return run_method(DPOMethod(config), on_log=on_log)
