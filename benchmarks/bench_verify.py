"""Verifier throughput on BFCL v4: verifications per second, reference and perturbed answers.

    python benchmarks/bench_verify.py                       # ../shared/data/bfcl-v4, 5 repeats
    python benchmarks/bench_verify.py --data DIR --repeats 9

Each BFCL task is verified with its reference answer and with each perturbation that applies to it
(wrong function, missing/unexpected parameter, wrong type/value, wrong count), in bfcl mode and in
toolgym mode, pinned to one core. Prints the median over repeats of calls/s by wall time and by CPU
time (the CPU figure is steadier on a shared machine). Target: >= 20,000 calls/s in bfcl mode.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from toolgym.check import PERTURBATION_KINDS, Mode, check_calls, perturb, reference_calls
from toolgym.suites.bfcl import load_bfcl
from toolgym.types import Task, ToolCall

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "bfcl-v4"
GOAL = 20_000


def answers(tasks: list[Task]) -> list[tuple[Task, list[ToolCall]]]:
    """Each task with its reference answer and each applicable perturbation of it."""
    out = []
    for n, task in enumerate(tasks):
        ref = reference_calls(task.expected.calls or [])
        out.append((task, ref))
        for kind in PERTURBATION_KINDS:
            bad = perturb(ref, task.tools, kind, random.Random(n))
            if bad is not None:
                out.append((task, bad))
    return out


def one_pass(items: list[tuple[Task, list[ToolCall]]], mode: Mode) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and passes of one verification of every item."""
    passed = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for task, calls in items:
        v = check_calls(calls, task.expected.calls or [], task.tools, task.category, mode=mode)
        passed += v.passed
    return time.perf_counter() - wall, time.process_time() - cpu, passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="BFCL v4 folder (with possible_answer/)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no BFCL data at {args.data}; pass --data DIR")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    tasks = load_bfcl(args.data).tasks
    items = answers(tasks)
    refs = len(tasks)
    print(f"{len(items)} verifications a pass: {refs} reference answers, {len(items) - refs} perturbed")
    modes: tuple[Mode, ...] = ("bfcl", "toolgym")
    for mode in modes:
        one_pass(items, mode)  # warm the schema and normalisation caches
        runs = [one_pass(items, mode) for _ in range(args.repeats)]
        wall = len(items) / statistics.median(r[0] for r in runs)
        cpu = len(items) / statistics.median(r[1] for r in runs)
        note = f"  (goal {GOAL:,}: {'met' if cpu >= GOAL else 'MISSED'})" if mode == "bfcl" else ""
        print(f"{mode:8s} {wall:>9,.0f} calls/s wall  {cpu:>9,.0f} calls/s CPU  passed {runs[0][2]}{note}")


if __name__ == "__main__":
    main()
