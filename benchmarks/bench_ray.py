"""Ray executor figures: CPU-bound verification over workers, I/O-bound rollouts, driver memory.

    python benchmarks/bench_ray.py            # all three (the memory run is 100,000 tasks: minutes)
    python benchmarks/bench_ray.py --quick    # smaller sizes, for a smoke run

1. CPU-bound verification: the `code` suite's reference solutions (replay backend), each verified by
   its hidden tests in the sandbox, on 1 and then 2 Ray rollout workers (one rollout at a time per
   worker). Rate = rollouts/s between the first and the last result (worker start-up excluded),
   median of repeats. Goal: 2 workers >= 1.6x one worker. Needs an idle machine with 2 free cores.
2. I/O-bound rollouts: a zero-latency OpenAI-compatible server on loopback (its own process), the
   same run through the in-process engine and through Ray (2 workers), alternating, median of
   repeats; wall time of the whole run (workers' start-up included). Goal: Ray >= 0.8x in-process.
   The rate after start-up (first to last result) is printed beside it.
3. Driver memory: peak RSS (VmHWM) of the driver of a 100,000-task run on Ray (replay backend), in
   a child process that starts its own local cluster. Goal: <= 400 MB.

The load average is printed before each figure: on a shared machine the ratios mean little.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_harness import start_server  # noqa: E402
from tests.run.suite_factory import write_replay, write_suite  # noqa: E402

RAY_INIT = dict(object_store_memory=80_000_000, include_dashboard=False, log_to_driver=False)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def timed_run(config, executor, options=None) -> tuple[float, float, int]:
    """(wall seconds, steady rate between first and last result, results) of one evaluation."""
    from toolgym.run import evaluate_async

    stamps: list[float] = []
    start = time.perf_counter()
    run = asyncio.run(evaluate_async(config, options=options, executor=executor,
                                     on_result=lambda r, p: stamps.append(time.perf_counter())))
    wall = time.perf_counter() - start
    assert run.status == "finished", run
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")
    return wall, steady, len(stamps)


def code_replay(path: Path, limit: int | None) -> tuple[str, int]:
    import json

    from toolgym.suites import head_by_category, load_suite

    tasks = list(head_by_category(load_suite("code").split(None), limit))
    with path.open("w") as f:
        for t in tasks:
            f.write(json.dumps({"id": t.id, "content": f"```python\n{t.expected.reference}```"}) + "\n")
    return f"replay:{path}", len(tasks)


def cpu_bound(repeats: int, k: int, limit: int | None) -> None:
    from toolgym.run import RunConfig
    from toolgym.run.executors.ray_executor import RayExecutor

    print(f"\n1. CPU-bound verification ({load()})")
    with tempfile.TemporaryDirectory() as tmp:
        model, n = code_replay(Path(tmp) / "code.jsonl", limit)
        rates: dict[int, list[float]] = {1: [], 2: []}
        for r in range(repeats):
            for workers in (1, 2):
                cfg = RunConfig(suite="code", model=model, split="all", repeats=k, concurrency=workers, limit=limit,
                                db=str(Path(tmp) / f"c{workers}-{r}.db"))
                wall, steady, done = timed_run(cfg, RayExecutor(workers=workers))
                assert done == n * k
                rates[workers].append(steady)
                print(f"  round {r}: {workers} worker(s) {steady:6.1f} rollouts/s (wall {wall:.1f} s)  {load()}")
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"  {n * k} rollouts per run, median of {repeats}: 1 worker {one:.1f}/s, 2 workers {two:.1f}/s, "
          f"speed-up {two / one:.2f}x (goal >= 1.6x)")


def io_bound(repeats: int, n: int, concurrency: int) -> None:
    from toolgym.models import ModelOptions
    from toolgym.run import RunConfig
    from toolgym.run.executors import LocalExecutor
    from toolgym.run.executors.ray_executor import RayExecutor

    print(f"\n2. I/O-bound rollouts, zero-latency loopback server ({load()})")
    with tempfile.TemporaryDirectory() as tmp:
        suite = write_suite(Path(tmp) / "suite.jsonl", n)
        proc, url = start_server()
        try:
            local, ray_, ray_steady = [], [], []
            for r in range(repeats):
                cfg = RunConfig(suite=f"jsonl:{suite}", model="openai:m", split="all", concurrency=concurrency)
                options = ModelOptions(base_url=url)
                wall, _, _ = timed_run(cfg.model_copy(update={"db": str(Path(tmp) / f"l{r}.db")}), LocalExecutor(),
                                       options)
                local.append(n / wall)
                wall, steady, _ = timed_run(cfg.model_copy(update={"db": str(Path(tmp) / f"r{r}.db")}),
                                            RayExecutor(workers=2), options)
                ray_.append(n / wall)
                ray_steady.append(steady)
                print(f"  round {r}: in-process {local[-1]:6.0f}/s, Ray {ray_[-1]:6.0f}/s "
                      f"(after start-up {steady:.0f}/s)  {load()}")
        finally:
            proc.kill()
    a, b, c = statistics.median(local), statistics.median(ray_), statistics.median(ray_steady)
    print(f"  {n} rollouts, concurrency {concurrency}, median of {repeats}: in-process {a:.0f} rollouts/s, "
          f"Ray {b:.0f} rollouts/s, ratio {b / a:.2f}x (goal >= 0.8x); after Ray's start-up {c:.0f}/s, "
          f"ratio {c / a:.2f}x")


MEMORY_CHILD = """
import sys
sys.path.insert(0, {root!r})
import ray
ray.init(address="local", num_cpus=2, **{init!r})
from toolgym.run import RunConfig, evaluate
cfg = RunConfig(suite="jsonl:{suite}", model="replay:{replay}", split="all", db={db!r}, concurrency=64,
                executor="ray")
run = evaluate(cfg)
assert run.done == {n}, run
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
ray.shutdown()
print(rss)
"""


def memory(n: int) -> None:
    print(f"\n3. Driver memory, {n} tasks on Ray ({load()})")
    with tempfile.TemporaryDirectory() as tmp:
        suite = write_suite(Path(tmp) / "suite.jsonl", n)
        replay = write_replay(Path(tmp) / "replay.jsonl", n)
        code = MEMORY_CHILD.format(root=str(ROOT), init=RAY_INIT, suite=suite, replay=replay,
                                   db=str(Path(tmp) / "m.db"), n=n)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        wall = time.perf_counter() - start
    if out.returncode:
        sys.exit(f"memory run failed:\n{out.stderr[-3000:]}")
    rss = float(out.stdout.split()[-1])
    print(f"  driver peak RSS {rss:.0f} MB (goal <= 400 MB); {n / wall:.0f} rollouts/s over {wall:.0f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--only", choices=["cpu", "io", "memory"], help="one figure only")
    args = p.parse_args()
    import ray

    if args.only in (None, "cpu", "io"):
        ray.init(address="local", num_cpus=2, **RAY_INIT)
        try:
            if args.only in (None, "cpu"):
                cpu_bound(args.repeats, 1 if args.quick else 2, 8 if args.quick else None)
            if args.only in (None, "io"):
                io_bound(args.repeats, 300 if args.quick else 2000, 32)
        finally:
            ray.shutdown()
    if args.only in (None, "memory"):
        memory(5000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
