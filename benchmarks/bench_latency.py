"""Benchmark of the two latencies a run stores: wall time per rollout, and time in model calls (`model_s`).

`model_s` leaves out time spent waiting for the model: for a request slot of a server with a
concurrency limit (429 + Retry-After until a slot frees up) and for a batch of the local backend.
Each case runs `toolgym eval`'s code (`evaluate`) into a fresh SQLite file and reads both figures
back from the store, beside a baseline measured in the same run where nothing waits:

* server: a loopback OpenAI-compatible server answering in `--service` seconds, with as many slots as
  the run's concurrency (baseline) and with 2 slots (requests queue);
* local: the bundled tiny model at batch size = concurrency (baseline) and at batch size 1 (each
  request waits for the generations before it).

Per run: the mean over its rollouts (the median hides the wait: with 2 slots most requests get
one at once and a few wait through several backoffs) and the 90th percentile; each figure printed
is the median of that over `--repeats` runs. The server client uses the default backoff (0.5 s
doubling, jitter, at least Retry-After).

Run: .venv/bin/python benchmarks/bench_latency.py [--repeats 3] [--concurrency 8] [--service 0.05]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.openai_server import OpenAIServer, with_slots  # noqa: E402
from tests.run.suite_factory import responder, write_suite  # noqa: E402
from toolgym.models import ModelOptions, OpenAIModel, RetryPolicy  # noqa: E402
from toolgym.run import RunConfig, evaluate  # noqa: E402
from toolgym.store import Store  # noqa: E402

Figures = tuple[float, float, float, float]


def figures(db: str, run: str) -> Figures:
    """Mean and 90th percentile of wall latency and of model time over a stored run's rollouts."""
    with Store(db) as store:
        records = list(store.results(store.get_run(run).id))
    walls, models = [r.latency_s for r in records], [r.model_s for r in records]
    p90 = lambda xs: statistics.quantiles(xs, n=10)[-1]  # noqa: E731
    return statistics.fmean(walls), p90(walls), statistics.fmean(models), p90(models)


def server_case(tmp: Path, slots: int, n: int, concurrency: int, service_s: float, i: int) -> Figures:
    suite = write_suite(tmp / "suite.jsonl", n)
    db, run = str(tmp / f"server-{slots}-{i}.db"), "r"
    with OpenAIServer(with_slots(responder(), slots, service_s=service_s, retry_after_s=service_s / 2)) as server:
        model = OpenAIModel("m", ModelOptions(base_url=server.url), retry=RetryPolicy(max_attempts=1000))
        cfg = RunConfig(suite=f"jsonl:{suite}", model="openai:m", split="all", db=db, concurrency=concurrency, run=run)
        done = evaluate(cfg, model=model)
    assert done.done == n, done
    return figures(db, run)


def local_case(tmp: Path, batch: int, n: int, concurrency: int, i: int) -> Figures:
    db, run = str(tmp / f"local-{batch}-{i}.db"), "r"
    cfg = RunConfig(suite="fc-core", model="tiny", limit=n, concurrency=concurrency, max_tokens=32, db=db, run=run)
    done = evaluate(cfg, options=ModelOptions(device="cpu", batch_size=batch))
    assert done.done == n, done
    return figures(db, run)


def show(title: str, rows: dict[str, list[Figures]]) -> None:
    print(title)
    print(f"  {'':30s} {'wall mean':>10s} {'p90':>8s} {'model mean':>11s} {'p90':>8s} {'wall/model':>11s}")
    for label, runs in rows.items():
        wall, wall90, model, model90 = (statistics.median(r[k] for r in runs) for k in range(4))
        print(f"  {label:30s} {wall:9.3f}s {wall90:7.3f}s {model:10.3f}s {model90:7.3f}s {wall / model:10.2f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--service", type=float, default=0.05, help="seconds the loopback server takes per answer")
    p.add_argument("--tasks", type=int, default=32)
    args = p.parse_args()
    c = args.concurrency
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        server = {f"{c} slots (baseline: no wait)": [], "2 slots (requests queue)": []}
        local = {f"batch {c} (baseline)": [], "batch 1 (requests queue)": []}
        for i in range(args.repeats):  # interleaved, so machine load hits both alike
            server[f"{c} slots (baseline: no wait)"].append(server_case(tmp, c, args.tasks, c, args.service, i))
            server["2 slots (requests queue)"].append(server_case(tmp, 2, args.tasks, c, args.service, i))
            local[f"batch {c} (baseline)"].append(local_case(tmp, c, 2 * c, c, i))
            local["batch 1 (requests queue)"].append(local_case(tmp, 1, 2 * c, c, i))
    show(f"loopback server, {args.service:g} s per answer, {args.tasks} rollouts at concurrency {c}, "
         f"median of {args.repeats}:", server)
    show(f"tiny model on CPU, {2 * c} fc-core rollouts at concurrency {c}, median of {args.repeats}:", local)


if __name__ == "__main__":
    main()
