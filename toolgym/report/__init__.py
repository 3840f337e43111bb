"""Reports: terminal tables and self-contained HTML, from the stats layer's estimates."""

from .bfcl_summary import (
    BfclScores,
    bfcl_not_run,
    bfcl_over_runs,
    bfcl_runs_combined,
    bfcl_scores,
    bfcl_summary,
    combined_bfcl_scores,
    combined_bfcl_summary,
)
from .html import render_html
from .leaderboard import ELO_NOTE, leaderboard_html, leaderboard_table, quality_table, rating_chart, style_table
from .sections import Figures, RunSection, Transcript, run_section, transcripts_to_show
from .svg import category_chart
from .tables import accuracy_table, bfcl_table, comparison_table, failure_table, pct

__all__ = [
    "ELO_NOTE",
    "Figures",
    "RunSection",
    "Transcript",
    "accuracy_table",
    "BfclScores",
    "bfcl_not_run",
    "bfcl_over_runs",
    "bfcl_runs_combined",
    "bfcl_scores",
    "bfcl_table",
    "bfcl_summary",
    "combined_bfcl_scores",
    "combined_bfcl_summary",
    "category_chart",
    "comparison_table",
    "failure_table",
    "leaderboard_html",
    "leaderboard_table",
    "pct",
    "quality_table",
    "rating_chart",
    "render_html",
    "run_section",
    "style_table",
    "transcripts_to_show",
]
