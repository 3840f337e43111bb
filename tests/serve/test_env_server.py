"""`serve-env`: the environment server over a real socket (uvicorn on loopback), as clients and attackers use it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

pytest.importorskip("fastapi", reason="the environment server needs fastapi (toolgym[server])")
pytest.importorskip("uvicorn", reason="the environment server needs uvicorn (toolgym[server])")

from tests.helpers.uvicorn_server import UvicornThread  # noqa: E402
from toolgym.envs import StatefulEnv  # noqa: E402
from toolgym.errors import UserError  # noqa: E402
from toolgym.serve import check_exposure, create_env_app  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402

TOKEN = "a-long-random-test-token-0123456789"


@pytest.fixture(scope="module")
def retail():
    return load_suite("retail")


@pytest.fixture
def server(retail):
    with UvicornThread(create_env_app(retail)) as running:
        yield running


def _open(client: httpx.Client, task_id: str) -> str:
    r = client.post("/v1/episodes", json={"task_id": task_id})
    assert r.status_code == 200, r.text
    return r.json()["episode_id"]


def test_reset_step_and_verify_play_a_stateful_task(server, retail):
    task = retail.split("test")[0]
    with httpx.Client(base_url=server.url) as client:
        info = client.get("/v1/suite").json()
        assert info["version"] == retail.version and info["single_turn"] is False and info["tasks"] == 80
        opened = client.post("/v1/episodes", json={"task_id": task.id}).json()
        assert [m["content"] for m in opened["messages"]] == [m.content for m in task.messages]
        assert {t["name"] for t in opened["tools"]} == {t.name for t in task.tools}
        transcript = [m.model_dump(mode="json") for m in task.messages]
        local = StatefulEnv().reset(task)
        for action in task.expected.gold_actions:
            call = action.model_copy(update={"id": f"c{len(transcript)}"})
            step = client.post(f"/v1/episodes/{opened['episode_id']}/step",
                               json={"tool_calls": [call.model_dump(mode="json")]}).json()
            assert step["results"][0]["content"] == local.call(action)
            assert step["state"] == local.state  # the episode's state after the call
            transcript += [{"role": "assistant", "tool_calls": [call.model_dump(mode="json")]}, *step["messages"]]
        verdict = client.post("/v1/verify", json={"task_id": task.id, "transcript": transcript}).json()
        assert verdict["components"]["state"] == 1.0
        assert verdict == StatefulEnv().verify(task, [type(task.messages[0]).model_validate(m)
                                                      for m in transcript]).model_dump(mode="json")


def test_a_failing_tool_is_a_result_not_an_http_error(server, retail):
    task = retail.split("test")[0]
    with httpx.Client(base_url=server.url) as client:
        episode = _open(client, task.id)
        r = client.post(f"/v1/episodes/{episode}/step",
                        json={"tool_calls": [{"name": "no_such_tool", "arguments": {}, "id": "x"}]})
        assert r.status_code == 200
        result = r.json()["results"][0]
        assert result["content"] is None and result["error"].startswith("unknown tool 'no_such_tool'")
        assert r.json()["messages"][0]["content"].startswith("Error: unknown tool")


def test_episodes_are_isolated_under_many_clients_at_once(server, retail):
    """32 clients each change or not their own copy of the world; no state leaks between episodes."""
    env = StatefulEnv()
    task = next(t for t in retail.split("test") if env.goal_state(t) != env.initial_state(t))

    def play(i: int) -> tuple[int, dict]:
        with httpx.Client(base_url=server.url) as client:
            episode = _open(client, task.id)
            calls = task.expected.gold_actions if i % 2 else []
            state = None
            for call in calls:
                state = client.post(f"/v1/episodes/{episode}/step",
                                    json={"tool_calls": [call.model_dump(mode="json")]}).json()["state"]
            if state is None:
                lookup = {"name": "no_such_tool", "arguments": {}}
                state = client.post(f"/v1/episodes/{episode}/step", json={"tool_calls": [lookup]}).json()["state"]
            client.delete(f"/v1/episodes/{episode}")
            return i, state

    with ThreadPoolExecutor(16) as pool:
        states = dict(pool.map(play, range(32)))
    assert all(states[i] == env.goal_state(task) for i in range(1, 32, 2))
    assert all(states[i] == env.initial_state(task) for i in range(0, 32, 2))
    assert env.goal_state(task) != env.initial_state(task)


def test_episodes_are_bounded_and_expire(retail):
    task = retail.split("test")[0]
    with UvicornThread(create_env_app(retail, max_episodes=2, ttl_s=0.3)) as running:
        with httpx.Client(base_url=running.url) as client:
            first = _open(client, task.id)
            _open(client, task.id)
            full = client.post("/v1/episodes", json={"task_id": task.id})
            assert full.status_code == 429 and "--max-episodes" in full.json()["detail"]
            time.sleep(0.5)
            gone = client.post(f"/v1/episodes/{first}/step", json={"tool_calls": [{"name": "x"}]})
            assert gone.status_code == 404 and "expired" in gone.json()["detail"]
            _open(client, task.id)  # expired episodes made room
            assert client.delete(f"/v1/episodes/{first}").status_code == 404


def test_bad_requests_get_4xx_with_a_message(server):
    with httpx.Client(base_url=server.url) as client:
        unknown = client.post("/v1/episodes", json={"task_id": "nope"})
        assert unknown.status_code == 404 and "unknown task 'nope'" in unknown.json()["detail"]
        missing = client.post("/v1/verify", json={"transcript": []})
        assert missing.status_code == 422 and "task_id" in str(missing.json()["detail"])
        not_json = client.post("/v1/verify", content=b"{not json", headers={"content-type": "application/json"})
        assert not_json.status_code == 422
        extra = client.post("/v1/episodes", json={"task_id": "x", "evil": 1})
        assert extra.status_code == 422
        mode = client.post("/v1/episodes", json={"task_id": "x", "mode": "lenient"})
        assert mode.status_code == 422 and "toolgym" in str(mode.json()["detail"])
        page = client.get("/v1/tasks", params={"limit": 0})
        assert page.status_code == 422
        parser = client.post("/v1/reward", json={"task_ids": ["retail/test/order_status/0000"],
                                                  "completions": ["hi"], "parser": "nope"})
        assert parser.status_code in (400, 404)
        assert "parser" in parser.json()["detail"]


def test_a_verifier_bug_is_a_500_with_one_line_not_a_traceback(retail):
    class Broken(StatefulEnv):
        def verify(self, task, transcript):
            raise KeyError("oops")

    app = create_env_app(retail, environment=lambda mode: Broken())
    with UvicornThread(app) as running:
        r = httpx.post(running.url + "/v1/verify", json={"task_id": retail.tasks[0].id, "transcript": []})
        assert r.status_code == 500
        assert r.json() == {"detail": "internal error: KeyError: 'oops'"}
        assert "Traceback" not in r.text


def test_openapi_docs_are_served(server):
    schema = httpx.get(server.url + "/openapi.json").json()
    assert {"/v1/tasks", "/v1/episodes", "/v1/episodes/{episode_id}/step", "/v1/verify", "/v1/reward"} <= set(
        schema["paths"])
    assert httpx.get(server.url + "/docs").status_code == 200


def test_the_token_is_required_and_checked_as_an_attacker_would_try(retail):
    with UvicornThread(create_env_app(retail, token=TOKEN)) as running:
        url = running.url + "/v1/suite"
        attempts = [
            {},
            {"Authorization": "Bearer"},
            {"Authorization": "Bearer wrong"},
            {"Authorization": f"Bearer {TOKEN[:-1]}"},
            {"Authorization": f"Bearer {TOKEN}x"},
            {"Authorization": f"Basic {TOKEN}"},
            {"Authorization": TOKEN},
            {"X-Token": TOKEN},
        ]
        for headers in attempts:
            r = httpx.get(url, headers=headers)
            assert r.status_code == 401, headers
            assert "bearer token" in r.json()["detail"] and "Traceback" not in r.text
        assert httpx.get(url, params={"token": TOKEN}).status_code == 401
        assert httpx.post(running.url + "/v1/episodes", json={"task_id": retail.tasks[0].id}).status_code == 401
        assert httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert httpx.get(url, headers={"Authorization": f"bearer  {TOKEN}"}).status_code == 200


def test_binding_beyond_loopback_needs_a_token():
    check_exposure("127.0.0.1", None)
    check_exposure("::1", None)
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        with pytest.raises(UserError, match="TOOLGYM_ENV_TOKEN"):
            check_exposure(host, None)
    with pytest.raises(UserError, match="at least 16"):
        check_exposure("0.0.0.0", "short")
    check_exposure("0.0.0.0", TOKEN)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_and_refuses_an_open_bind_without_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TOOLGYM_ENV_TOKEN"} | {"PYTHONPATH": os.getcwd()}
    refused = subprocess.run([sys.executable, "-m", "toolgym", "serve-env", "fc-core", "--host", "0.0.0.0"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2 and "TOOLGYM_ENV_TOKEN" in refused.stderr and "Traceback" not in refused.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "toolgym", "serve-env", "fc-core", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/v1/suite").json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
                time.sleep(0.2)
        assert info["name"] == "fc-core" and info["single_turn"] is True and info["tasks"] == 800
    finally:
        proc.terminate()
        proc.wait(timeout=20)
