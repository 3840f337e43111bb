"""One runner for every TRL method, and the registry of methods (`sft`, `dpo`, `grpo`).

`train_sft`, `train_dpo` and `train_grpo` take the same steps: find the data, claim the output
directory, pick the device, seed, load the weights, build the dataset, make TRL's arguments and
trainer, hand its log to the caller, train, and save the model with its record. `run_method` takes
them once; a `TrainMethod` supplies only what differs (its dataset, its TRL config and trainer, what
it adds to the record), as TRL's `_BaseConfig`/`_BaseTrainer` hold what its trainers share. The CLI
makes one `toolgym train NAME` command per registered method, its flags from `config_class`.

Examples:
    >>> METHODS.get("sft").config_class.__name__  # doctest: +SKIP
    'SFTRunConfig'
    >>> run_method(METHODS.get("dpo")(DPORunConfig(data=Path("pairs"))))  # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from ..registry import Registry
from ..suites import Suite, load_suite
from .config import TrainConfig, TrainResult
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

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = ["METHODS", "RowsMethod", "TrainMethod", "method_runner", "run_method"]

C = TypeVar("C", bound=TrainConfig)

METHODS: Registry[type[TrainMethod]] = Registry("training method")
"""Training methods by name; `toolgym train NAME` runs `METHODS.get(NAME)`, with its docstring as help."""


class TrainMethod(ABC, Generic[C]):
    """One run of one TRL method: what it trains on, its TRL arguments and trainer, what it records.

    A subclass names itself in its class line, which registers it in `METHODS`:
    `class SFTMethod(RowsMethod[SFTRunConfig], name="sft", config=SFTRunConfig, trl=("SFTConfig", "SFTTrainer"))`.
    """

    name: ClassVar[Literal["sft", "dpo", "grpo"]]
    """The method's name: on the CLI (`toolgym train NAME`) and in `TrainResult.method`."""
    config_class: ClassVar[type[TrainConfig]]
    """Its settings; the CLI makes one flag per field."""
    trl_classes: ClassVar[tuple[str, str]]
    """TRL's config and trainer classes, by name (`trl` is imported only when a run starts)."""

    def __init_subclass__(cls, *, name: str | None = None, config: type[TrainConfig] | None = None,
                          trl: tuple[str, str] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if name is not None:
            assert config is not None and trl is not None, f"training method {name!r} needs config= and trl="
            cls.name, cls.config_class, cls.trl_classes = name, config, trl  # type: ignore[assignment]
            METHODS.register(name)(cls)

    def __init__(self, config: C) -> None:
        self.config = config
        self.data: DataRecord | None = None
        """Where the rows came from, when they came from a dataset or a suite's reference answers."""

    def prepare(self) -> None:
        """Read what the run trains on before anything is written, so bad data fails first (default: nothing)."""

    @abstractmethod
    def dataset(self, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> Dataset:
        """The rows to train on, once the model and tokenizer are loaded."""

    def arguments(self, tokenizer: PreTrainedTokenizerBase) -> dict[str, Any]:
        """The method's own fields of its TRL config (the shared ones are `runtime.common_args`)."""
        return {}

    def trainer_arguments(self) -> dict[str, Any]:
        """Keyword arguments of the TRL trainer beyond model, args, data, tokenizer and LoRA."""
        return {}

    def record(self) -> dict[str, Any]:
        """What the run adds to `TrainResult.config` beside the config itself, read after training."""
        return {}


class RowsMethod(TrainMethod[C]):
    """A method trained on stored rows: a `--data` directory, or rows made from a `--suite`'s train split."""

    @abstractmethod
    def suite_rows(self, suite: Suite) -> tuple[list[dict[str, Any]], DataRecord]:
        """The rows made from `suite` when no `--data` is given."""

    def prepare(self) -> None:
        """Load the rows (the first `--limit` of them) before anything is written."""
        config = self.config
        config.require_data()
        if config.data is not None:
            rows, self.data = load_data_dir(config.data, self.name), read_data_record(config.data)
        else:
            assert config.suite is not None
            made, self.data = self.suite_rows(load_suite(config.suite))
            rows = rows_dataset(made, self.name)
        if config.limit:
            rows = rows.select(range(min(config.limit, len(rows))))
        self.rows = rows

    def dataset(self, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> Dataset:
        """The rows `prepare` loaded."""
        return self.rows


def run_method(method: TrainMethod, *, on_log: LogFn | None = None) -> TrainResult:
    """Train with `method` and save the model into its config's `out`; returns the run's record.

    Args:
        method: The method, holding its config.
        on_log: Called at each logging step with (step, max_steps, metrics); None keeps TRL's progress bar.
    """
    import trl
    from transformers import set_seed

    config = method.config
    method.prepare()
    prepare_out(config)
    device = resolve_device(config.device)
    set_seed(config.seed)
    model, tokenizer = load_for_training(config.model, device)
    dataset = method.dataset(model, tokenizer)
    with tempfile.TemporaryDirectory(prefix=f"toolgym-{method.name}-") as tmp:
        work = config.out / "checkpoints" if config.save_steps else Path(tmp)
        trl_config, trl_trainer = (getattr(trl, name) for name in method.trl_classes)
        args = trl_config(**common_args(config, device, work, on_log is not None), **method.arguments(tokenizer))
        trainer = trl_trainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer,
                              peft_config=lora_config(config), **method.trainer_arguments())
        attach_logging(trainer, on_log)
        steps, loss, wall = run_trainer(trainer)
    result = TrainResult(
        method=method.name, out=str(config.out), base_model=config.model, device=device, dtype=str(model.dtype),
        seed=config.seed, rows=len(dataset), steps=steps, train_loss=loss, wall_s=wall, data=method.data,
        config={**config.model_dump(mode="json"), **method.record()},
    )
    return finish(trainer, tokenizer, result, config.out)


def method_runner(name: str) -> Callable[..., TrainResult]:
    """`run_method` for the method registered as `name`: `(config, on_log=...) -> TrainResult` (what the CLI calls)."""
    cls = METHODS.get(name)

    def train(config: TrainConfig, *, on_log: LogFn | None = None) -> TrainResult:
        return run_method(cls(config), on_log=on_log)

    return train
