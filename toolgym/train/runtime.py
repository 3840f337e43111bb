"""The machinery the three trainers share: device, weights in and out, TRL arguments, LoRA, progress.

Models load from local directories only (`tiny` or `hf:PATH`; nothing is downloaded). On the CPU
they train in float32; on CUDA in bfloat16. A trained model is saved as a plain transformers
directory (LoRA adapters merged in) with its tokenizer, chat template, generation config and
`toolgym_train.json`, so `--model hf:OUT` evaluates it and a later round trains from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..models.hf_model import is_vision_model, load_pretrained, load_vision_pretrained, local_model_dir
from .config import TrainConfig, TrainResult

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase, TrainerCallback

__all__ = [
    "RESULT_FILE",
    "LogFn",
    "attach_logging",
    "common_args",
    "finish",
    "load_for_training",
    "log_callback",
    "lora_config",
    "model_dir",
    "prepare_out",
    "resolve_device",
    "run_trainer",
    "save_model",
]

RESULT_FILE = "toolgym_train.json"

LogFn = Callable[[int, int, dict[str, float]], None]
"""Called at each logging step with (step, max_steps, metrics)."""


def model_dir(spec: str) -> Path:
    """The local directory of a trainable model spec (`tiny`, `smollm2` or `hf:PATH`; `models.local_model_dir`)."""
    if spec.partition(":")[0] not in ("tiny", "smollm2", "hf"):
        raise UserError(f"--model {spec}: training needs local weights; write tiny, smollm2 or hf:PATH")
    return local_model_dir(spec)


def resolve_device(device: str) -> str:
    """`cuda` or `cpu` for `auto`, `cpu` or `cuda`; asking for CUDA without one is an error."""
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda: no CUDA device is visible to torch; use --device cpu or auto")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def load_for_training(spec: str, device: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The model (float32 on CPU, bfloat16 on CUDA) and its tokenizer, which must have a chat template.

    The local backend's loader (`toolgym.models.hf_model`), so a model trains as it is evaluated. For a
    vision-language model the second value is its processor (TRL's vision collator needs it; it has the
    tokenizer's chat template, pad token and `save_pretrained`).
    """
    path = model_dir(spec)
    return load_vision_pretrained(path, device) if is_vision_model(path) else load_pretrained(path, device)


def prepare_out(config: TrainConfig) -> None:
    """Refuse to overwrite a trained model in `config.out` unless --overwrite; create the directory."""
    out = config.out
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: is a file; give a directory")
    if (out / "config.json").exists() and not config.overwrite:
        raise UserError(f"--out {out} already holds a model; pass --overwrite to replace it, or choose another --out")
    out.mkdir(parents=True, exist_ok=True)


def common_args(config: TrainConfig, device: str, work: Path, logging: bool) -> dict[str, Any]:
    """Keyword arguments every TRL config takes, from the shared settings."""
    import torch

    if config.threads and device == "cpu":
        torch.set_num_threads(config.threads)
    return dict(
        output_dir=str(work),
        num_train_epochs=config.epochs,
        max_steps=config.max_steps or -1,
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.resolved_learning_rate(),
        lr_scheduler_type=config.scheduler,
        warmup_steps=config.warmup,
        weight_decay=config.weight_decay,
        activation_checkpointing=config.gradient_checkpointing,
        logging_steps=config.logging_steps,
        save_strategy="steps" if config.save_steps else "no",
        save_steps=config.save_steps or 500,
        report_to=[],
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=device == "cpu",
        bf16=device == "cuda",
        disable_tqdm=logging,
        dataloader_num_workers=0,
    )


def lora_config(config: TrainConfig) -> Any:
    """A peft LoraConfig on every linear layer when --lora, else None."""
    if not config.lora:
        return None
    try:
        from peft import LoraConfig
    except ImportError:
        raise UserError("--lora needs peft: pip install 'toolgym[train]'") from None
    return LoraConfig(r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
                      target_modules="all-linear", task_type="CAUSAL_LM")


def log_callback(on_log: LogFn) -> TrainerCallback:
    """A transformers callback that hands each logged step to `on_log`."""
    from transformers import TrainerCallback

    class _Log(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: D102 (transformers hook)
            if logs:
                numbers = {k: float(v) for k, v in logs.items() if isinstance(v, int | float)}
                on_log(state.global_step, state.max_steps, numbers)

    return _Log()


def attach_logging(trainer: Any, on_log: LogFn | None) -> None:
    """Replace the trainer's printed dicts with `on_log` (the tqdm bar stays when `on_log` is None)."""
    if on_log is None:
        return
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(log_callback(on_log))


def finish(trainer: Any, tokenizer: PreTrainedTokenizerBase, result: TrainResult, out: Path) -> TrainResult:
    """Save the trained model (LoRA merged), tokenizer and `toolgym_train.json` into `out`."""
    model = trainer.model
    if hasattr(model, "merge_and_unload"):  # a peft model: fold the adapters into the weights
        model = model.merge_and_unload()
    save_model(model, tokenizer, out)
    result.log = [dict(entry) for entry in trainer.state.log_history]
    (out / RESULT_FILE).write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return result


def save_model(model: Any, tokenizer: Any, out: Path, generation: Any = None) -> None:
    """Write `model` and its tokenizer (or processor) into `out` as a directory `hf:OUT` loads.

    Args:
        model: The model to save, in the dtype it should keep.
        tokenizer: Its tokenizer, or a vision-language model's processor; saved left-padded, for generation.
        out: The directory.
        generation: The generation config to save; default: the model's own, with the tokenizer's
            end and padding tokens.
    """
    from transformers import GenerationConfig

    from ..models.hf_tokenizer import save_tokenizer

    text = getattr(tokenizer, "tokenizer", tokenizer)  # a processor's tokenizer, or the tokenizer
    if generation is None:
        generation = getattr(model, "generation_config", None) or GenerationConfig()
        generation.eos_token_id = generation.eos_token_id if generation.eos_token_id is not None else text.eos_token_id
        generation.pad_token_id = text.pad_token_id
    model.generation_config = generation
    model.save_pretrained(out)
    if text is not tokenizer:  # a vision-language model's processor
        text.padding_side = "left"
        tokenizer.save_pretrained(out)
    else:
        tokenizer.padding_side = "left"  # what generation wants; training set its own
        save_tokenizer(tokenizer, out)  # a stock AutoTokenizer load of the checkpoint tokenizes alike


def run_trainer(trainer: Any) -> tuple[int, float | None, float]:
    """Train; returns (steps, mean loss, wall seconds)."""
    start = time.perf_counter()
    output = trainer.train()
    return output.global_step, output.training_loss, round(time.perf_counter() - start, 1)
