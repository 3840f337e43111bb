"""`RemoteEnvironment` and `remote:URL` suites: the same suite local and served must give identical verdicts."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the environment server needs fastapi (toolgym[server])")
pytest.importorskip("uvicorn", reason="the environment server needs uvicorn (toolgym[server])")

from tests.helpers.openai_server import call_first_tool  # noqa: E402
from tests.helpers.uvicorn_server import UvicornThread  # noqa: E402
from toolgym.envs import RemoteEnvironment  # noqa: E402
from toolgym.errors import InfraError, ToolError, UserError  # noqa: E402
from toolgym.models import ModelOptions  # noqa: E402
from toolgym.run import RunConfig, evaluate  # noqa: E402
from toolgym.serve import create_env_app  # noqa: E402
from toolgym.store import Store  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.types import Message, ToolCall  # noqa: E402


def _answer(task) -> list[Message]:
    """A plausible answer from the expected calls: each parameter's first acceptable value."""
    calls = [ToolCall(name=c.name, arguments={k: v[0] for k, v in c.arguments.items() if v and v[0] != ""})
             for c in task.expected.calls or []]
    return [*task.messages, Message(role="assistant", content=None if calls else "I can't", tool_calls=calls)]


@pytest.mark.parametrize("spec", ["fc-core", "retail", "files", "vision-core"])
def test_every_task_gets_the_same_verdicts_local_and_remote(spec):
    suite = load_suite(spec)
    local = suite.env
    with UvicornThread(create_env_app(suite)) as server:
        remote_suite = load_suite(f"remote:{server.url}")
        assert remote_suite.version == suite.version and len(remote_suite.tasks) == len(suite.tasks)
        remote = remote_suite.env
        assert isinstance(remote, RemoteEnvironment) and remote.single_turn == local.single_turn
        compared = 0
        for task in remote_suite.tasks:
            if local.single_turn:
                transcripts = [_answer(task), [*task.messages, Message(role="assistant", content="no idea")]]
            else:  # play the gold actions (then one bad call) on a local and a served episode
                transcripts = []
                for env in (local, remote):
                    episode, messages = env.reset(task), list(task.messages)
                    for i, action in enumerate([*task.expected.gold_actions, ToolCall(name="nope")]):
                        call = action.model_copy(update={"id": f"c{i}"})
                        try:
                            content = episode.call(call)
                        except ToolError as e:
                            content = f"Error: {e}"
                        messages += [Message(role="assistant", tool_calls=[call]),
                                     Message(role="tool", content=content, tool_call_id=call.id, name=call.name)]
                    episode.close()
                    transcripts.append(messages)
                assert transcripts[0] == transcripts[1]  # same tool results, same errors
            for transcript in transcripts:
                assert remote.verify(task, transcript) == local.verify(task, transcript), task.id
                compared += 1
        assert compared == 2 * len(suite.tasks)
        remote.close()


def _verdicts(db: str) -> dict[str, tuple]:
    with Store(db) as store:
        run = store.list_runs()[0]
        return {r.task_id: (r.passed, r.failure) for r in store.results(run.id)}


@pytest.mark.parametrize("spec", ["fc-core", "retail"])
def test_eval_on_a_remote_suite_matches_eval_on_the_local_one(spec, tmp_path, openai_server):
    """`toolgym eval --suite remote:URL`: the agent loop plays through the server; verdicts equal the local run's."""
    openai_server.responder = call_first_tool
    common = dict(model="openai:m", split="test", limit=15, concurrency=4)
    options = ModelOptions(base_url=openai_server.url, api_key="x")
    evaluate(RunConfig(suite=spec, db=str(tmp_path / "local.db"), **common), options=options)
    suite = load_suite(spec)
    with UvicornThread(create_env_app(suite)) as server:
        app_state = server._server.config.app.state
        evaluate(RunConfig(suite=f"remote:{server.url}", db=str(tmp_path / "remote.db"), **common), options=options)
        assert len(app_state.episodes) == 0  # every episode the loop opened was closed
    local, remote = _verdicts(str(tmp_path / "local.db")), _verdicts(str(tmp_path / "remote.db"))
    assert local == remote and len(local) >= 10


def test_errors_are_user_errors_tool_errors_or_infra_errors():
    suite = load_suite("retail")
    with UvicornThread(create_env_app(suite, token="t" * 20)) as server:
        with pytest.raises(UserError, match="TOOLGYM_ENV_TOKEN"):
            load_suite(f"remote:{server.url}")
        env = RemoteEnvironment(server.url, token="t" * 20)
        episode = env.reset(suite.tasks[0])
        with pytest.raises(ToolError, match="unknown tool 'nope'"):
            episode.call(ToolCall(name="nope"))
        assert isinstance(episode.state, dict)
    with pytest.raises(InfraError, match="ConnectError"):
        episode.call(ToolCall(name="nope"))
    with pytest.raises(UserError, match="remote:http://HOST:PORT"):
        load_suite("remote:localhost:8000")


def test_cli_eval_and_data_on_a_served_suite(tmp_path):
    """The commands as a user types them: `suite reference`, `eval` and `data sft` on `remote:URL`."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TOOLGYM_ENV_TOKEN"} | {"PYTHONPATH": os.getcwd()}

    def toolgym(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "toolgym", *args], capture_output=True, text=True, env=env,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    with UvicornThread(create_env_app(load_suite("retail"))) as server:
        spec, db = f"remote:{server.url}", str(tmp_path / "runs.db")
        toolgym("suite", "reference", spec, "--out", str(tmp_path / "ref.jsonl"), "--split", "train")
        toolgym("eval", spec, "--model", f"replay:{tmp_path / 'ref.jsonl'}", "--split", "train", "--limit", "4",
                "--db", db, "--run", "remote-ref")
        toolgym("data", "sft", "remote-ref", "--db", db, "--out", str(tmp_path / "sft"), "--jsonl")
    with Store(db) as store:
        run = store.get_run("remote-ref")
        assert run.done == 4 and run.passed == 4  # the reference answers pass on the served worlds
    rows = [json.loads(line) for line in (tmp_path / "sft" / "data.jsonl").read_text().splitlines()]
    assert len(rows) == 4 and all(any(m["role"] == "tool" for m in r["messages"]) for r in rows)
