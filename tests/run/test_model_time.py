"""Latency without queueing: each rollout stores its time in model calls (rollouts.model_s, schema 8) beside its
wall time; `show` and the report print both."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.helpers.openai_server import OpenAIServer
from tests.run.reliability_helpers import run_against
from tests.run.suite_factory import responder, write_suite
from tests.store.test_store import manifest
from toolgym.cli import main
from toolgym.store import Store
from toolgym.store.schema import SCHEMA_VERSION


def test_model_time_leaves_out_the_wait_for_a_slot_and_both_are_printed(tmp_path, capsys):
    suite = write_suite(tmp_path / "s.jsonl", 4)
    db = str(tmp_path / "runs.db")
    answer = responder()

    def slow(body):
        reply = answer(body)
        reply.delay_s = 0.3  # the model takes 0.3 s per request
        return reply

    with OpenAIServer(slow) as server:
        run = run_against(server, suite, db, timeout_s=5.0)
    with Store(db) as store:
        records = list(store.results(run.id))
    assert len(records) == 4 and all(r.model_s is not None and 0.25 <= r.model_s <= r.latency_s for r in records)
    main(["show", run.name, "--db", db])
    out = " ".join(capsys.readouterr().out.split())
    assert "latency per rollout: median" in out and "in model calls, without queueing: median" in out
    main(["report", run.name, "--db", db, "--out", str(tmp_path / "r.html")])
    assert "model time per rollout, without queueing (s)" in (tmp_path / "r.html").read_text()


def test_a_schema_7_database_gains_the_model_time_column(tmp_path):
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        store.open_run("old-run", manifest())
    with closing(sqlite3.connect(path)) as conn:  # what toolgym wrote before rollouts knew their model time
        conn.execute("ALTER TABLE rollouts DROP COLUMN model_s")
        conn.execute("UPDATE toolgym_meta SET value = '7' WHERE key = 'schema_version'")
        conn.commit()
    with Store(str(path)) as store:
        assert store.get_run("old-run").name == "old-run"
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(rollouts)")]
    assert int(version) == SCHEMA_VERSION >= 8 and "model_s" in columns
