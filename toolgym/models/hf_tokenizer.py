"""Load and save a model directory's tokenizer so that every loader tokenizes as `tokenizer.json` says.

transformers 5 maps some model types (qwen2 among them, listed in its
`MODELS_WITH_INCORRECT_HUB_TOKENIZER_CLASS`) to their own tokenizer class whatever
`tokenizer_config.json` names, and that class rebuilds the pre-tokenizer from its defaults, ignoring
the one written in `tokenizer.json`. A model trained with another pre-tokenizer then silently sees
other tokens: the bundled tiny model cuts numbers into groups of three digits and spaces into tokens
of their own, while Qwen2's class cuts numbers into single digits and glues spaces to words. This is
why the tiny model is typed `llama` (Qwen2's layers exactly, with a zero output-projection bias):
for that type, a stock `AutoTokenizer.from_pretrained` honours `tokenizer.json`, so `transformers
serve`, vLLM or SGLang run the model toolgym trained.

`load_tokenizer` still puts `tokenizer.json`'s pipeline back for directories written before (or by
others); `save_tokenizer` writes a checkpoint's tokenizer so that a stock load by transformers 4 or 5
reads it as written, and says when the model type forbids that.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from tokenizers import Tokenizer
from transformers import AutoTokenizer, PreTrainedTokenizerBase

__all__ = ["load_tokenizer", "save_tokenizer", "stock_load_differs"]

log = logging.getLogger(__name__)

_PIPELINE = ("normalizer", "pre_tokenizer", "decoder")
# the class name transformers 4 and 5 both read as "build from tokenizer.json" (5 writes TokenizersBackend)
_PORTABLE_CLASS = "PreTrainedTokenizerFast"


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerBase:
    """`AutoTokenizer.from_pretrained(path)` offline, with `tokenizer.json`'s pipeline put back where it differs."""
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    written_file = Path(path) / "tokenizer.json"
    if not (tokenizer.is_fast and written_file.is_file()):
        return tokenizer
    written = Tokenizer.from_file(str(written_file))
    backend = tokenizer.backend_tokenizer
    for part in _differing_parts(backend, written):
        setattr(backend, part, getattr(written, part))
    return tokenizer


def stock_load_differs(path: str | Path) -> list[str]:
    """The parts of `tokenizer.json`'s pipeline a stock `AutoTokenizer.from_pretrained(path)` replaces."""
    written_file = Path(path) / "tokenizer.json"
    stock = AutoTokenizer.from_pretrained(path, local_files_only=True)
    if not (stock.is_fast and written_file.is_file()):
        return []
    return _differing_parts(stock.backend_tokenizer, Tokenizer.from_file(str(written_file)))


def save_tokenizer(tokenizer: PreTrainedTokenizerBase, out: Path) -> None:
    """`tokenizer.save_pretrained(out)`, portable: a stock load of `out` tokenizes as `tokenizer` does.

    Call it after the model's `config.json` is written (the model type decides what a stock load does).
    Logs a warning when transformers forces its own tokenizer class on the model type.
    """
    tokenizer.save_pretrained(out)
    config_file = out / "tokenizer_config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    if config.get("tokenizer_class") == "TokenizersBackend":
        config["tokenizer_class"] = _PORTABLE_CLASS
        config_file.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if (out / "config.json").is_file() and (parts := stock_load_differs(out)):
        log.warning(
            "%s: a stock AutoTokenizer load replaces the saved %s (transformers forces its own tokenizer "
            "class for this model type); outside servers will tokenize differently, toolgym will not",
            out, " and ".join(parts))


def _differing_parts(backend: Tokenizer, written: Tokenizer) -> list[str]:
    loaded, wanted = json.loads(backend.to_str()), json.loads(written.to_str())
    return [p for p in _PIPELINE if loaded.get(p) != wanted.get(p) and getattr(written, p) is not None]
