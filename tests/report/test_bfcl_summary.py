"""BFCL's official overall and group scores: toolgym's formula against bfcl-eval's own leaderboard code."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from toolgym.report.bfcl_summary import BFCL_TASK_COUNTS, bfcl_scores

from ..suites.bfcl_oracle import bfcl_checker

needs_package = pytest.mark.skipif(
    bfcl_checker() is None, reason="needs bfcl-eval: pip install --no-deps bfcl-eval"
)

# Runs BFCL's generate_leaderboard_csv on a table of per-category results. Its module imports every
# model SDK through constants.model_config (stubbed: one display name for any model) and creates
# result/score folders under BFCL_PROJECT_ROOT (pointed at a temporary folder).
_BFCL_LEADERBOARD = """
import json, sys, types
from collections import defaultdict
from pathlib import Path
stub = types.ModuleType("bfcl_eval.constants.model_config")
cfg = types.SimpleNamespace(display_name="M", url="u", org="o", license="l", input_price=None, output_price=None)
stub.MODEL_CONFIG_MAPPING = defaultdict(lambda: cfg)
sys.modules[stub.__name__] = stub
from bfcl_eval.eval_checker.eval_runner_helper import generate_leaderboard_csv
table = {"m": json.loads(sys.argv[1])}
generate_leaderboard_csv(table, Path(sys.argv[2]))
"""


def bfcl_leaderboard(results: dict[str, tuple[float, int]], tmp: Path) -> dict[str, str]:
    table = {c: {"accuracy": a, "total_count": n} for c, (a, n) in results.items()}
    env = {**os.environ, "BFCL_PROJECT_ROOT": str(tmp)}
    done = subprocess.run([sys.executable, "-c", _BFCL_LEADERBOARD, json.dumps(table), str(tmp)],
                          capture_output=True, text=True, env=env, cwd=tmp)
    assert done.returncode == 0, done.stderr[-800:]
    with (tmp / "data_overall.csv").open() as f:
        return next(csv.DictReader(f))


def pct(x: float) -> str:
    return f"{x * 100:.2f}%"


@needs_package
def test_categories_and_task_counts_are_bfcls(tmp_path: Path) -> None:
    code = (
        "import json; from bfcl_eval.utils import load_dataset_entry;"
        "from bfcl_eval.constants.category_mapping import ALL_SCORING_CATEGORIES as C;"
        "print(json.dumps({c: len(load_dataset_entry(c, include_prereq=False,"
        " include_language_specific_hint=False)) for c in C}))"
    )
    env = {**os.environ, "BFCL_PROJECT_ROOT": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-800:]
    assert json.loads(done.stdout.splitlines()[-1]) == BFCL_TASK_COUNTS


@needs_package
@pytest.mark.parametrize("seed", [0, 1])
def test_every_group_and_the_overall_equal_bfcls_own_leaderboard(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    results = {c: (rng.random(), rng.randint(1, n)) for c, n in BFCL_TASK_COUNTS.items()}
    row = bfcl_leaderboard(results, tmp_path)
    ours = bfcl_scores({c: a for c, (a, _) in results.items()}, {c: n for c, (_, n) in results.items()})
    assert pct(ours.overall) == row["Overall Acc"]
    assert pct(ours.non_live) == row["Non-Live AST Acc"]
    assert pct(ours.live) == row["Live Acc"]
    assert pct(ours.multi_turn) == row["Multi Turn Acc"]
    assert pct(ours.irrelevance) == row["Irrelevance Detection"]
    assert pct(ours.relevance) == row["Relevance Detection"]
    assert pct(ours.agentic * 2 - float(row["Memory Acc"][:-1]) / 100) == row["Web Search Acc"]


@needs_package
def test_categories_not_run_count_as_zero_as_in_bfcl(tmp_path: Path) -> None:
    """toolgym's `simple` is BFCL's simple_python; the single-turn categories alone, as toolgym runs them."""
    results = {"simple": (0.9, 400), "live_simple": (0.5, 258), "live_multiple": (0.7, 1053),
               "irrelevance": (0.8, 240), "multiple": (0.6, 200), "live_relevance": (1.0, 16)}
    row = bfcl_leaderboard({("simple_python" if c == "simple" else c): r for c, r in results.items()}, tmp_path)
    ours = bfcl_scores({c: a for c, (a, _) in results.items()}, {c: n for c, (_, n) in results.items()})
    assert pct(ours.overall) == row["Overall Acc"] == "12.66%"
    assert pct(ours.live) == row["Live Acc"]
    assert len(ours.missing) == 16 and "simple_python" in ours.categories


@needs_package
def test_the_ceiling_is_bfcls_overall_with_every_category_run_perfect_and_the_others_missing(tmp_path: Path) -> None:
    """What `toolgym eval bfcl` runs (all but web search; memory_vector with its packages) and what it leaves."""
    from toolgym.envs.bfcl_memory_vector import missing_packages
    from toolgym.report import bfcl_not_run

    vector_missing = bool(missing_packages())
    not_run = ("web_search_base", "web_search_no_snippet", *(("memory_vector",) if vector_missing else ()))
    rng = random.Random(5)
    results = {c: (rng.random(), n) for c, n in BFCL_TASK_COUNTS.items() if c not in not_run}
    ours = bfcl_scores({c: a for c, (a, _) in results.items()}, {c: n for c, (_, n) in results.items()})
    assert pct(ours.overall) == bfcl_leaderboard(results, tmp_path)["Overall Acc"]
    perfect = bfcl_leaderboard({c: (1.0, n) for c, (_, n) in results.items()}, tmp_path)
    assert pct(ours.ceiling) == perfect["Overall Acc"]
    assert sorted(ours.missing) == sorted(not_run)
    line = bfcl_not_run(ours)
    assert "web_search_base, web_search_no_snippet (needs the internet" in line
    if vector_missing:
        assert "memory_vector (its back-end needs" in line and "pip install 'toolgym[bfcl]'" in line
    else:
        assert "memory_vector" not in line and pct(ours.ceiling) == "80.00%"  # only web search (weight 20) left
    assert f"Ceiling with them at 0: {100 * ours.ceiling:.1f}%." in line
    assert bfcl_not_run(bfcl_scores(dict.fromkeys(BFCL_TASK_COUNTS, 0.5))) is None
    assert bfcl_scores(dict.fromkeys(BFCL_TASK_COUNTS, 1.0)).ceiling == 1.0
    from toolgym.report import combined_bfcl_summary

    lines = combined_bfcl_summary([_report({c: (n, n) for c, (_, n) in results.items()})])
    assert pct(lines[f"BFCL v4 ceiling ({len(not_run)} categories not run, each 0)"]) == perfect["Overall Acc"]


def _report(results: dict[str, tuple[int, int]]):
    """An accuracy report whose category c has `passed` of `n` tasks passing: (passed, n) per category."""
    from toolgym.stats import Record, accuracy

    return accuracy([Record(f"{c}_{i}", c, i < passed) for c, (passed, n) in results.items() for i in range(n)])


@needs_package
def test_single_and_multi_turn_runs_combine_into_bfcls_overall(tmp_path: Path) -> None:
    """BFCL's whole overall from two runs (single-turn, multi-turn), against BFCL's own leaderboard code."""
    from toolgym.errors import UserError
    from toolgym.report import bfcl_over_runs, combined_bfcl_summary
    from toolgym.store import RunManifest

    rng = random.Random(3)
    single = {c: (rng.randint(0, 9), 9) for c in BFCL_TASK_COUNTS if not c.startswith(("multi_turn", "web", "memory"))}
    single["simple"] = single.pop("simple_python")  # toolgym's name for it
    multi = {c: (rng.randint(0, 7), 7) for c in BFCL_TASK_COUNTS if c.startswith("multi_turn")}
    lines = combined_bfcl_summary([_report(single), _report(multi)])
    both = {("simple_python" if c == "simple" else c): (p / n, n) for c, (p, n) in (single | multi).items()}
    row = bfcl_leaderboard(both, tmp_path)
    overall = next(v for label, v in lines.items() if label.startswith("BFCL v4 overall (17/22"))
    assert pct(overall) == row["Overall Acc"]
    assert pct(lines["BFCL multi-turn"]) == row["Multi Turn Acc"] and pct(lines["BFCL live"]) == row["Live Acc"]
    assert pct(lines["BFCL non-live"]) == row["Non-Live AST Acc"]
    with pytest.raises(UserError, match="'multi_turn_base' was scored by more than one run"):
        combined_bfcl_summary([_report(multi), _report({"multi_turn_base": (1, 2)})])

    def manifest(suite: str, model: str = "m", mode: str = "bfcl") -> RunManifest:
        return RunManifest(suite=suite, suite_version="v", model=model, mode=mode)

    st, mt = _report(single), _report(multi)
    assert bfcl_over_runs([(manifest("bfcl"), st), (manifest("bfcl:multi_turn"), mt)]) == lines
    assert bfcl_over_runs([(manifest("bfcl"), st), (manifest("bfcl:multi_turn", model="other"), mt)]) == {}
    assert bfcl_over_runs([(manifest("bfcl"), st), (manifest("bfcl:multi_turn", mode="toolgym"), mt)]) == {}
    assert bfcl_over_runs([(manifest("bfcl"), st), (manifest("bfcl"), st)]) == {}  # the same categories twice
