"""Harness throughput and memory of `toolgym eval`.

    python benchmarks/bench_harness.py            # throughput (2,000 rollouts) + memory (100,000 tasks)
    python benchmarks/bench_harness.py --quick    # smaller sizes, for a smoke run

1. Throughput: rollouts/s of the full engine (scheduler, verifier, batched SQLite writes) against a
   zero-latency OpenAI-compatible server on loopback (a separate process, so the server does not
   share our GIL), next to a bare async httpx loop posting the same requests to the same server at
   the same concurrency, in the same run. Goal: harness >= 0.7x the bare loop. Median of repeats.
2. Memory: peak RSS of a 100,000-task run (replay backend: no server in the way), measured in a
   child process. Goal: < 400 MB.
3. Resume planning: time to plan the resume of that 100,000-rollout run (done_keys + job planning).
   Goal: < 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.run.suite_factory import make_tasks, write_replay, write_suite  # noqa: E402

SERVER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.helpers.openai_server import OpenAIServer
from tests.run.suite_factory import responder
s = OpenAIServer(responder()).start()
print(s.port, flush=True)
time.sleep(10**6)
"""


def start_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER.format(root=str(ROOT))], stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}/v1"


async def bare_loop(url: str, bodies: list[dict], concurrency: int) -> float:
    """The baseline: post every request with an httpx.AsyncClient at the given concurrency."""
    import httpx

    it = iter(bodies)
    async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False) as client:
        async def worker() -> None:
            for body in it:
                r = await client.post("/chat/completions", json=body)
                r.json()

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(bodies) / (time.perf_counter() - start)


def harness(url: str, suite: Path, n: int, concurrency: int, db: Path) -> float:
    from toolgym.models import ModelOptions
    from toolgym.run import RunConfig, evaluate

    cfg = RunConfig(suite=f"jsonl:{suite}", model="openai:m", split="all", db=str(db), concurrency=concurrency)
    start = time.perf_counter()
    run = evaluate(cfg, options=ModelOptions(base_url=url))
    rate = n / (time.perf_counter() - start)
    assert run.done == n, run
    return rate


def throughput(n: int, concurrency: int, repeats: int) -> None:
    from toolgym.types import Message

    with tempfile.TemporaryDirectory() as tmp:
        suite = write_suite(Path(tmp) / "suite.jsonl", n)
        tools = [t.to_openai() for t in make_tasks(1)[0].tools]
        bodies = [{"model": "m", "messages": [Message(role="user", content=t.messages[0].content).to_openai()],
                   "tools": tools, "temperature": 0.0, "max_tokens": 256} for t in make_tasks(n)]
        proc, url = start_server()
        try:
            bare, ours = [], []
            for i in range(repeats):
                bare.append(asyncio.run(bare_loop(url, bodies, concurrency)))
                ours.append(harness(url, suite, n, concurrency, Path(tmp) / f"h{i}.db"))
        finally:
            proc.kill()
    b, h = statistics.median(bare), statistics.median(ours)
    print(f"throughput, {n} rollouts, concurrency {concurrency}, median of {repeats}:")
    print(f"  bare httpx loop   {b:8.0f} req/s")
    print(f"  toolgym eval      {h:8.0f} rollouts/s   ratio {h / b:.2f}x (goal >= 0.70x)")


MEMORY_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from toolgym.run import RunConfig, evaluate, plan_jobs
from toolgym.store import Store
from toolgym.suites import load_suite
cfg = RunConfig(suite="jsonl:{suite}", model="replay:{replay}", split="all", db={db!r}, concurrency=32)
run = evaluate(cfg)
assert run.done == {n}, run
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so it would report the parent's peak
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
suite = load_suite(cfg.suite)
start = time.perf_counter()
with Store(cfg.db) as store:
    done = store.done_keys(run.id)
todo = sum(1 for _ in plan_jobs(suite.tasks, 1, done))
plan = time.perf_counter() - start
print(rss, plan, todo)
"""


def memory(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        suite = write_suite(Path(tmp) / "suite.jsonl", n)
        replay = write_replay(Path(tmp) / "replay.jsonl", n)
        code = MEMORY_CHILD.format(root=str(ROOT), suite=suite, replay=replay, db=str(Path(tmp) / "m.db"), n=n)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        wall = time.perf_counter() - start
        if out.returncode:
            sys.exit(f"memory run failed:\n{out.stderr[-3000:]}")
    rss, plan, todo = out.stdout.split()
    print(f"memory, {n} tasks through the replay backend ({wall:.0f} s):")
    print(f"  peak RSS            {float(rss):8.0f} MB (goal < 400 MB)")
    print(f"  resume planning     {float(plan):8.2f} s  (goal < 2 s; {todo} rollouts left to do)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--concurrency", type=int, default=32)
    args = p.parse_args()
    throughput(300 if args.quick else 2000, args.concurrency, 3)
    memory(5000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
