"""Tasks only the agent loop can play (tools offered from a later turn, prerequisite conversations) are refused,
with the reason, by every other driver: the environment server, the MCP server, the TRL tool environment and
the trainer adapters."""

from __future__ import annotations

import importlib.util

import httpx
import pytest

from toolgym.errors import UserError
from toolgym.suites import load_suite

from ..suites.bfcl_oracle import bfcl_checker

pytestmark = pytest.mark.skipif(
    bfcl_checker() is None or importlib.util.find_spec("rank_bm25") is None,
    reason="needs bfcl-eval (pip install --no-deps bfcl-eval) and rank_bm25 (pip install 'toolgym[bfcl]')",
)

LATER = "offers ['sort'] only from user turn 3 on (tools that change per turn)"


@pytest.fixture(scope="module")
def miss_func():
    return load_suite("bfcl:multi_turn_miss_func,multi_turn_base")


@pytest.fixture(scope="module")
def memory():
    return load_suite("bfcl:memory_kv")


def _task(suite, task_id: str):
    return next(t for t in suite.tasks if t.id == task_id)


def test_the_environment_server_refuses_to_open_them_and_opens_the_others(miss_func, memory) -> None:
    pytest.importorskip("uvicorn", reason="the environment server needs uvicorn (toolgym[server])")
    from tests.helpers.uvicorn_server import UvicornThread
    from toolgym.serve import create_env_app

    with UvicornThread(create_env_app(miss_func)) as server, httpx.Client(base_url=server.url) as client:
        refused = client.post("/v1/episodes", json={"task_id": "multi_turn_miss_func_0"})
        assert refused.status_code == 400, refused.text
        detail = refused.json()["detail"]
        assert LATER in detail and "run this suite with `toolgym eval`" in detail
        opened = client.post("/v1/episodes", json={"task_id": "multi_turn_base_0"})  # one list of tools: fine
        assert opened.status_code == 200 and opened.json()["tools"]
    with UvicornThread(create_env_app(memory)) as server, httpx.Client(base_url=server.url) as client:
        refused = client.post("/v1/episodes", json={"task_id": "memory_kv_0-customer-0"})
        assert refused.status_code == 400 and "starts after prerequisite conversations" in refused.json()["detail"]


def test_the_mcp_server_refuses_to_serve_them(miss_func, memory) -> None:
    pytest.importorskip("mcp", reason="serve-mcp needs the mcp package (toolgym[mcp])")
    from toolgym.serve.mcp_server import create_mcp_server

    with pytest.raises(UserError, match=r"only from user turn 3 on .*an MCP server lists one set of tools"):
        create_mcp_server(miss_func, "multi_turn_miss_func_0")
    with pytest.raises(UserError, match="memory_kv_0-customer-0' starts after prerequisite conversations"):
        create_mcp_server(memory, "memory_kv_0-customer-0")
    assert create_mcp_server(miss_func, "multi_turn_base_0") is not None


def test_the_trl_tool_environment_and_the_trainer_adapters_refuse_them(miss_func, memory) -> None:
    from toolgym.serve.adapter_calls import SuiteTasks
    from toolgym.train import environment_classes

    task = _task(miss_func, "multi_turn_miss_func_0")
    with pytest.raises(UserError, match=r"only from user turn 3 on .*a TRL tool environment has one set"):
        environment_classes(miss_func.env, [task])
    with pytest.raises(UserError, match="starts after prerequisite conversations.*a TRL tool environment"):
        environment_classes(memory.env, memory.tasks[:1])
    assert environment_classes(miss_func.env, [_task(miss_func, "multi_turn_base_0")])
    with pytest.raises(UserError, match=r"only from user turn 3 on .*a trainer adapter serves one list"):
        SuiteTasks(miss_func, "bfcl").task("multi_turn_miss_func_0")
    assert SuiteTasks(miss_func, "bfcl").task("multi_turn_base_0").id == "multi_turn_base_0"
