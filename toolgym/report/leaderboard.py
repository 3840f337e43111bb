"""Arena leaderboards: a terminal table (rich) and a self-contained HTML page with a CI-whisker chart.

Everything comes from the arena's typed `Leaderboard`; nothing is recomputed here. Every string
from data (model names, sources, categories) goes through `html.escape`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from importlib import resources
from string import Template

from rich.table import Table

from .._version import __version__
from ..arena import Leaderboard
from ..stats import Estimate, Ratings

__all__ = ["leaderboard_html", "leaderboard_table", "quality_table", "rating_chart", "style_table"]

ELO_NOTE = ("Online Elo depends on the order of the battles (here: the order they were stored); the same "
            "battles in another order give other ratings, and there are no intervals. Use Bradley–Terry "
            "(--method bt) for order-free ratings with intervals.")
"""Shown beside every online-Elo leaderboard."""

_LABEL_W = 220
_PLOT_W = 460
_RIGHT_W = 170
_ROW_H = 22
_TOP = 14
_AXIS_H = 30


def _title(board: Leaderboard) -> str:
    category = f" · category {board.category}" if board.category else ""
    return f"arena leaderboard · {board.source}{category}"


def _method(board: Leaderboard) -> str:
    r = board.ratings
    if board.method == "elo":
        return f"online Elo over {r.n_battles} games (order-dependent, no intervals)"
    style = "style-controlled " if r.style else ""
    interval = (f"{round(100 * r.confidence)}% {r.method} CI over {r.n_clusters} prompts"
                if r.method != "none" else "no intervals")
    strong = f", {board.strong} strong verdicts ×{board.strong_weight:g}" if board.strong else ""
    anchor = f" · {r.anchor} pinned at {r.anchor_rating:g}" if r.anchor else ""
    return f"{style}Bradley–Terry, {interval} · {r.n_battles} games{strong}{anchor}"


def _win(e: Estimate | None) -> str:
    if e is None:
        return "-"
    if e.method == "none":
        return f"{100 * e.value:.1f}"
    return f"{100 * e.value:.1f} [{100 * e.low:.1f}, {100 * e.high:.1f}]"


def leaderboard_table(board: Leaderboard) -> Table:
    """Rank, model, rating with its interval, games and win rate against the baseline."""
    r = board.ratings
    table = Table(title=_title(board), title_justify="left", caption=_method(board), caption_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("model", overflow="fold")  # never cut a name: specs differ at the end
    table.add_column("rating", justify="right")
    if r.method != "none":
        table.add_column(f"{round(100 * r.confidence)}% CI", justify="right")
    table.add_column("games", justify="right")
    if r.baseline:
        table.add_column(f"win % vs {r.baseline}", justify="right")
    for m in r.models:
        cells = [str(m.rank), m.model, f"{m.rating:.0f}"]
        if r.method != "none":
            cells.append(f"-{m.rating - m.low:.0f}/+{m.high - m.rating:.0f}")
        cells.append(str(m.n_battles))
        if r.baseline:
            cells.append("baseline" if m.model == r.baseline else _win(m.win_rate))
        table.add_row(*cells)
    return table


def style_table(ratings: Ratings) -> Table | None:
    """Style coefficients of a style-controlled fit (None otherwise): Elo points per SD of style gap."""
    if not ratings.style:
        return None
    table = Table(title="style coefficients (Elo points per SD of the style gap)", title_justify="left")
    table.add_column("feature")
    table.add_column("coefficient", justify="right")
    table.add_column(f"{round(100 * ratings.confidence)}% CI", justify="right")
    for s in ratings.style:
        table.add_row(s.feature, f"{s.coefficient:+.1f}", f"[{s.low:+.1f}, {s.high:+.1f}]")
    return table


def _quality_rows(board: Leaderboard) -> list[tuple[str, str]]:
    rows = [
        ("games stored", str(board.games)),
        ("games rated", str(board.counted)),
        ("unparseable judgments (excluded)", str(board.unparseable)),
        ("failed judgments (excluded, retried by judge)", str(board.errors)),
    ]
    if board.ratings.degenerate_rounds:
        r = board.ratings
        rows.append(("bootstrap rounds that could not rank every model",
                     f"{r.degenerate_rounds} of {r.n_boot}" + (" (intervals unreliable)"
                                                               if r.degenerate_rounds > r.n_boot / 20 else "")))
    if board.separability is not None:
        rows.append(("separability (pairs with disjoint CIs)", f"{100 * board.separability:.1f}%"))
    a = board.agreement
    if a is not None:
        ref = board.reference or "reference"
        rows += [
            (f"Spearman vs {ref}", f"{a.spearman:.3f}"),
            (f"Kendall tau vs {ref}", f"{a.kendall:.3f}"),
            (f"Brier vs {ref} (0 best, 0.25 chance)", f"{a.brier:.3f}"),
            ("models compared", f"{a.n_models} ({a.n_pairs} ordered pairs)"),
        ]
    return rows


def quality_table(board: Leaderboard) -> Table:
    """What the ratings rest on and how well the benchmark separates models and agrees with a reference."""
    table = Table(title="benchmark quality", title_justify="left", show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in _quality_rows(board):
        table.add_row(name, value)
    return table


def rating_chart(ratings: Ratings) -> str:
    """An inline SVG: one row per model, a dot at its rating and whiskers over its interval."""
    models = ratings.models
    lo = min(m.low for m in models)
    hi = max(m.high for m in models)
    pad = max(hi - lo, 1.0) * 0.05
    x0, x1 = lo - pad, hi + pad
    ticks = [t for t in _ticks(x0, x1) if x0 <= t <= x1]

    def x(v: float) -> float:
        return _LABEL_W + (v - x0) / ((x1 - x0) or 1.0) * _PLOT_W

    height = _TOP + len(models) * _ROW_H + _AXIS_H
    width = _LABEL_W + _PLOT_W + _RIGHT_W
    bottom = _TOP + len(models) * _ROW_H
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        'aria-label="ratings with confidence intervals" font-family="system-ui, sans-serif" font-size="12">'
    ]
    for t in ticks:
        parts.append(f'<line x1="{x(t):.1f}" y1="{_TOP - 4}" x2="{x(t):.1f}" y2="{bottom}" stroke="#8884"/>'
                     f'<text x="{x(t):.1f}" y="{bottom + 18}" text-anchor="middle" fill="currentColor" '
                     f'opacity="0.7">{t:g}</text>')
    for i, m in enumerate(models):
        mid = _TOP + i * _ROW_H + _ROW_H / 2
        tip = f"#{m.rank} {m.model}: {m.rating:.0f} [{m.low:.0f}, {m.high:.0f}], {m.n_battles} games"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{_LABEL_W - 10}" y="{mid + 4:.1f}" text-anchor="end" fill="currentColor">'
            f"{escape(_clip(m.model, 32))}</text>"
            f'<line x1="{x(m.low):.1f}" y1="{mid:.1f}" x2="{x(m.high):.1f}" y2="{mid:.1f}" stroke="currentColor" '
            'stroke-width="1.5"/>'
            f'<line x1="{x(m.low):.1f}" y1="{mid - 5:.1f}" x2="{x(m.low):.1f}" y2="{mid + 5:.1f}" '
            'stroke="currentColor" stroke-width="1.5"/>'
            f'<line x1="{x(m.high):.1f}" y1="{mid - 5:.1f}" x2="{x(m.high):.1f}" y2="{mid + 5:.1f}" '
            'stroke="currentColor" stroke-width="1.5"/>'
            f'<circle cx="{x(m.rating):.1f}" cy="{mid:.1f}" r="4.5" fill="#0072b2"/>'
            f'<text x="{_LABEL_W + _PLOT_W + 10}" y="{mid + 4:.1f}" fill="currentColor">{m.rating:.0f}'
            f' (-{m.rating - m.low:.0f}/+{m.high - m.rating:.0f})</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def leaderboard_html(board: Leaderboard, *, generated_at: datetime | None = None) -> str:
    """The leaderboard as one self-contained HTML page (inline CSS and SVG, no external reference)."""
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    r = board.ratings
    head = ["rank", "model", "rating"] + (["CI"] if r.method != "none" else []) + ["games"]
    head += [f"win % vs {r.baseline}"] if r.baseline else []
    rows = []
    for m in r.models:
        cells = [str(m.rank), escape(m.model), f"{m.rating:.0f}"]
        cells += [f"{m.low:.0f} – {m.high:.0f}"] if r.method != "none" else []
        cells.append(str(m.n_battles))
        if r.baseline:
            cells.append("baseline" if m.model == r.baseline else escape(_win(m.win_rate)))
        rows.append("<tr>" + "".join(f'<td{"" if j == 1 else " class=num"}>{c}</td>'
                                     for j, c in enumerate(cells)) + "</tr>")
    header = "".join(f'<th{"" if j == 1 else " class=num"}>{escape(h)}</th>' for j, h in enumerate(head))
    quality = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _quality_rows(board))
    style = "".join(f"<tr><td>{escape(s.feature)}</td><td class=num>{s.coefficient:+.1f}</td>"
                    f"<td class=num>[{s.low:+.1f}, {s.high:+.1f}]</td></tr>" for s in r.style)
    body = [
        "<header>",
        f"<h1>{escape(_title(board))}</h1>",
        f'<p class="sub">{escape(_method(board))} · generated {when} by toolgym {escape(__version__)}</p>',
        "</header>",
        f"<h2>Ratings</h2><table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        f'<div class="chart-wrap">{rating_chart(r)}</div>',
        '<p class="note">Dots: ratings on the Elo scale; whiskers: confidence intervals. Hover a row for its '
        "numbers.</p>" if r.method != "none" else f'<p class="note">{escape(ELO_NOTE)}</p>',
    ]
    if style:
        body.append("<h2>Style coefficients</h2><table><thead><tr><th>feature</th><th class=num>Elo per SD</th>"
                    f"<th class=num>CI</th></tr></thead><tbody>{style}</tbody></table>")
    body.append(f'<h2>Benchmark quality</h2><dl class="manifest">{quality}</dl>')
    page = Template(resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8"))
    return page.substitute(title=escape(_title(board)), version=escape(__version__), body="\n".join(body))


def _ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten."""
    span = max(hi - lo, 1.0)
    raw = span / target
    power = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = step * (lo // step)
    count = int((hi - start) // step) + 2
    return [round(start + i * step, 9) for i in range(count)]


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else "…" + text[-(n - 1):]  # keep the end: specs differ in the file name
