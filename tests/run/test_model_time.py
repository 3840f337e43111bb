"""Latency without queueing: each rollout stores its time in model calls (rollouts.model_s, schema 8) beside its
wall time; `show` and the report print both."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.helpers.openai_server import OpenAIServer, with_slots
from tests.run.reliability_helpers import run_against
from tests.run.suite_factory import responder, write_suite
from tests.store.test_store import manifest
from toolgym.cli import main
from toolgym.models import ModelOptions
from toolgym.run import RunConfig, evaluate
from toolgym.store import Store
from toolgym.store.schema import SCHEMA_VERSION


def test_model_time_is_recorded_and_both_latencies_are_printed(tmp_path, capsys):
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


def test_waiting_for_a_servers_request_slot_is_not_model_time(tmp_path):
    """A server that takes one request at a time (a hosted API's concurrency limit: others get 429 and
    Retry-After) and 0.2 s per answer, against 4 rollouts at once: they queue behind each other."""
    suite = write_suite(tmp_path / "s.jsonl", 4)
    db = str(tmp_path / "runs.db")
    with OpenAIServer(with_slots(responder(), 1, service_s=0.2, retry_after_s=0.05)) as server:
        run = run_against(server, suite, db, attempts=60, timeout_s=5.0)
        refused = len(server.requests) - 4
    with Store(db) as store:
        records = list(store.results(run.id))
    assert run.done == 4 and refused > 0  # requests did wait for the slot
    walls, models = sorted(r.latency_s for r in records), [r.model_s for r in records]
    assert all(0.18 <= m <= 0.5 for m in models), models  # one answer's time each, not the wait before it
    assert walls[-1] >= 3 * 0.2 and walls[-1] >= 2.5 * max(models)  # the last one waited for three answers
    assert sum(models) <= walls[-1] + 0.1  # one slot: the answers followed each other inside the last wall time


def test_waiting_for_a_local_batch_is_not_model_time(tmp_path):
    """The local backend generating one request at a time (batch_size 1) under 6 rollouts at once: each
    request waits for the generations before it; only its own generation is model time."""
    cfg = RunConfig(suite="fc-core", model="tiny", limit=6, concurrency=6, max_tokens=16, db=str(tmp_path / "r.db"))
    run = evaluate(cfg, options=ModelOptions(device="cpu", batch_size=1))
    with Store(cfg.db) as store:
        records = list(store.results(run.id))
    walls, models = [r.latency_s for r in records], [r.model_s for r in records]
    assert len(records) == 6 and all(m is not None and 0 < m <= w for m, w in zip(models, walls, strict=True))
    assert sum(walls) >= 2 * max(walls)  # they queued: waits of 1..5 generations on top of their own
    # one generation at a time: all six fit in the longest wall time; with the waits counted they would not
    assert sum(models) <= 1.1 * max(walls)


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
