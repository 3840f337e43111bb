"""What every trainer shares: model, data, output, optimisation, LoRA, device and seed; and what a training run returns.

Each training method extends `TrainConfig` beside its entry point (`SFTRunConfig` in `sft_config.py`, ...)
and names it as its `TrainMethod.config_class` (`runner.py`).
The CLI makes one flag per field (`--learning-rate`), with the field's docstring as its help.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._version import __version__
from ..errors import UserError
from .dataset_files import DataRecord

__all__ = ["TrainConfig", "TrainResult"]


class TrainConfig(BaseModel):
    """Settings every trainer takes. Defaults suit a CPU run of the tiny model and a CUDA run of a real one."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    model: str = "tiny"
    """Model to train: tiny (the bundled model) or hf:PATH (a local transformers model directory)."""
    out: Path = Path("trained")
    """Directory of the trained model: a transformers model directory with tokenizer and chat template (hf:OUT)."""
    data: Path | None = None
    """Dataset directory written by `toolgym data sft|dpo`."""
    suite: str | None = None
    """Or make the data from this suite's train split (reference answers; GRPO: its prompts and verifier)."""
    limit: int | None = Field(default=None, ge=1)
    """Train on the first N rows only."""
    overwrite: bool = False
    """Replace a model already in --out."""
    epochs: float = Field(default=1.0, gt=0)
    """Passes over the data (ignored when --max-steps is set)."""
    max_steps: int | None = Field(default=None, ge=1)
    """Optimizer steps to take; overrides --epochs."""
    batch_size: int = Field(default=8, ge=1)
    """Rows per device per step."""
    grad_accum: int = Field(default=1, ge=1)
    """Steps whose gradients are summed before each update (effective batch = batch_size x grad_accum)."""
    learning_rate: float | None = Field(default=None, gt=0)
    """Peak learning rate; default 2e-4 with --lora, 2e-5 without, 5e-4 for the tiny model."""
    warmup: float = Field(default=0.03, ge=0)
    """Warm-up: a fraction of the steps when below 1, else a number of steps."""
    scheduler: Literal["cosine", "linear", "constant", "constant_with_warmup"] = "cosine"
    """Learning-rate schedule after warm-up."""
    weight_decay: float = Field(default=0.0, ge=0)
    """AdamW weight decay."""
    max_length: int = Field(default=1024, ge=16)
    """Longest tokenized row (prompt and answer); longer rows are truncated."""
    lora: bool = False
    """Train LoRA adapters (peft) instead of all weights; they are merged into the saved model."""
    lora_r: int = Field(default=16, ge=1)
    """LoRA rank."""
    lora_alpha: int = Field(default=32, ge=1)
    """LoRA scaling numerator (scale = alpha / r)."""
    lora_dropout: float = Field(default=0.05, ge=0, lt=1)
    """Dropout on the LoRA path."""
    gradient_checkpointing: bool = False
    """Recompute activations in the backward pass: less memory, about 30% slower."""
    device: Literal["auto", "cpu", "cuda"] = "auto"
    """auto picks CUDA when present (bfloat16 weights), else the CPU (float32)."""
    threads: int | None = Field(default=None, ge=1)
    """CPU threads for torch (default: torch's choice)."""
    seed: int = 0
    """Seed of initialisation, data order and sampling; recorded with the model."""
    logging_steps: int = Field(default=10, ge=1)
    """Report the loss every N steps."""
    save_steps: int | None = Field(default=None, ge=1)
    """Also keep a checkpoint every N steps under OUT/checkpoints (resumable with the trainer)."""

    @model_validator(mode="after")
    def _one_data_source(self) -> TrainConfig:
        if self.data is not None and self.suite is not None:
            raise ValueError(f"give --data ({self.data}) or --suite ({self.suite}), not both")
        return self

    def require_data(self) -> None:
        """Fail with the fix when neither --data nor --suite was given."""
        if self.data is None and self.suite is None:
            raise UserError("no training data: give --data DIR (from `toolgym data sft|dpo`) or --suite SUITE")

    def resolved_learning_rate(self) -> float:
        """The learning rate given, or the default for the model and method."""
        if self.learning_rate is not None:
            return self.learning_rate
        if self.model == "tiny":
            return 5e-4  # trained from scratch at 1e-3: small steps would not move it
        return 2e-4 if self.lora else 2e-5


class TrainResult(BaseModel):
    """What a training run did; saved with the model as `toolgym_train.json`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    method: Literal["sft", "dpo", "grpo"]
    """Which trainer ran."""
    out: str
    """Directory of the trained model."""
    base_model: str
    """Spec of the model training started from."""
    device: str
    """cpu or cuda."""
    dtype: str
    """Weight dtype during training and in the saved model."""
    seed: int
    """Seed of the run."""
    rows: int
    """Training rows (after --limit)."""
    steps: int
    """Optimizer steps taken."""
    train_loss: float | None = None
    """Mean training loss over the run."""
    wall_s: float = 0.0
    """Wall time of training, in seconds."""
    data: DataRecord | None = None
    """Where the training rows came from."""
    config: dict[str, Any] = Field(default_factory=dict)
    """The resolved trainer config (JSON)."""
    log: list[dict[str, Any]] = Field(default_factory=list)
    """The trainer's logged metrics (loss, learning rate, rewards...) per logging step."""
    toolgym_version: str = __version__
    """Version of toolgym that trained the model."""
