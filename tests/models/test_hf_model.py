"""The one loader of local transformers models, shared by the local backend and the trainers."""

from __future__ import annotations

import pytest

from toolgym.errors import UserError
from toolgym.models.hf_model import local_model_dir
from toolgym.models.tiny import TINY_MODEL_DIR


def test_specs_resolve_to_their_directory(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    assert local_model_dir("tiny") == TINY_MODEL_DIR
    assert local_model_dir(f"hf:{tmp_path}") == tmp_path


@pytest.mark.parametrize(("spec", "says"), [
    ("tiny:big", "the bundled model takes no name; write 'tiny'"),
    ("hf:", "write hf:PATH"),
    ("hf:/nonexistent/model", "does not exist; give the path of a local transformers model directory"),
    ("openai:gpt", "names no local model; write tiny, smollm2 or hf:PATH"),
])
def test_a_spec_without_local_weights_says_what_to_write(spec, says):
    with pytest.raises(UserError, match=says.replace("(", r"\(")):
        local_model_dir(spec)


def test_a_directory_without_config_json_is_named(tmp_path):
    with pytest.raises(UserError, match="config.json' is missing"):
        local_model_dir(f"hf:{tmp_path}")


def test_the_tiny_model_loads_with_its_template_pad_token_and_parser():
    pytest.importorskip("torch", reason="needs torch (pip install 'toolgym[local]')")
    from toolgym.models.hf_model import load_pretrained, model_parser

    model, tokenizer = load_pretrained(TINY_MODEL_DIR, "cpu")
    assert tokenizer.chat_template and tokenizer.pad_token is not None
    assert next(model.parameters()).dtype.is_floating_point and str(next(model.parameters()).dtype) == "torch.float32"
    assert model_parser(None, TINY_MODEL_DIR, model, tokenizer) == "hermes"
    assert model_parser("pythonic", TINY_MODEL_DIR, model, tokenizer) == "pythonic"
