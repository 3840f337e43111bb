"""Page times of `toolgym view` on a 100,000-rollout run, over real HTTP on loopback.

    python benchmarks/bench_view.py                 # 25,000 tasks x 4 samples in a temp SQLite file
    python benchmarks/bench_view.py --rollouts 20000 --repeats 5

Goal: under 200 ms for the run page and for a transcript page (50 rollouts, transcripts rendered).
Each page is fetched `--repeats` times and the median printed. The run page's numbers are computed
once per state of the run and kept (`view/summaries.py`, which also summarises the newest runs in a
background thread at start): its first view right after a start is timed apart, on fresh servers.
Baseline, measured in the same run: what a page costs without the view's paged queries, i.e.
streaming every rollout of the run with `Store.rollouts` to cut one page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_store import FAIL, INFRA, PASS, template  # noqa: E402  (the same rollouts as the store benchmark)

from toolgym.store import RunManifest, Store  # noqa: E402
from toolgym.view import ViewConfig, create_app  # noqa: E402

CATEGORIES = ["simple", "multiple", "parallel", "parallel_multiple", "irrelevance"]


def build(db: str, n: int) -> int:
    rng = random.Random(0)
    base = template()
    with Store(db) as store:
        run = store.open_run("big", RunManifest(suite="bench", suite_version="0", model="x", repeats=4))
        for start in range(0, n, 1000):
            rows = []
            for i in range(start, min(n, start + 1000)):
                r = base.model_copy(update={"task_id": f"task-{i // 4:06d}", "sample": i % 4, "seed": i})
                verdict = rng.choices([PASS, FAIL, INFRA], weights=[60, 39, 1])[0]
                rows.append((r, CATEGORIES[(i // 4) % len(CATEGORIES)], verdict))
            store.write(run.id, rows)
        store.set_status(run.id, "finished")
        return run.id


def served(db: str) -> Iterator[str]:
    import socket

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ViewConfig(db=db, port=port)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def fetch_ms(client: httpx.Client, path: str) -> float:
    t = time.perf_counter()
    reply = client.get(path)
    elapsed = (time.perf_counter() - t) * 1000
    assert reply.status_code == 200, (path, reply.status_code, reply.text[:300])
    return elapsed


def baseline_ms(db: str, run_id: int, offset: int, size: int) -> float:
    """A transcript page cut from a full stream of the run (no paged query)."""
    t = time.perf_counter()
    with Store(db) as store:
        page = []
        for i, item in enumerate(store.rollouts(run_id)):
            if i >= offset + size:
                break
            if i >= offset:
                page.append(item)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rollouts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7, help="fetches per page; the median is printed")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at start (pages slow down under load)")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "view.db")
        t = time.perf_counter()
        run_id = build(db, args.rollouts)
        print(f"built a run of {args.rollouts:,} rollouts (4 samples per task) in {time.perf_counter() - t:.1f} s")
        colds = []
        for _ in range(3):
            for url in served(db):
                with httpx.Client(base_url=url, timeout=600) as client:
                    colds.append(fetch_ms(client, f"/runs/{run_id}"))
        cold = statistics.median(colds)
        print(f"{'run page, first view right after start (summary computed)':58s} {cold:8.1f} ms  (median of 3)")
        last_page = (args.rollouts - 1) // 50 + 1
        pages = {
            "runs table": "/",
            "run page (summary kept)": f"/runs/{run_id}",
            "transcript page 1 (50 rollouts, rendered)": f"/runs/{run_id}/transcripts",
            f"transcript page {last_page} (the last)": f"/runs/{run_id}/transcripts?page={last_page}",
            "transcripts: category + failed, page 20":
                f"/runs/{run_id}/transcripts?category=parallel&passed=no&page=20",
            "transcripts: failure kind infra_error": f"/runs/{run_id}/transcripts?failure=infra_error",
            "transcripts: text search 'foggy' (reads transcripts)": f"/runs/{run_id}/transcripts?q=foggy",
            "one rollout": f"/runs/{run_id}/rollout?task=task-012345&sample=2",
        }
        for url in served(db):
            with httpx.Client(base_url=url, timeout=600) as client:
                fetch_ms(client, f"/runs/{run_id}")  # compute the summary once
                times = {name: statistics.median(fetch_ms(client, path) for _ in range(args.repeats))
                         for name, path in pages.items()}
        for name, ms in times.items():
            print(f"{name:58s} {ms:8.1f} ms")
        offset = (last_page - 1) * 50
        base = statistics.median(baseline_ms(db, run_id, offset, 50) for _ in range(3))
        last = times[f"transcript page {last_page} (the last)"]
        print(f"{'baseline: last page cut from a full Store.rollouts stream':58s} {base:8.1f} ms  "
              f"(the view's paged query is {base / last:.0f}x faster)")
        goal = max(times["run page (summary kept)"], times["transcript page 1 (50 rollouts, rendered)"], last)
        print(f"goal < 200 ms for the run page and a transcript page: {'met' if goal < 200 else 'NOT met'} "
              f"(slowest {goal:.0f} ms)")


if __name__ == "__main__":
    main()
