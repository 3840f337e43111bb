"""Leaderboards from stored battles (toolgym/arena/leaderboard.py), fed by human votes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolgym.arena import BattleRecord, BattleStore, LeaderboardConfig, build_leaderboard, import_votes
from toolgym.arena.leaderboard import battles_from_records
from toolgym.errors import UserError

# x beats y 6:2, y beats z 6:2, x beats z 7:1, over 8 prompts
RESULTS = [("x", "y", 6, 2), ("y", "z", 6, 2), ("x", "z", 7, 1)]


def votes_file(path: Path, answers: bool = False) -> Path:
    lines = []
    for a, b, wins, losses in RESULTS:
        for i in range(wins + losses):
            line = {"model_a": a, "model_b": b, "winner": "model_a" if i < wins else "model_b", "prompt_id": f"q{i}"}
            if answers:
                line |= {"answer_a": "- item\n" * (i + 1), "answer_b": "plain words here"}
            lines.append(line)
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path) -> str:
    db = str(tmp_path / "a.db")
    import_votes(votes_file(tmp_path / "human.jsonl", answers=True), db)
    return db


def test_bradley_terry_ranks_with_intervals_and_win_rates(db):
    board = build_leaderboard(LeaderboardConfig(db=db, n_boot=100, baseline="z"))
    assert board.source == "votes:human.jsonl" and board.method == "bt"
    assert [m.model for m in board.ratings.models] == ["x", "y", "z"]
    x = board.ratings.get("x")
    assert x.low < x.rating < x.high and x.win_rate.value > 0.5 and board.ratings.get("z").win_rate is None
    assert board.games == board.counted == 24 and board.ratings.n_clusters == 8
    assert 0.0 <= board.separability <= 1.0


def test_online_elo_is_available_without_intervals(db):
    board = build_leaderboard(LeaderboardConfig(db=db, method="elo", baseline="z"))
    assert board.ratings.method == "none" and board.separability is None
    assert all(m.low == m.rating == m.high for m in board.ratings.models)
    assert sum(m.rating for m in board.ratings.models) == pytest.approx(3000.0)
    assert board.ratings.get("x").win_rate is not None


def test_agreement_with_a_reference_ranking(db):
    board = build_leaderboard(LeaderboardConfig(db=db, ci="sandwich"), ["x", "y", "z"], "ref.txt")
    assert board.agreement.spearman == pytest.approx(1.0) and board.reference == "ref.txt"
    flipped = build_leaderboard(LeaderboardConfig(db=db, ci="none"), ["z", "y", "x"], "flipped")
    assert flipped.agreement.kendall == pytest.approx(-1.0) and flipped.agreement.brier > 0.25


def test_style_control_reports_coefficients(db):
    board = build_leaderboard(LeaderboardConfig(db=db, ci="sandwich", style_control=True))
    assert {s.feature for s in board.ratings.style} == {"tokens", "headers", "list_items", "bold"}


def test_style_control_needs_the_answers(tmp_path):
    db = str(tmp_path / "a.db")
    import_votes(votes_file(tmp_path / "bare.jsonl"), db)
    with pytest.raises(UserError, match=r"style control needs both answers.*24 of 24"):
        build_leaderboard(LeaderboardConfig(db=db, style_control=True))


def test_strong_verdicts_weigh_more():
    records = [BattleRecord("j", "s", f"q{i}", "x", "y", outcome="a", strong=i < 2) for i in range(3)]
    records += [BattleRecord("j", "s", "q9", "y", "x", outcome="a")]
    battles = battles_from_records(records, strong_weight=3.0, style=False)
    assert battles.weight.tolist() == [3.0, 3.0, 1.0, 1.0]
    assert battles.n_clusters == 4


def test_unparseable_and_failed_games_are_left_out():
    records = [BattleRecord("j", "s", "q1", "x", "y", outcome="a"), BattleRecord("j", "s", "q2", "x", "y"),
               BattleRecord("j", "s", "q3", "x", "y", error="HTTP 500")]
    assert len(battles_from_records(records, 3.0, style=False)) == 1
    with pytest.raises(UserError, match="no counted battles"):
        battles_from_records(records[1:], 3.0, style=False)


def test_sources_must_be_chosen_when_several(db, tmp_path):
    with BattleStore(db) as store:
        store.write([BattleRecord("judge:j", "s@1", "q1", "x", "y", outcome="a")])
    with pytest.raises(UserError, match=r"2 sources \(judge:j, votes:human\.jsonl\); choose one with --source"):
        build_leaderboard(LeaderboardConfig(db=db))
    with pytest.raises(UserError, match="no battles from source 'judge:k'.*sources: judge:j"):
        build_leaderboard(LeaderboardConfig(db=db, source="judge:k"))
    with pytest.raises(UserError, match="no battles in .* yet"):
        build_leaderboard(LeaderboardConfig(db=str(tmp_path / "empty.db")))


def test_unknown_baseline_lists_the_models(db):
    with pytest.raises(UserError, match=r"baseline 'w' has no battles in votes:human\.jsonl; models: x, y, z"):
        build_leaderboard(LeaderboardConfig(db=db, baseline="w", ci="none"))


def test_unknown_style_feature_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown style features \['bolt'\]; choose among tokens"):
        LeaderboardConfig(style_features=("bolt",))
