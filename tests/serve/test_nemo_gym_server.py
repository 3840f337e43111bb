"""The NeMo-Gym resources server (toolgym/serve/nemo_gym_server.py) driven by NeMo-Gym's own agent.

nemo-gym 0.4.0 needs Python >= 3.12 and the project runs 3.11, so it lives in `.venv-nemo-gym`
(`make .venv-nemo-gym/.installed`, which `make test` builds when a Python 3.12 is found). Each test
runs tests/serve/nemo_gym_driver.py there: NeMo-Gym's `SimpleAgent` rolls out against the resources
server with a scripted model, and every reward is checked against the verdict toolgym gives here,
in-process, for the same calls.
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
VENV = ROOT / ".venv-nemo-gym"
DRIVER = Path(__file__).with_name("nemo_gym_driver.py")


def _missing() -> str | None:
    if (VENV / ".installed").exists():
        return None
    found = [p for p in (*Path.home().glob(".pyenv/versions/3.12.*/bin/python3.12"),  # where the Makefile looks
                         Path("/usr/bin/python3.12"), Path("/usr/local/bin/python3.12")) if p.exists()]
    if not found:
        return "needs a Python 3.12 interpreter for nemo-gym 0.4.0 (none found; make takes PYTHON312=PATH)"
    return f"needs the NeMo-Gym test environment .venv-nemo-gym ({found[0]}): make .venv-nemo-gym/.installed"


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def run_simple_agent(suite: str, plans: dict[str, str]) -> dict:
    """NeMo-Gym's `/run` on each planned task of `suite` (rows from `nemo_gym_rows`), and two probes."""
    spec = {"suite": suite, "split": "test", "plans": plans}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([str(VENV / "bin" / "python"), str(DRIVER), json.dumps(spec)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_simple_agent_on_retail_gets_toolgym_rewards_and_private_worlds():
    suite = load_suite("retail")
    tests = list(suite.split("test"))
    gold, partial = tests[0], next(t for t in tests[1:] if len(t.expected.gold_actions or []) > 1)
    run = run_simple_agent("retail", {gold.id: "gold", partial.id: "first_only"})
    rows = {row["task_id"]: row for row in run["rows"]}
    assert rows[gold.id]["responses_create_params"]["input"][-1] == {
        "role": "user", "content": gold.messages[-1].text, "type": "message"}
    assert [t["name"] for t in rows[gold.id]["responses_create_params"]["tools"]] == [t.name for t in gold.tools]
    for task, actions in ((gold, gold.expected.gold_actions), (partial, partial.expected.gold_actions[:1])):
        transcript, outputs = played_locally(suite.env, task, actions, call_id="call_{i}_0")
        verdict = suite.env.verify(task, transcript)
        result = run["results"][task.id]
        seen = [item["output"] for item in result["response"]["output"] if item["type"] == "function_call_output"]
        assert seen == outputs  # the agent's tool calls acted on a world of this rollout's own
        assert (result["reward"], result["passed"], result["failure"]) == (verdict.reward, verdict.passed,
                                                                          verdict.failure)
        assert result["components"] == verdict.components
    assert run["results"][gold.id]["reward"] == 1.0 and run["results"][partial.id]["reward"] == 0.0
    assert run["probes"]["unseeded_call"][0] == 409 and "/seed_session" in run["probes"]["unseeded_call"][1]
    assert run["probes"]["unknown_task"][0] == 404 and "no-such-task" in run["probes"]["unknown_task"][1]


def test_simple_agent_on_a_single_turn_suite_is_judged_on_its_first_turn():
    suite = load_suite("fc-core")
    right, wrong = [t for t in suite.split("test") if t.expected.calls][:2]
    run = run_simple_agent("fc-core", {right.id: "expected", wrong.id: "wrong"})
    calls = [ToolCall(name=c.name, arguments={k: v[0] for k, v in c.arguments.items() if v and v[0] != ""})
             for c in right.expected.calls]
    expected = suite.env.verify(right, [*right.messages, Message(role="assistant", tool_calls=calls)])
    assert run["results"][right.id]["reward"] == expected.reward == 1.0
    wrong_turn = Message(role="assistant", tool_calls=[ToolCall(name="no_such_tool")])
    bad = suite.env.verify(wrong, [*wrong.messages, wrong_turn])
    assert run["results"][wrong.id]["reward"] == bad.reward == 0.0
    assert run["results"][wrong.id]["failure"] == bad.failure
    # the agent went on after the call (a closing message), but only the first turn was judged
    assert run["results"][right.id]["response"]["output"][-1]["type"] == "message"
