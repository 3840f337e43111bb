"""`--executor ray`: the same stored run as a local one, whatever dies on the way.

Every test runs on the session's two-node cluster (conftest) and compares against the in-process
executor on the same suite and model: each rollout's outcome and the run's manifest must be equal.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.openai_server import OpenAIServer
from tests.run.executors.results import manifest, outcomes
from tests.run.suite_factory import responder, write_replay, write_suite
from tests.train.crafted import needs_capable_tiny, needs_tiny
from toolgym.models import ModelOptions
from toolgym.run import RunConfig, evaluate, executor_for
from toolgym.run.scheduler import Job
from toolgym.store import Store

ray = pytest.importorskip("ray", reason="needs Ray: pip install 'toolgym[ray]'")
pytestmark = pytest.mark.slow  # a Ray cluster, and runs on it: seconds each

ROOT = Path(__file__).resolve().parents[3]


def both(tmp_path: Path, cfg: RunConfig, address: str, **kwargs) -> tuple[dict, dict]:
    """Run `cfg` locally and on Ray; return both runs' outcomes (the manifests are checked equal)."""
    local = evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}), **kwargs)
    on_ray = evaluate(cfg.model_copy(update={"db": str(tmp_path / "ray.db"), "executor": f"ray:{address}"}),
                      **kwargs)
    assert local.status == on_ray.status == "finished"
    assert manifest(str(tmp_path / "local.db"), local.name) == manifest(str(tmp_path / "ray.db"), on_ray.name)
    return outcomes(str(tmp_path / "local.db"), local.name), outcomes(str(tmp_path / "ray.db"), on_ray.name)


def test_a_run_on_ray_stores_what_a_local_run_stores(tmp_path, ray_cluster):
    n = 60
    cfg = RunConfig(suite=f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}", split="all", repeats=2,
                    model=f"replay:{write_replay(tmp_path / 'r.jsonl', n)}", concurrency=6)
    local, on_ray = both(tmp_path, cfg, ray_cluster.address)
    assert len(on_ray) == 2 * n
    assert on_ray == local
    assert sum(v[1] for v in on_ray.values()) == 2 * sum(1 for i in range(n) if i % 3)


def test_an_http_model_behind_two_replicas_on_ray_answers_as_locally(tmp_path, ray_cluster):
    n = 40
    with OpenAIServer(responder()) as a, OpenAIServer(responder()) as b:
        cfg = RunConfig(suite=f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}", split="all", model="openai:m",
                        concurrency=8)
        local, on_ray = both(tmp_path, cfg, ray_cluster.address, options=ModelOptions(base_url=f"{a.url},{b.url}"))
        assert on_ray == local and len(on_ray) == n
        assert len(a.requests) + len(b.requests) == 2 * n
        assert a.requests and b.requests, "the replicas share the load"


def test_the_hand_out_is_lazy_and_bounded_by_the_concurrency(tmp_path, ray_cluster):
    import asyncio

    from toolgym.envs import ENVIRONMENTS
    from toolgym.suites import load_suite

    n, concurrency = 300, 8
    suite = load_suite(f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}")
    taken, reported, most = 0, 0, 0

    def jobs():
        nonlocal taken
        for task in suite.split(None):
            taken += 1
            yield Job(task, 0)

    async def on_result(result) -> None:
        nonlocal reported, most
        most = max(most, taken - reported)
        reported += 1

    async def go() -> None:
        executor = executor_for(f"ray:{ray_cluster.address}")
        model = executor.load_model(f"replay:{write_replay(tmp_path / 'r.jsonl', n)}")
        try:
            from toolgym.run import EpisodeLimits
            from toolgym.types import SamplingConfig

            await executor.run_jobs(model, ENVIRONMENTS.get("function_calling")(), jobs(), SamplingConfig(),
                                    EpisodeLimits(), concurrency=concurrency, on_result=on_result)
        finally:
            await executor.aclose()

    asyncio.run(go())
    assert reported == n
    assert most <= concurrency, f"{most} jobs were taken from the plan before their results came back"


def actor_pids(title: bytes) -> list[int]:
    """Processes of live actors whose title starts with `title` (Ray titles an actor's process
    `ray::ClassName`, and `ray::ClassName.method` while it runs a call)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(title):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def worker_pids(running: bool = False) -> list[int]:
    """Processes of live rollout workers (`ray::RolloutWorker.run` while busy)."""
    return actor_pids(b"ray::RolloutWorker.run" if running else b"ray::RolloutWorker")


def parent(pid: int) -> int:
    return int((Path("/proc") / str(pid) / "status").read_text().split("PPid:")[1].split()[0])


def once_busy(count: int, act, where=lambda pid: True):
    """An on_result callback: waits (at most 60 s) for `count` workers to exist, then calls `act(pid)` once,
    as soon as a worker for which `where(pid)` holds is running a chunk of rollouts."""
    state = {"waited": False, "done": False}

    def callback(result, progress) -> None:
        if not state["waited"]:
            deadline = time.monotonic() + 60
            while len(worker_pids()) < count and time.monotonic() < deadline:
                time.sleep(0.1)  # holds the driver's loop: the workers start meanwhile
            state["waited"] = True
        elif not state["done"] and (busy := [p for p in worker_pids(running=True) if where(p)]):
            act(busy[0])
            state["done"] = True

    return callback, state


def wait_for(check, seconds: float = 90) -> bool:
    """Poll `check` until it holds (True) or `seconds` pass (False); blocks the caller's loop meanwhile."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_worker_killed_mid_run_is_restarted_and_its_rollouts_run_by_another(tmp_path, ray_cluster, caplog):
    n = 300
    with OpenAIServer(responder(delay_s=0.05)) as server:
        cfg = RunConfig(suite=f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}", split="all", model="openai:m",
                        concurrency=4)
        options = ModelOptions(base_url=server.url)
        local = outcomes(str(tmp_path / "local.db"),
                         evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}), options=options).name)
        seen = {"before": set(), "restarted": False, "new_ran": False}

        def kill(pid: int) -> None:
            seen["before"] = set(worker_pids())
            os.kill(pid, signal.SIGKILL)
            # blocks the driver's loop (the other worker's results wait); Ray restarts the dead one meanwhile
            seen["restarted"] = wait_for(lambda: len(set(worker_pids()) - {pid}) == 2)

        kill_one, killed = once_busy(2, kill)

        def on_result(result, progress) -> None:
            kill_one(result, progress)
            if killed["done"] and not seen["new_ran"]:
                seen["new_ran"] = bool(set(worker_pids(running=True)) - seen["before"])

        db = str(tmp_path / "ray.db")
        with caplog.at_level(logging.WARNING, logger="toolgym.run.executors.ray_executor"):
            run = evaluate(cfg.model_copy(update={"db": db, "executor": f"ray:{ray_cluster.address}"}),
                           options=options, on_result=on_result)
    assert killed["done"] and run.status == "finished"
    assert "a Ray rollout worker died" in caplog.text
    assert seen["restarted"], "the number of live workers did not return to 2"
    assert seen["new_ran"], "the restarted worker ran no rollouts"
    assert outcomes(db, run.name) == local


def test_a_node_that_joins_mid_run_gets_a_worker_that_takes_rollouts(tmp_path, ray_cluster):
    from ray._private import ray_constants

    from tests.run.executors.conftest import NODE

    n = 1000
    state = {"node": None, "raylet": None, "used": False}
    slow = responder(delay_s=0.2)

    def respond(body):  # slow until the new node's worker has taken rollouts, so the run outlasts its start
        reply = slow(body)
        reply.delay_s = 0 if state["used"] else reply.delay_s
        return reply

    def on_result(result, progress) -> None:
        if state["node"] is None:
            state["node"] = ray_cluster.add_node(**NODE)
            state["raylet"] = state["node"].all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
        elif not state["used"]:
            state["used"] = any(parent(p) == state["raylet"] for p in worker_pids(running=True))

    try:
        with OpenAIServer(respond) as server:
            cfg = RunConfig(suite=f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}", split="all", model="openai:m",
                            concurrency=4, db=str(tmp_path / "ray.db"), executor=f"ray:{ray_cluster.address}")
            run = evaluate(cfg, options=ModelOptions(base_url=server.url), on_result=on_result)
            local = evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db"), "executor": "local"}),
                             options=ModelOptions(base_url=server.url))
    finally:
        if state["node"] is not None:
            ray_cluster.remove_node(state["node"])
    assert run.status == "finished"
    assert state["used"], "no worker on the node that joined ran rollouts"
    assert outcomes(str(tmp_path / "ray.db"), run.name) == outcomes(str(tmp_path / "local.db"), local.name)


def test_a_node_removed_mid_run_loses_no_rollout(tmp_path, ray_cluster, caplog):
    from ray._private import ray_constants

    n = 300
    extra = ray_cluster.add_node(num_cpus=1, object_store_memory=80_000_000)  # the node that goes away
    ray_cluster.wait_for_nodes()
    raylet = extra.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
    with OpenAIServer(responder(delay_s=0.05)) as server:
        cfg = RunConfig(suite=f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}", split="all", model="openai:m",
                        concurrency=6)
        options = ModelOptions(base_url=server.url)
        local = outcomes(str(tmp_path / "local.db"),
                         evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}), options=options).name)
        remove_node, removed = once_busy(3, lambda pid: ray_cluster.remove_node(extra),
                                         where=lambda pid: parent(pid) == raylet)
        db = str(tmp_path / "ray.db")
        with caplog.at_level(logging.WARNING, logger="toolgym.run.executors.ray_executor"):
            run = evaluate(cfg.model_copy(update={"db": db, "executor": f"ray:{ray_cluster.address}"}),
                           options=options, on_result=remove_node)
    assert removed["done"] and run.status == "finished"
    assert "a Ray rollout worker died" in caplog.text
    assert outcomes(db, run.name) == local


def stored(db: str) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from rollouts").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_driver_killed_mid_run_resumes_to_the_same_results(tmp_path, ray_cluster):
    n = 150
    with OpenAIServer(responder(delay_s=0.03)) as server:
        suite = f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}"
        db = str(tmp_path / "ray.db")
        cmd = [sys.executable, "-m", "toolgym", "eval", suite, "--model", "openai:m", "--base-url", server.url,
               "--split", "all", "--db", db, "--run", "r", "-c", "4", "--executor", f"ray:{ray_cluster.address}"]
        driver = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while stored(db) < 20 and driver.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert driver.poll() is None, driver.stderr.read().decode()[-2000:]
            driver.send_signal(signal.SIGKILL)
        finally:
            driver.wait()
        assert 20 <= stored(db) < n, "the driver was killed mid-run"
        cfg = RunConfig(suite=suite, model="openai:m", split="all", run="r", concurrency=4)
        options = ModelOptions(base_url=server.url)
        run = evaluate(cfg.model_copy(update={"db": db, "executor": f"ray:{ray_cluster.address}"}), options=options)
        local = evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}), options=options)
    assert run.status == "finished" and run.done == n
    assert outcomes(db, "r") == outcomes(str(tmp_path / "local.db"), local.name)


def test_the_tiny_model_served_by_a_ray_actor_answers_as_locally(tmp_path, ray_cluster):
    cfg = RunConfig(suite="fc-core", model="tiny", limit=3, concurrency=3, max_tokens=32)
    local, on_ray = both(tmp_path, cfg, ray_cluster.address)
    assert on_ray == local and len(on_ray) == 3


def server_pids() -> list[int]:
    return actor_pids(b"ray::ModelServer")


def kill_server_once(state: dict):
    """An on_result callback that kill -9s the model server once, after the first result."""
    def callback(result, progress) -> None:
        if not state.get("killed") and (pids := server_pids()):
            os.kill(pids[0], signal.SIGKILL)
            state["killed"] = pids[0]
    return callback


def test_a_model_server_killed_mid_run_is_restarted_and_the_results_are_the_same(tmp_path, ray_cluster):
    cfg = RunConfig(suite="fc-core", model="tiny", limit=8, concurrency=2, max_tokens=16)
    local = evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}))
    state: dict = {}
    db = str(tmp_path / "ray.db")
    run = evaluate(cfg.model_copy(update={"db": db, "executor": f"ray:{ray_cluster.address}"}),
                   on_result=kill_server_once(state))
    assert state["killed"] and run.status == "finished" and run.done == local.done
    assert outcomes(db, run.name) == outcomes(str(tmp_path / "local.db"), local.name)
    assert not any(v[4] for v in outcomes(db, run.name).values()), "no rollout ended on an error"


def test_a_model_server_past_its_restarts_fails_the_run_once_and_keeps_what_finished(
        tmp_path, ray_cluster, monkeypatch):
    from toolgym.run.executors import ray_models

    monkeypatch.setattr(ray_models, "SERVER_RESTARTS", 0)
    cfg = RunConfig(suite="fc-core", model="tiny", limit=8, concurrency=2, max_tokens=16, run="r")
    db = str(tmp_path / "ray.db")
    state: dict = {}
    run = evaluate(cfg.model_copy(update={"db": db, "executor": f"ray:{ray_cluster.address}"}),
                   on_result=kill_server_once(state))
    assert state["killed"] and run.status == "failed"
    assert "model server of tiny died" in run.cause and "run the same command again" in run.cause
    kept = outcomes(db, "r")
    assert 1 <= len(kept) < 8 and not any(v[4] for v in kept.values()), "finished rollouts kept, no error rows"
    resumed = evaluate(cfg.model_copy(update={"db": db}))  # resumed here, in one process
    evaluate(cfg.model_copy(update={"db": str(tmp_path / "local.db")}))
    assert resumed.status == "finished" and outcomes(db, "r") == outcomes(str(tmp_path / "local.db"), "r")


def test_arena_answers_on_ray_are_the_answers_a_local_run_stores(tmp_path, ray_cluster):
    from tests.arena.conftest import LENGTHS, write_answers, write_prompts
    from toolgym.arena import AnswerConfig, answer

    prompts = str(write_prompts(tmp_path / "q.jsonl"))
    spec = f"replay:{write_answers(tmp_path / 'alpha.jsonl', LENGTHS['alpha'])}"
    runs = {ex: answer(AnswerConfig(prompts=prompts, model=spec, db=str(tmp_path / f"{ex}.db"), executor=ex_spec))
            for ex, ex_spec in (("local", "local"), ("ray", f"ray:{ray_cluster.address}"))}
    assert runs["ray"].status == runs["local"].status == "finished"
    assert outcomes(str(tmp_path / "ray.db"), runs["ray"].name) == outcomes(str(tmp_path / "local.db"),
                                                                           runs["local"].name)
    with Store(str(tmp_path / "ray.db")) as store:
        info = store.get_run(runs["ray"].name)
        texts = [store.rollout(info.id, f"p{i}", 0).messages[-1].content for i in range(len(LENGTHS["alpha"]))]
    assert texts == [" ".join(["word"] * n) for n in LENGTHS["alpha"]]


@needs_tiny
@needs_capable_tiny
def test_a_loop_round_on_ray_stores_the_runs_a_local_loop_stores(tmp_path, ray_cluster):
    """Sampling and evaluation on Ray (the round's trained `hf:` model served by an actor), training here."""
    from toolgym.train import LoopConfig, run_loop

    def loop(executor: str, where: str) -> dict:
        config = LoopConfig(model="tiny", rounds=1, samples=3, train_limit=8, test_limit=2, max_tokens=96,
                            max_steps=1, batch_size=4, concurrency=4, device="cpu", threads=1,
                            executor=executor, db=str(tmp_path / f"{where}.db"), out=tmp_path / where)
        result = run_loop(config)
        assert result.rounds[1].sft_rows > 0, "the round trained on something"
        runs = ("loop-r0-test", "loop-r0-train", "loop-r1-test")
        return {run: outcomes(config.db, run) for run in runs}

    local, on_ray = loop("local", "local"), loop(f"ray:{ray_cluster.address}", "ray")
    assert on_ray == local


def test_a_local_model_that_cannot_load_is_the_same_one_line_error(tmp_path, ray_cluster):
    from toolgym.errors import UserError

    cfg = RunConfig(suite="fc-core", model=f"hf:{tmp_path / 'missing'}", limit=1, db=str(tmp_path / "x.db"),
                    executor=f"ray:{ray_cluster.address}")
    with pytest.raises(UserError) as on_ray:
        evaluate(cfg)
    with pytest.raises(UserError) as local:
        evaluate(cfg.model_copy(update={"executor": "local"}))
    assert str(on_ray.value) == str(local.value) and "does not exist" in str(local.value)


def ray_daemons() -> set[int]:
    """Pids of Ray's per-cluster daemons (raylet, gcs_server) now running on this machine."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and any(name in (entry / "cmdline").read_bytes().split(b"\0")[0]
                                            for name in (b"raylet", b"gcs_server")):
                pids.add(int(entry.name))
        except OSError:
            continue
    return pids


def test_executor_ray_alone_starts_a_cluster_for_the_run_and_stops_it(tmp_path):
    n = 30
    suite = f"jsonl:{write_suite(tmp_path / 's.jsonl', n)}"
    model = f"replay:{write_replay(tmp_path / 'r.jsonl', n)}"
    before = ray_daemons()
    out = subprocess.run([sys.executable, "-m", "toolgym", "eval", suite, "--model", model, "--split", "all",
                          "--db", str(tmp_path / "ray.db"), "--run", "r", "--executor", "ray"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    time.sleep(1)  # the daemons exit as the driver does
    assert ray_daemons() - before == set(), "the run's Ray cluster outlived it"
    local = evaluate(RunConfig(suite=suite, model=model, split="all", db=str(tmp_path / "local.db")))
    assert outcomes(str(tmp_path / "ray.db"), "r") == outcomes(str(tmp_path / "local.db"), local.name)
