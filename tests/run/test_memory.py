"""Memory of a large run: the engine holds the tasks in flight, not the suite as `Task` objects.

A 100,000-task replay run peaked at ~711 MB (benchmarks/bench_harness.py) once `--limit`'s
`head_by_category` turned the whole compact suite into a list of parsed tasks (~4 KB each). Here a
4,000-task run, traced with tracemalloc, must stay far below what holding every task would cost.
"""

from __future__ import annotations

import tracemalloc

from tests.run.suite_factory import write_replay, write_suite
from toolgym.run import RunConfig, evaluate
from toolgym.suites import CompactTasks, head_by_category, load_suite

N = 4000


def test_a_large_run_does_not_hold_every_task(tmp_path):
    suite = write_suite(tmp_path / "suite.jsonl", N)
    replay = write_replay(tmp_path / "replay.jsonl", N)
    cfg = RunConfig(suite=f"jsonl:{suite}", model=f"replay:{replay}", split="all", db=str(tmp_path / "m.db"),
                    concurrency=32)
    loaded = load_suite(cfg.suite)  # loaded first, so the trace measures the run, not the file
    tracemalloc.start()
    try:
        run = evaluate(cfg, suite=loaded)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.done == N
    # measured: 16 MB (the verifier's bounded caches and the replay file included); 29 MB when the
    # whole suite was parsed into a list first
    assert peak < 22e6, f"peak traced memory {peak / 1e6:.1f} MB for {N} tasks"


def test_limit_keeps_a_file_backed_suite_compact(tmp_path):
    tasks = load_suite(f"jsonl:{write_suite(tmp_path / 'suite.jsonl', 10)}").split(None)
    assert head_by_category(tasks, None) is tasks
    kept = head_by_category(tasks, 4)
    assert isinstance(kept, CompactTasks)
    assert [t.id for t in kept] == ["t0000", "t0001", "t0002", "t0003"]
    assert [t.category for t in kept] == ["multiple", "simple", "multiple", "simple"]
