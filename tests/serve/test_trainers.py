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


def test_grpo_refuses_a_remote_multi_turn_suite_with_a_clear_error(tmp_path):
    from toolgym.errors import UserError

    with UvicornThread(create_env_app(load_suite("retail"))) as server:
        config = GRPORunConfig(model="tiny", suite=f"remote:{server.url}", out=tmp_path / "m", max_steps=1)
        with pytest.raises(UserError, match="remote multi-turn"):
            train_grpo(config)
    assert not (tmp_path / "m" / "model.safetensors").exists()
