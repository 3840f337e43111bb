"""A row edited by hand (or written by another version) reads as one UserError naming the rollout, field and fix.

The wording of the field's problem is `errors.invalid_input`'s, as for every other input toolgym reads.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.store.test_store import PASS, manifest, rollout
from toolgym.errors import UserError
from toolgym.store import Store


@pytest.fixture
def stored(tmp_path):
    db = tmp_path / "runs.db"
    with Store(str(db)) as store:
        run = store.open_run("r", manifest())
        store.write(run.id, [(rollout("w-1"), "simple", PASS)])
    return db, run.id


def _edit(db, sql, *args):
    with sqlite3.connect(db) as conn:
        conn.execute(sql, args)


def test_a_transcript_message_with_a_bad_role_names_the_message_field_and_value(stored):
    db, run_id = stored
    [[messages]] = sqlite3.connect(db).execute("SELECT messages FROM transcripts").fetchall()
    edited = json.loads(messages)
    edited[1]["role"] = "robot"
    _edit(db, "UPDATE transcripts SET messages = ?", json.dumps(edited))
    with Store(str(db)) as store, pytest.raises(UserError) as caught:
        store.rollout(run_id, "w-1")
    message = str(caught.value)
    assert message.startswith("stored rollout of task 'w-1' sample 0: transcript message 1: field 'role': ")
    assert "(got 'robot')" in message and "edited by hand: re-run that run under a new name, or delete it" in message


@pytest.mark.parametrize(("column", "value", "read", "field", "got"), [
    ("components", json.dumps({"args": "high"}), "verdict", "components.args", "'high'"),  # a verdict's field
    ("seed", "lucky", "rollout", "seed", "'lucky'"),  # a rollout's field
])
def test_a_stored_value_the_types_refuse_names_its_field(stored, column, value, read, field, got):
    db, run_id = stored
    _edit(db, f"UPDATE rollouts SET {column} = ?", value)
    with Store(str(db)) as store, pytest.raises(UserError) as caught:
        getattr(store, read)(run_id, "w-1")
    message = str(caught.value)
    assert message.startswith(f"stored rollout of task 'w-1' sample 0: field '{field}': ")
    assert f"(got {got})" in message and "re-run that run under a new name" in message
