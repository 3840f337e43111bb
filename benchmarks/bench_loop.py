"""The post-training loop's target: on 2 CPU cores, within 20 minutes, raise the tiny model's fc-core test accuracy.

    python benchmarks/bench_loop.py                      # the measured settings, fresh db and output dir
    python benchmarks/bench_loop.py --rounds 2 --samples 8
    python benchmarks/bench_loop.py --model hf:/tmp/tiny-run2 --learning-rate 5e-4

Runs `toolgym loop` in a temporary directory (a fresh store, so nothing resumes) and prints each
round's test accuracy with its 95% interval, the paired difference against round 0 with its p-value,
the wall time, this process's CPU time and the load average at the end (on a shared machine the wall
time says little without them). Target: p < 0.01 for the last round against the start, total wall
time <= 1200 s (`goal_met`; `goal_met_in_cpu_time` counts CPU seconds instead, for a machine whose
other jobs take most of the two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from toolgym.train import LoopConfig, LoopHooks, run_loop

GOAL_S = 1200.0
GOAL_P = 0.01


def cpu_s() -> float:
    """CPU seconds of this process (all its threads) and its finished children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny", help="tiny or hf:PATH")
    parser.add_argument("--rounds", type=int, default=LoopConfig.model_fields["rounds"].default)
    parser.add_argument("--samples", type=int, default=LoopConfig.model_fields["samples"].default)
    parser.add_argument("--epochs", type=float, default=LoopConfig.model_fields["epochs"].default)
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="keep the output here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-loop-") as tmp:
        out = args.out or Path(tmp)
        config = LoopConfig(model=args.model, rounds=args.rounds, samples=args.samples, epochs=args.epochs,
                            learning_rate=args.learning_rate, threads=args.threads, device="cpu",
                            db=str(out / "loop.db"), out=out / "loop")
        start, cpu0 = time.perf_counter(), cpu_s()

        def stage(line: str) -> None:
            wall, load = time.perf_counter() - start, os.getloadavg()[0]
            print(f"[{wall:6.0f} s, cpu {cpu_s() - cpu0:5.0f} s, load {load:4.1f}] {line}", flush=True)

        result = run_loop(config, LoopHooks(on_stage=stage))
        wall, cpu = time.perf_counter() - start, cpu_s() - cpu0
    rows = []
    for r in result.rounds:
        a, d = r.accuracy, r.versus_start
        rows.append({"round": r.round, "accuracy": [round(a.value, 4), round(a.low, 4), round(a.high, 4)],
                     "versus_start": None if d is None else
                     {"diff": [round(d.value, 4), round(d.low, 4), round(d.high, 4)], "p": d.p_value, "test": d.test},
                     "sft_rows": r.sft_rows, "wall_s": r.wall_s})
    last = result.rounds[-1].versus_start
    gain = last is not None and last.value > 0 and last.p_value < GOAL_P
    print(json.dumps({"rounds": rows, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                      "load_average": [round(x, 2) for x in os.getloadavg()], "goal_met": gain and wall <= GOAL_S,
                      "goal_met_in_cpu_time": gain and cpu <= GOAL_S}, indent=2))


if __name__ == "__main__":
    main()
