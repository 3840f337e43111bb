"""GRPO on the tiny model with fc-core's verifier as the reward: the train reward it raises and the test accuracy after.

    python benchmarks/bench_grpo.py                       # the recorded settings
    python benchmarks/bench_grpo.py --steps 20 --prompts 16 --learning-rate 1e-4
    python benchmarks/bench_grpo.py --select-samples 0     # the first prompts, not the mixed-outcome ones

Prompts: train tasks of the chosen categories (by default simple and multiple) on which the start
model's sampled answers disagree. A GRPO group whose answers all pass or all fail has no advantage to
learn from (75% of the groups did when the prompts were simply the first 32 tasks), so the script
first samples `--select-samples` answers per candidate task (T = 1, seed 1) and keeps the tasks with
both a passed and a failed answer, the first `--prompts` of them. Then it

1. measures the start model on those prompts with fresh samples (`--samples` answers each, T = 1,
   seed 0: not the answers that chose them, so the choice does not bias the figure) and greedily on
   fc-core's test split (400 tasks);
2. trains it with TRL's GRPOTrainer on those prompts (`train_grpo`, reward = the verifier's);
3. measures the trained model the same way (same tasks, same seeds);

and prints TRL's logged mean reward and share of zero-variance groups at every step (the training
curve) and per epoch, the train reward and the test accuracy before and after with the paired
difference, its 95% interval and p-value (`toolgym.stats.compare`, tasks paired), and wall and CPU
time with the load average (on a shared machine the wall time says little without them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from toolgym.models import ModelOptions
from toolgym.run import RunConfig, evaluate
from toolgym.stats import Record, accuracy, compare
from toolgym.store import Store
from toolgym.suites import Suite, head_by_category, load_suite
from toolgym.train import GRPORunConfig, train_grpo
from toolgym.train.data_sft import sft_rows_from_suite
from toolgym.train.dataset_files import save_data

SELECT_SEED, MEASURE_SEED = 1, 0


def cpu_s() -> float:
    """CPU seconds of this process and its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def records(db: str, model: str, run: str, suite: Suite, split: str, *, samples: int = 0, max_tokens: int = 256,
            limit: int | None = None, seed: int = MEASURE_SEED) -> list[Record]:
    """Evaluate and read back (task, category, passed) per answer: greedy, or `samples` answers at T = 1."""
    config = RunConfig(suite=suite.name, model=model, split=split, db=db, run=run, concurrency=64, limit=limit,
                       repeats=samples or 1, temperature=1.0 if samples else 0.0, max_tokens=max_tokens, seed=seed)
    evaluate(config, options=ModelOptions(device="cpu", batch_size=64), suite=suite)
    with Store(db) as store:
        return [Record(r.task_id, r.category, bool(r.passed)) for r in store.results(store.get_run(run).id)
                if r.counted]


def mixed_outcome_tasks(answers: list[Record]) -> set[str]:
    """Tasks with at least one passed and one failed answer."""
    outcomes: defaultdict[str, set[bool]] = defaultdict(set)
    for r in answers:
        outcomes[r.task_id].add(r.passed)
    return {task for task, seen in outcomes.items() if len(seen) == 2}


def figures(before: list[Record], after: list[Record]) -> dict[str, object]:
    a, b, d = accuracy(before).overall, accuracy(after).overall, compare(before, after).overall
    return {"before": [round(a.value, 4), round(a.low, 4), round(a.high, 4)],
            "after": [round(b.value, 4), round(b.low, 4), round(b.high, 4)],
            "paired_diff": [round(d.value, 4), round(d.low, 4), round(d.high, 4)], "p": d.p_value}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--steps", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--generations", type=int, default=8)
    parser.add_argument("--learning-rate", type=float, default=5e-4)
    parser.add_argument("--max-completion-length", type=int, default=96)
    parser.add_argument("--categories", default="simple,multiple", help="train tasks of these categories (comma list)")
    parser.add_argument("--prompts", type=int, default=16, help="train tasks to optimise on")
    parser.add_argument("--select-samples", type=int, default=8,
                        help="answers sampled per candidate task to find mixed outcomes (0: take the first tasks)")
    parser.add_argument("--samples", type=int, default=8, help="answers per prompt measuring the train reward")
    parser.add_argument("--test-limit", type=int, default=None, help="evaluate N test tasks (default: all 400)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the model and store here (default: a temp dir)")
    args = parser.parse_args()
    start, cpu0 = time.perf_counter(), cpu_s()
    fc_core = load_suite("fc-core")
    wanted = set(args.categories.split(","))
    candidates = [t for t in fc_core.split("train") if t.category in wanted]

    def say(line: str) -> None:
        print(f"[{time.perf_counter() - start:5.0f} s, cpu {cpu_s() - cpu0:5.0f} s, load {os.getloadavg()[0]:4.1f}] "
              f"{line}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-grpo-") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        db = str(out / "grpo.db")
        if args.select_samples:
            say(f"choosing prompts: {args.select_samples} samples on each of {len(candidates)} train tasks")
            pool = Suite(name="fc-core", tasks=candidates)
            mixed = mixed_outcome_tasks(records(db, args.model, "select", pool, "train", samples=args.select_samples,
                                                max_tokens=args.max_completion_length, seed=SELECT_SEED))
            candidates = [t for t in candidates if t.id in mixed]
        chosen = list(head_by_category(candidates, args.prompts))
        prompts = Suite(name="fc-core", tasks=chosen)
        say(f"start model on {len(chosen)} train prompts ({args.samples} samples each) and the test split")
        train_before = records(db, args.model, "train-before", prompts, "train", samples=args.samples,
                               max_tokens=args.max_completion_length)
        test_before = records(db, args.model, "test-before", fc_core, "test", limit=args.test_limit)
        ids = {t.id for t in chosen}
        rows, record = sft_rows_from_suite(fc_core)
        rows = [r for r in rows if r["task_id"] in ids]
        save_data(rows, record.model_copy(update={"rows": len(rows)}), out / "prompts")  # GRPO reads its task ids
        config = GRPORunConfig(model=args.model, data=out / "prompts", out=out / "model", max_steps=args.steps,
                               batch_size=args.batch_size, num_generations=args.generations,
                               max_completion_length=args.max_completion_length, learning_rate=args.learning_rate,
                               logging_steps=1, threads=args.threads, device="cpu", overwrite=True)

        def log(step: int, total: int, metrics: dict[str, float]) -> None:
            if "reward" in metrics:
                say(f"GRPO step {step}/{total}: mean reward {metrics['reward']:.3f}, groups without variance "
                    f"{metrics.get('frac_reward_zero_std', float('nan')):.2f}")

        trained = train_grpo(config, on_log=log)
        say("trained model on the same prompts and the test split")
        model = f"hf:{out / 'model'}"
        train_after = records(db, model, "train-after", prompts, "train", samples=args.samples,
                              max_tokens=args.max_completion_length)
        test_after = records(db, model, "test-after", fc_core, "test", limit=args.test_limit)
    curve = [(e["step"], e["epoch"], e["reward"], e.get("frac_reward_zero_std")) for e in trained.log if "reward" in e]
    per_epoch: defaultdict[int, list[float]] = defaultdict(list)
    for _, epoch, reward, _ in curve:
        per_epoch[int(epoch - 1e-9)].append(reward)
    print(json.dumps({
        "reward_curve": [[s, round(r, 4)] for s, _, r, _ in curve],
        "zero_variance_groups_curve": [[s, None if z is None else round(z, 3)] for s, _, _, z in curve],
        "reward_per_epoch": [round(sum(v) / len(v), 4) for _, v in sorted(per_epoch.items())],
        "train_reward": figures(train_before, train_after),
        "test_accuracy": figures(test_before, test_after),
        "prompts": len(chosen),
        "prompts_by_category": {c: sum(t.category == c for t in chosen) for c in sorted(wanted)},
        "grpo_steps": trained.steps, "grpo_wall_s": trained.wall_s,
        "wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(cpu_s() - cpu0, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "settings": vars(args) | {"out": str(args.out) if args.out else None},
    }, indent=2))


if __name__ == "__main__":
    main()
