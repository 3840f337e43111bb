"""ReplicaPool: several base URLs of one model, balanced, with per-replica health, over real sockets."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.helpers.openai_server import OpenAIServer, status
from toolgym.errors import InfraError
from toolgym.models import ModelOptions, load_model
from toolgym.models import replicas as replicas_module
from toolgym.models.replicas import ReplicaPool
from toolgym.types import Message, SamplingConfig

HELLO = [Message(role="user", content="hello")]


def dead_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


async def ask(pool: ReplicaPool, n: int, concurrent: bool = True) -> list[str]:
    async def one(i: int) -> str:
        out = await pool.generate([Message(role="user", content=f"q{i}")], [], SamplingConfig())
        return out.text

    try:
        if concurrent:
            return list(await asyncio.gather(*(one(i) for i in range(n))))
        return [await one(i) for i in range(n)]
    finally:
        await pool.aclose()


def test_several_base_urls_make_a_pool_that_spreads_the_requests():
    with OpenAIServer() as a, OpenAIServer() as b:
        pool = load_model("openai:m", ModelOptions(base_url=f"{a.url},{b.url}"))
        assert isinstance(pool, ReplicaPool)
        answers = asyncio.run(ask(pool, 40))
    assert answers == [f"echo: q{i}" for i in range(40)]
    assert len(a.requests) + len(b.requests) == 40
    assert min(len(a.requests), len(b.requests)) >= 10, (len(a.requests), len(b.requests))


def test_a_dead_replica_is_marked_down_and_its_requests_move_to_the_other():
    with OpenAIServer() as alive:
        pool = ReplicaPool("m", ModelOptions(base_url=f"{dead_url()},{alive.url}", max_retries=2))
        answers = asyncio.run(ask(pool, 30, concurrent=False))
    assert answers == [f"echo: q{i}" for i in range(30)]
    assert len(alive.requests) == 30
    dead = pool.replicas[0]
    assert dead.failures == 1, "within its cool-down a failed replica gets no further requests"
    assert dead.served == 0 and pool.replicas[1].served == 30


def test_a_replica_that_failed_comes_back_after_its_cool_down(monkeypatch):
    monkeypatch.setattr(replicas_module, "COOLDOWN_S", 0.0)
    with OpenAIServer() as a, OpenAIServer() as b:
        a.script(status(503))
        pool = ReplicaPool("m", ModelOptions(base_url=f"{a.url},{b.url}"))
        answers = asyncio.run(ask(pool, 10, concurrent=False))
    assert answers == [f"echo: q{i}" for i in range(10)]
    assert pool.replicas[0].failures == 1
    assert pool.replicas[0].served >= 3, "a replica is tried again once its cool-down is over"


def test_when_every_replica_is_down_the_request_is_one_infra_error():
    pool = ReplicaPool("m", ModelOptions(base_url=f"{dead_url()},{dead_url()}", max_retries=2))
    with pytest.raises(InfraError, match=r"all 2 replicas failed, 3 attempts; the last: POST http://127\.0\.0\.1"):
        asyncio.run(ask(pool, 1))


def test_the_pool_describes_itself_as_one_replica_does():
    one = load_model("openai:m", ModelOptions(base_url="http://a:1/v1", tool_mode="prompt"))
    pool = load_model("openai:m", ModelOptions(base_url="http://a:1/v1, http://b:1/v1", tool_mode="prompt"))
    assert {k: v for k, v in pool.describe().items() if k != "url"} == {
        k: v for k, v in one.describe().items() if k != "url"}
    assert pool.describe()["url"] == "http://a:1/v1/chat/completions,http://b:1/v1/chat/completions"
