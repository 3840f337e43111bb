"""Reference rankings (toolgym/arena/reference.py)."""

from __future__ import annotations

import pytest

from toolgym.arena.reference import read_reference
from toolgym.errors import UserError


def test_text_ranking_is_best_first(tmp_path):
    path = tmp_path / "ref.txt"
    path.write_text("# human leaderboard\nbig\n\nmedium\nsmall\n", encoding="utf-8")
    assert read_reference(path) == ["big", "medium", "small"]


def test_json_list_or_scores(tmp_path):
    (tmp_path / "a.json").write_text('["x", "y"]', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"x": 1200, "y": 1100.5}', encoding="utf-8")
    assert read_reference(tmp_path / "a.json") == ["x", "y"]
    assert read_reference(tmp_path / "b.json") == {"x": 1200.0, "y": 1100.5}


def test_bad_references_name_the_problem(tmp_path):
    path = tmp_path / "ref.txt"
    path.write_text("x\ny\nx\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"ref\.txt:3: model 'x' is already ranked on line 1"):
        read_reference(path)
    (tmp_path / "c.json").write_text('{"x": "high"}', encoding="utf-8")
    with pytest.raises(UserError, match="expected a list of model names"):
        read_reference(tmp_path / "c.json")
