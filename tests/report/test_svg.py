"""The category chart: one bar per run and category, intervals as whiskers, escaped labels."""

from __future__ import annotations

import re

from toolgym.report import category_chart
from toolgym.stats import accuracy


def test_one_bar_per_run_and_category_with_overall_first() -> None:
    a = accuracy([("t1", "simple", True), ("t2", "simple", False), ("t3", "multiple", True)])
    b = accuracy([("t1", "simple", True), ("t2", "simple", True)])
    svg = category_chart([("A", a), ("B", b)])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 5  # overall x2, multiple (A only), simple x2
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', svg)
    assert labels == ["overall", "multiple", "simple"]
    assert "A · simple: 50.0%" in svg and "B · simple: 100.0%" in svg
    assert "http" not in svg


def test_names_are_escaped() -> None:
    report = accuracy([("t1", "<b>cat</b>", True)])
    svg = category_chart([('run "x" <y>', report)])
    assert "<b>" not in svg and "&lt;b&gt;cat&lt;/b&gt;" in svg
    assert "run &quot;x&quot; &lt;y&gt;" in svg
