"""The arena_battles table (toolgym/arena/store.py) on a real SQLite file."""

from __future__ import annotations

from toolgym.arena import BattleRecord, BattleStore, GameKey
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
