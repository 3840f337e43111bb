"""`train_sft`: real TRL steps on the tiny model; the saved directory loads with hf:PATH and generates."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.train.crafted import needs_tiny
from toolgym.errors import UserError
from toolgym.train import SFTRunConfig, build_sft_data, train_sft
from toolgym.train.runtime import RESULT_FILE
from toolgym.types import SamplingConfig

pytestmark = [needs_tiny, pytest.mark.slow]


def _generate(path, task):
    from toolgym.models import ModelOptions, load_model

    model = load_model(f"hf:{path}", ModelOptions(device="cpu"))

    async def go():
        try:
            return await model.generate(task.messages, task.tools, SamplingConfig(max_tokens=64))
        finally:
            await model.aclose()

    return asyncio.run(go())


def _weights(path):
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def test_exported_rollouts_train_unchanged_and_the_model_loads_as_hf_path(scored_db, tmp_path, fc_core):
    from toolgym.models.tiny import TINY_MODEL_DIR

    data = tmp_path / "data"
    build_sft_data(str(scored_db), ["sampled"], data)
    seen = []
    config = SFTRunConfig(model="tiny", data=data, out=tmp_path / "model", max_steps=2, batch_size=2,
                          learning_rate=1e-3, warmup=0, scheduler="constant", logging_steps=1, threads=2, seed=3)
    result = train_sft(config, on_log=lambda step, total, metrics: seen.append((step, metrics)))
    assert result.steps == 2 and result.rows == 10 and result.seed == 3 and result.device == "cpu"
    assert [step for step, m in seen if "loss" in m] == [1, 2]
    assert result.config["resolved_assistant_only_loss"] is True  # the tiny template marks assistant turns
    saved = json.loads((tmp_path / "model" / RESULT_FILE).read_text())
    assert saved["data"]["sources"] == ["sampled"] and saved["seed"] == 3
    before, after = _weights(TINY_MODEL_DIR), _weights(tmp_path / "model")
    name = "model.layers.0.mlp.up_proj.weight"
    assert not before[name].float().allclose(after[name].float())
    assert (tmp_path / "model" / "chat_template.jinja").is_file()
    completion = _generate(tmp_path / "model", fc_core.split("test")[0])
    assert completion.raw and completion.usage.completion_tokens > 0


def test_lora_adapters_are_merged_into_a_plain_model(tmp_path, fc_core):
    config = SFTRunConfig(model="tiny", suite="fc-core", limit=4, out=tmp_path / "lora", max_steps=2, batch_size=2,
                          lora=True, lora_r=4, lora_alpha=8, threads=2)
    result = train_sft(config)
    files = {p.name for p in (tmp_path / "lora").iterdir()}
    assert "config.json" in files and "adapter_config.json" not in files and result.steps == 2
    assert _generate(tmp_path / "lora", fc_core.split("test")[1]).raw


def test_an_existing_model_is_not_overwritten_without_the_flag(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text("{}")
    with pytest.raises(UserError, match="already holds a model; pass --overwrite"):
        train_sft(SFTRunConfig(model="tiny", suite="fc-core", out=tmp_path / "m", max_steps=1))
