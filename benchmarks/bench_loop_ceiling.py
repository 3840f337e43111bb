"""What more training can buy the tiny model at all: SFT on gold answers of fresh train tasks, test and train measured.

    python benchmarks/bench_loop_ceiling.py                  # the recorded settings
    python benchmarks/bench_loop_ceiling.py --tasks 4000 --steps 1200

The loop can only teach the model answers that pass, which are at best the gold (reference) answers.
This script gives the model those, on tasks it never saw: fc-core train tasks generated with another
seed (`build_fc_core(seed=1, ...)`: the train split's phrasings and value pools, new combinations),
and fine-tunes it with `train_sft` for `--steps` steps. It measures the start and the trained model,
greedily and paired task by task (`toolgym.stats.compare`), on

* fc-core's test split (400 tasks): the loop's target;
* 400 more fresh train tasks (seed 2, trained on by neither the tiny recipe nor this script): what
  the model can still learn within the train distribution;
* the suite's own 400 train tasks (start model only): train against test accuracy.

If gold answers on fresh tasks do not raise test accuracy within the loop's budget, the model's own
passed answers (a subset of what it already writes) cannot either. Prints every figure with wall and
CPU time and the load average.
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
from toolgym.suites import Suite, load_suite
from toolgym.suites.fc_core import build_fc_core
from toolgym.train import SFTRunConfig, train_sft
from toolgym.train.data_sft import sft_rows_from_suite
from toolgym.train.dataset_files import save_data


def cpu_s() -> float:
    """CPU seconds of this process and its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def greedy(db: str, model: str, run: str, suite: Suite, split: str) -> list[Record]:
    """Evaluate greedily and read back (task, category, passed) per task."""
    config = RunConfig(suite=suite.name, model=model, split=split, db=db, run=run, concurrency=64)
    evaluate(config, options=ModelOptions(device="cpu", batch_size=64), suite=suite)
    with Store(db) as store:
        return [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(store.get_run(run).id)
                if r.counted]


def estimate(records: list[Record]) -> dict[str, object]:
    report = accuracy(records)
    e = report.overall
    return {"accuracy": [round(e.value, 4), round(e.low, 4), round(e.high, 4)],
            "by_category": {c: round(v.value, 3) for c, v in sorted(report.by_category.items())}}


def paired(before: list[Record], after: list[Record]) -> dict[str, object]:
    d = compare(before, after).overall
    return {"before": estimate(before), "after": estimate(after),
            "paired_diff": [round(d.value, 4), round(d.low, 4), round(d.high, 4)], "p": d.p_value, "test": d.test}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--tasks", type=int, default=4000, help="fresh train tasks whose gold answers are trained on")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=None, help="default: train_sft's for the model")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the model and store here (default: a temp dir)")
    args = parser.parse_args()
    start, cpu0 = time.perf_counter(), cpu_s()

    def say(line: str) -> None:
        print(f"[{time.perf_counter() - start:5.0f} s, cpu {cpu_s() - cpu0:5.0f} s, load {os.getloadavg()[0]:4.1f}] "
              f"{line}", flush=True)

    fc_core = load_suite("fc-core")
    gold = build_fc_core(seed=1, n_train=args.tasks, n_test=0)
    fresh = build_fc_core(seed=2, n_train=400, n_test=0)
    with tempfile.TemporaryDirectory(prefix="bench-ceiling-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        db = str(out / "ceiling.db")
        say("start model: fc-core test, fc-core train, fresh train tasks (greedy)")
        test_before = greedy(db, args.model, "test-before", fc_core, "test")
        own_train = greedy(db, args.model, "train-start", fc_core, "train")
        fresh_before = greedy(db, args.model, "fresh-before", fresh, "train")
        rows, record = sft_rows_from_suite(gold)
        save_data(rows, record, out / "gold")
        config = SFTRunConfig(model=args.model, data=out / "gold", out=out / "model", max_steps=args.steps,
                              batch_size=args.batch_size, learning_rate=args.learning_rate, threads=args.threads,
                              device="cpu", logging_steps=50, overwrite=True)
        say(f"SFT on the gold answers of {len(rows)} fresh train tasks, {args.steps} steps")
        trained = train_sft(config, on_log=lambda step, total, m: say(f"step {step}/{total}: loss {m['loss']:.4f}")
                            if "loss" in m else None)
        say("trained model: fc-core test, fresh train tasks")
        model = f"hf:{out / 'model'}"
        test_after = greedy(db, model, "test-after", fc_core, "test")
        fresh_after = greedy(db, model, "fresh-after", fresh, "train")
    print(json.dumps({
        "test": paired(test_before, test_after),
        "fresh_train": paired(fresh_before, fresh_after),
        "start_on_own_train_split": estimate(own_train),
        "gold_rows": len(rows), "sft_steps": trained.steps, "sft_wall_s": trained.wall_s,
        "sft_loss": [round(e["loss"], 4) for e in trained.log if "loss" in e],
        "wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(cpu_s() - cpu0, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "settings": vars(args) | {"out": str(args.out) if args.out else None},
    }, indent=2))


if __name__ == "__main__":
    main()
