"""Trainers on served environments: TRL's GRPO rewarded by a remote toolgym environment, over a real socket."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the environment server needs fastapi (toolgym[server])")
pytest.importorskip("trl", reason="GRPO needs trl (toolgym[train])")

from tests.helpers.uvicorn_server import UvicornThread  # noqa: E402
from tests.train.crafted import needs_tiny  # noqa: E402
from toolgym.envs import FunctionCallingEnv  # noqa: E402
from toolgym.serve import create_env_app  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.train import GRPORunConfig, train_grpo  # noqa: E402

pytestmark = [needs_tiny, pytest.mark.slow]


class CountingEnv(FunctionCallingEnv):
    """The server's real verifier, counting the verdicts it gives."""

    verdicts: list[tuple[str, float]] = []

    def verify(self, task, transcript):
        verdict = super().verify(task, transcript)
        self.verdicts.append((task.id, verdict.reward))
        return verdict


def test_grpo_is_rewarded_by_a_remote_environment(tmp_path):
    suite = load_suite("fc-core")
    app = create_env_app(suite, environment=lambda mode: CountingEnv(mode))
    scored: list[str] = []

    @app.middleware("http")
    async def spy(request, call_next):
        if request.url.path == "/v1/reward":
            scored.extend((await request.json())["task_ids"])
        return await call_next(request)

    with UvicornThread(app) as server:
        config = GRPORunConfig(model="tiny", suite=f"remote:{server.url}", limit=2, out=tmp_path / "model",
                               max_steps=2, batch_size=2, num_generations=2, max_completion_length=40,
                               logging_steps=1, threads=2)
        result = train_grpo(config)
    assert result.steps == 2 and result.config["verifier_errors"] == 0
    assert result.config["suite_version"] == suite.version  # the served tasks are the local suite's
    assert len(scored) == 2 * 2  # every completion was scored by the server, a batch per reward call
    assert all(task_id.startswith("fc-core/train/") for task_id in scored)
    # completions whose calls decode reach the verifier; the others get 0 without it, as in-process
    assert len(CountingEnv.verdicts) <= len(scored)
    assert (tmp_path / "model" / "model.safetensors").is_file()


def test_grpo_plays_tool_rollouts_on_a_remote_stateful_environment(tmp_path):
    """TRL's multi-turn GRPO: each tool call of a rollout is a step on the server, each reward a verdict from it."""
    from tests.train.test_tool_environment import NOTES, TASK
    from toolgym.envs import StatefulEnv
    from toolgym.suites import Suite

    suite = Suite(name="notes", environment="stateful", tasks=[TASK, TASK.model_copy(update={"id": "n2"})])
    app = create_env_app(suite, environment=lambda mode: StatefulEnv(domains=[NOTES]))
    seen: list[str] = []

    @app.middleware("http")
    async def spy(request, call_next):
        seen.append(request.url.path.rsplit("/", 1)[-1] if "/episodes/" in request.url.path else request.url.path)
        return await call_next(request)

    with UvicornThread(app) as server:
        config = GRPORunConfig(model="tiny", suite=f"remote:{server.url}", out=tmp_path / "model", max_steps=2,
                               batch_size=2, num_generations=2, max_completion_length=32, logging_steps=1,
                               threads=2, max_tool_calls=2)
        result = train_grpo(config)
    assert result.steps == 2 and result.config["verifier_errors"] == 0
    assert seen.count("/v1/verify") == 2 * 2  # every rollout verified by the server
    assert any("tools/call_frequency" in entry for entry in result.log)
