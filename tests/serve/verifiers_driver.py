"""Runs `vf-eval` on the toolgym taskset inside the verifiers test environment (`.venv-verifiers`).

tests/serve/test_verifiers_env.py starts this script with that environment's Python: verifiers pins an
MCP SDK older than toolgym's own, so the two cannot share the project's virtual environment. A scripted
model on loopback (tests/helpers/openai_server.py, streaming as verifiers asks) plays a plan per task;
verifiers runs its real machinery: the taskset loaded by plugin name, a tool server per rollout (MCP
over loopback), its chat harness (a uv script), the interception proxy and the `@reward`.

Input (argv[1], JSON): a list of runs, each {"suite": SPEC, "split": "test", "plans": {task_id: PLAN},
"out": DIR}, run one after the other in this process (verifiers takes seconds to import); a PLAN is
"gold" (the gold actions, one per turn, then a closing text), "first_only" (the first gold action only,
as an agent that authenticates and stops), "expected" (single-turn: each expected call with its first
acceptable values) or "wrong" (a call of a tool the task does not have). Output (stdout, last line): for
each run, one JSON object per rollout with the task id, the reward, metrics, toolgym's verdict info, the
errors and the tool messages the model saw.
"""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.helpers and the checkout's toolgym

from tests.helpers.openai_server import OpenAIServer, calls, completion, tool_call  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402


def turns_of(task, plan: str) -> list[list[dict]]:
    """The tool calls of each model turn for `plan` (the closing text turn is implicit)."""
    gold = [tool_call(a.name, a.arguments, id=f"call_{i}") for i, a in enumerate(task.expected.gold_actions or [])]
    if plan == "gold":
        return [[c] for c in gold]
    if plan == "first_only":
        return [[c] for c in gold[:1]]
    if plan == "expected":
        return [[tool_call(c.name, {k: v[0] for k, v in c.arguments.items() if v and v[0] != ""}, id=f"call_{i}")
                 for i, c in enumerate(task.expected.calls or [])]]
    if plan == "wrong":
        return [[tool_call("no_such_tool", {}, id="call_0")]]
    raise ValueError(f"unknown plan {plan!r}")


def run(spec: dict) -> list[dict]:
    """`vf-eval toolgym-verifiers` on the planned tasks of one suite; one summary per rollout."""
    suite = load_suite(spec["suite"])
    tasks = {t.id: t for t in suite.tasks}
    by_prompt = {tasks[i].messages[-1].text: turns_of(tasks[i], plan) for i, plan in spec["plans"].items()}

    def responder(body):
        user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        turns = by_prompt[user if isinstance(user, str) else "".join(p.get("text", "") for p in user)]
        done = sum(1 for m in body["messages"] if m["role"] == "assistant")
        return calls(*turns[done]) if done < len(turns) else completion("Done: all requested changes are made.")

    selected = [str(i) for i, t in enumerate(suite.split(spec["split"])) if t.id in spec["plans"]]
    from verifiers.v1.cli.eval.main import main as vf_eval

    with OpenAIServer(responder) as server:
        vf_eval(["toolgym-verifiers", "--env.taskset.suite", spec["suite"], "--env.taskset.split", spec["split"],
                 "--select.include.idx", *selected, "--model", "scripted", "--client.base-url", server.url,
                 "--env.agent.runtime.type", "subprocess", "--max-concurrent", "4",
                 "--no-push", "--no-rich", "-o", spec["out"]])
    (traces,) = glob.glob(f"{spec['out']}/*/traces.jsonl")
    results = []
    for line in Path(traces).read_text().splitlines():
        episode = json.loads(line)
        (trace,) = episode["traces"]  # the single-agent env: one trace per episode
        messages = [n["message"] for n in trace["nodes"]]
        results.append({
            "task_id": episode["task"]["data"]["task_id"],
            "reward": (trace["rewards"].get("toolgym") or {}).get("score"),
            "metrics": trace["metrics"],
            "verdict": trace["info"].get("toolgym"),
            "errors": [e["message"] for e in [*episode["errors"], *trace["errors"]]],
            "tool_messages": [m["content"] for m in messages if m["role"] == "tool"],
            "assistant_turns": sum(1 for m in messages if m["role"] == "assistant"),
        })
    return results


def main() -> None:
    print(json.dumps([run(spec) for spec in json.loads(sys.argv[1])]))


if __name__ == "__main__":
    main()
