"""A run whose process was killed (kill -9) reads `stale`, not `running` forever: on this host at once (schema 7
stores pid and host), on any host once its heartbeat (schema 9) is older than `liveness.STALE_AFTER_S`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing

from tests.store.test_store import manifest
from toolgym.cli import main
from toolgym.store import Store, liveness
from toolgym.store.schema import SCHEMA_VERSION

_HOLDER = textwrap.dedent("""
    import sys, time
    from tests.store.test_store import manifest
    from toolgym.store import Store
    with Store(sys.argv[1]) as store:
        store.open_run("held", manifest())
    print("open", flush=True)
    time.sleep(600)
""")


def test_a_killed_runs_status_reads_stale_and_a_resume_takes_it_back(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, db], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert holder.stdout.readline().strip() == "open"
        with Store(db) as store:
            assert store.get_run("held").status == "running"  # its process is alive
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        holder.kill()
        holder.stdout.close()
    with Store(db) as store:
        assert store.get_run("held").status == "stale"
    main(["runs", "--db", db])
    assert "stale" in capsys.readouterr().out
    main(["show", "held", "--db", db])
    assert "stale (its process is gone; run the same command to resume)" in " ".join(capsys.readouterr().out.split())
    main(["runs", "--db", db, "--json"])
    assert '"status": "stale"' in capsys.readouterr().out
    with Store(db) as store:  # resuming: this process now works on it
        store.open_run("held", manifest())
        assert store.get_run("held").status == "running"


def test_a_schema_6_database_gains_pid_and_host_and_its_runs_read_as_before(tmp_path):
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        run = store.open_run("old-run", manifest())
        store.set_status(run.id, "interrupted")
    with closing(sqlite3.connect(path)) as conn:  # what toolgym wrote before runs knew their process
        conn.execute("ALTER TABLE runs DROP COLUMN pid")
        conn.execute("ALTER TABLE runs DROP COLUMN host")
        conn.execute("UPDATE toolgym_meta SET value = '6' WHERE key = 'schema_version'")
        conn.commit()
    with Store(str(path)) as store:
        assert store.get_run("old-run").status == "interrupted"
        store.open_run("old-run", manifest())
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
        owner = conn.execute("SELECT pid, host FROM runs WHERE name = 'old-run'").fetchone()
    assert int(version) == SCHEMA_VERSION >= 7 and owner[0] == os.getpid() and owner[1]


# a process on another machine sharing the database (a PostgreSQL server, a network file): its pid means nothing here
_ELSEWHERE = textwrap.dedent("""
    import socket, sys, time
    socket.gethostname = lambda: "another-machine"
    from toolgym.store import Store, liveness
    from tests.store.test_store import manifest
    liveness.HEARTBEAT_S = 0.2
    with Store(sys.argv[1]) as store:
        store.open_run("remote", manifest())
        print("open", flush=True)
        time.sleep(600)
""")


def _status_after(db: str, name: str, seconds: float) -> str:
    time.sleep(seconds)
    with Store(db) as store:
        return store.get_run(name).status


def test_a_run_on_another_host_stays_running_while_it_beats_and_reads_stale_once_it_stops(tmp_path, monkeypatch):
    monkeypatch.setattr(liveness, "STALE_AFTER_S", 1.5)
    db = str(tmp_path / "shared.db")
    remote = subprocess.Popen([sys.executable, "-c", _ELSEWHERE, db], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert remote.stdout.readline().strip() == "open"
        assert _status_after(db, "remote", 3.0) == "running"  # twice the threshold: its heartbeat kept it alive
        with closing(sqlite3.connect(db)) as conn:
            host, beat = conn.execute("SELECT host, heartbeat_at FROM runs WHERE name = 'remote'").fetchone()
        assert host == "another-machine" and beat is not None
        remote.send_signal(signal.SIGKILL)  # the other machine's process dies: nothing on this host can see it
        remote.wait(timeout=30)
    finally:
        remote.kill()
        remote.stdout.close()
    assert _status_after(db, "remote", 3.0) == "stale"
    with Store(db) as store:  # resuming it here takes it over
        store.open_run("remote", manifest())
        assert store.get_run("remote").status == "running"


def test_a_live_pid_with_a_silent_heartbeat_reads_stale_and_a_beating_one_running(tmp_path, monkeypatch):
    """The pid check alone reads a hung process, or a pid the system gave to another program, as alive."""
    monkeypatch.setattr(liveness, "STALE_AFTER_S", 0.5)
    monkeypatch.setattr(liveness, "HEARTBEAT_S", 0.1)
    db = str(tmp_path / "s.db")
    with Store(db) as store:  # this process (alive) sets it running, then stops beating without a status
        store.open_run("left", manifest())
    assert _status_after(db, "left", 1.0) == "stale"
    with Store(db) as store:  # resumed: this store beats for it while it runs
        run = store.open_run("left", manifest())
        assert _status_after(db, "left", 1.0) == "running"
        store.set_status(run.id, "finished")
    assert _status_after(db, "left", 1.0) == "finished"


def test_a_schema_8_database_gains_the_heartbeat_and_its_running_runs_keep_the_pid_check(tmp_path):
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        store.open_run("old-run", manifest())
    with closing(sqlite3.connect(path)) as conn:  # what toolgym wrote before runs had a heartbeat
        conn.execute("ALTER TABLE runs DROP COLUMN heartbeat_at")
        conn.execute("UPDATE runs SET pid = 999999999")  # no such process
        conn.execute("UPDATE toolgym_meta SET value = '8' WHERE key = 'schema_version'")
        conn.commit()
    with Store(str(path)) as store:
        assert store.get_run("old-run").status == "stale"  # no heartbeat stored: the pid check decides
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
        beat = conn.execute("SELECT heartbeat_at FROM runs").fetchone()[0]
    assert int(version) == SCHEMA_VERSION >= 9 and beat is None
    with Store(str(path)) as store:
        store.open_run("old-run", manifest())
        assert store.get_run("old-run").status == "running"
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT heartbeat_at FROM runs").fetchone()[0] is not None
