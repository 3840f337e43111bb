"""Terminal tables (rich) built from the stats layer's typed estimates."""

from __future__ import annotations

from collections import Counter

from rich.table import Table

from ..stats import AccuracyReport, Comparison, Estimate, PassKReport

__all__ = ["accuracy_table", "bfcl_table", "comparison_table", "failure_table", "pct"]


def pct(x: float) -> str:
    """A fraction as a percentage with one decimal."""
    return f"{100 * x:.1f}"


def _ci(e: Estimate) -> str:
    return f"[{pct(e.low)}, {pct(e.high)}]"


def accuracy_table(
    report: AccuracyReport,
    title: str,
    passk: list[PassKReport] | None = None,
    bfcl_summary: dict[str, float] | None = None,
) -> Table:
    """Accuracy per category and overall, with 95% CIs, task counts and optional pass^k columns."""
    table = Table(title=title, title_justify="left")
    table.add_column("category", overflow="fold")  # fold, never cut: names differ at their ends
    table.add_column("tasks", justify="right")
    table.add_column("samples", justify="right")
    table.add_column("accuracy %", justify="right")
    table.add_column(f"{int(report.overall.confidence * 100)}% CI", justify="right")
    for p in passk or []:
        table.add_column(f"{p.metric.replace('k', str(p.k))} %", justify="right")

    def row(name: str, e: Estimate, extra: list[str], style: str | None = None) -> None:
        table.add_row(name, str(e.n_tasks), str(e.n), pct(e.value), _ci(e), *extra, style=style)

    for name, e in report.by_category.items():
        row(name, e, [pct(p.by_category[name].value) if name in p.by_category else "-" for p in passk or []])
    table.add_section()
    row("overall", report.overall, [pct(p.overall.value) for p in passk or []], style="bold")
    for label, value in (bfcl_summary or {}).items():
        table.add_row(label, "", "", pct(value), "", *[""] * len(passk or []), style="italic")
    return table


def bfcl_table(lines: dict[str, float], title: str) -> Table:
    """BFCL's headline numbers (label -> fraction), e.g. its overall over a single- and a multi-turn run."""
    table = Table(title=title, title_justify="left")
    table.add_column("BFCL v4 score")
    table.add_column("accuracy %", justify="right")
    for label, value in lines.items():
        table.add_row(label, pct(value), style="bold" if label.startswith("BFCL v4 overall") else None)
    return table


def failure_table(failures: Counter[str], total: int) -> Table:
    """How failed attempts failed, most common kind first."""
    table = Table(title="failure kinds", title_justify="left")
    table.add_column("failure")
    table.add_column("count", justify="right")
    table.add_column("% of scored", justify="right")
    for kind, count in failures.most_common():
        table.add_row(kind, str(count), pct(count / total) if total else "-")
    return table


def comparison_table(cmp: Comparison, name_a: str, name_b: str) -> Table:
    """Paired difference B − A per category and overall, with CI and p-value."""
    table = Table(title=f"{name_b} − {name_a} on {cmp.n_shared} shared tasks", title_justify="left")
    for col in ("category", "tasks", f"{name_a} %", f"{name_b} %", "diff (pp)", "95% CI", "p-value", "test"):
        table.add_column(col, justify="left" if col in ("category", "test") else "right", overflow="fold")
    items = list(cmp.by_category.items()) + [("overall", cmp.overall)]
    for i, (name, d) in enumerate(items):
        if i == len(items) - 1:
            table.add_section()
        table.add_row(name, str(d.n_tasks), pct(d.accuracy_a), pct(d.accuracy_b), f"{100 * d.value:+.1f}",
                      f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]", f"{d.p_value:.3g}", d.test,
                      style="bold" if name == "overall" else None)
    return table
