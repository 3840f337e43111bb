"""BFCL v4's gold answers through `toolgym eval bfcl`: BFCL's overall, what is not run, and the broken entries.

    python benchmarks/bench_bfcl_gold.py                  # bfcl mode and toolgym mode
    python benchmarks/bench_bfcl_gold.py --mode bfcl

Writes the reference answers of every category toolgym runs (`toolgym suite reference bfcl`: single-
turn, multi-turn, memory_kv, memory_vector, memory_rec_sum), replays them with `toolgym eval bfcl --model
replay:GOLD` in a temporary database (three runs, one per kind), and prints per category the gold
accuracy, then BFCL v4's overall by its own formula, its ceiling with the categories not run at 0
(web_search_*; memory_vector too where its packages are missing) and why they are not run, and the
gold answers that fail (the broken entries) with the verifier's reason. Needs bfcl-eval (`make`
installs it) and `toolgym[bfcl]`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolgym.cli import main  # noqa: E402
from toolgym.report import bfcl_not_run, combined_bfcl_scores  # noqa: E402
from toolgym.stats import Record, accuracy  # noqa: E402
from toolgym.store import Store  # noqa: E402

PARTS = ("single_turn", "multi_turn", "memory")


def quiet(args: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        main(args)


def gold_run(gold: Path, db: Path, mode: str) -> None:
    start = time.perf_counter()
    quiet(["eval", "bfcl", "--model", f"replay:{gold}", "--mode", mode, "--db", str(db), "--run", mode])
    reports, failing = [], []
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with Store(str(db)) as store:
        for part in PARTS:
            rows = [r for r in store.results(store.get_run(f"{mode}-{part}").id) if r.counted]
            reports.append(accuracy([Record(r.task_id, r.category, bool(r.passed)) for r in rows]))
            for r in rows:
                counts[r.category][0] += bool(r.passed)
                counts[r.category][1] += 1
                if not r.passed:
                    failing.append((r.category, r.task_id, r.explanation or ""))
    scores = combined_bfcl_scores(reports)
    print(f"\n== gold answers, {mode} mode ({time.perf_counter() - start:.0f} s) ==")
    for category, (passed, n) in counts.items():
        print(f"  {category:24s} {passed:5d}/{n:<5d} {100 * passed / n:6.1f}%")
    print(f"  BFCL v4 overall: {100 * scores.overall:.2f}% (ceiling {100 * scores.ceiling:.2f}%: "
          f"{len(scores.categories)}/{len(scores.categories) + len(scores.missing)} categories run)")
    print(f"  groups: non-live {100 * scores.non_live:.2f}, live {100 * scores.live:.2f}, irrelevance "
          f"{100 * scores.irrelevance:.2f}, relevance {100 * scores.relevance:.2f}, multi-turn "
          f"{100 * scores.multi_turn:.2f}, agentic {100 * scores.agentic:.2f}")
    print(f"  {bfcl_not_run(scores)}")
    print(f"  gold answers that fail (broken entries): {len(failing)}")
    for _, task_id, why in failing:
        print(f"    {task_id:28s} {why[:110]}")


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["bfcl", "toolgym", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.jsonl"
        quiet(["suite", "reference", "bfcl", "--out", str(gold)])
        for mode in ("bfcl", "toolgym") if args.mode == "both" else (args.mode,):
            gold_run(gold, Path(tmp) / "runs.db", mode)


if __name__ == "__main__":
    run()
