"""The bundled tiny model: a ~1M-parameter Qwen2-style model trained from scratch on fc-core's train split.

It is typed llama (Qwen2's layers, plus a zero output-projection bias) so that a stock tokenizer
load keeps its own pre-tokenizer (`toolgym.models.hf_tokenizer`).

The directory holds a Hugging Face model (config.json, model.safetensors in bfloat16, tokenizer.json,
chat_template.jinja). `tiny` on the command line loads it with the local backend; the tests use it.
Its recipe is training code and lives in `toolgym.train.tiny`: retrain it with `python -m toolgym.train.tiny`
(`training.json` holds the figures of the run that made these weights).
Importing this package loads nothing: it only names the directory.
"""

from pathlib import Path

__all__ = ["TINY_MODEL_DIR"]

#: Directory of the bundled model, loadable with `from_pretrained(TINY_MODEL_DIR, local_files_only=True)`.
TINY_MODEL_DIR: Path = Path(__file__).resolve().parent
