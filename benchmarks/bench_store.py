"""Store throughput and resume-planning time on a large run.

    python benchmarks/bench_store.py                      # 100,000 rollouts into a temp SQLite file
    python benchmarks/bench_store.py --url postgresql+psycopg://toolgym@127.0.0.1:5432/toolgym_test

Target: planning the resume of a 100,000-rollout run (`done_keys`) under 2 s, with memory that
stays modest for `done_keys` and the streamed `results`.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path

from toolgym.store import RunManifest, Store
from toolgym.types import FailureKind, Message, Rollout, ToolCall, Usage, Verdict

PASS = Verdict.ok(components={"name": 1.0, "args": 1.0})
FAIL = Verdict.fail(FailureKind.WRONG_VALUE, "unit: expected 'celsius', got 'C'", components={"args": 0.5})
INFRA = Verdict.fail(FailureKind.INFRA_ERROR, "HTTP 503")


def template() -> Rollout:
    call = ToolCall(name="get_weather", arguments={"city": "San Francisco", "unit": "celsius"}, id="call_1")
    return Rollout(
        task_id="",
        messages=[
            Message(role="system", content="You are a helpful assistant with tools. " * 5),
            Message(role="user", content="What is the weather like in San Francisco in celsius?"),
            Message(role="assistant", tool_calls=[call]),
            Message(role="tool", content='{"temperature": 18, "sky": "fog"}', tool_call_id="call_1"),
            Message(role="assistant", content="It is 18 °C and foggy in San Francisco."),
        ],
        usage=Usage(prompt_tokens=412, completion_tokens=38),
        latency_s=0.8,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temp SQLite file)")
    parser.add_argument("--rollouts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=64, help="rollouts per transaction (the scheduler's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or str(Path(tmp) / "bench.db")
        bench(Store(url), args.rollouts, args.batch)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Seconds of one call, then MiB at peak during a second, traced call."""
    t = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return elapsed, peak


def bench(store: Store, n: int, batch: int) -> None:
    rng = random.Random(0)
    manifest = RunManifest(suite="bench", suite_version="0", model="x", repeats=4)
    run = store.open_run(f"bench-{uuid.uuid4().hex[:8]}", manifest)
    base = template()
    write_s = 0.0
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            r = base.model_copy(update={"task_id": f"task-{i // 4:06d}", "sample": i % 4, "seed": i})
            rows.append((r, "simple", rng.choices([PASS, FAIL, INFRA], weights=[60, 39, 1])[0]))
        t = time.perf_counter()
        store.write(run.id, rows)
        write_s += time.perf_counter() - t
    print(f"store: {store.url}")
    print(f"write      {n:,} rollouts, {batch} per transaction: {write_s:.2f} s = {n / write_s:,.0f} rows/s")

    done = len(store.done_keys(run.id))
    elapsed, peak = timed(lambda: store.done_keys(run.id))
    print(f"done_keys  {done:,} keys: {elapsed:.3f} s, peak {peak:.1f} MiB")

    elapsed, peak = timed(lambda: sum(1 for _ in store.results(run.id)))
    print(f"results    {n:,} records streamed: {elapsed:.3f} s, peak {peak:.1f} MiB")

    t = time.perf_counter()
    count = sum(1 for _ in store.rollouts(run.id))
    print(f"rollouts   {count:,} with transcripts and verdicts streamed: {time.perf_counter() - t:.3f} s")

    elapsed, _ = timed(lambda: store.get_run(run.name))
    info = store.get_run(run.name)
    print(f"get_run    counts over {info.rollouts:,} rows: {elapsed:.3f} s "
          f"(done {info.done:,}, passed {info.passed:,}, infra errors {info.infra_errors:,})")

    picks = [(f"task-{rng.randrange(n // 4):06d}", rng.randrange(4)) for _ in range(500)]
    t = time.perf_counter()
    for task_id, sample in picks:
        store.rollout(run.id, task_id, sample)
    print(f"rollout    one with its transcript: {(time.perf_counter() - t) / len(picks) * 1000:.2f} ms")
    store.close()


if __name__ == "__main__":
    main()
