"""`train_grpo`: real TRL GRPO steps on the tiny model, rewarded by fc-core's verifier; and tool rollouts."""

from __future__ import annotations

import pytest

from tests.train.crafted import needs_tiny
from tests.train.test_tool_environment import NOTES, TASK
from toolgym.envs import StatefulEnv
from toolgym.suites import Suite, head_by_category, load_suite
from toolgym.train import EnvironmentReward, GRPORunConfig, train_grpo
from toolgym.types import Task

pytestmark = [needs_tiny, pytest.mark.slow]


def test_fc_core_prompts_are_rewarded_by_the_verifier(tmp_path, monkeypatch):
    scored = []
    real_score = EnvironmentReward.score

    def spy(self, completion, task_json):
        reward = real_score(self, completion, task_json)
        scored.append((Task.model_validate_json(task_json).id, completion, reward))
        return reward

    monkeypatch.setattr(EnvironmentReward, "score", spy)
    seen = []
    config = GRPORunConfig(model="tiny", suite="fc-core", limit=2, out=tmp_path / "model", max_steps=2, batch_size=2,
                           num_generations=2, max_completion_length=40, logging_steps=1, threads=2)
    result = train_grpo(config, on_log=lambda step, total, metrics: seen.append(metrics))
    assert result.steps == 2 and result.config["parser"] == "hermes" and result.config["verifier_errors"] == 0
    rewards = [m["rewards/verifier/mean"] for m in seen if "rewards/verifier/mean" in m]
    assert len(rewards) == 2 and all(0.0 <= r <= 1.0 for r in rewards)
    # every sampled completion went through the verifier with its own row's task
    first_two = {t.id for t in head_by_category(load_suite("fc-core").split("train"), 2)}  # one simple, one multiple
    assert len(scored) == 2 * 2 and {t for t, _, _ in scored} <= first_two
    assert all(isinstance(c, str) and r in (0.0, 1.0) for _, c, r in scored)
    assert (tmp_path / "model" / "model.safetensors").is_file()


def test_stateful_tasks_run_as_tool_using_rollouts(tmp_path):
    suite = Suite(name="notes", env=StatefulEnv(domains=[NOTES]), tasks=[TASK, TASK.model_copy(update={"id": "n2"})])
    config = GRPORunConfig(model="tiny", suite="notes", out=tmp_path / "model", max_steps=2, batch_size=2,
                           num_generations=2, max_completion_length=32, logging_steps=1, threads=2, max_tool_calls=2)
    result = train_grpo(config, suite=suite)
    assert result.steps == 2 and result.config["verifier_errors"] == 0
    assert any("tools/call_frequency" in entry for entry in result.log)
