"""Run status in the store: how a run ended, why it failed, and the upgrade of a schema-4 database."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from tests.store.test_store import manifest
from toolgym.store import Store
from toolgym.store.schema import SCHEMA_VERSION


def test_status_and_cause_are_stored_and_read_back(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        run = store.open_run("r", manifest())
        assert run.status == "running" and run.cause is None
        store.set_status(run.id, "failed", "every rollout failed: HTTP 500")
        assert (store.get_run("r").status, store.get_run("r").cause) == ("failed", "every rollout failed: HTTP 500")
        store.open_run("r", manifest())  # resuming clears the cause
        assert (store.get_run("r").status, store.get_run("r").cause) == ("running", None)
        with pytest.raises(ValueError, match="only a failed run has a cause"):
            store.set_status(run.id, "finished", "why")


def test_a_schema_4_database_gains_the_cause_column_and_keeps_its_runs(tmp_path):
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        store.open_run("old-run", manifest())
    with closing(sqlite3.connect(path)) as conn:  # what toolgym wrote before the status/cause change
        conn.execute("ALTER TABLE runs DROP COLUMN cause")
        conn.execute("UPDATE toolgym_meta SET value = '4' WHERE key = 'schema_version'")
        conn.commit()
    with Store(str(path)) as store:
        run = store.get_run("old-run")
        assert run.status == "running" and run.cause is None
        store.set_status(run.id, "failed", "cause")
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    assert int(version) == SCHEMA_VERSION >= 5 and "cause" in columns
