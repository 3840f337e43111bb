"""The `verifiers` adapter (toolgym/serve/verifiers_env.py) driven by the real verifiers package.

verifiers 0.4.0 pins `mcp==2.0.0` and toolgym's MCP features need `mcp>=2.3`, so verifiers lives in its
own environment, `.venv-verifiers` (`make .venv-verifiers/.installed`, which `make test` builds): toolgym
installed there without the `mcp` extra. Each test runs `vf-eval` there through tests/serve/
verifiers_driver.py (a scripted model on loopback plays a plan per task) and checks every reward against
the verdict toolgym gives here, in-process, for the same calls.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.serve.local_play import played_locally
from toolgym.suites import load_suite
from toolgym.types import Message, ToolCall

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-verifiers"
DRIVER = Path(__file__).with_name("verifiers_driver.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (VENV / ".installed").exists(),
                       reason="needs the verifiers test environment .venv-verifiers: make .venv-verifiers/.installed"),
]


def run_vf_eval(runs: list[tuple[str, dict[str, str]]], tmp_path: Path) -> list[dict[str, dict]]:
    """The rollouts of `vf-eval toolgym-verifiers` for each (suite, plans), by task id, in one subprocess."""
    specs = [{"suite": suite, "split": "test", "plans": plans, "out": str(tmp_path / f"vf-out-{i}")}
             for i, (suite, plans) in enumerate(runs)]
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           # verifiers' chat harness is a uv script: its packages come from the wheels saved with the venv
           "UV_NO_INDEX": "1", "UV_FIND_LINKS": str(VENV / "uv-wheels"), "UV_CACHE_DIR": str(VENV / "uv-cache"),
           "UV_PYTHON_DOWNLOADS": "never", "TOOLGYM_ENV_TOKEN": ""}
    done = subprocess.run([str(VENV / "bin" / "python"), str(DRIVER), json.dumps(specs)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    results = [{r["task_id"]: r for r in rollouts} for rollouts in json.loads(done.stdout.strip().splitlines()[-1])]
    for (_, plans), rollouts in zip(runs, results, strict=True):
        assert sorted(rollouts) == sorted(plans), done.stderr[-4000:]
    return results


@pytest.fixture(scope="module")
def retail_and_fc_core(tmp_path_factory):
    """One verifiers process (it takes seconds to import) runs both suites: retail served, fc-core local.

    The served retail suite is prime-rl's deployment: the worlds in `toolgym serve-env` (this venv, with
    mcp 2.3), verifiers in its own environment.
    """
    pytest.importorskip("fastapi", reason="serve-env needs fastapi (toolgym[server])")
    from tests.helpers.uvicorn_server import UvicornThread
    from toolgym.serve import create_env_app

    retail, fc_core = load_suite("retail"), load_suite("fc-core")
    tests = list(retail.split("test"))
    gold, partial = tests[0], next(t for t in tests[1:] if len(t.expected.gold_actions or []) > 1)
    right, wrong = [t for t in fc_core.split("test") if t.expected.calls][:2]
    with UvicornThread(create_env_app(retail)) as server:
        served, local = run_vf_eval([(f"remote:{server.url}", {gold.id: "gold", partial.id: "first_only"}),
                                     ("fc-core", {right.id: "expected", wrong.id: "wrong"})],
                                    tmp_path_factory.mktemp("vf"))
    return {"retail": (retail, gold, partial, served), "fc-core": (fc_core, right, wrong, local)}


def test_vf_eval_on_a_served_retail_suite_rewards_as_toolgym_verifies(retail_and_fc_core):
    suite, gold, partial, rollouts = retail_and_fc_core["retail"]
    for task, actions in ((gold, gold.expected.gold_actions), (partial, partial.expected.gold_actions[:1])):
        transcript, outputs = played_locally(suite.env, task, actions)
        verdict = suite.env.verify(task, transcript)
        rollout = rollouts[task.id]
        assert rollout["errors"] == []
        assert rollout["tool_messages"] == outputs  # each rollout's tools acted on a world of its own
        assert rollout["reward"] == verdict.reward
        assert rollout["verdict"]["failure"] == verdict.failure
        assert rollout["metrics"] == {f"toolgym_{k}": v for k, v in verdict.components.items()}
    assert rollouts[gold.id]["reward"] == 1.0 and rollouts[partial.id]["reward"] == 0.0


def test_vf_eval_on_a_single_turn_suite_stops_at_the_first_response(retail_and_fc_core):
    suite, first, second, rollouts = retail_and_fc_core["fc-core"]
    tasks = [first, second]
    right = rollouts[tasks[0].id]
    assert right["reward"] == 1.0 and right["assistant_turns"] == 1 and right["tool_messages"] == []
    calls = [ToolCall(name=c.name, arguments={k: v[0] for k, v in c.arguments.items() if v and v[0] != ""})
             for c in tasks[0].expected.calls]
    assert suite.env.verify(tasks[0], [*tasks[0].messages, Message(role="assistant", tool_calls=calls)]).reward == 1.0
    wrong = rollouts[tasks[1].id]
    verdict = suite.env.verify(tasks[1], [*tasks[1].messages,
                                          Message(role="assistant", tool_calls=[ToolCall(name="no_such_tool")])])
    assert wrong["reward"] == verdict.reward == 0.0 and wrong["assistant_turns"] == 1
    assert wrong["verdict"]["failure"] == verdict.failure
