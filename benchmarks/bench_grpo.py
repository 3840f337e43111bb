"""GRPO on the tiny model with fc-core's verifier as the reward: the train reward curve and the test accuracy it buys.

    python benchmarks/bench_grpo.py                       # the recorded settings
    python benchmarks/bench_grpo.py --steps 20 --learning-rate 1e-4 --categories simple

Evaluates the start model on fc-core's test split (greedy), trains it with TRL's GRPOTrainer on the
train tasks of the chosen categories (`train_grpo`, reward = the verifier's; by default simple and
multiple, where the tiny model's sampled answers disagree: a group whose answers all pass or all fail
has no advantage to learn from, and on parallel and irrelevance tasks nearly all do), evaluates the
result on the same test tasks,
and prints: the mean train reward per logging step (TRL's log history) with its first and last
quarter compared, test accuracy before and after with 95% intervals, the paired difference with
its interval and p-value (`toolgym.stats.compare`), and wall and CPU time with the load average
(on a shared machine the wall time says little without them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from toolgym.models import ModelOptions
from toolgym.run import RunConfig, evaluate
from toolgym.stats import Record, accuracy, compare
from toolgym.store import Store
from toolgym.suites import load_suite
from toolgym.train import GRPORunConfig, save_data, sft_rows_from_suite, train_grpo


def cpu_s() -> float:
    """CPU seconds of this process and its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def test_records(db: str, model: str, run: str, limit: int | None) -> list[Record]:
    evaluate(RunConfig(suite="fc-core", model=model, split="test", db=db, run=run, concurrency=64, limit=limit),
             options=ModelOptions(device="cpu", batch_size=64))
    with Store(db) as store:
        return [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(store.get_run(run).id)
                if r.counted]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--generations", type=int, default=8)
    parser.add_argument("--learning-rate", type=float, default=3e-4)
    parser.add_argument("--max-completion-length", type=int, default=96)
    parser.add_argument("--categories", default="simple,multiple", help="train tasks of these categories (comma list)")
    parser.add_argument("--test-limit", type=int, default=None, help="evaluate N test tasks (default: all 400)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the model and store here (default: a temp dir)")
    args = parser.parse_args()
    start, cpu0 = time.perf_counter(), cpu_s()
    with tempfile.TemporaryDirectory(prefix="bench-grpo-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        db = str(out / "grpo.db")
        before = test_records(db, args.model, "before", args.test_limit)
        wanted = set(args.categories.split(","))
        rows, record = sft_rows_from_suite(load_suite("fc-core"))
        rows = [r for r in rows if r["category"] in wanted]
        save_data(rows, record.model_copy(update={"rows": len(rows)}), out / "prompts")  # GRPO reads its task ids
        curve: list[dict[str, float]] = []
        config = GRPORunConfig(model=args.model, data=out / "prompts", out=out / "model", max_steps=args.steps,
                               batch_size=args.batch_size, num_generations=args.generations,
                               max_completion_length=args.max_completion_length, learning_rate=args.learning_rate,
                               logging_steps=5, threads=args.threads, device="cpu", overwrite=True)

        def log(step: int, total: int, metrics: dict[str, float]) -> None:
            curve.append({"step": step, **metrics})
            if "reward" in metrics:
                print(f"step {step}/{total}: mean reward {metrics['reward']:.3f} ({time.perf_counter() - start:.0f} s, "
                      f"cpu {cpu_s() - cpu0:.0f} s, load {os.getloadavg()[0]:.1f})", flush=True)

        trained = train_grpo(config, on_log=log)
        after = test_records(db, f"hf:{out / 'model'}", "after", args.test_limit)
    rewards = [(e["step"], e["reward"]) for e in trained.log if "reward" in e]
    quarter = max(1, len(rewards) // 4)
    first = sum(r for _, r in rewards[:quarter]) / quarter
    last = sum(r for _, r in rewards[-quarter:]) / quarter
    a, b, d = accuracy(before).overall, accuracy(after).overall, compare(before, after).overall
    print(json.dumps({
        "reward_curve": [[s, round(r, 4)] for s, r in rewards],
        "reward_first_quarter": round(first, 4), "reward_last_quarter": round(last, 4),
        "test_before": [round(a.value, 4), round(a.low, 4), round(a.high, 4)],
        "test_after": [round(b.value, 4), round(b.low, 4), round(b.high, 4)],
        "paired_diff": [round(d.value, 4), round(d.low, 4), round(d.high, 4)], "p": d.p_value,
        "grpo_steps": trained.steps, "grpo_wall_s": trained.wall_s,
        "wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(cpu_s() - cpu0, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "settings": vars(args) | {"out": str(args.out) if args.out else None},
    }, indent=2))


if __name__ == "__main__":
    main()
