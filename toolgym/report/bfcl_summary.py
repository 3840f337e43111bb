"""BFCL's headline numbers, computed the way its leaderboard computes them.

BFCL averages *category* accuracies without weighting by task count: its non-live AST score is the
unweighted mean of simple, multiple, parallel and parallel_multiple (simple being itself the mean of
the per-language simple categories), and irrelevance detection is reported beside it. toolgym's own
`overall` is the mean over tasks; both are shown in bfcl mode so neither is mistaken for the other.
"""

from __future__ import annotations

from ..stats import AccuracyReport

__all__ = ["bfcl_summary"]

_AST = ("simple", "multiple", "parallel", "parallel_multiple")


def bfcl_summary(report: AccuracyReport) -> dict[str, float]:
    """BFCL-style summary lines: non-live AST (unweighted over categories) and irrelevance."""
    cats = report.by_category
    out: dict[str, float] = {}
    simple = [e.value for name, e in cats.items() if name == "simple" or name.startswith("simple_")]
    parts = ([sum(simple) / len(simple)] if simple else []) + [cats[c].value for c in _AST[1:] if c in cats]
    if parts:
        out["BFCL non-live AST (unweighted)"] = sum(parts) / len(parts)
    if "irrelevance" in cats:
        out["BFCL irrelevance detection"] = cats["irrelevance"].value
    if cats:
        out["BFCL unweighted over categories"] = sum(e.value for e in cats.values()) / len(cats)
    return out
