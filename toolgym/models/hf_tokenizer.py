"""Load a model directory's tokenizer as its `tokenizer.json` says, whatever transformers' class defaults.

transformers 5 maps some model types (qwen2 among them) to their own tokenizer class, and that class
rebuilds the pre-tokenizer from its defaults, ignoring the one written in `tokenizer.json`. A model
trained with another pre-tokenizer then silently sees other tokens: the bundled tiny model (a Qwen2
architecture) cuts numbers into groups of three digits and spaces into tokens of their own, while
Qwen2's class cuts numbers into single digits and glues spaces to words. Every place toolgym loads a
tokenizer (local backend, trainers, tests) goes through `load_tokenizer`, so training and inference
always tokenize alike.
"""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import Tokenizer
from transformers import AutoTokenizer, PreTrainedTokenizerBase

__all__ = ["load_tokenizer"]

_PIPELINE = ("normalizer", "pre_tokenizer", "decoder")


def load_tokenizer(path: str | Path) -> PreTrainedTokenizerBase:
    """`AutoTokenizer.from_pretrained(path)` offline, with `tokenizer.json`'s pipeline put back where it differs."""
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    written_file = Path(path) / "tokenizer.json"
    if not (tokenizer.is_fast and written_file.is_file()):
        return tokenizer
    written = Tokenizer.from_file(str(written_file))
    backend = tokenizer.backend_tokenizer
    loaded, wanted = json.loads(backend.to_str()), json.loads(written.to_str())
    for part in _PIPELINE:
        if loaded.get(part) != wanted.get(part) and getattr(written, part) is not None:
            setattr(backend, part, getattr(written, part))
    return tokenizer
