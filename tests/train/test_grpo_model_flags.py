"""`toolgym train grpo` takes the model options other model-taking commands have: --parser and --tool-mode.

The flags, their help and their config-file keys come from `ModelOptions`, as `eval`'s do; in prompt
tool mode GRPO trains on the very prompts the local backend evaluates with.
"""

from __future__ import annotations

import json

import pytest
import typer

from tests.train.crafted import needs_tiny
from tests.train.test_cli_train import run
from toolgym.cli import app
from toolgym.models import ModelOptions
from toolgym.suites import load_suite
from toolgym.train import GRPORunConfig


def _options(*path: str) -> dict:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return {p.name: p for p in command.params}


@pytest.mark.parametrize("field", ["parser", "tool_mode"])
def test_train_grpo_has_evals_model_flags_with_the_same_help(field):
    grpo, evaluate = _options("train", "grpo"), _options("eval")
    flag = "--" + field.replace("_", "-")
    assert flag in grpo[field].opts and flag in evaluate[field].opts
    assert grpo[field].help == evaluate[field].help == ModelOptions.model_fields[field].description


def test_a_bad_tool_mode_is_refused_naming_the_flag(tmp_path, capsys):
    code, out = run(["train", "grpo", "--suite", "fc-core", "--out", str(tmp_path / "m"), "--tool-mode", "promt"],
                    capsys)
    assert code == 2 and "--tool-mode" in out and "'prompt'" in out
    assert not (tmp_path / "m").exists()


def test_prompt_mode_on_a_multi_turn_suite_fails_before_anything_is_written(tmp_path, capsys):
    code, out = run(["train", "grpo", "--suite", "retail", "--out", str(tmp_path / "m"), "--tool-mode", "prompt"],
                    capsys)
    assert code == 2 and "--tool-mode prompt: suite 'retail' is multi-turn" in " ".join(out.split())
    assert not (tmp_path / "m").exists()


@needs_tiny
def test_prompt_mode_renders_the_prompt_the_local_backend_evaluates_with():
    from toolgym.models.local import load_local_model
    from toolgym.train.data_grpo import render_prompt

    model = load_local_model("tiny", "", ModelOptions(tool_mode="prompt", parser="hermes", device="cpu"))
    tasks = load_suite("fc-core").split("train")[:5]
    for task in tasks:
        trained_on = render_prompt(model.tokenizer, task, "prompt", "hermes")
        assert trained_on == model.render(task.messages, task.tools)
        assert "<tools>" in trained_on or not task.tools  # the tools are in the system prompt, hermes style
    assert render_prompt(model.tokenizer, tasks[0]) != render_prompt(model.tokenizer, tasks[0], "prompt", "hermes")


@needs_tiny
@pytest.mark.slow
def test_train_grpo_in_prompt_mode_from_a_config_file(tmp_path, capsys):
    config = tmp_path / "grpo.yaml"
    config.write_text("tool_mode: prompt\nparser: hermes\n")
    out_dir = tmp_path / "m"
    code, out = run(["train", "grpo", "--suite", "fc-core", "--limit", "2", "--out", str(out_dir), "--max-steps", "1",
                     "--batch-size", "2", "--num-generations", "2", "--max-completion-length", "24", "--threads", "2",
                     "--config", str(config)], capsys)
    assert code == 0, out
    record = json.loads((out_dir / "toolgym_train.json").read_text())
    assert record["config"]["tool_mode"] == "prompt" and record["config"]["parser"] == "hermes"
    assert GRPORunConfig.model_fields["tool_mode"].default == "native"
