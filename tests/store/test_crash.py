"""kill -9 of a writing process loses at most the batch in flight and never duplicates a row."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from toolgym.store import Store

WRITER = Path(__file__).with_name("crash_writer.py")
BATCH = 100


def start_writer(url: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, *extra], stdout=subprocess.PIPE, text=True, cwd=WRITER.parent
    )


def kill_while_writing(proc: subprocess.Popen[str], batch: int, delay_s: float) -> int:
    """SIGKILL the writer `delay_s` after it starts writing `batch`; returns the last batch it started.

    The writer does not wait for us, so by the kill it may be a batch or two further along.
    """
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == f"writing {batch}":
            break
    else:
        raise AssertionError(f"writer exited with {proc.wait()} before batch {batch}")
    time.sleep(delay_s)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return max([batch] + [int(line.split()[1]) for line in proc.stdout if line.startswith("writing")])


def check_consistent(url: str) -> dict[int, int]:
    """Integrity, no duplicate keys, whole batches only, each rollout with verdict and transcript."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        for table in ("rollouts", "transcripts"):
            total, distinct = conn.exec_driver_sql(
                f"SELECT count(*), count(DISTINCT run_id || ':' || task_id || ':' || sample) FROM {table}"
            ).one()
            assert total == distinct, f"duplicate keys in {table}"
        per_batch = dict(conn.exec_driver_sql("SELECT seed, count(*) FROM rollouts GROUP BY seed").all())
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM rollouts r LEFT JOIN transcripts t ON t.run_id = r.run_id "
            "AND t.task_id = r.task_id AND t.sample = r.sample WHERE t.id IS NULL OR r.passed IS NULL"
        ).scalar()
        transcripts = conn.exec_driver_sql("SELECT count(*) FROM transcripts").scalar()
    engine.dispose()
    assert orphans == 0 and transcripts == sum(per_batch.values()), "a rollout was split from its parts"
    assert set(per_batch.values()) <= {BATCH}, f"a partial batch was committed: {per_batch}"
    return per_batch


def test_kill_9_while_writing_leaves_a_consistent_database(store_url: str) -> None:
    Store(store_url).close()  # create the tables before the writers race to
    last = kill_while_writing(start_writer(store_url), batch=3, delay_s=0.006)
    per_batch = check_consistent(store_url)
    # the batches before are there; the one in flight is all there or not at all
    assert set(range(last)) <= set(per_batch) <= set(range(last + 1)), (last, sorted(per_batch))

    # writing everything again (a resume) replaces rows: still one per key
    done = max(per_batch) + 1
    assert start_writer(store_url, "--batches", str(done + 1)).wait(timeout=60) == 0
    per_batch = check_consistent(store_url)
    assert sorted(per_batch) == list(range(done + 1))
    with Store(store_url) as store:
        assert len(store.done_keys(store.get_run("crash").id)) == (done + 1) * BATCH
