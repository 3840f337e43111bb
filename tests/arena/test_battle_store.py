"""The arena_battles table (toolgym/arena/store.py) on a real SQLite file."""

from __future__ import annotations

from toolgym.arena import BattleRecord, BattleStore
from toolgym.arena.battles import GameKey
from toolgym.store import Store


def rec(prompt: str, a: str = "x", b: str = "y", **kw) -> BattleRecord:
    return BattleRecord("judge:j", "set@1", prompt, a, b, **kw)


def test_writing_a_game_again_replaces_it(tmp_path):
    db = str(tmp_path / "a.db")
    with BattleStore(db) as store:
        store.write([rec("q1", error="HTTP 500"), rec("q2", outcome="a", verdict="A>B")])
        assert store.done_keys("judge:j", "set@1") == {GameKey("q2", "x", "y")}
        store.write([rec("q1", outcome="b", verdict="B>>A", strong=True)])
        rows = list(store.records("judge:j"))
    assert [(r.prompt_id, r.outcome, r.strong, r.error) for r in rows] == [
        ("q1", "b", True, None), ("q2", "a", False, None)]  # q1 keeps its place: first stored first


def test_sources_are_counted(tmp_path):
    db = str(tmp_path / "a.db")
    with BattleStore(db) as store:
        store.write([rec("q1", outcome="a"), rec("q2"), rec("q3", error="timeout"), rec("q1", "y", "x", outcome="tie")])
        [info] = store.sources()
    assert (info.source, info.games, info.counted, info.unparseable, info.errors) == ("judge:j", 4, 2, 1, 1)


def test_battles_live_beside_the_runs(tmp_path):
    db = str(tmp_path / "a.db")
    with Store(db) as runs, BattleStore(db) as battles:
        battles.write([rec("q1", outcome="a", style_a={"tokens": 3}, style_b={"tokens": 1})])
        assert runs.list_runs() == []
        [row] = list(battles.records("judge:j", category=""))
    assert row.style_a == {"tokens": 3}


def test_votes_are_numbered_in_turn_and_deleted_by_number(tmp_path):
    db = str(tmp_path / "a.db")
    with BattleStore(db) as store:
        vote = BattleRecord("votes:web", "set@1", "q1", "x", "y", outcome="a", verdict="model_a", voter="abc")
        first, second = store.add_vote(vote), store.add_vote(vote._replace(outcome="tie", verdict="tie"))
        assert (first.seq, second.seq) == (1, 2)
        assert [(r.seq, r.outcome, r.voter) for r in store.records("votes:web")] == [(1, "a", "abc"), (2, "tie", "abc")]
        assert store.delete_games("votes:web", [1, 7]) == 1
        assert [r.seq for r in store.records("votes:web")] == [2]


def test_a_table_from_before_votes_gains_the_voter_column(tmp_path):
    import sqlite3

    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:  # the table as toolgym wrote it before the voter column
        conn.execute("CREATE TABLE arena_battles (id INTEGER PRIMARY KEY, source TEXT NOT NULL, prompt_set TEXT NOT "
                     "NULL, prompt_id TEXT NOT NULL, model_a TEXT NOT NULL, model_b TEXT NOT NULL, seq INTEGER NOT "
                     "NULL, category VARCHAR(200) NOT NULL, verdict VARCHAR(40), outcome VARCHAR(4), strong BOOLEAN "
                     "NOT NULL, style_a JSON, style_b JSON, judgment TEXT, error TEXT, created_at DATETIME NOT NULL, "
                     "CONSTRAINT uq_arena_battles_key UNIQUE (source, prompt_set, prompt_id, model_a, model_b, seq))")
        conn.execute("INSERT INTO arena_battles VALUES (1, 'judge:j', 's', 'q1', 'x', 'y', 0, '', 'A>B', 'a', 0, NULL, "
                     "NULL, NULL, NULL, '2026-01-01 00:00:00')")
    with BattleStore(str(db)) as store:
        [old] = list(store.records("judge:j"))
        assert (old.outcome, old.voter) == ("a", None)
        store.add_vote(BattleRecord("votes:web", "s", "q1", "x", "y", outcome="b", voter="v1"))
        assert [r.voter for r in store.records("votes:web")] == ["v1"]
