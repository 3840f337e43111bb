"""The training-method registry: one runner, each method named once, every method a `toolgym train` command."""

from __future__ import annotations

import pytest

from toolgym.cli import main
from toolgym.errors import UserError
from toolgym.train import METHODS, DPORunConfig, GRPORunConfig, SFTRunConfig, TrainMethod, run_method
from toolgym.train.dpo import DPOMethod
from toolgym.train.grpo import GRPOMethod
from toolgym.train.runner import method_runner
from toolgym.train.sft import SFTMethod


def test_each_method_is_registered_with_its_config_and_trl_classes():
    assert METHODS.names() == ["sft", "dpo", "grpo"]  # registration order, the pipeline's
    assert METHODS.get("sft") is SFTMethod and SFTMethod.config_class is SFTRunConfig
    assert METHODS.get("dpo") is DPOMethod and DPOMethod.config_class is DPORunConfig
    assert METHODS.get("grpo") is GRPOMethod and GRPOMethod.config_class is GRPORunConfig
    assert GRPOMethod.trl_classes == ("GRPOConfig", "GRPOTrainer")
    with pytest.raises(UserError, match="unknown training method 'stf'. Did you mean 'sft'"):
        METHODS.get("stf")


def test_a_method_registers_once_under_its_name():
    with pytest.raises(ValueError, match="training method 'sft' is registered twice"):
        class Again(TrainMethod, name="sft", config=SFTRunConfig, trl=("SFTConfig", "SFTTrainer")):
            def dataset(self, model, tokenizer): ...


def test_every_registered_method_is_a_train_command(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    try:
        main(["train", "--help"])
    except SystemExit as e:
        assert not e.code
    text = " ".join(capsys.readouterr().out.split())
    for name in METHODS.names():
        assert f"{name} {' '.join(METHODS.get(name).__doc__.split())[:40]}" in text


def test_missing_data_fails_before_the_output_directory_is_made(tmp_path):
    out = tmp_path / "model"
    with pytest.raises(UserError, match="no training data"):
        method_runner("sft")(SFTRunConfig(out=out))
    with pytest.raises(UserError, match="no training data"):
        run_method(DPOMethod(DPORunConfig(out=out)))
    assert not out.exists()
