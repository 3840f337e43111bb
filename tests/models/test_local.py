"""The local transformers backend, on the real bundled tiny model."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from toolgym.errors import UserError
from toolgym.models import ModelOptions, load_model
from toolgym.models.tiny import TINY_MODEL_DIR
from toolgym.types import Message, SamplingConfig, Tool

pytest.importorskip("torch", reason="needs torch: pip install 'toolgym[local]'")

WEATHER = Tool(
    name="get_current_weather",
    description="Get the current weather conditions in a city.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
        "required": ["city"],
    },
)
CITIES = ["Lisbon", "Oslo", "Tokyo", "Lima", "Cairo", "Denver", "Hanoi", "Quito", "Perth", "Riga"]


def ask(city: str) -> list[Message]:
    return [Message(role="user", content=f"What's the weather like in {city} right now?")]


@pytest.fixture(scope="module")
def tiny():
    return load_model("tiny", ModelOptions(device="cpu", batch_size=8))


def run_all(model, requests: list[tuple[list[Message], SamplingConfig]]):
    async def go():
        try:
            return await asyncio.gather(*(model.generate(m, [WEATHER], s) for m, s in requests))
        finally:
            await model.aclose()

    return asyncio.run(go())


def test_missing_directory_is_a_user_error_naming_the_path(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(UserError) as e:
        load_model(f"hf:{missing}")
    assert str(missing) in str(e.value) and "does not exist" in str(e.value)


def test_directory_without_config_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="config.json"):
        load_model(f"hf:{tmp_path}")


def test_tiny_takes_no_name():
    with pytest.raises(UserError, match="write 'tiny'"):
        load_model("tiny:big")


def test_unknown_parser_is_a_user_error():
    with pytest.raises(UserError, match="tool parser 'hermez'"):
        load_model("tiny", ModelOptions(parser="hermez"))


def test_missing_torch_names_the_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.delitem(sys.modules, "toolgym.models.local", raising=False)
    with pytest.raises(UserError) as e:
        load_model("tiny")
    assert "torch" in str(e.value) and "pip install 'toolgym[local]'" in str(e.value)


def test_importing_models_does_not_import_torch():
    code = "import sys, toolgym.models; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_hf_spec_loads_a_directory(tiny):
    model = load_model(f"hf:{TINY_MODEL_DIR}")
    assert model.describe()["parser"] == "hermes" and model.describe()["spec"] == f"hf:{TINY_MODEL_DIR}"


def test_render_passes_tools_and_call_arguments_as_dicts(tiny):
    from toolgym.types import ToolCall

    call = ToolCall(name="get_current_weather", arguments={"city": "Oslo"}, id="c1")
    messages = [*ask("Oslo"), Message(role="assistant", tool_calls=[call]),
                Message(role="tool", content='{"temperature": 3}', tool_call_id="c1")]
    text = tiny.render(messages, [WEATHER])
    assert "get_current_weather(city: string, unit: celsius|fahrenheit)" in text.split("<|im_start|>user")[0]
    assert '<tool_call>\n{"name": "get_current_weather", "arguments": {"city": "Oslo"}}\n</tool_call>' in text
    assert text.endswith('<|im_start|>tool\n{"temperature": 3}<|im_end|>\n<|im_start|>assistant\n')


def test_completion_has_usage_latency_and_raw(tiny):
    (c,) = run_all(tiny, [(ask("Lisbon"), SamplingConfig(max_tokens=64))])
    assert c.usage.prompt_tokens > 20 and 0 < c.usage.completion_tokens <= 64
    assert c.latency_s > 0 and c.raw
    assert c.finish_reason in ("stop", "tool_calls", "length")


def test_batched_greedy_equals_unbatched(tiny):
    greedy = SamplingConfig(max_tokens=48)
    batched = run_all(tiny, [(ask(c), greedy) for c in CITIES])
    alone = [run_all(tiny, [(ask(c), greedy)])[0] for c in CITIES[:4]]
    assert [c.raw for c in batched[:4]] == [c.raw for c in alone]


def test_concurrent_requests_are_micro_batched_by_sampling_settings(tiny, monkeypatch):
    sizes: list[tuple[int, set]] = []
    original = tiny.generate_batch

    def spy(requests, stop=None):
        sizes.append((len(requests), {(r.sampling.temperature, r.sampling.max_tokens) for r in requests}))
        return original(requests, stop)

    monkeypatch.setattr(tiny, "generate_batch", spy)
    greedy, hot = SamplingConfig(max_tokens=16), SamplingConfig(temperature=0.8, max_tokens=16, seed=1)
    run_all(tiny, [(ask(c), greedy) for c in CITIES] + [(ask(c), hot) for c in CITIES[:3]])
    assert all(len(settings) == 1 for _, settings in sizes)  # one sampling setting per batch
    assert max(n for n, _ in sizes) == 8  # batch_size caps a batch
    assert sum(n for n, _ in sizes) == 13 and len(sizes) <= 4


def test_seeded_sampling_is_reproducible_whatever_the_batch(tiny):
    def hot(seed: int) -> SamplingConfig:
        return SamplingConfig(temperature=1.0, max_tokens=40, seed=seed)

    together = run_all(tiny, [(ask(c), hot(i)) for i, c in enumerate(CITIES)])
    again = run_all(tiny, [(ask(CITIES[3]), hot(3)), (ask(CITIES[0]), hot(0))])
    assert [c.raw for c in again] == [together[3].raw, together[0].raw]
    other = run_all(tiny, [(ask(CITIES[3]), hot(seed)) for seed in range(100, 106)])
    assert len({c.raw for c in other}) > 1  # different seeds do sample differently


def test_malformed_call_is_a_parse_error_not_an_exception(tiny):
    ids = tiny.tokenizer('<tool_call>\n{"name": "get_current_weather", "arguments": {"city": }\n</tool_call>')
    c = tiny._completion([*ids["input_ids"], tiny.tokenizer.eos_token_id], prompt_tokens=10)
    assert c.parse_error and "call 1" in c.parse_error and c.tool_calls == []
    assert c.finish_reason == "stop" and c.usage.completion_tokens == len(ids["input_ids"]) + 1
