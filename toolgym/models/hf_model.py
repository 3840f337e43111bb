"""Loading a local transformers model: the one loader behind `tiny`, `hf:PATH` and the trainers.

Evaluation (`LocalModel`) and training (`toolgym.train`) load weights the same way, so a model
trains and evaluates with the same tokenizer, dtype and tool-call parser:

* `local_model_dir`: a spec (`tiny`, `smollm2`, `hf:PATH`) -> its directory; models are never downloaded
  (GGUF files are converted once into a transformers directory, `gguf.py`);
* `load_pretrained`: the weights (float32 on the CPU, bfloat16 on CUDA) and the tokenizer, which must
  carry a chat template and gets the end-of-sequence token as its pad token when it has none;
* `model_parser`: the tool-call parser for a loaded model (the user's, else the model family's).

torch and transformers are imported inside `load_pretrained`, so resolving a spec stays light.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .conversions import choose_parser
from .gguf import converted_dir, is_gguf, smollm2_file
from .tiny import TINY_MODEL_DIR

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = ["is_vision_model", "load_pretrained", "load_vision_pretrained", "local_model_dir", "model_parser"]


def local_model_dir(spec: str) -> Path:
    """The directory a local model spec names: `tiny` (the bundled model), `smollm2` or `hf:PATH`.

    `smollm2` and `hf:FILE.gguf` name GGUF weights, converted once into a cache (`gguf.py`).

    Raises:
        UserError: the spec names no local directory of a transformers model, saying what to write.
    """
    kind, _, name = spec.partition(":")
    if kind == "smollm2":
        if name:
            raise UserError(f"model spec {spec!r}: the SmolLM2 model takes no name; write 'smollm2'")
        return converted_dir(smollm2_file())
    if kind == "tiny":
        if name:
            raise UserError(f"model spec {spec!r}: the bundled model takes no name; write 'tiny'")
        if not (TINY_MODEL_DIR / "model.safetensors").is_file():
            raise UserError(f"the tiny model's weights are missing in {TINY_MODEL_DIR}; train them: "
                            "python -m toolgym.train.tiny")
        return TINY_MODEL_DIR
    if kind != "hf":
        raise UserError(f"model spec {spec!r} names no local model; write tiny, smollm2 or hf:PATH")
    if not name:
        raise UserError("model spec 'hf:': write hf:PATH with the directory of a transformers model or a .gguf file")
    path = Path(name).expanduser()
    if is_gguf(path):
        return converted_dir(path)
    if not path.is_dir():
        raise UserError(
            f"model spec 'hf:{name}': directory {str(path)!r} does not exist; give the path of a local "
            "transformers model directory (with config.json and weights); models are never downloaded"
        )
    if not (path / "config.json").is_file():
        raise UserError(
            f"model spec 'hf:{name}': {str(path / 'config.json')!r} is missing; the directory must hold a "
            "transformers model saved with save_pretrained"
        )
    return path


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """No "Loading weights" progress bar: loading takes milliseconds and the bar would tear toolgym's own."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def load_pretrained(path: Path, device: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The causal LM in `path` (float32 on the CPU, bfloat16 on CUDA; not moved) and its tokenizer.

    Raises:
        UserError: the directory does not load, or its tokenizer has no chat template.
    """
    import torch
    from transformers import AutoModelForCausalLM

    from .hf_tokenizer import load_tokenizer

    dtype = torch.bfloat16 if torch.device(device).type == "cuda" else torch.float32
    try:
        with _quiet_loading():
            tokenizer = load_tokenizer(path)
            model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True, dtype=dtype)
    except (OSError, ValueError) as e:
        raise UserError(f"cannot load the model in {str(path)!r}: {e}") from None
    if not tokenizer.chat_template:
        raise UserError(f"{str(path)!r} has no chat template; add chat_template.jinja to the directory")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def is_vision_model(path: Path) -> bool:
    """Whether the transformers model in `path` is a vision-language model (its config has a vision tower)."""
    import json

    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "vision_config" in config


def load_vision_pretrained(path: Path, device: str) -> tuple[PreTrainedModel, Any]:
    """The vision-language model in `path` (`AutoModelForImageTextToText`) and its `AutoProcessor`.

    Dtypes as `load_pretrained`; the processor's tokenizer carries the chat template and a pad token.

    Raises:
        UserError: the directory does not load, or it has no chat template.
    """
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    dtype = torch.bfloat16 if torch.device(device).type == "cuda" else torch.float32
    try:
        with _quiet_loading():
            processor = AutoProcessor.from_pretrained(path, local_files_only=True)
            model = AutoModelForImageTextToText.from_pretrained(path, local_files_only=True, dtype=dtype)
    except (OSError, ValueError) as e:
        raise UserError(f"cannot load the vision-language model in {str(path)!r}: {e}") from None
    tokenizer = processor.tokenizer
    tokenizer.chat_template = tokenizer.chat_template or getattr(processor, "chat_template", None)
    if not tokenizer.chat_template:
        raise UserError(f"{str(path)!r} has no chat template; add chat_template.jinja to the directory")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, processor


def model_parser(
    explicit: str | None, path: Path, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase
) -> str:
    """The tool-call parser for a loaded model: `explicit`, else guessed from its family.

    The directory name tells Llama 3.2 from 3.1; the model type covers renamed directories; a chat
    template that writes `<tool_call>` means hermes (`parser_for_model`).
    """
    return choose_parser(explicit, f"{path.name} {model.config.model_type}", tokenizer.chat_template)
