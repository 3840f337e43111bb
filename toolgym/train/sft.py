"""`toolgym train sft`: TRL's SFTTrainer on conversations with tools, saved as a model directory `hf:OUT` loads.

Examples:
    >>> result = train_sft(SFTRunConfig(model="tiny", data=Path("data/sft"), out=Path("sft-model")))  # doctest: +SKIP
    >>> result.steps, result.train_loss  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ..suites import Suite
from .config import TrainResult
from .data_sft import sft_rows_from_suite
from .dataset_files import DataRecord
from .runner import RowsMethod, run_method
from .runtime import LogFn
from .sft_config import SFTRunConfig

__all__ = ["SFTMethod", "train_sft"]


class SFTMethod(RowsMethod[SFTRunConfig], name="sft", config=SFTRunConfig, trl=("SFTConfig", "SFTTrainer")):
    """Supervised fine-tuning (TRL SFTTrainer) on --data DIR or a --suite's reference answers; saves a model directory hf:OUT loads."""  # noqa: E501

    def suite_rows(self, suite: Suite) -> tuple[list[dict[str, Any]], DataRecord]:
        """Reference answers of the suite's train split."""
        return sft_rows_from_suite(suite)

    def arguments(self, tokenizer: Any) -> dict[str, Any]:
        """Unpacked rows; loss on assistant tokens only when the chat template marks them (unless set)."""
        from trl.chat_template_utils import has_generation_markers

        self.assistant_only = self.config.assistant_only_loss
        if self.assistant_only is None:
            self.assistant_only = has_generation_markers(tokenizer.chat_template)
        return {"max_length": self.config.max_length, "assistant_only_loss": self.assistant_only, "packing": False}

    def record(self) -> dict[str, Any]:
        """The assistant-only setting the run resolved."""
        return {"resolved_assistant_only_loss": self.assistant_only}


def train_sft(config: SFTRunConfig, *, on_log: LogFn | None = None) -> TrainResult:
    """Fine-tune `config.model` on the SFT rows and save it into `config.out`.

    Args:
        config: What to train, on what, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
    """
    return run_method(SFTMethod(config), on_log=on_log)
