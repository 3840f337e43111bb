"""Portable checkpoints: a stock `AutoTokenizer.from_pretrained` tokenizes exactly as toolgym does.

transformers 5 forces Qwen2's own tokenizer class (single digits, spaces glued to words) on any
qwen2-typed directory; the tiny model, typed llama, keeps its `tokenizer.json`. Checked on every
fc-core test prompt as the chat template renders it (tools included), for the bundled model and for
a checkpoint written by `toolgym train sft`.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")

from tests.train.crafted import needs_tiny  # noqa: E402
from toolgym.models.hf_tokenizer import load_tokenizer, save_tokenizer, stock_load_differs  # noqa: E402
from toolgym.models.tiny import TINY_MODEL_DIR  # noqa: E402
from toolgym.models.tiny.tokenizer import build_tokenizer  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402

pytestmark = needs_tiny


def _prompts() -> list[tuple[list[dict], list[dict]]]:
    tasks = load_suite("fc-core").split("test")
    return [([m.to_openai() for m in t.messages], [tool.to_openai() for tool in t.tools]) for t in tasks]


def _assert_stock_tokenizes_as_toolgym(path) -> None:
    from transformers import AutoTokenizer

    stock, ours = AutoTokenizer.from_pretrained(path, local_files_only=True), load_tokenizer(path)
    prompts = _prompts()
    assert len(prompts) >= 80
    for messages, tools in prompts:
        text = ours.apply_chat_template(messages, tools=tools, tokenize=False, add_generation_prompt=True)
        assert stock.apply_chat_template(messages, tools=tools, tokenize=False, add_generation_prompt=True) == text
        assert stock(text)["input_ids"] == ours(text)["input_ids"], text[-200:]
    assert stock_load_differs(path) == []
    assert stock.eos_token == "<|im_end|>" and stock.pad_token == "<|endoftext|>"
    assert stock.response_template is not None  # `transformers serve` parses <tool_call> blocks with it


def test_a_stock_load_of_the_bundled_model_tokenizes_as_toolgym():
    _assert_stock_tokenizes_as_toolgym(TINY_MODEL_DIR)
    from transformers import AutoTokenizer

    stock = AutoTokenizer.from_pretrained(TINY_MODEL_DIR, local_files_only=True)
    assert "573" in stock.tokenize("Order 1573 units")  # digit groups, not Qwen2's single digits


@pytest.mark.slow
def test_a_checkpoint_written_by_train_sft_loads_portably(tmp_path):
    from toolgym.train import SFTRunConfig, train_sft

    out = tmp_path / "model"
    train_sft(SFTRunConfig(model="tiny", suite="fc-core", limit=4, out=out, max_steps=1, batch_size=2, threads=2))
    assert json.loads((out / "tokenizer_config.json").read_text())["tokenizer_class"] == "PreTrainedTokenizerFast"
    _assert_stock_tokenizes_as_toolgym(out)


def test_saving_a_qwen2_typed_checkpoint_warns_that_outside_loads_differ(tmp_path, caplog):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2", "architectures": ["Qwen2ForCausalLM"]}))
    save_tokenizer(build_tokenizer(["Order 1573.25 units"] * 20, vocab_size=300), tmp_path)
    assert stock_load_differs(tmp_path) == ["pre_tokenizer"]
    assert "stock AutoTokenizer load replaces the saved pre_tokenizer" in caplog.text
