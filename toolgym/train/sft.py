"""`toolgym train sft`: TRL's SFTTrainer on conversations with tools, saved as a model directory `hf:OUT` loads.

Examples:
    >>> result = train_sft(SFTRunConfig(model="tiny", data=Path("data/sft"), out=Path("sft-model")))  # doctest: +SKIP
    >>> result.steps, result.train_loss  # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..suites import load_suite
from .config import TrainResult
from .data_sft import sft_rows_from_suite
from .dataset_files import DataRecord, load_data_dir, read_data_record, rows_dataset
from .runtime import (
    LogFn,
    attach_logging,
    common_args,
    finish,
    load_for_training,
    lora_config,
    prepare_out,
    resolve_device,
    run_trainer,
)
from .sft_config import SFTRunConfig

if TYPE_CHECKING:
    from datasets import Dataset

__all__ = ["sft_dataset", "train_sft"]


def sft_dataset(config: SFTRunConfig) -> tuple[Dataset, DataRecord]:
    """The rows to train on: the --data directory, or reference answers of the --suite's train split."""
    config.require_data()
    if config.data is not None:
        dataset, record = load_data_dir(config.data, "sft"), read_data_record(config.data)
    else:
        assert config.suite is not None
        rows, record = sft_rows_from_suite(load_suite(config.suite))
        dataset = rows_dataset(rows, "sft")
    if config.limit:
        dataset = dataset.select(range(min(config.limit, len(dataset))))
    return dataset, record


def train_sft(config: SFTRunConfig, *, on_log: LogFn | None = None) -> TrainResult:
    """Fine-tune `config.model` on the SFT rows and save it into `config.out`.

    Args:
        config: What to train, on what, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
    """
    from transformers import set_seed
    from trl import SFTConfig, SFTTrainer
    from trl.chat_template_utils import has_generation_markers

    dataset, record = sft_dataset(config)
    prepare_out(config)
    device = resolve_device(config.device)
    set_seed(config.seed)
    model, tokenizer = load_for_training(config.model, device)
    assistant_only = config.assistant_only_loss
    if assistant_only is None:
        assistant_only = has_generation_markers(tokenizer.chat_template)
    with tempfile.TemporaryDirectory(prefix="toolgym-sft-") as tmp:
        work = config.out / "checkpoints" if config.save_steps else Path(tmp)
        args = SFTConfig(**common_args(config, device, work, on_log is not None), max_length=config.max_length,
                         assistant_only_loss=assistant_only, packing=False)
        trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer,
                             peft_config=lora_config(config))
        attach_logging(trainer, on_log)
        steps, loss, wall = run_trainer(trainer)
    result = TrainResult(
        method="sft", out=str(config.out), base_model=config.model, device=device, dtype=str(model.dtype),
        seed=config.seed, rows=len(dataset), steps=steps, train_loss=loss, wall_s=wall, data=record,
        config={**config.model_dump(mode="json"), "resolved_assistant_only_loss": assistant_only},
    )
    return finish(trainer, tokenizer, result, config.out)
