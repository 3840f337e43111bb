"""The bundled tiny model: its files, tokenizer, chat template and its answers to fc-core test prompts."""

from __future__ import annotations

import asyncio
import json

import pytest

from toolgym.models.tiny import TINY_MODEL_DIR

transformers = pytest.importorskip("transformers", reason="needs transformers: pip install 'toolgym[local]'")

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather conditions in a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name."},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
                },
                "required": ["city"],
            },
        },
    }
]
CALL = {"type": "function", "function": {"name": "get_current_weather", "arguments": {"city": "Oslo"}}}
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Weather in Oslo and in 2026?"},
    {"role": "assistant", "content": None, "tool_calls": [CALL, CALL]},
    {"role": "tool", "content": '{"temperature": 3}'},
    {"role": "tool", "content": '{"temperature": 4}'},
    {"role": "assistant", "content": "It is 3 degrees."},
    {"role": "user", "content": "Thanks!"},
    {"role": "assistant", "content": "Glad to help."},
]


@pytest.fixture(scope="module")
def tokenizer():
    from toolgym.models.hf_tokenizer import load_tokenizer

    return load_tokenizer(TINY_MODEL_DIR)


def render(tokenizer, messages, **kw) -> str:
    return tokenizer.apply_chat_template(messages, tools=TOOLS, tokenize=False, **kw)


def test_files_are_a_small_bf16_qwen2_style_model_typed_llama():
    from safetensors import safe_open

    config = json.loads((TINY_MODEL_DIR / "config.json").read_text())
    # llama, not qwen2: transformers forces Qwen2's tokenizer class on qwen2 (models/hf_tokenizer.py)
    assert config["model_type"] == "llama" and config["architectures"] == ["LlamaForCausalLM"]
    assert config["attention_bias"] is True and config["mlp_bias"] is False
    weights = TINY_MODEL_DIR / "model.safetensors"
    assert weights.stat().st_size < 8_000_000
    with safe_open(weights, "pt") as f:
        dtypes = {str(f.get_slice(k).get_dtype()) for k in f.keys()}
    assert dtypes == {"BF16"}
    record = json.loads((TINY_MODEL_DIR / "training.json").read_text())
    assert record["command"].startswith("python -m toolgym.models.tiny")


def test_loads_offline():
    model = transformers.AutoModelForCausalLM.from_pretrained(TINY_MODEL_DIR, local_files_only=True)
    assert 500_000 < model.num_parameters() < 4_000_000


def pieces(tokenizer, text: str) -> list[str]:
    return [tokenizer.decode([i]) for i in tokenizer(text, add_special_tokens=False)["input_ids"]]


def test_tokenizer_cuts_numbers_in_groups_of_three_from_the_right(tokenizer):
    assert pieces(tokenizer, "1573.25") == ["1", "573", ".", "25"]
    assert [p for p in pieces(tokenizer, "1,573.25") if p != ","] == pieces(tokenizer, "1573.25")
    assert pieces(tokenizer, "2026-05-03") == ["2", "026", "-", "05", "-", "03"]
    assert all(len(pieces(tokenizer, f"{n:03d}")) == 1 and len(pieces(tokenizer, str(n))) == 1 for n in range(1000))


def test_tokenizer_gives_a_value_the_same_tokens_in_the_request_and_in_the_call(tokenizer):
    """Copying a value is copying tokens: spaces and punctuation are tokens of their own."""
    for value in ("Tavomeru", "non-stick blender", "/home/ulla/x_v4.py", "SKU-05722", "a.b@x.org"):
        in_request = pieces(tokenizer, f"Please look up {value}, thanks")
        in_call = pieces(tokenizer, json.dumps({"query": value}))
        said = pieces(tokenizer, value)
        assert "".join(said) == value
        start = in_request.index(said[0])
        assert in_request[start : start + len(said)] == said, value
        start = in_call.index(said[0], 4)
        assert in_call[start : start + len(said)] == said, value


def test_tokenizer_round_trips_any_text(tokenizer):
    text = 'Zürich → 東京, tabs\tand  two spaces <tool_call>\n{"a": 1}\n</tool_call>'
    assert tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"]) == text


def test_template_renders_tools_compactly_in_the_system_prompt(tokenizer):
    text = render(tokenizer, CONVERSATION[:2], add_generation_prompt=True)
    assert text.startswith("<|im_start|>system\nBe brief.\n\n# Tools\n")
    line = "get_current_weather(city: string, unit: celsius|fahrenheit): Get the current weather conditions in a city."
    assert line in text.split("\n")
    assert text.endswith("<|im_start|>user\nWeather in Oslo and in 2026?<|im_end|>\n<|im_start|>assistant\n")


def test_template_writes_calls_as_hermes_blocks_and_tool_turns(tokenizer):
    text = render(tokenizer, CONVERSATION[:5])
    block = '<tool_call>\n{"name": "get_current_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'
    assert f"<|im_start|>assistant\n{block}\n{block}<|im_end|>\n" in text
    assert text.endswith('<|im_start|>tool\n{"temperature": 3}<|im_end|>\n<|im_start|>tool\n{"temperature": 4}'
                         "<|im_end|>\n")
    string_args = [{**m, "tool_calls": [{"type": "function", "function": {
        "name": "get_current_weather", "arguments": json.dumps({"city": "Oslo"})}}] * 2} if m.get("tool_calls")
        else m for m in CONVERSATION[:5]]
    assert render(tokenizer, string_args) == text  # arguments as a JSON string render the same


def test_appending_turns_never_changes_earlier_ones(tokenizer):
    for k in range(2, len(CONVERSATION)):
        shorter, longer = render(tokenizer, CONVERSATION[:k]), render(tokenizer, CONVERSATION[: k + 1])
        assert longer.startswith(shorter), k
        if CONVERSATION[k]["role"] == "assistant":  # the generation prompt is where the answer starts
            assert longer.startswith(render(tokenizer, CONVERSATION[:k], add_generation_prompt=True)), k


def test_generation_markers_mask_exactly_the_assistant_turns(tokenizer):
    out = tokenizer.apply_chat_template(CONVERSATION, tools=TOOLS, return_dict=True,
                                        return_assistant_tokens_mask=True)
    masked = tokenizer.decode([t for t, m in zip(out["input_ids"], out["assistant_masks"], strict=True) if m])
    block = '<tool_call>\n{"name": "get_current_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'
    assert masked == f"{block}\n{block}<|im_end|>It is 3 degrees.<|im_end|>Glad to help.<|im_end|>"


def test_answers_fc_core_test_prompts_with_parseable_calls():
    """Behaviour, not accuracy: calls to offered tools in Hermes form, and text refusals sometimes.

    Accuracy is measured by `toolgym eval fc-core --model tiny` and recorded in training.json.
    """
    from toolgym.models import ModelOptions, load_model
    from toolgym.suites import load_suite
    from toolgym.types import SamplingConfig

    test = load_suite("fc-core").split("test")
    tasks = [t for t in test if t.category == "simple"][:16] + [t for t in test if t.category == "irrelevance"][:8]
    model = load_model("tiny", ModelOptions(device="cpu", batch_size=24))

    async def answers():
        try:
            return await asyncio.gather(*(model.generate(t.messages, t.tools, SamplingConfig(max_tokens=192))
                                          for t in tasks))
        finally:
            await model.aclose()

    completions = asyncio.run(answers())
    pairs = list(zip(tasks, completions, strict=True))
    called = [(t, c) for t, c in pairs if t.category == "simple"]
    offered = [c.parse_error is None and bool(c.tool_calls) and all(call.name in {tool.name for tool in t.tools}
                                                                    for call in c.tool_calls) for t, c in called]
    assert sum(offered) >= 0.75 * len(called)
    refusals = [c for t, c in pairs if t.category == "irrelevance" and not c.tool_calls and c.text]
    assert refusals, "the tiny model never abstained with text on an irrelevance task"
