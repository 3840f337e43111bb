"""Human votes imported from JSONL (toolgym/arena/votes.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolgym.arena import BattleStore, import_votes, read_votes
from toolgym.errors import UserError


def write(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


GOOD = {"model_a": "x", "model_b": "y", "winner": "model_a", "prompt_id": "q1"}


def test_winner_labels_map_to_outcomes(tmp_path):
    path = write(tmp_path / "v.jsonl", GOOD, {**GOOD, "winner": "model_b"}, {**GOOD, "winner": "tie"},
                 {**GOOD, "winner": "tie (bothbad)"})
    records = read_votes(path, "votes:v.jsonl")
    assert [r.outcome for r in records] == ["a", "b", "tie", "tie"]
    assert [r.verdict for r in records] == ["model_a", "model_b", "tie", "tie (bothbad)"]
    assert [r.seq for r in records] == [1, 2, 3, 4] and {r.prompt_id for r in records} == {"q1"}


@pytest.mark.parametrize("winner", ["model_c", "Model_A", "both", "", "tie(bothbad)"])
def test_unknown_winner_is_an_error_naming_the_line_never_a_tie(tmp_path, winner):
    path = write(tmp_path / "v.jsonl", GOOD, GOOD, {**GOOD, "winner": winner})
    expected = rf"v\.jsonl:3: unknown winner {re.escape(repr(winner))}.*'model_a', 'model_b', 'tie'"
    with pytest.raises(UserError, match=expected):
        read_votes(path, "votes")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", r"v\.jsonl:2: not valid JSON"),
        ([1, 2], r"v\.jsonl:2: expected a JSON object"),
        ({"model_a": "x", "winner": "tie"}, r"v\.jsonl:2: field 'model_b' is missing"),
        ({**GOOD, "winer": "tie"}, r"v\.jsonl:2: unknown field 'winer'; did you mean 'winner'\?"),
        ({**GOOD, "model_b": "x"}, r"v\.jsonl:2: model 'x' is on both sides"),
        ({**GOOD, "answer_a": "only one"}, r"v\.jsonl:2: give both answer_a and answer_b"),
    ],
)
def test_bad_lines_name_the_line(tmp_path, line, message):
    with pytest.raises(UserError, match=message):
        read_votes(write(tmp_path / "v.jsonl", GOOD, line), "votes")


def test_votes_without_a_prompt_are_their_own_cluster_and_answers_give_style(tmp_path):
    path = write(tmp_path / "v.jsonl", {"model_a": "x", "model_b": "y", "winner": "tie"},
                 {**GOOD, "answer_a": "# Title\n- one", "answer_b": "plain"})
    first, second = read_votes(path, "votes")
    assert first.prompt_id == "line 1" and first.style_a is None
    assert second.style_a["headers"] == 1 and second.style_a["list_items"] == 1 and second.style_b["tokens"] == 1


def test_importing_again_replaces_the_source(tmp_path):
    db = str(tmp_path / "a.db")
    path = write(tmp_path / "v.jsonl", GOOD, GOOD, GOOD)
    assert import_votes(path, db).votes == 3
    write(path, GOOD)
    done = import_votes(path, db)
    assert done.source == "votes:v.jsonl" and done.votes == 1 and done.models == ["x", "y"]
    with BattleStore(db) as store:
        assert len(list(store.records("votes:v.jsonl"))) == 1


def test_empty_or_missing_file_is_an_error(tmp_path):
    with pytest.raises(UserError, match="no votes found"):
        read_votes(write(tmp_path / "v.jsonl", ""), "votes")
    with pytest.raises(UserError, match="does not exist"):
        read_votes(tmp_path / "none.jsonl", "votes")
