"""The `toolgym data`, `toolgym train` and `toolgym loop` commands: options from config fields, clear errors."""

from __future__ import annotations

import pytest

from toolgym.cli import main
from toolgym.train import SFTRunConfig


def run(argv: list[str], capsys) -> tuple[int, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_data_sft_writes_a_dataset(scored_db, tmp_path, capsys):
    code, out = run(["data", "sft", "sampled", "--db", str(scored_db), "--out", str(tmp_path / "d"), "--jsonl"], capsys)
    assert code == 0 and "wrote 10 sft rows from 10/10 train tasks" in " ".join(out.split())
    assert (tmp_path / "d" / "data.jsonl").is_file()


def test_data_dpo_on_test_runs_explains_why_nothing_was_written(scored_db, tmp_path, capsys):
    code, out = run(["data", "dpo", "test-run", "--db", str(scored_db), "--out", str(tmp_path / "d")], capsys)
    assert code == 2 and "test_split: 3" in out


def test_train_options_are_the_config_fields(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # no option name wrapped over two lines
    monkeypatch.setenv("TERMINAL_WIDTH", "250")
    code, out = run(["train", "sft", "--help"], capsys)
    text = " ".join(out.split())
    assert code == 0
    for name in SFTRunConfig.model_fields:
        assert "--" + name.replace("_", "-") in text
    assert "Loss on assistant tokens only" in text and "--config" in text


def test_bad_values_name_the_flag_before_anything_loads(capsys):
    code, out = run(["train", "grpo", "--suite", "fc-core", "--batch-size", "3", "--num-generations", "2"], capsys)
    assert code == 2 and "must be a multiple of num_generations (2)" in " ".join(out.split())
    code, out = run(["train", "sft", "--suite", "fc-core", "--data", "x"], capsys)
    assert code == 2 and "not both" in out
    code, out = run(["train", "dpo", "--model", "openai:gpt-4o", "--suite", "fc-core", "--out", "x"], capsys)
    assert code == 2 and "training needs local weights" in out


def test_config_file_is_read_and_flags_override_it(tmp_path, capsys):
    cfg = tmp_path / "loop.yaml"
    cfg.write_text("rounds: 2\nsampels: 3\n")
    code, out = run(["loop", "--config", str(cfg)], capsys)
    assert code == 2 and "unknown key 'sampels'; did you mean 'samples'?" in out


@pytest.mark.parametrize("command", [["loop", "--help"], ["train", "grpo", "--help"], ["data", "dpo", "--help"]])
def test_help_pages(command, capsys):
    code, out = run(command, capsys)
    assert code == 0 and "Usage" in out
