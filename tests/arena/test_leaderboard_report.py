"""Leaderboard rendering (toolgym/report/leaderboard.py): rich table, SVG whiskers, escaped HTML."""

from __future__ import annotations

import io

from rich.console import Console

from toolgym.arena import Leaderboard
from toolgym.report import leaderboard_html, leaderboard_table, quality_table, rating_chart
from toolgym.stats import Estimate, ModelRating, Ratings

EVIL = '<script>alert("x")</script>'


def board(method: str = "bt") -> Leaderboard:
    win = Estimate(value=0.7, low=0.6, high=0.8, n=10, n_tasks=5, confidence=0.95, method="bootstrap")
    models = [
        ModelRating(model=EVIL, rating=1050, low=1020, high=1080, rank=1, n_battles=10, win_rate=win),
        ModelRating(model="base", rating=950, low=930, high=975, rank=2, n_battles=10),
    ]
    ratings = Ratings(models=models, method="bootstrap" if method == "bt" else "none", confidence=0.95,
                      baseline="base", n_battles=10, n_clusters=5)
    return Leaderboard(source="judge:j", method=method, ratings=ratings, strong_weight=3.0, games=12,
                       unparseable=1, errors=1, separability=1.0 if method == "bt" else None)


def render(table) -> str:
    console = Console(file=io.StringIO(), width=200)
    console.print(table)
    return console.file.getvalue()


def test_table_shows_intervals_and_win_rates():
    out = render(leaderboard_table(board()))
    assert "-30/+30" in out and "70.0 [60.0, 80.0]" in out and "baseline" in out
    assert "games rated" in render(quality_table(board())) and "10" in render(quality_table(board()))


def test_chart_draws_a_whisker_per_model_and_escapes_names():
    svg = rating_chart(board().ratings)
    assert svg.count("<circle") == 2 and EVIL not in svg and "&lt;script&gt;" in svg


def test_page_is_self_contained_and_escaped():
    page = leaderboard_html(board())
    assert EVIL not in page and "&lt;script&gt;alert" in page
    assert "http://" not in page and "https://" not in page
    assert "Benchmark quality" in page


def test_elo_page_says_it_is_order_dependent():
    page = leaderboard_html(board("elo"))
    assert "depends on the order of the battles" in page
