"""BFCL v4's official scores, computed by its own formula (`generate_leaderboard_csv` in bfcl-eval).

BFCL never averages over tasks. Per category it takes accuracy, then:

| group | how |
| --- | --- |
| non-live | unweighted mean of simple (mean of Python, Java, JavaScript), multiple, parallel, par._multiple |
| live | mean of live_simple, live_multiple, live_parallel, live_parallel_multiple weighted by their task counts |
| irrelevance | unweighted mean of irrelevance and live_irrelevance |
| relevance | live_relevance |
| multi-turn | unweighted mean of base, miss_func, miss_param, long_context |
| agentic | unweighted mean of web search (mean of base, no_snippet) and memory (mean of kv, vector, rec_sum) |
| overall | non-live 10, live 10, irrelevance 10, multi-turn 30, agentic 40 (weights normalised) |

A category that was not run counts as 0 with BFCL's own task count, exactly as BFCL does; the
labels say how many categories were run so that a partial overall is not mistaken for a full one.
toolgym's own `overall` (the mean over tasks) is shown beside these, never instead. Single-turn and
multi-turn categories run as two suites (two environments), so BFCL's whole overall comes from two
runs: `combined_bfcl_summary` takes the categories of several runs together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from ..errors import UserError
from ..stats import AccuracyReport
from ..store import RunManifest
from ..suites import not_run  # why toolgym refuses a category lives with the importer that refuses it

__all__ = [
    "BFCL_TASK_COUNTS",
    "BfclScores",
    "bfcl_not_run",
    "bfcl_over_runs",
    "bfcl_runs_combined",
    "bfcl_scores",
    "bfcl_summary",
    "combined_bfcl_scores",
    "combined_bfcl_summary",
]

#: BFCL v4's categories and their task counts (bfcl-eval 2026.3.23; a test checks them against it)
BFCL_TASK_COUNTS: dict[str, int] = {
    "simple_python": 400,
    "simple_java": 100,
    "simple_javascript": 50,
    "multiple": 200,
    "parallel": 200,
    "parallel_multiple": 200,
    "irrelevance": 240,
    "live_simple": 258,
    "live_multiple": 1053,
    "live_parallel": 16,
    "live_parallel_multiple": 24,
    "live_irrelevance": 884,
    "live_relevance": 16,
    "multi_turn_base": 200,
    "multi_turn_miss_func": 200,
    "multi_turn_miss_param": 200,
    "multi_turn_long_context": 200,
    "web_search_base": 100,
    "web_search_no_snippet": 100,
    "memory_kv": 155,
    "memory_vector": 155,
    "memory_rec_sum": 155,
}
_WEIGHTS = {"non_live": 10, "live": 10, "irrelevance": 10, "multi_turn": 30, "agentic": 40}


class BfclScores(BaseModel):
    """BFCL v4's group and overall accuracies (fractions), as its leaderboard computes them."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    overall: float
    """Weighted overall: non-live 10, live 10, irrelevance 10, multi-turn 30, agentic 40."""
    non_live: float
    """Unweighted mean of simple (mean of 3 languages), multiple, parallel, parallel_multiple."""
    live: float
    """Live AST categories weighted by task count."""
    irrelevance: float
    """Unweighted mean of irrelevance and live_irrelevance."""
    relevance: float
    """live_relevance."""
    multi_turn: float
    """Unweighted mean of the 4 multi-turn categories."""
    agentic: float
    """Unweighted mean of web search and memory."""
    categories: dict[str, float]
    """Accuracy of each BFCL category that was run."""
    missing: list[str]
    """BFCL categories not run: each counts as 0, as in BFCL's own overall."""
    ceiling: float
    """The overall these categories allow: every category run at 100%, the missing ones at 0."""


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _bfcl_name(category: str) -> str:
    return "simple_python" if category == "simple" else category


def bfcl_scores(by_category: Mapping[str, float], counts: Mapping[str, int] | None = None) -> BfclScores:
    """BFCL's scores from per-category accuracies keyed by BFCL name (toolgym's `simple` = simple_python).

    `counts` are the tasks scored per category (BFCL weighs the live categories by them); a category
    without a count, or not run, has BFCL's full count.
    """
    acc = {_bfcl_name(k): v for k, v in by_category.items()}
    ran = {c: acc[c] for c in BFCL_TASK_COUNTS if c in acc}
    sizes = BFCL_TASK_COUNTS | {_bfcl_name(k): n for k, n in (counts or {}).items()}

    def a(name: str) -> float:
        return ran.get(name, 0.0)

    simple = _mean([a("simple_python"), a("simple_java"), a("simple_javascript")])
    non_live = _mean([simple, a("multiple"), a("parallel"), a("parallel_multiple")])
    live_cats = ["live_simple", "live_multiple", "live_parallel", "live_parallel_multiple"]
    live = sum(a(c) * sizes[c] for c in live_cats) / sum(sizes[c] for c in live_cats)
    irrelevance = _mean([a("irrelevance"), a("live_irrelevance")])
    multi_turn = _mean([a(c) for c in BFCL_TASK_COUNTS if c.startswith("multi_turn_")])
    web = _mean([a("web_search_base"), a("web_search_no_snippet")])
    memory = _mean([a("memory_kv"), a("memory_vector"), a("memory_rec_sum")])
    agentic = _mean([web, memory])
    groups = {"non_live": non_live, "live": live, "irrelevance": irrelevance, "multi_turn": multi_turn,
              "agentic": agentic}
    overall = sum(groups[g] * w for g, w in _WEIGHTS.items()) / sum(_WEIGHTS.values())
    perfect = {c: 1.0 for c in ran}
    ceiling = overall if ran == perfect else bfcl_scores(perfect, counts).overall
    return BfclScores(
        overall=overall,
        ceiling=ceiling,
        relevance=a("live_relevance"),
        categories=ran,
        missing=[c for c in BFCL_TASK_COUNTS if c not in ran],
        **groups,
    )


def bfcl_summary(report: AccuracyReport) -> dict[str, float]:
    """BFCL's headline lines (label -> fraction) for a run's report; groups with no category run are left out."""
    cats = report.by_category
    accuracies = {name: e.value for name, e in cats.items()}
    return _lines(bfcl_scores(accuracies, {name: e.n_tasks for name, e in cats.items()}))


def combined_bfcl_scores(reports: Sequence[AccuracyReport]) -> BfclScores:
    """BFCL's scores over the categories of several runs (e.g. a single-turn and a multi-turn run).

    Raises:
        UserError: a category was scored by more than one of the runs (which one counts is unclear).
    """
    accuracies: dict[str, float] = {}
    counts: dict[str, int] = {}
    for report in reports:
        for name, e in report.by_category.items():
            if name in accuracies:
                raise UserError(
                    f"BFCL category {name!r} was scored by more than one run; combine runs of different "
                    "categories (e.g. bfcl:single_turn and bfcl:multi_turn)"
                )
            accuracies[name], counts[name] = e.value, e.n_tasks
    return bfcl_scores(accuracies, counts)


def combined_bfcl_summary(reports: Sequence[AccuracyReport]) -> dict[str, float]:
    """BFCL's headline lines (label -> fraction) of `combined_bfcl_scores`."""
    return _lines(combined_bfcl_scores(reports))


def bfcl_runs_combined(runs: Sequence[tuple[RunManifest, AccuracyReport | None]]) -> list[int]:
    """Indices of the bfcl-mode BFCL runs among `runs` when they complete each other, else [].

    That is: at least two such runs, all of one model, no category scored twice (a single-turn and a
    multi-turn run give BFCL's whole overall); runs of several models are compared, not combined.
    """
    picked = [i for i, (m, r) in enumerate(runs) if m.mode == "bfcl" and m.suite.startswith("bfcl") and r is not None]
    if len(picked) < 2 or len({runs[i][0].model for i in picked}) != 1:
        return []
    categories = [c for i in picked for c in runs[i][1].by_category]  # type: ignore[union-attr]
    return picked if len(categories) == len(set(categories)) else []


def bfcl_over_runs(runs: Sequence[tuple[RunManifest, AccuracyReport | None]]) -> dict[str, float]:
    """BFCL's headline lines over the runs `bfcl_runs_combined` picks; {} when it picks none."""
    picked = bfcl_runs_combined(runs)
    return combined_bfcl_summary([runs[i][1] for i in picked]) if picked else {}  # type: ignore[misc]


def bfcl_not_run(scores: BfclScores) -> str | None:
    """Which BFCL categories the overall counts as 0, and why, grouped; None when every one was run."""
    if not scores.missing:
        return None
    reasons: dict[str, list[str]] = {}
    why = not_run()
    for c in scores.missing:
        reasons.setdefault(why.get(c, "not in these runs"), []).append(c)
    parts = [f"{', '.join(cats)} ({why})" for why, cats in reasons.items()]
    return (f"BFCL categories not run, each 0 in the overall: {'; '.join(parts)}. "
            f"Ceiling with them at 0: {100 * scores.ceiling:.1f}%.")


def _lines(scores: BfclScores) -> dict[str, float]:
    if not scores.categories:
        return {}
    ran = set(scores.categories)
    n = len(BFCL_TASK_COUNTS)
    out = {f"BFCL v4 overall ({len(ran)}/{n} categories run; others count 0)": scores.overall}
    if scores.missing:
        out[f"BFCL v4 ceiling ({len(scores.missing)} categories not run, each 0)"] = scores.ceiling
    groups = {
        "BFCL non-live": ("simple_python", "simple_java", "simple_javascript", "multiple", "parallel",
                          "parallel_multiple"),
        "BFCL live": ("live_simple", "live_multiple", "live_parallel", "live_parallel_multiple"),
        "BFCL irrelevance": ("irrelevance", "live_irrelevance"),
        "BFCL relevance": ("live_relevance",),
        "BFCL multi-turn": tuple(c for c in BFCL_TASK_COUNTS if c.startswith("multi_turn_")),
        "BFCL agentic": tuple(c for c in BFCL_TASK_COUNTS if c.startswith(("web_search", "memory"))),
    }
    values = {
        "BFCL non-live": scores.non_live,
        "BFCL live": scores.live,
        "BFCL irrelevance": scores.irrelevance,
        "BFCL relevance": scores.relevance,
        "BFCL multi-turn": scores.multi_turn,
        "BFCL agentic": scores.agentic,
    }
    for label, cats in groups.items():
        done = [c for c in cats if c in ran]
        if done:
            suffix = "" if len(done) == len(cats) else f" ({len(done)}/{len(cats)} run)"
            out[label + suffix] = values[label]
    return out
