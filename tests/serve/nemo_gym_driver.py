"""Runs NeMo-Gym's own simple agent against toolgym's resources server inside `.venv-nemo-gym` (Python 3.12).

tests/serve/test_nemo_gym_server.py starts this script with that environment's Python. Three servers
run on loopback in one event loop: `ToolgymResourcesServer` (the code under test), NeMo-Gym's real
`SimpleAgent` (from the nemo-gym package) and a scripted Responses-API model that plays a plan per task.
Each rollout is NeMo-Gym's `/run`: seed_session, the model/tool loop through the agent, then verify,
called with NeMo-Gym's `ServerClient`, the client NeMo-RL's rollout collection uses.

Input (argv[1], JSON): {"suite": SPEC, "split": "test", "plans": {task_id: PLAN}}, PLAN as in
verifiers_driver.py ("gold", "first_only", "expected", "wrong"). Output (stdout, last line): the rows
given to the agent, per task id the verify response (with the output the agent built), and the
status and text of two requests out of order ("probes").
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's toolgym

import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from nemo_gym.config_types import BaseServerConfig, ModelServerRef, ResourcesServerRef  # noqa: E402
from nemo_gym.openai_utils import (  # noqa: E402
    NeMoGymResponse,
    NeMoGymResponseFunctionToolCall,
    NeMoGymResponseOutputMessage,
    NeMoGymResponseOutputText,
)
from nemo_gym.server_utils import (  # noqa: E402
    GlobalAIOHTTPAsyncClientConfig,
    ServerClient,
    set_global_aiohttp_client,
)
from omegaconf import OmegaConf  # noqa: E402
from responses_api_agents.simple_agent.app import SimpleAgent, SimpleAgentConfig  # noqa: E402

from toolgym.serve.nemo_gym_server import (  # noqa: E402
    ToolgymResourcesServer,
    ToolgymResourcesServerConfig,
    nemo_gym_rows,
)
from toolgym.suites import load_suite  # noqa: E402

HOST = "127.0.0.1"


def plan_calls(task, plan: str) -> list[list[tuple[str, dict]]]:
    """The (name, arguments) calls of each model turn for `plan` (a closing text turn follows)."""
    gold = [(a.name, a.arguments) for a in task.expected.gold_actions or []]
    if plan == "gold":
        return [[c] for c in gold]
    if plan == "first_only":
        return [[c] for c in gold[:1]]
    if plan == "expected":
        return [[(c.name, {k: v[0] for k, v in c.arguments.items() if v and v[0] != ""})
                 for c in task.expected.calls or []]]
    if plan == "wrong":
        return [[("no_such_tool", {})]]
    raise ValueError(f"unknown plan {plan!r}")


def scripted_model(turns_by_prompt: dict[str, list]) -> FastAPI:
    """A Responses-API model on loopback: the next turn of the plan of the task whose user message it gets."""
    app = FastAPI()

    @app.post("/v1/responses")
    async def responses(request: Request) -> dict:
        body = await request.json()
        items = body["input"]
        user = next(i["content"] for i in items if i.get("role") == "user")
        turns = turns_by_prompt[user if isinstance(user, str) else "".join(p.get("text", "") for p in user)]
        done = sum(1 for i in items if i.get("type") == "function_call")
        index = next(k for k in range(len(turns) + 1) if sum(len(t) for t in turns[:k]) >= done)  # turns played
        if index < len(turns):
            output = [NeMoGymResponseFunctionToolCall(call_id=f"call_{index}_{j}", name=name,
                                                      arguments=json.dumps(args), id=f"fc_{index}_{j}")
                      for j, (name, args) in enumerate(turns[index])]
        else:
            output = [NeMoGymResponseOutputMessage(id="msg_final", content=[NeMoGymResponseOutputText(
                annotations=[], text="Done: all requested changes are made.")])]
        return NeMoGymResponse(id=f"resp_{done}", created_at=time.time(), model="scripted", object="response",
                               output=output, parallel_tool_calls=True, tool_choice="auto",
                               tools=[]).model_dump(mode="json")

    return app


def bound_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    return sock


async def main() -> None:
    spec = json.loads(sys.argv[1])
    suite = load_suite(spec["suite"])
    tasks = {t.id: t for t in suite.tasks}
    turns_by_prompt = {tasks[i].messages[-1].text: plan_calls(tasks[i], p) for i, p in spec["plans"].items()}
    socks = {name: bound_socket() for name in ("toolgym", "agent", "model")}
    ports = {name: s.getsockname()[1] for name, s in socks.items()}
    types = {"toolgym": "resources_servers", "agent": "responses_api_agents", "model": "responses_api_models"}
    global_config = OmegaConf.create({name: {types[name]: {name: {"host": HOST, "port": ports[name]}}}
                                      for name in ports})
    set_global_aiohttp_client(GlobalAIOHTTPAsyncClientConfig())  # NeMo-Gym would read it from its Hydra CLI
    client = ServerClient(head_server_config=BaseServerConfig(host=HOST, port=0), global_config_dict=global_config)

    resources = ToolgymResourcesServer(
        config=ToolgymResourcesServerConfig(name="toolgym", host=HOST, port=ports["toolgym"], entrypoint="app.py",
                                            suite=spec["suite"]),
        server_client=client)
    agent = SimpleAgent(
        config=SimpleAgentConfig(name="agent", host=HOST, port=ports["agent"], entrypoint="app.py", max_steps=20,
                                 resources_server=ResourcesServerRef(type="resources_servers", name="toolgym"),
                                 model_server=ModelServerRef(type="responses_api_models", name="model")),
        server_client=client)
    apps = {"toolgym": resources.setup_webserver(), "agent": agent.setup_webserver(),
            "model": scripted_model(turns_by_prompt)}
    servers = [uvicorn.Server(uvicorn.Config(app, log_level="warning")) for app in apps.values()]
    serving = [asyncio.create_task(s.serve(sockets=[socks[name]])) for s, name in zip(servers, apps, strict=True)]
    while not all(s.started for s in servers):
        await asyncio.sleep(0.05)

    rows = [row for row in nemo_gym_rows(spec["suite"], spec["split"]) if row["task_id"] in spec["plans"]]

    async def rollout(row: dict) -> tuple[str, dict]:
        response = await client.post(server_name="agent", url_path="/run", json=row)
        text = (await response.read()).decode()
        if response.status != 200:
            raise SystemExit(f"/run answered {response.status}: {text}")
        return row["task_id"], json.loads(text)

    results = dict(await asyncio.gather(*(rollout(row) for row in rows)))
    probes = {}  # the resources server's answers to calls out of order or for a task it does not have
    for name, path, body in (("unseeded_call", "/get_order", {"order_id": "W1"}),
                             ("unknown_task", "/seed_session", {"task_id": "no-such-task"})):
        response = await client.post(server_name="toolgym", url_path=path, json=body)
        probes[name] = [response.status, (await response.read()).decode()]
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*serving)
    print(json.dumps({"rows": rows, "results": results, "probes": probes}))


if __name__ == "__main__":
    asyncio.run(main())
