"""A run whose process was killed (kill -9) reads `stale`, not `running` forever; schema 7 stores pid and host."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing

from tests.store.test_store import manifest
from toolgym.cli import main
from toolgym.store import Store
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
