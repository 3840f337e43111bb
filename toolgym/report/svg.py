"""Inline SVG charts for the HTML report: no scripts, no fonts, no external references.

Every text that comes from data (run and category names) goes through `html.escape`, so a chart can
be pasted into the page as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..stats import AccuracyReport, Estimate

__all__ = ["PALETTE", "category_chart"]

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#555555")
"""Okabe–Ito colours, readable by colour-blind readers; runs cycle through them in order."""

_LABEL_W = 190  # room for category names left of the plot
_PLOT_W = 480
_RIGHT_W = 150  # room for the value labels
_BAR_H = 14
_BAR_GAP = 3
_GROUP_GAP = 14
_TOP = 12
_AXIS_H = 28
_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def category_chart(runs: Sequence[tuple[str, AccuracyReport]]) -> str:
    """A horizontal bar chart of accuracy per category, one bar per run, with confidence intervals.

    The first group is `overall`; then every category any run has, sorted. A run without a category
    leaves a gap there. Each bar carries a tooltip with the value, interval and task count.

    Args:
        runs: (run name, its accuracy) in the order the page lists the runs.
    """
    categories = sorted({c for _, report in runs for c in report.by_category})
    groups = [("overall", [r.overall for _, r in runs])]
    groups += [(c, [r.by_category.get(c) for _, r in runs]) for c in categories]
    group_h = len(runs) * (_BAR_H + _BAR_GAP) - _BAR_GAP
    height = _TOP + len(groups) * (group_h + _GROUP_GAP) + _AXIS_H
    width = _LABEL_W + _PLOT_W + _RIGHT_W
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="accuracy per category with confidence intervals" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        _grid(height),
    ]
    y = _TOP
    for i, (name, estimates) in enumerate(groups):
        weight = ' font-weight="600"' if i == 0 else ""
        parts.append(f'<text x="{_LABEL_W - 10}" y="{y + group_h / 2 + 4:.1f}" text-anchor="end"{weight} '
                     f'fill="currentColor">{escape(_clip(name, 28))}</text>')
        for j, estimate in enumerate(estimates):
            if estimate is not None:
                bar_y = y + j * (_BAR_H + _BAR_GAP)
                parts.append(_bar(runs[j][0], name, estimate, bar_y, PALETTE[j % len(PALETTE)]))
        y += group_h + _GROUP_GAP
    parts.append("</svg>")
    return "\n".join(parts)


def _x(value: float) -> float:
    return _LABEL_W + max(0.0, min(1.0, value)) * _PLOT_W


def _grid(height: int) -> str:
    bottom = height - _AXIS_H + 4
    lines = []
    for t in _TICKS:
        x = _x(t)
        lines.append(f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{bottom}" class="grid" '
                     f'stroke="#8884" stroke-width="1"/>')
        lines.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="currentColor" '
                     f'opacity="0.7">{100 * t:.0f}%</text>')
    return "\n".join(lines)


def _bar(run: str, category: str, e: Estimate, y: float, colour: str) -> str:
    mid = y + _BAR_H / 2
    lo, hi = _x(e.low), _x(e.high)
    tip = (f"{run} · {category}: {100 * e.value:.1f}% "
           f"[{100 * e.low:.1f}, {100 * e.high:.1f}] on {e.n_tasks} tasks, {e.n} samples")
    return (
        f'<g><title>{escape(tip)}</title>'
        f'<rect x="{_LABEL_W}" y="{y:.1f}" width="{_x(e.value) - _LABEL_W:.1f}" height="{_BAR_H}" '
        f'rx="2" fill="{colour}"/>'
        f"{_line(lo, mid, hi, mid)}"
        f"{_line(lo, y + 3, lo, y + _BAR_H - 3)}{_line(hi, y + 3, hi, y + _BAR_H - 3)}"
        f'<text x="{max(hi, _x(e.value)) + 6:.1f}" y="{mid + 4:.1f}" fill="currentColor">'
        f'{100 * e.value:.1f}%</text></g>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="currentColor" '
            'stroke-width="1.5"/>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
