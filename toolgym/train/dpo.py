"""`toolgym train dpo`: TRL's DPOTrainer on preference pairs, saved as a model directory `hf:OUT` loads.

The reference model is a frozen copy of the start model (with --lora, the start model itself with
the adapters switched off, which saves the copy).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..suites import load_suite
from .config import TrainResult
from .data_dpo import dpo_rows_from_suite
from .dataset_files import DataRecord, load_data_dir, read_data_record, rows_dataset
from .dpo_config import DPORunConfig
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

if TYPE_CHECKING:
    from datasets import Dataset

__all__ = ["dpo_dataset", "train_dpo"]


def dpo_dataset(config: DPORunConfig) -> tuple[Dataset, DataRecord]:
    """The pairs to train on: the --data directory, or reference vs perturbed answers of the --suite."""
    config.require_data()
    if config.data is not None:
        dataset, record = load_data_dir(config.data, "dpo"), read_data_record(config.data)
    else:
        assert config.suite is not None
        rows, record = dpo_rows_from_suite(load_suite(config.suite), seed=config.seed)
        dataset = rows_dataset(rows, "dpo")
    if config.limit:
        dataset = dataset.select(range(min(config.limit, len(dataset))))
    return dataset, record


def train_dpo(config: DPORunConfig, *, on_log: LogFn | None = None) -> TrainResult:
    """Optimise `config.model` on preference pairs and save it into `config.out`.

    Args:
        config: What to train, on what, how.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
    """
    from transformers import set_seed
    from trl import DPOConfig, DPOTrainer

    dataset, record = dpo_dataset(config)
    prepare_out(config)
    device = resolve_device(config.device)
    set_seed(config.seed)
    model, tokenizer = load_for_training(config.model, device)
    with tempfile.TemporaryDirectory(prefix="toolgym-dpo-") as tmp:
        work = config.out / "checkpoints" if config.save_steps else Path(tmp)
        args = DPOConfig(**common_args(config, device, work, on_log is not None), max_length=config.max_length,
                         beta=config.beta)
        trainer = DPOTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer,
                             peft_config=lora_config(config))
        attach_logging(trainer, on_log)
        steps, loss, wall = run_trainer(trainer)
    result = TrainResult(
        method="dpo", out=str(config.out), base_model=config.model, device=device, dtype=str(model.dtype),
        seed=config.seed, rows=len(dataset), steps=steps, train_loss=loss, wall_s=wall, data=record,
        config=config.model_dump(mode="json"),
    )
    return finish(trainer, tokenizer, result, config.out)
