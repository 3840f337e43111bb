"""toolgym's bfcl-mode checker against BFCL's own `ast_checker`, side by side on the same candidates.

    python benchmarks/bench_bfcl_checker.py                 # 7 repeats, one core
    python benchmarks/bench_bfcl_checker.py --repeats 15
    python benchmarks/bench_bfcl_checker.py --by-kind       # also: time per candidate by verdict kind

Candidates: every BFCL v4 AST task (the single-turn categories with possible answers, from the
installed bfcl-eval package) with its reference answer and each applicable perturbation. Both
checkers get their own input format, built before timing: BFCL the decoded `[{name: args}]` list,
the raw function docs and ground truth; toolgym the ToolCalls and the imported task's expected calls,
tools and category. Each pass
checks every candidate once; both are warmed by one pass first, then passes alternate (BFCL,
toolgym, BFCL, ...) so machine load hits both alike. Prints the median CPU time per pass, the
candidates per second and the ratio (goal: toolgym >= 1.5x BFCL), and checks that the verdicts agree.
toolgym's checker gives a `CallVerdict` whose explanation is written when first read (BFCL writes its
error message every time); the line "toolgym + Verdict" also times `.verdict()`, the pydantic object
an environment returns and the store keeps, with its explanation written.
`--by-kind` splits the candidates by toolgym's verdict (passed or failure kind; single or parallel)
and prints both checkers' median CPU time per candidate in each group: where the time goes.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.suites.bfcl_oracle import MODEL, bfcl_checker, raw_entries  # noqa: E402
from toolgym.check import PERTURBATION_KINDS, check_calls, perturb, reference_calls  # noqa: E402
from toolgym.suites import load_suite  # noqa: E402
from toolgym.suites.bfcl_package import bfcl_package_data  # noqa: E402

GOAL = 1.5


def candidates():
    """(task, calls, BFCL's args) for every AST task's reference and perturbations."""
    ast_checker, language = bfcl_checker()
    raw = raw_entries(bfcl_package_data())
    out = []
    for n, task in enumerate(load_suite("bfcl").tasks):
        category = task.metadata["bfcl_category"]
        if "relevance" in category:
            continue  # BFCL does not run its AST checker on these
        entry, truth = raw[task.id]
        lang = language.JAVA if category == "simple_java" else (
            language.JAVASCRIPT if category == "simple_javascript" else language.PYTHON)
        ref = reference_calls(task.expected.calls, task.tools)
        for calls in [ref] + [perturb(ref, task.tools, k, random.Random(n)) for k in PERTURBATION_KINDS]:
            if calls is None:
                continue
            output = [{c.name: copy.deepcopy(c.arguments)} for c in calls]
            ours = (calls, task.expected.calls, task.tools, task.category)
            out.append((ours, (entry["function"], output, truth, lang, category, MODEL)))
    return ast_checker, out


def bfcl_pass(ast_checker, items) -> tuple[float, int]:
    passed = 0
    t = time.process_time()
    for _, args in items:
        passed += ast_checker(*args)["valid"]
    return time.process_time() - t, passed


def toolgym_pass(items) -> tuple[float, int]:
    passed = 0
    t = time.process_time()
    for (calls, expected, tools, category), _ in items:
        passed += check_calls(calls, expected, tools, category, mode="bfcl").passed
    return time.process_time() - t, passed


def stored_pass(items) -> tuple[float, int]:
    passed = 0
    t = time.process_time()
    for (calls, expected, tools, category), _ in items:
        passed += check_calls(calls, expected, tools, category, mode="bfcl").verdict().passed
    return time.process_time() - t, passed


def by_kind(ast_checker, items, repeats: int) -> None:
    """Median CPU microseconds per candidate, both checkers, by toolgym's verdict kind."""
    groups: dict[str, list] = {}
    for item in items:
        calls, expected, tools, category = item[0]
        v = check_calls(calls, expected, tools, category, mode="bfcl")
        shape = "parallel" if "parallel" in category or len(expected) > 1 else "single"
        groups.setdefault(f"{v.failure.value if v.failure else 'passed'} ({shape})", []).append(item)
    print(f"{'verdict':32s} {'n':>6s} {'BFCL us':>9s} {'toolgym us':>11s} {'ratio':>6s}")
    for name, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        b = statistics.median(bfcl_pass(ast_checker, group)[0] for _ in range(repeats)) / len(group) * 1e6
        o = statistics.median(toolgym_pass(group)[0] for _ in range(repeats)) / len(group) * 1e6
        print(f"{name:32s} {len(group):6d} {b:9.2f} {o:11.2f} {b / o:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--by-kind", action="store_true", help="also time each verdict kind apart")
    args = parser.parse_args()
    if bfcl_checker() is None:
        sys.exit("needs bfcl-eval: pip install --no-deps bfcl-eval")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    ast_checker, items = candidates()
    print(f"{len(items)} candidates a pass (BFCL v4 AST categories: references and perturbations)")
    _, bfcl_ok = bfcl_pass(ast_checker, items)  # warm both
    _, ours_ok = toolgym_pass(items)
    disagree = sum(
        ast_checker(*copy.deepcopy(a))["valid"] != check_calls(*ours, mode="bfcl").passed for ours, a in items
    )
    bfcl_times, ours_times, stored_times = [], [], []
    for _ in range(args.repeats):
        bfcl_times.append(bfcl_pass(ast_checker, items)[0])
        ours_times.append(toolgym_pass(items)[0])
        stored_times.append(stored_pass(items)[0])
    b, o, st = statistics.median(bfcl_times), statistics.median(ours_times), statistics.median(stored_times)
    print(f"BFCL ast_checker   {b * 1000:8.1f} ms/pass  {len(items) / b:>9,.0f} candidates/s CPU  passed {bfcl_ok}")
    print(f"toolgym bfcl mode  {o * 1000:8.1f} ms/pass  {len(items) / o:>9,.0f} candidates/s CPU  passed {ours_ok}")
    stored = f"{len(items) / st:>9,.0f} candidates/s CPU  (ratio {b / st:.2f}x)"
    print(f"toolgym + Verdict  {st * 1000:8.1f} ms/pass  {stored}")
    verdict = "met" if b / o >= GOAL else "MISSED"
    print(f"ratio {b / o:.2f}x (goal {GOAL}x: {verdict}); verdicts that differ: {disagree}")
    if args.by_kind:
        by_kind(ast_checker, items, args.repeats)


if __name__ == "__main__":
    main()
