"""load_tokenizer: a directory's tokenizer.json is honoured even where transformers maps the model type
to its own tokenizer class."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")

from toolgym.models.hf_tokenizer import load_tokenizer  # noqa: E402
from toolgym.models.tiny.tokenizer import build_tokenizer  # noqa: E402

TEXT = "Order 1573.25 units of SKU-02334 for Lisbon, please."


@pytest.fixture
def qwen2_dir(tmp_path):
    """A Qwen2-typed directory whose tokenizer cuts numbers in groups of three (not Qwen2's single digits)."""
    tokenizer = build_tokenizer([TEXT] * 20, vocab_size=320)
    tokenizer.save_pretrained(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}))
    return tmp_path, tokenizer


def test_tokenizes_as_the_tokenizer_that_was_saved(qwen2_dir):
    path, saved = qwen2_dir
    loaded = load_tokenizer(path)
    assert loaded.tokenize(TEXT) == saved.tokenize(TEXT)
    assert loaded(TEXT)["input_ids"] == saved(TEXT)["input_ids"]
    assert "573" in loaded.tokenize(TEXT) and "334" in loaded.tokenize(TEXT)
    assert loaded.decode(loaded(TEXT)["input_ids"]) == TEXT


def test_a_directory_without_tokenizer_json_loads_as_transformers_does(tmp_path):
    with pytest.raises((OSError, ValueError)):
        load_tokenizer(tmp_path)  # nothing to load: the same error AutoTokenizer raises
